// Watching a run through a fault that outlasts the client's retry budget: a Retry-After longer
// than the budget, on every poll, until the fault clears. The run must stay in flight ("waiting on
// the platform"), watching must not give up, and the final state shown must be the platform's.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { HistoryMemento } from '../../src/runs/store';
import { RunStore } from '../../src/runs/store';
import { RunWatchers } from '../../src/runs/watcher';
import { silentLog } from '../helpers/log';
import { startLab, targets, type Lab } from './faults-support';

const memento: HistoryMemento = { get: () => undefined, update: async () => undefined };

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

describe('watching through a long Retry-After', () => {
  let lab: Lab;
  before(async () => {
    lab = await startLab();
  });
  after(async () => {
    await lab.close();
  });

  it('Zuora: 429 with a Retry-After beyond the retry budget on every poll; watching resumes once it clears', { todo: 'needs http.ts/watcher: honour Retry-After beyond the budget' }, async () => {
    // A budget of 1 s against a Retry-After of 2 s: the client cannot wait inside one request.
    const provider = await lab.provider('zuora', { maxTotalMs: 1_000 });
    const started = await provider.trigger({ workflowId: targets.zuora.workflowId, inputs: {}, options: {} });
    const store = new RunStore(memento, () => 50, 60_000);
    const watchers = new RunWatchers(store, { get: async () => provider }, silentLog, { baseRetryMs: 10, maxRetryMs: 50 });
    try {
      lab.emulator.injectFault({ platform: 'zuora', method: 'GET', path: /^\/workflows\/workflow_runs\//, kind: 'status', status: 429, retryAfterSeconds: 2, times: 'always' });
      const record = store.upsert('zuora-faults', 'zuora', started.snapshot);
      watchers.watch(record);
      // Long enough for the watcher's failure budget (8 quick failures) to run out today.
      await new Promise((resolve) => setTimeout(resolve, 8_000));
      assert.equal(watchers.isWatching(record), true, 'still watching while the platform asks to wait');
      assert.ok(!['failed'].includes(store.get('zuora-faults', started.snapshot.runId)!.snapshot.status), 'not shown as failed');
      lab.emulator.clearFaults();
      assert.ok(await waitFor(() => store.get('zuora-faults', started.snapshot.runId)!.snapshot.status === 'succeeded', 15_000), 'ends as Zuora recorded');
    } finally {
      lab.emulator.clearFaults();
      watchers.dispose();
      store.dispose();
    }
  });
});
