import * as assert from 'node:assert/strict';
import { eventually, scenario } from './scenario';

export default scenario('activity bar, views and palette', async ({ workbench, screenshot }) => {
  // The activity-bar entry opens the container with its two views.
  await workbench.clickActivityBar('Workflow Runs');
  const titles = await eventually(async () => {
    const found = await workbench.viewTitles();
    return found.some((t) => /^workflows$/i.test(t)) && found.some((t) => /^runs$/i.test(t)) ? found : undefined;
  });
  assert.ok(titles.length >= 2, `views: ${titles.join(', ')}`);

  // The palette lists the contract's commands under the category.
  const entries = await workbench.paletteEntries('Workflow Runs: Add Connection');
  assert.ok(
    entries.some((label) => label.includes('Workflow Runs: Add Connection…')),
    `palette shows: ${JSON.stringify(entries)}`,
  );

  await screenshot('container');
});
