import * as assert from 'node:assert/strict';
import { eventually, scenario } from './scenario';

// A payload that does not parse: an error notification with line and column, a problem in the
// Problems panel, and nothing sent.
const files = { 'malformed.payload.json': '{\n  "$workflow": "dify-demo",\n  "topic": "a"\n  "tone": "formal"\n}\n' };

export default scenario('a malformed payload is refused with line and column', { needsEmulator: true, files }, async ({ workbench, emulator, page, screenshot }) => {
  const before = (emulator as unknown as { requests: unknown[] }).requests.length;
  await workbench.openFile('malformed.payload.json');
  await workbench.runCommand('Run Payload File');
  // The comma after line 3 is missing: the parser stops at "tone", line 4, column 3.
  const toast = await workbench.waitForNotification(/malformed\.payload\.json, line 4, column 3: /i);
  assert.equal(toast.severity, 'error');
  assert.match(toast.message, /Nothing was sent/);
  assert.equal((emulator as unknown as { requests: unknown[] }).requests.length, before, 'no request reached the platforms');
  await page.keyboard.press('Control+Shift+M');
  const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'Workflow Runs' }).first();
  await eventually(async () => (await problem.count()) > 0, { timeoutMs: 10_000 });
  await screenshot('malformed');
});
