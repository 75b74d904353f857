import * as assert from 'node:assert/strict';
import { eventually, scenario } from './scenario';

// A payload that does not parse: an error notification with line and column, a problem in the
// Problems panel, and nothing sent.
export default scenario('a malformed payload is refused with line and column', { needsEmulator: true }, async ({ workbench, emulator, page, screenshot }) => {
  const before = (emulator as unknown as { requests: unknown[] }).requests.length;
  await workbench.openFile('broken.payload.json');
  await workbench.runCommand('Run Payload File');
  // broken.payload.json has `"topic": oops,` on line 3: a bare word where a value belongs.
  const toast = await workbench.waitForNotification(/broken\.payload\.json, line 3, column 12: /i);
  assert.equal(toast.severity, 'error');
  assert.match(toast.message, /Nothing was sent/);
  assert.equal((emulator as unknown as { requests: unknown[] }).requests.length, before, 'no request reached the platforms');
  await workbench.runCommand('View: Show Problems', { category: null }).catch(async () => page.keyboard.press('Control+Shift+M'));
  const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'Workflow Runs' }).first();
  await eventually(async () => (await problem.count()) > 0, 10_000);
  await screenshot('malformed');
});
