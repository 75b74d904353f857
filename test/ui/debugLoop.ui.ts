import * as assert from 'node:assert/strict';
import { eventually, scenario } from './scenario';

const needle = 'needle-7f3k';
const files = {
  'debug-loop.payload.json': JSON.stringify({ $workflow: 'dify-demo', topic: needle, tone: 'friendly' }, null, 2),
};

// The debugging loop from the palette: find a run by an input value (Search Runs…), open its inputs
// as a new payload editor and run that untitled editor as it is, then compare the two runs in the
// diff editor (Compare Runs…, two quick picks).
export default scenario('search, re-run from inputs and compare runs', { needsEmulator: true, files, timeoutMs: 180_000 }, async ({ workbench, page, screenshot }) => {
  await workbench.openFile('debug-loop.payload.json');
  await workbench.runPayloadAction().click();
  const first = await workbench.waitForRunDetails({ until: (details) => details.status === 'succeeded', timeout: 60_000 });

  await workbench.runCommand('View: Close All Editors', { category: null });
  await workbench.runCommand('Search Runs…');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(needle);
  const rows = await eventually(async () => {
    const items = await workbench.quickPickItems();
    return items.length === 1 && items[0]!.includes(first.runId) ? items : undefined;
  }, { timeoutMs: 10_000 });
  assert.equal(rows.length, 1, 'only the run whose input holds the value');
  await screenshot('search-runs');
  await page.keyboard.press('Enter');
  await workbench.waitForRunDetails({ until: (details) => details.runId === first.runId });

  // An untitled editor is named after its first line: the header comment naming the run (cut to 40 characters).
  await workbench.runCommand('Open Inputs as Payload File');
  await workbench.answerQuickInput(first.runId);
  await eventually(async () => ((await workbench.editorTabs()).some((tab) => tab.includes(`Inputs of run ${first.runId.slice(0, 8)}`)) ? true : undefined), { timeoutMs: 10_000 });
  const text = await eventually(async () => {
    const shown = (await page.locator('.editor-instance .view-lines').last().textContent()) ?? '';
    return shown.includes(needle) ? shown : undefined;
  }, { timeoutMs: 10_000 });
  assert.match(text.replace(/\u00a0/g, ' '), /"\$workflow": "dify-demo"/);
  await screenshot('inputs-as-payload');
  await workbench.runPayloadAction().click();
  const second = await workbench.waitForRunDetails({ notRunId: first.runId, until: (details) => details.status === 'succeeded', timeout: 60_000 });

  await workbench.runCommand('Compare Runs…');
  await workbench.answerQuickInput(first.runId);
  await workbench.answerQuickInput(second.runId);
  const title = await eventually(async () => (await workbench.editorTabs()).find((tab) => tab.includes('↔')), { timeoutMs: 15_000 });
  assert.ok(title.includes(first.runId) && title.includes(second.runId), `the diff tab names both runs: ${title}`);
  // Both sides render, each naming its run.
  const sides = await eventually(async () => {
    const texts = await page.locator('.monaco-diff-editor .view-lines').allTextContents();
    const joined = texts.join('\n');
    return joined.includes(first.runId) && joined.includes(second.runId) && joined.includes(needle) ? texts : undefined;
  }, { timeoutMs: 15_000 });
  assert.ok(sides.length >= 2, 'a diff editor shows two sides');
  await screenshot('compare-runs');
});
