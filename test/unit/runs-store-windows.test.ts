// Two windows share one history; untracked runs; "stopping" against stale polls.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isInFlight } from '../../src/runs/record';
import { MemoryHistoryPersistence } from '../../src/runs/persistence';
import { RunStore } from '../../src/runs/store';
import { MemoryMemento } from '../helpers/memento';
import { runSnapshot as snap } from '../helpers/runs';

/** What two windows of one profile share: the Memento and the history storage. */
class SharedMemento extends MemoryMemento {
  readonly persistence = new MemoryHistoryPersistence();
}

describe('RunStore across windows', () => {
  it('one window writing does not erase the runs another window added', async () => {
    const shared = new SharedMemento();
    const windowA = new RunStore(shared, () => 50, 60_000, { persistence: shared.persistence });
    const windowB = new RunStore(shared, () => 50, 60_000, { persistence: shared.persistence });
    windowA.upsert('c', 'zuora', snap('a1', 'succeeded'));
    await windowA.flush();
    windowB.upsert('c', 'zuora', snap('b1', 'running'));
    await windowB.flush();
    const stored = windowB.readStored().map((r) => r.snapshot.runId).sort();
    assert.deepEqual(stored, ['a1', 'b1']);
    assert.ok(windowB.get('c', 'a1'), 'window B now shows the run window A started');
  });

  it('the newer copy of a run wins, and a run this window removed stays removed', async () => {
    const shared = new SharedMemento();
    const windowA = new RunStore(shared, () => 50, 60_000, { persistence: shared.persistence });
    const windowB = new RunStore(shared, () => 50, 60_000, { persistence: shared.persistence });
    windowA.upsert('c', 'zuora', snap('r', 'running'));
    windowA.upsert('c', 'zuora', snap('gone', 'failed'));
    await windowA.flush();
    await windowB.flush();
    await new Promise((resolve) => setTimeout(resolve, 5));
    windowA.upsert('c', 'zuora', snap('r', 'succeeded'));
    await windowA.flush();
    windowB.remove('c', 'gone');
    await windowB.flush();
    assert.equal(windowB.get('c', 'r')?.snapshot.status, 'succeeded');
    assert.equal(windowB.get('c', 'gone'), undefined);
    const stored = windowA.readStored().map((r) => r.snapshot.runId);
    assert.ok(!stored.includes('gone'));
  });
});

describe('RunStore statuses', () => {
  it('an untracked run is recorded but not in flight', () => {
    const store = new RunStore(new SharedMemento(), () => 50, 60_000);
    const record = store.upsert('c', 'zuora', snap('q', 'queued', { untracked: 'accepted asynchronously' }));
    assert.equal(isInFlight(record), false);
    assert.deepEqual(store.inFlight(), []);
    void store.flush();
  });

  it('"stopping" holds against a poll that still says running, and gives way to the end', () => {
    const store = new RunStore(new SharedMemento(), () => 50, 60_000);
    store.upsert('c', 'dify', snap('s', 'running'));
    store.upsert('c', 'dify', snap('s', 'stopping'));
    assert.equal(store.upsert('c', 'dify', snap('s', 'running')).snapshot.status, 'stopping');
    assert.equal(store.upsert('c', 'dify', snap('s', 'stopped')).snapshot.status, 'stopped');
    void store.flush();
  });
});
