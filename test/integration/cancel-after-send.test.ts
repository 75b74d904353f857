// A run cancelled after its run request went out, while the platform's answer is still on its way
// (Ctrl+C in the CLI, Cancel in the Testing view or on "Starting…"): the platform has the run, so
// the cancel waits for the answer that names it and the run is stopped on the platform — never
// left running unseen. The emulator creates the run at once and holds its answer back.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Platform } from '../emulator/index';
import { runPayloadTest } from '../../src/testing/runTest';
import { countRequests, targets, useLab } from './faults-support';
import { eventually } from '../helpers/eventually';

const stops: Record<Platform, { method: string; path: RegExp; inputs: Record<string, unknown> }> = {
  zuora: { method: 'PUT', path: /^\/workflows\/workflow_runs\/[^/]+\/stop$/, inputs: {} },
  dify: { method: 'POST', path: /\/workflows\/tasks\/[^/]+\/stop$/, inputs: { topic: 'cancelled', scenario: 'slow' } },
  b3os: { method: 'POST', path: /^\/v1\/runs\/[^/]+\/cancel$/, inputs: { scenario: 'slow' } },
};

describe('a run cancelled while the platform answers its run request', () => {
  // At speed 1 the runs last long enough to be stopped.
  const lab = useLab(1);

  for (const platform of ['zuora', 'dify', 'b3os'] as const) {
    it(`${platform}: the run the platform started is named, stopped on the platform and said so`, async () => {
      const target = targets[platform];
      const stop = stops[platform];
      const provider = await lab.provider(platform);
      lab.emulator.injectFault({ platform, method: 'POST', path: target.triggerPath, kind: 'slowHeaders', delayMs: 400 });
      const created = lab.emulator.runsCreated(platform);
      const since = lab.emulator.requests.length;
      const cancel = new AbortController();
      const outcome = runPayloadTest(
        { target: { connection: `${platform}-faults`, workflowId: target.workflowId }, inputs: stop.inputs, options: {}, expect: { status: 'succeeded' } },
        { provider: async () => provider, retryDelayMs: 20, stopTimeoutMs: 5_000 },
        { signal: cancel.signal },
      );
      await eventually(() => (lab.emulator.runsCreated(platform) > created ? true : undefined), { what: 'the platform created the run', intervalMs: 5 });
      cancel.abort();
      const result = await outcome;
      assert.equal(result.verdict, 'cancelled');
      assert.ok(result.snapshot?.runId, 'the run the platform started is known');
      assert.match(result.error ?? '', new RegExp(`${result.snapshot!.runId}.*it was stopped`), result.error);
      assert.equal(countRequests(lab.emulator, platform, stop.method, stop.path, since), 1, 'stopped on the platform, once');
      assert.equal(lab.emulator.runsCreated(platform) - created, 1, 'one run');
    });
  }
});
