import * as assert from 'node:assert/strict';
import { eventually, scenario } from './scenario';

const files = {
  'regression/pass.payload.json': JSON.stringify({ $workflow: 'zuora-demo/19027', accountNumber: 'A-1', $expect: { status: 'succeeded', tasks: { success: 5 } } }, null, 2),
  'regression/fail.payload.json': JSON.stringify({ $workflow: 'zuora-demo/19027', accountNumber: 'A-2', $expect: { status: 'succeeded', tasks: { success: 4 } } }, null, 2),
};

// Payload files as tests in VS Code's Testing view: Run All runs both files against the
// emulator; one passes, one fails, and the failure's peek names the expectation that did not hold.
export default scenario('the Testing view runs payload files with $expect', { needsEmulator: true, files, timeoutMs: 180_000 }, async ({ workbench, page, screenshot }) => {
  // The failing file open in an editor: VS Code opens the failure's peek there.
  await workbench.openFile('regression/fail.payload.json');
  await workbench.runCommand('Testing: Focus on Test Explorer View', { category: null });
  // Both files are listed (the folder is expanded on demand).
  await eventually(async () => {
    const rows = await workbench.treeRows('Test Explorer');
    const folder = page.locator('.monaco-list-row[aria-expanded="false"]', { hasText: 'regression' }).first();
    if ((await folder.count()) > 0) await folder.click();
    return rows.some((row) => /pass\.payload\.json/.test(row.label + row.ariaLabel)) && rows.some((row) => /fail\.payload\.json/.test(row.label + row.ariaLabel)) ? rows : undefined;
  }, { timeoutMs: 30_000, what: 'both payload tests in the Test Explorer' });

  await workbench.runCommand('Test: Run All Tests', { category: null });
  const rows = await eventually(async () => {
    const found = await workbench.treeRows('Test Explorer');
    const state = (name: RegExp) => found.find((row) => name.test(row.label + row.ariaLabel))?.ariaLabel ?? '';
    return /passed/i.test(state(/pass\.payload\.json/)) && /failed/i.test(state(/fail\.payload\.json/)) ? found : undefined;
  }, { timeoutMs: 90_000, what: 'one test passed and one failed' });
  assert.ok(rows.length >= 2);

  const peek = page.locator('.peekview-widget').first();
  const text = await eventually(async () => {
    const content = (await peek.textContent({ timeout: 2_000 }).catch(() => '')) ?? '';
    return /tasks\.success: expected 4, got 5/.test(content) ? content : undefined;
  }, { timeoutMs: 30_000, what: 'the failure peek naming the mismatch' });
  assert.match(text, /tasks\.success: expected 4, got 5/);
  await screenshot('testing-view');
});
