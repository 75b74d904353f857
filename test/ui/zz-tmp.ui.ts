import { scenario } from './scenario';
export default [
  scenario('tmp helpers', { needsEmulator: true }, async ({ workbench, page, log, emulator, screenshot }) => {
    log(JSON.stringify(emulator?.urls));
    await workbench.clickActivityBar('Workflow Runs');
    await page.waitForTimeout(3000);
    log(JSON.stringify(await workbench.treeRows('Workflows')));
    log(JSON.stringify(await workbench.readNotifications()));
    await screenshot('tree');
  }),
];
