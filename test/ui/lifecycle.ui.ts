import * as assert from 'node:assert/strict';
import { eventually, pickQuickItem, scenario } from './scenario';

// Run Workflow… from the palette, the status bar while in flight, Stop from the details panel,
// the notification when the run ends, and New Payload File… from a workflow's declared inputs.
export default scenario('run, watch, stop, notify; new payload file', { needsEmulator: true, timeoutMs: 150_000 }, async ({ workbench, page, screenshot }) => {
  const pick = (text: string) => pickQuickItem(page, text);
  await workbench.clickActivityBar('Workflow Runs');
  await workbench.runCommand('Run Workflow…');
  await pick('Daily portfolio digest');
  await pick('No input');

  const frame = workbench.webviewFrame();
  await eventually(async () => (await frame.locator('[data-run-status="running"]').count()) === 1, { timeoutMs: 30_000 });
  const statusItem = page.locator('.part.statusbar [id="workflow-runs.workflow-runs.workflowRuns.inFlight"], .part.statusbar .statusbar-item', { hasText: /1 run/ }).first();
  await statusItem.waitFor({ state: 'visible', timeout: 10_000 });
  await screenshot('in-flight');

  await frame.locator('button[data-command="stop"]').click();
  const stopped = await eventually(async () => (await frame.locator('[data-run-status="stopped"]').count()) === 1, { timeoutMs: 30_000 });
  assert.ok(stopped);
  // The panel is visible in this focused window and already shows the end: no toast for it.
  await page.waitForTimeout(3_000);
  assert.deepEqual((await workbench.readNotifications()).filter((n) => /was stopped/.test(n.message)), []);
  await eventually(async () => (await statusItem.count()) === 0 || !(await statusItem.isVisible()), { timeoutMs: 10_000 });

  // A run whose panel is closed is announced when it ends.
  await workbench.runCommand('Run Workflow…');
  await pick('Daily portfolio digest');
  await pick('No input');
  await eventually(async () => (await frame.locator('[data-run-status="running"]').count()) === 1, { timeoutMs: 30_000 });
  await workbench.runCommand('Close All Editors', { category: 'View' });
  await workbench.runCommand('Stop Run');
  await pick('Daily portfolio digest');
  const toast = await workbench.waitForNotification(/was stopped/, 30_000);
  assert.equal(toast.severity, 'warning');
  assert.ok(toast.buttons.includes('Show Details'));
  const runs = await workbench.treeRows('Runs');
  assert.match(runs[0].label, /Daily portfolio digest/);
  assert.match(runs[0].description, /Stopped/);

  await workbench.runCommand('New Payload File…');
  await pick('Release notes writer');
  const editor = page.locator('.editor-instance .view-lines').first();
  const text = await eventually(async () => {
    const content = await editor.textContent();
    return content && content.includes('$workflow') ? content : undefined;
  }, { timeoutMs: 20_000 });
  assert.match(text.replace(/\u00a0/g, ' '), /"\$workflow": "dify-demo"/);
  assert.match(text.replace(/\u00a0/g, ' '), /"topic"/);
  await screenshot('new-payload');
});
