import * as assert from 'node:assert/strict';
import { eventually, scenario } from './scenario';

const files = { 'fix-and-go.payload.json': JSON.stringify({ $workflow: 'zuora-demo/19027', accountNumber: 'A00000042' }, null, 2) };

// Fix and go on: in the details panel of a finished Zuora run, a task's "Re-run task" button has
// Zuora run that task again; the page shows the same run in flight again, then succeeded.
const rerunTask = scenario('the panel re-runs a Zuora task: the run is running again, then succeeded', { needsEmulator: true, files, timeoutMs: 150_000 }, async ({ workbench, screenshot }) => {
  await workbench.runCommand('View: Close All Editors', { category: null });
  await workbench.openFile('fix-and-go.payload.json');
  const play = workbench.runPayloadAction();
  await play.waitFor({ state: 'visible', timeout: 15_000 });
  await play.click();

  const frame = () => workbench.webviewFrame();
  const runId = await eventually(
    async () => frame().locator('[data-run-status="succeeded"]').getAttribute('data-run-id', { timeout: 2_000 }).catch(() => undefined),
    { timeoutMs: 60_000 },
  );
  const row = frame().locator('[data-task-id]').first();
  await row.locator('button').first().click();
  const button = row.locator('button[data-command="rerunTask"]');
  await button.waitFor({ state: 'visible', timeout: 15_000 });
  await screenshot('task-rerun-button');

  // Watched from before the click: the in-flight state may last only as long as one poll.
  const running = frame().locator(`[data-run-id="${runId}"][data-run-status="running"]`).waitFor({ state: 'attached', timeout: 30_000 });
  await button.click();
  await running;
  await screenshot('task-rerun-running');
  await eventually(async () => (await frame().locator(`[data-run-id="${runId}"][data-run-status="succeeded"]`).count()) === 1 || undefined, { timeoutMs: 60_000 });
  assert.equal(await frame().locator('[data-run-id]').getAttribute('data-run-id'), runId, 'the same run, followed again');
  await screenshot('task-rerun-succeeded');
});

export default [rerunTask];
