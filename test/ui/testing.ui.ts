import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { eventually, scenario } from './scenario';

/** The Test Explorer's rows (the Testing side bar holds that one view, so it shows no header). */
async function explorerRows(page: Page): Promise<Array<{ text: string; ariaLabel: string; expanded: string | null }>> {
  return page.locator('.part.sidebar .monaco-list-row').evaluateAll((elements) =>
    elements.map((row) => ({ text: (row.textContent ?? '').trim(), ariaLabel: row.getAttribute('aria-label') ?? '', expanded: row.getAttribute('aria-expanded') })),
  );
}

const files = {
  'regression/pass.payload.json': JSON.stringify({ $workflow: 'zuora-demo/19027', accountNumber: 'A-1', $expect: { status: 'succeeded', tasks: { success: 5 } } }, null, 2),
  'regression/fail.payload.json': JSON.stringify({ $workflow: 'zuora-demo/19027', accountNumber: 'A-2', $expect: { status: 'succeeded', tasks: { success: 4 } } }, null, 2),
};

// Payload files as tests in VS Code's Testing view: Run All runs both files against the
// emulator; one passes, one fails, and the failure's message names the expectation that did not hold.
export default scenario('the Testing view runs payload files with $expect', { needsEmulator: true, files, timeoutMs: 180_000 }, async ({ workbench, page, screenshot }) => {
  // The failing file open in an editor: the failure is shown on its line there too.
  await workbench.openFile('regression/fail.payload.json');
  await workbench.runCommand('Testing: Focus on Test Explorer View', { category: null });
  // Both files are listed (the folder is expanded on demand).
  await eventually(async () => {
    const folder = page.locator('.part.sidebar .monaco-list-row[aria-expanded="false"]', { hasText: 'regression' }).first();
    if ((await folder.count()) > 0) await folder.click();
    const rows = await explorerRows(page);
    return rows.some((row) => /pass\.payload\.json/.test(row.text + row.ariaLabel)) && rows.some((row) => /fail\.payload\.json/.test(row.text + row.ariaLabel)) ? rows : undefined;
  }, { timeoutMs: 30_000, what: 'both payload tests in the Test Explorer' });

  await workbench.runCommand('Test: Run All Tests', { category: null });
  const rows = await eventually(async () => {
    const found = await explorerRows(page);
    const state = (name: RegExp) => found.find((row) => name.test(row.text + row.ariaLabel))?.ariaLabel ?? '';
    return /passed/i.test(state(/pass\.payload\.json/)) && /failed/i.test(state(/fail\.payload\.json/)) ? found : undefined;
  }, { timeoutMs: 90_000, what: 'one test passed and one failed (the rows say so in their aria-labels)' });
  assert.ok(rows.length >= 2);

  // The Test Results panel lists the failure's message under its file (and the output names the runs).
  const text = await eventually(async () => {
    const content = await page.locator('.part.panel .monaco-list-row', { hasText: 'fail.payload.json' }).allTextContents();
    return content.find((row) => /tasks\.success: expected 4, got 5/.test(row));
  }, { timeoutMs: 30_000, what: 'the failure message naming the mismatch in Test Results' });
  assert.match(text, /tasks\.success: expected 4, got 5/);
  const output = (await page.locator('.part.panel').textContent()) ?? '';
  assert.match(output, /fail\.payload\.json: run \S+ on zuora-demo failed/, 'the test output names the run');
  await screenshot('testing-view');
});
