import * as assert from 'node:assert/strict';
import { remoteEmulator } from '../emulator/remote';
import { eventually, pickQuickItem, scenario } from './scenario';

// Zuora answers every poll of a run with 503 and a Retry-After longer than the client's retry
// budget: the panel and the Runs view show the run waiting on the platform (not failed); once the
// fault clears, the run ends succeeded by itself, and Zuora saw one trigger.
export default scenario('a Retry-After on every poll: shown waiting, then succeeded by itself', { needsEmulator: true, timeoutMs: 150_000 }, async ({ workbench, page, emulator, screenshot }) => {
  const control = remoteEmulator(emulator!.urls);
  const createdBefore = await control.runsCreated('zuora');
  // 35 s is past the client's 30 s retry budget: only the watcher can honour it.
  await control.injectFault({ platform: 'zuora', method: 'GET', path: /^\/workflows\/workflow_runs\/[^/]+$/, kind: 'status', status: 503, retryAfterSeconds: 35, times: 'always' });
  try {
    await workbench.clickActivityBar('Workflow Runs');
    await workbench.runCommand('Run Workflow…');
    await pickQuickItem(page, 'Invoice sync to NetSuite');
    await pickQuickItem(page, 'No input');

    const frame = () => workbench.webviewFrame();
    const note = await eventually(async () => frame().locator('[data-section="watch-note"]').textContent({ timeout: 2_000 }).catch(() => undefined), { timeoutMs: 45_000 });
    assert.match(note, /asked to wait 35 s \(temporarily unavailable\); checking again at \d\d:\d\d:\d\d/);
    const status = await frame().locator('[data-run-status]').getAttribute('data-run-status');
    assert.ok(status === 'queued' || status === 'running', `shown in flight, not failed (${status})`);
    const row = await eventually(async () => (await workbench.treeRows('Runs')).find((r) => /Invoice sync to NetSuite/.test(r.label) && /waiting on the platform/.test(r.description)), { timeoutMs: 20_000 });
    assert.doesNotMatch(row.description, /Failed/);
    await screenshot('waiting-on-zuora');

    await control.clearFaults('zuora');
    // The next check comes when Zuora asked for it (≤ 35 s), then the run is read to its end.
    await eventually(async () => (await frame().locator('[data-run-status]').getAttribute('data-run-status', { timeout: 2_000 }).catch(() => undefined)) === 'succeeded', { timeoutMs: 75_000 });
    assert.equal(await frame().locator('[data-section="watch-note"]').count(), 0, 'the wait is no longer shown');
    await eventually(async () => (await workbench.treeRows('Runs')).find((r) => /Invoice sync to NetSuite/.test(r.label) && /Succeeded/.test(r.description)), { timeoutMs: 20_000 });
    await screenshot('succeeded');
    assert.equal((await control.runsCreated('zuora')) - createdBefore, 1, 'one run');
    assert.deepEqual((await control.triggers('zuora')).filter((count) => count.runs > 1), [], 'nothing triggered twice');
  } finally {
    await control.clearFaults('zuora');
  }
});
