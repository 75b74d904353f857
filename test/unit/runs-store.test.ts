import { strict as assert } from 'node:assert';
import { afterEach, describe, it } from 'node:test';
import { emptyTaskCounts, type RunStatus } from '../../src/providers/model';
import type { RunRecord } from '../../src/runs/record';
import { MemoryHistoryPersistence } from '../../src/runs/persistence';
import { RunStore, type RunChange } from '../../src/runs/store';
import { MemoryMemento } from '../helpers/memento';
import { runSnapshot as snap } from '../helpers/runs';

const historyKey = 'workflowRuns.history.v1';

const created: RunStore[] = [];

/** Stores made with the same memento share one history storage, as windows of one profile do. */
const storages = new WeakMap<MemoryMemento, MemoryHistoryPersistence>();

function storageOf(memento: MemoryMemento): MemoryHistoryPersistence {
  let persistence = storages.get(memento);
  if (!persistence) storages.set(memento, (persistence = new MemoryHistoryPersistence()));
  return persistence;
}

function makeStore(memento = new MemoryMemento(), maxRuns = 50): { store: RunStore; memento: MemoryMemento; persistence: MemoryHistoryPersistence } {
  // A long save delay: tests write with flush(), never by timer.
  const persistence = storageOf(memento);
  const store = new RunStore(memento, () => maxRuns, 60_000, { persistence });
  created.push(store);
  return { store, memento, persistence };
}

// flush() clears the pending save timer, so no test keeps the process alive.
afterEach(async () => {
  await Promise.all(created.splice(0).map((store) => store.flush()));
});

