import { scenario } from './scenario';
export default [
  scenario('tmp helpers', async ({ workbench, page, screenshot, log }) => {
    await workbench.runCommand('Add Connection…');
    await page.waitForTimeout(1500);
    log(JSON.stringify(await workbench.readNotifications()));
    await page.keyboard.press('Escape');
    await workbench.runCommand('View: Toggle Panel Visibility', { category: null });
    await workbench.openFile('broken.payload.json');
    log(JSON.stringify(await workbench.editorTabs()));
    await workbench.runCommand('Run Payload File');
    await page.waitForTimeout(1500);
    log(JSON.stringify(await workbench.readNotifications()));
    await screenshot('broken');
    await workbench.clickActivityBar('Workflow Runs');
    log(JSON.stringify(await workbench.treeRows('Workflows')));
    log(JSON.stringify(await workbench.viewTitles()));
  }),
];
