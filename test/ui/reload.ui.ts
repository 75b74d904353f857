import * as assert from 'node:assert/strict';
import { eventually, pickQuickItem, scenario } from './scenario';

// A run in flight when the window reloads is watched again without any user action: the run
// details panel comes back and reaches the final state.
export default scenario('watching resumes after a window reload', { needsEmulator: true, timeoutMs: 150_000 }, async ({ workbench, page, screenshot }) => {
  await workbench.clickActivityBar('Workflow Runs');
  await workbench.runCommand('Run Workflow…');
  const pick = (text: string) => pickQuickItem(page, text);
  // Twelve tasks of 5 s each: the run is in flight across the reload and keeps changing.
  await pick('Usage rating backfill');
  await pick('No input');
  const frame = () => workbench.webviewFrame();
  const runId = await eventually(async () => frame().locator('[data-run-status="running"]').getAttribute('data-run-id', { timeout: 2_000 }).catch(() => undefined), { timeoutMs: 30_000 });

  // The workbench's own reload: state is saved as on any orderly shutdown.
  await workbench.runCommand('Developer: Reload Window', { category: null });
  await page.waitForTimeout(1_000);
  await workbench.waitForWorkbench();
  const run = () => frame().locator(`[data-run-id="${runId}"]`);
  const successAfterReload = Number(
    await eventually(async () => (await run().count()) === 1 && frame().locator('[data-task-state="success"]').textContent({ timeout: 2_000 }), { timeoutMs: 30_000 }),
  );
  // Without any action, the restored panel keeps moving: the run is watched again.
  const later = await eventually(async () => {
    const now = Number(await frame().locator('[data-task-state="success"]').textContent({ timeout: 2_000 }).catch(() => '-1'));
    return now > successAfterReload ? now : undefined;
  }, { timeoutMs: 30_000 });
  assert.ok(later > successAfterReload);
  assert.equal(await run().getAttribute('data-run-status'), 'running');
  await screenshot('after-reload');

  await frame().locator('button[data-command="stop"]').click();
  await eventually(async () => (await run().getAttribute('data-run-status', { timeout: 2_000 }).catch(() => undefined)) === 'stopped', { timeoutMs: 30_000 });
});
