import * as assert from 'node:assert/strict';
import { eventually, moveOffTheSideBar, scenario } from './scenario';

// The Workflows view: connections by their exact names, workflows loaded lazily and paged,
// untrusted names shown as text, and the Runs view next to it.
export default scenario(
  'workflows view: connections, paging, names as text',
  // Sticky scroll pins the expanded connection's row over the top of the list, where a row scrolled
  // into view for a click lands: the click would hit the pinned row instead.
  { needsEmulator: true, settings: { 'workbench.tree.enableStickyScroll': false } }, async ({ workbench, page, screenshot }) => {
  await workbench.clickActivityBar('Workflow Runs');
  const connections = await eventually(async () => {
    const rows = await workbench.treeRows('Workflows');
    const labels = rows.filter((row) => row.depth === 1).map((row) => row.label);
    return ['zuora-demo', 'dify-demo', 'b3os-demo'].every((name) => labels.includes(name)) ? labels : undefined;
  });
  assert.deepEqual(connections.slice(0, 3), ['zuora-demo', 'dify-demo', 'b3os-demo']);

  // Expanding Zuora loads its first page of 50 workflows and offers more.
  await (await workbench.waitForTreeRow('Workflows', 'zuora-demo')).click();
  await workbench.waitForTreeRow('Workflows', 'Invoice sync to NetSuite', 20_000);
  const htmlRow = await workbench.waitForTreeRow('Workflows', '<img src=x onerror=alert(1)> Billing <b>run</b>');
  assert.equal(await htmlRow.locator('img').count(), 0, 'a workflow name with markup is shown as text');
  const pane = workbench.view('Workflows');
  // The tree renders only the rows in view, and repaints rows as runs of earlier scenarios change:
  // the keyboard, not the pointer, reaches "Load more" (End, then up to it; Enter runs its command).
  const focused = pane.locator('.monaco-list-row.focused');
  // A click that lands while the row is repainted focuses nothing: clicked again until a row has focus.
  await eventually(async () => {
    await (await workbench.waitForTreeRow('Workflows', 'Invoice sync to NetSuite')).click();
    return (await focused.count()) > 0 ? true : undefined;
  }, { timeoutMs: 20_000, what: 'a focused row in the Workflows view' });
  // The pointer left over the tree opens a row's hover as the keys scroll rows under it: moved away.
  await moveOffTheSideBar(page);
  await page.keyboard.press('End');
  for (let step = 0; step < 100 && !/Load more/.test((await focused.textContent()) ?? ''); step += 1) await page.keyboard.press('ArrowUp');
  assert.match((await focused.textContent()) ?? '', /Load more/);
  await screenshot('workflows');
  await page.keyboard.press('Enter');
  await eventually(async () => (await pane.locator('.monaco-list-row', { hasText: /Load more/ }).count()) === 0, { timeoutMs: 15_000 });

  // Dify is one app: its connection lists the app by the name /info gives.
  await page.keyboard.press('Home');
  await (await workbench.waitForTreeRow('Workflows', 'zuora-demo')).click();
  await page.keyboard.press('ArrowLeft');
  await (await workbench.waitForTreeRow('Workflows', 'dify-demo')).click();
  await workbench.waitForTreeRow('Workflows', 'Release notes writer', 20_000);
});