describe('RunStore', () => {
  it('adds a record as given', () => {
    const { store } = makeStore();
    const snapshot = snap('r1', 'running', { createdAt: 1000, inputs: { a: 1 }, handle: { task: 't1' } });
    const request = { inputs: { a: 1 }, options: { async: true } };
    const record = store.upsert('zc', 'zuora', snapshot, { request, workflowName: 'Billing' });
    assert.equal(record.connection, 'zc');
    assert.equal(record.platform, 'zuora');
    assert.equal(record.workflowName, 'Billing');
    assert.equal(record.triggeredAt, 1000);
    assert.deepEqual(record.request, request);
    assert.deepEqual(record.snapshot, snapshot);
    assert.equal(record.watchError, undefined);
    assert.deepEqual(store.get('zc', 'r1'), record);
    assert.equal(store.get('other', 'r1'), undefined, 'runs are keyed per connection');
  });

  it('keeps fields a later snapshot leaves out and merges the handle', () => {
    const { store } = makeStore();
    const timeline = [{ id: 'n1', name: 'Start', state: 'success' as const }];
    store.upsert('d', 'dify', snap('r1', 'running', { inputs: { q: 'hi' }, timeline, handle: { taskId: 't1' }, createdAt: 5 }), {
      workflowName: 'Chat',
      request: { inputs: { q: 'hi' }, options: {} },
    });
    const tasks = { ...emptyTaskCounts(), success: 2, total: 2 };
    const merged = store.upsert('d', 'dify', snap('r1', 'succeeded', { timeline: [], tasks, outputs: { answer: 42 }, handle: { user: 'u1' } }));
    assert.equal(merged.snapshot.status, 'succeeded');
    assert.deepEqual(merged.snapshot.inputs, { q: 'hi' });
    assert.deepEqual(merged.snapshot.timeline, timeline, 'an empty timeline does not wipe a streamed one');
    assert.deepEqual(merged.snapshot.handle, { taskId: 't1', user: 'u1' });
    assert.deepEqual(merged.snapshot.outputs, { answer: 42 });
    assert.deepEqual(merged.snapshot.tasks, tasks);
    assert.equal(merged.workflowName, 'Chat');
    assert.deepEqual(merged.request, { inputs: { q: 'hi' }, options: {} });
    assert.equal(merged.triggeredAt, 5, 'triggeredAt is kept from the first snapshot');

    const longer = [...timeline, { id: 'n2', name: 'LLM', state: 'processing' as const }];
    const replaced = store.upsert('d', 'dify', snap('r1', 'succeeded', { timeline: longer }));
    assert.deepEqual(replaced.snapshot.timeline, longer, 'a non-empty timeline replaces the old one');
  });

  it('never takes a terminal run back to running on a stale snapshot', () => {
    const { store } = makeStore();
    const final = { ...emptyTaskCounts(), success: 3, total: 3 };
    store.upsert('z', 'zuora', snap('r1', 'running', { platformStatus: 'Processing' }));
    store.upsert('z', 'zuora', snap('r1', 'succeeded', { platformStatus: 'Finished', tasks: final, finishedAt: 9 }));
    const stale = { ...emptyTaskCounts(), processing: 1, success: 2, total: 3 };
    const after = store.upsert('z', 'zuora', snap('r1', 'running', { platformStatus: 'Processing', tasks: stale }));
    assert.equal(after.snapshot.status, 'succeeded');
    assert.equal(after.snapshot.platformStatus, 'Finished');
    assert.equal(after.snapshot.finishedAt, 9);
    assert.deepEqual(after.snapshot.tasks, final, 'the final task counts stay, not the stale ones');
    assert.deepEqual(store.inFlight(), []);

    // A later terminal snapshot may still correct the final state (e.g. succeeded → failed).
    const corrected = store.upsert('z', 'zuora', snap('r1', 'failed', { error: 'boom' }));
    assert.equal(corrected.snapshot.status, 'failed');
    assert.equal(corrected.snapshot.error, 'boom');
  });

  it('caps each workflow at the newest N and never drops runs in flight', () => {
    const { store } = makeStore(new MemoryMemento(), 2);
    const changes: RunChange[][] = [];
    store.onDidChange((batch) => changes.push(batch));
    store.upsert('z', 'zuora', snap('old-running', 'running', { createdAt: 1 }));
    store.upsert('z', 'zuora', snap('a', 'succeeded', { createdAt: 2 }));
    store.upsert('z', 'zuora', snap('b', 'failed', { createdAt: 3 }));
    store.upsert('z', 'zuora', snap('other-wf', 'succeeded', { createdAt: 0, workflowId: 'wf-2' }));
    store.upsert('z', 'zuora', snap('c', 'succeeded', { createdAt: 4 }));
    const ids = store.forWorkflow('z', 'wf').map((run) => run.snapshot.runId);
    assert.deepEqual(ids, ['c', 'b', 'old-running'], 'a and nothing else dropped: in flight stays');
    assert.ok(store.get('z', 'other-wf'), 'another workflow is not touched by this cap');
    const removedIds = changes.flat().filter((change) => change.removed).map((change) => change.record.snapshot.runId);
    assert.deepEqual(removedIds, ['a'], 'the dropped run is announced as removed');

    store.upsert('z', 'zuora', snap('d', 'succeeded', { createdAt: 5 }));
    assert.deepEqual(
      store.forWorkflow('z', 'wf').map((run) => run.snapshot.runId),
      ['d', 'c', 'old-running'],
    );
    // The cap applies per connection too.
    store.upsert('y', 'zuora', snap('y1', 'succeeded', { createdAt: 6 }));
    assert.equal(store.forWorkflow('z', 'wf').length, 3);
  });

  it('fires nothing and writes nothing for an update that changes nothing, and fires for a real change', async () => {
    const { store, persistence } = makeStore();
    const tasks = { ...emptyTaskCounts(), processing: 1, total: 3 };
    const polled = () => snap('r1', 'running', { createdAt: 10, tasks: { ...tasks }, timeline: [{ id: 'n1', name: 'Start', state: 'processing' as const }] });
    const first = store.upsert('z', 'zuora', polled(), { request: { inputs: { a: 1 }, options: {} }, workflowName: 'Billing' });
    await store.flush();
    const writesBefore = persistence.counts.writes;
    let events = 0;
    store.onDidChange(() => (events += 1));

    // The same snapshot polled again (fresh objects, as a provider makes them): nothing changed.
    const again = store.upsert('z', 'zuora', polled(), { request: { inputs: { a: 1 }, options: {} }, workflowName: 'Billing' });
    await store.flush();
    assert.equal(events, 0, 'no event for a no-op update');
    assert.equal(again, first, 'the stored copy is kept as it was');
    assert.equal(persistence.counts.writes, writesBefore, 'nothing written for a no-op update');

    // One count moves: that is a change, heard and written.
    store.upsert('z', 'zuora', snap('r1', 'running', { tasks: { ...tasks, processing: 0, success: 1 } }));
    await store.flush();
    assert.equal(events, 1, 'one event for a real change');
    assert.equal(store.get('z', 'r1')?.snapshot.tasks.success, 1);
    assert.ok(persistence.counts.writes > writesBefore, 'a real change is written');

    // A watch error set then cleared by a snapshot is a change too.
    store.setWatchError('z', 'r1', 'timed out');
    store.upsert('z', 'zuora', snap('r1', 'running'), { watchError: null });
    assert.equal(events, 3);
  });

  it('fires onDidChange with the previous status', () => {
    const { store } = makeStore();
    const seen: Array<{ id: string; status: RunStatus; previous?: RunStatus }> = [];
    const subscription = store.onDidChange((batch) => {
      for (const change of batch) seen.push({ id: change.record.snapshot.runId, status: change.record.snapshot.status, previous: change.previousStatus });
    });
    store.upsert('z', 'zuora', snap('r1', 'queued'));
    store.upsert('z', 'zuora', snap('r1', 'running'));
    store.upsert('z', 'zuora', snap('r1', 'succeeded'));
    assert.deepEqual(seen, [
      { id: 'r1', status: 'queued', previous: undefined },
      { id: 'r1', status: 'running', previous: 'queued' },
      { id: 'r1', status: 'succeeded', previous: 'running' },
    ]);
    subscription.dispose();
    store.upsert('z', 'zuora', snap('r2', 'queued'));
    assert.equal(seen.length, 3, 'a disposed listener hears nothing');
  });

  it('sets and clears a watch error', () => {
    const { store } = makeStore();
    store.upsert('z', 'zuora', snap('r1', 'running'));
    const changes: RunChange[][] = [];
    store.onDidChange((batch) => changes.push(batch));
    store.setWatchError('z', 'r1', 'socket hang up');
    assert.equal(store.get('z', 'r1')?.watchError, 'socket hang up');
    store.setWatchError('z', 'r1', 'socket hang up');
    assert.equal(changes.length, 1, 'the same error again fires nothing');
    store.upsert('z', 'zuora', snap('r1', 'running'));
    assert.equal(store.get('z', 'r1')?.watchError, 'socket hang up', 'an upsert without watchError keeps it');
    store.upsert('z', 'zuora', snap('r1', 'running'), { watchError: null });
    assert.equal(store.get('z', 'r1')?.watchError, undefined, 'null clears it');
  });

  it('removes one run, and every run of a connection', () => {
    const { store } = makeStore();
    store.upsert('z', 'zuora', snap('r1', 'succeeded', { createdAt: 1 }));
    store.upsert('z', 'zuora', snap('r2', 'running', { createdAt: 2 }));
    store.upsert('d', 'dify', snap('r3', 'running', { createdAt: 3 }));
    const changes: RunChange[][] = [];
    store.onDidChange((batch) => changes.push(batch));

    store.removeConnection('z');
    assert.deepEqual(store.all().map((run) => run.snapshot.runId), ['r3']);
    assert.equal(changes.length, 1, 'one batch for the whole connection');
    assert.deepEqual(changes[0]!.map((change) => [change.record.snapshot.runId, change.removed]).sort(), [['r1', true], ['r2', true]]);

    store.removeConnection('nobody');
    assert.equal(changes.length, 1, 'nothing removed, nothing fired');

    store.remove('d', 'r3');
    assert.deepEqual(store.all(), []);
    assert.equal(changes.length, 2);
  });

  it('lists every run newest first, and the runs in flight', () => {
    const { store } = makeStore();
    store.upsert('z', 'zuora', snap('mid', 'running', { createdAt: 20 }));
    store.upsert('z', 'zuora', snap('new', 'succeeded', { createdAt: 30 }));
    store.upsert('d', 'dify', snap('old', 'waiting', { createdAt: 10 }));
    store.upsert('d', 'dify', snap('older', 'stopped', { createdAt: 5 }));
    assert.deepEqual(store.all().map((run) => run.snapshot.runId), ['new', 'mid', 'old', 'older']);
    assert.deepEqual(store.inFlight().map((run) => run.snapshot.runId), ['mid', 'old']);
  });

  it('persists: flush writes, a new store reads the records back', async () => {
    const memento = new MemoryMemento();
    const { store, persistence } = makeStore(memento);
    store.upsert('z', 'zuora', snap('r1', 'succeeded', { createdAt: 1, outputs: { ok: true } }), { request: { inputs: { x: 1 }, options: {} } });
    store.upsert('d', 'dify', snap('r2', 'running', { createdAt: 2, handle: { taskId: 't' } }), { watchError: 'stream cut' });
    assert.deepEqual(store.readStored(), [], 'nothing written before the save delay or a flush');
    assert.equal(persistence.counts.writes, 0);
    await store.flush();
    assert.equal(persistence.counts.writes, 2, 'one entry per changed run');
    assert.equal(store.readStored().length, 2);
    assert.equal(memento.get(historyKey), undefined, 'history is no longer one Memento value');

    const { store: reloaded } = makeStore(memento);
    assert.deepEqual(reloaded.all(), JSON.parse(JSON.stringify(store.all())));
    assert.deepEqual(reloaded.get('d', 'r2')?.snapshot.handle, { taskId: 't' });
    assert.equal(reloaded.get('d', 'r2')?.watchError, 'stream cut');
    assert.deepEqual(reloaded.inFlight().map((run) => run.snapshot.runId), ['r2']);
  });

  it('batches writes after the save delay', async () => {
    const memento = new MemoryMemento();
    const persistence = new MemoryHistoryPersistence();
    const store = new RunStore(memento, () => 50, 5, { persistence });
    created.push(store);
    store.upsert('z', 'zuora', snap('r1', 'running'));
    store.upsert('z', 'zuora', snap('r1', 'succeeded'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(persistence.counts.writes, 1, 'two changes, one write');
    assert.equal(store.readStored()[0]?.snapshot.status, 'succeeded');
    store.upsert('z', 'zuora', snap('r2', 'running'));
    await store.flush();
    assert.equal(persistence.counts.writes, 2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(persistence.counts.writes, 2, 'a flush cancels the pending timed write');
  });

  it('drops a damaged stored record alone', () => {
    const memento = new MemoryMemento();
    const good = (runId: string, triggeredAt: number): RunRecord => ({
      connection: 'z',
      platform: 'zuora',
      triggeredAt,
      updatedAt: triggeredAt,
      snapshot: snap(runId, 'succeeded'),
    });
    memento.data.set(historyKey, [
      good('ok-1', 2),
      { connection: 'z', platform: 'zuora', triggeredAt: 'yesterday', snapshot: { runId: 'bad' } },
      null,
      { ...good('bad-status', 3), snapshot: { ...snap('bad-status', 'succeeded'), status: 'exploded' } },
      good('ok-2', 1),
    ]);
    const { store } = makeStore(memento);
    assert.deepEqual(store.all().map((run) => run.snapshot.runId), ['ok-1', 'ok-2']);
  });

  it('starts empty from a history that is not an array', () => {
    const memento = new MemoryMemento();
    memento.data.set(historyKey, { not: 'an array' });
    assert.deepEqual(makeStore(memento).store.all(), []);
  });
});
