// History storage (issue 9): a change costs in proportion to its run, removals win across
// windows, values and history are bounded, the old Memento history moves once, leases.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { RunStatus } from '../../src/providers/model';
import { containsTruncation, isTruncatedMarker } from '../../src/runs/bound';
import { FsHistoryPersistence } from '../../src/runs/fsPersistence';
import { hasRunsInFlight, legacyHistoryKey, runsInFlightKey } from '../../src/runs/inFlightFlag';
import { MemoryHistoryPersistence, countingPersistence, type HistoryPersistence } from '../../src/runs/persistence';
import type { RunRecord } from '../../src/runs/record';
import { registerSecret } from '../../src/util/redact';
import { RunStore, type HistoryLimits, type HistoryMemento, type RunChange } from '../../src/runs/store';
import { MemoryMemento } from '../helpers/memento';
import { runSnapshot as snap } from '../helpers/runs';

const created: RunStore[] = [];
const temporaryDirs: string[] = [];

function makeStore(persistence: HistoryPersistence, options: { memento?: HistoryMemento; limits?: Partial<HistoryLimits>; log?: (m: string) => void; maxRuns?: number; leaseMs?: number; compactAfterEntries?: number } = {}): RunStore {
  const store = new RunStore(options.memento ?? new MemoryMemento(), () => options.maxRuns ?? 50, 60_000, {
    persistence,
    limits: options.limits,
    log: options.log,
    leaseMs: options.leaseMs,
    compactAfterEntries: options.compactAfterEntries,
  });
  created.push(store);
  return store;
}

function temporaryDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-history-'));
  temporaryDirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(created.splice(0).map((store) => store.flush()));
  for (const dir of temporaryDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A Dify-like streaming run: many snapshots, a flush (the save timer) every few of them. */
async function streamRun(store: RunStore, runId: string): Promise<void> {
  let text = '';
  for (let i = 0; i < 60; i += 1) {
    text += `chunk ${i} `;
    store.upsert('d', 'dify', snap(runId, i === 59 ? 'succeeded' : 'running', { createdAt: 2_000_000_000_000, liveText: text }));
    if (i % 4 === 3) await store.flush();
  }
  await store.flush();
}

function twentyMegabytes(): Record<string, string> {
  return { blob: 'x'.repeat(20 * 1024 * 1024) };
}

for (const kind of ['memory', 'fs'] as const) {
  describe(`history cost (${kind} persistence)`, () => {
    const storage = (): HistoryPersistence => (kind === 'memory' ? new MemoryHistoryPersistence() : new FsHistoryPersistence(temporaryDir()));

    it('a 20 MB payload in history does not make a following streaming run write more', async (t) => {
      const withBig = countingPersistence(storage());
      const big = makeStore(withBig);
      big.upsert('d', 'dify', snap('huge', 'succeeded', { createdAt: 1_000_000_000_000, inputs: twentyMegabytes(), outputs: twentyMegabytes() }), {
        request: { inputs: twentyMegabytes(), options: {} },
      });
      await big.flush();
      const afterBig = withBig.counts.bytes;
      assert.ok(afterBig < 1024 * 1024, `the 20 MB run itself is stored bounded (${afterBig} bytes)`);
      await streamRun(big, 'stream');

      const without = countingPersistence(storage());
      await streamRun(makeStore(without), 'stream');

      const costWithBig = withBig.counts.bytes - afterBig;
      assert.ok(costWithBig > 0);
      assert.ok(costWithBig <= without.counts.bytes, `with the big run: ${costWithBig} bytes; without: ${without.counts.bytes}`);
      assert.equal(withBig.counts.writes - 1, without.counts.writes, 'one entry per flush of the streaming run, nothing else');
      t.diagnostic(`${kind}: the 20 MB run stored as ${afterBig} bytes; the streaming run after it wrote ${costWithBig} bytes in ${withBig.counts.writes - 1} writes (${without.counts.bytes} bytes, ${without.counts.writes} writes without it)`);
      // The full value stays in memory while the run is open (in flight, or just ended).
      assert.equal((big.get('d', 'huge')?.snapshot.inputs as { blob: string }).blob.length, 20 * 1024 * 1024);
      // And what is stored says what was cut.
      const stored = big.readStored().find((run) => run.snapshot.runId === 'huge')!;
      assert.ok(isTruncatedMarker(stored.snapshot.outputs));
      assert.equal((stored.snapshot.outputs as { bytes: number }).bytes, 20 * 1024 * 1024 + '{"blob":""}'.length);
      assert.ok(containsTruncation(stored.request?.inputs), 'a re-run can tell the stored inputs are not all there');
    });

    it('reads back what was written, in a new store on the same storage', async () => {
      const persistence = storage();
      const first = makeStore(persistence);
      first.upsert('z', 'zuora', snap('r1', 'succeeded', { createdAt: 1, outputs: { ok: true } }), { request: { inputs: { x: 1 }, options: {} } });
      first.upsert('d', 'dify', snap('r2', 'running', { createdAt: 2, handle: { taskId: 't' } }));
      await first.flush();
      const second = makeStore(persistence);
      assert.deepEqual(second.all(), JSON.parse(JSON.stringify(first.all())));
      assert.deepEqual(second.inFlight().map((run) => run.snapshot.runId), ['r2']);
    });

    it('compacts into the base and reads every field back from it (large fields parsed on first read)', async () => {
      const persistence = countingPersistence(storage());
      const first = makeStore(persistence, { compactAfterEntries: 1 });
      const timeline = [{ id: 'n1', name: 'Start', state: 'success' as const, outputs: { a: [1, 2] } }];
      first.upsert('z', 'zuora', snap('r1', 'succeeded', { createdAt: 1, outputs: { ok: true }, inputs: { q: 'x' }, timeline, liveText: 'hello' }), {
        request: { inputs: { x: 1 }, options: { async: true } },
        workflowName: 'Billing',
      });
      first.upsert('d', 'dify', snap('r2', 'running', { createdAt: 2, handle: { taskId: 't' } }));
      await first.flush();
      assert.equal(persistence.listEntries().length, 0, 'entries folded into the base');
      const second = makeStore(persistence);
      assert.deepEqual(second.all(), JSON.parse(JSON.stringify(first.all())));
      assert.deepEqual(second.get('z', 'r1')?.request, { inputs: { x: 1 }, options: { async: true } });
      assert.equal('inputs' in second.get('d', 'r2')!.snapshot, false, 'a field the run never had stays absent');
      // A change after loading from the base: merged as usual, written as one entry.
      second.upsert('z', 'zuora', snap('r1', 'succeeded', { platformStatus: 'Done' }));
      await second.flush();
      assert.deepEqual(makeStore(persistence).get('z', 'r1')?.snapshot.outputs, { ok: true });
    });

    it('removals win across two windows sharing the storage', async () => {
      const persistence = storage();
      const windowA = makeStore(persistence);
      const windowB = makeStore(persistence);
      windowA.upsert('c', 'zuora', snap('ended', 'succeeded', { createdAt: 1 }));
      windowA.upsert('gone', 'zuora', snap('followed', 'running', { createdAt: 2 }));
      windowA.upsert('kept', 'zuora', snap('other', 'succeeded', { createdAt: 3 }));
      await windowA.flush();
      // Window B knows every run, and follows the one in flight.
      assert.equal(windowB.all().length, 3);
      const heardInB: RunChange[] = [];
      windowB.onDidChange((changes) => heardInB.push(...changes));

      // Window A clears the ended run and removes the connection of the followed one.
      windowA.remove('c', 'ended');
      windowA.removeConnection('gone');
      await windowA.flush();

      // Window B's next writes (it still holds both runs and has news of the followed one).
      windowB.upsert('gone', 'zuora', snap('followed', 'running', { createdAt: 2, liveText: 'more' }));
      windowB.setWatchError('c', 'ended', 'late note');
      await windowB.flush();

      for (const view of [windowA.readStored(), makeStore(persistence).all(), windowB.all()]) {
        assert.deepEqual(view.map((run) => run.snapshot.runId), ['other']);
      }
      assert.deepEqual(heardInB.filter((change) => change.removed).map((change) => change.record.snapshot.runId).sort(), ['ended', 'followed']);

      // A run opened again after its removal lives again.
      windowA.upsert('c', 'zuora', snap('ended', 'succeeded', { createdAt: 1 }));
      await windowA.flush();
      windowB.refreshFromStorage();
      assert.ok(windowB.get('c', 'ended'), 'opened again after the removal: shown in the other window too');
      assert.ok(makeStore(persistence).get('c', 'ended'));
    });
  });
}

describe('history and credentials', () => {
  it('never writes a registered credential to disk, even when a platform echoes it in an output', async () => {
    const secret = 'app-Zx81PlantedKey00';
    registerSecret(secret);
    const dir = temporaryDir();
    const store = makeStore(new FsHistoryPersistence(dir));
    store.upsert('d', 'dify', snap('echo', 'succeeded', { outputs: { echoed: `key ${secret} end` }, inputs: { note: secret } }));
    await store.flush();
    const onDisk = readAll(dir);
    assert.ok(onDisk.length > 0, 'something was written');
    assert.ok(!onDisk.includes(secret), 'the credential is not on disk');
    assert.match(onDisk, /key \*\*\* end/);
    assert.equal((store.get('d', 'echo')?.snapshot.outputs as { echoed: string }).echoed, `key ${secret} end`, 'in memory the run is as the platform said');
  });
});

function readAll(dir: string): string {
  let text = '';
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) text += fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return text;
}

describe('history bounds', () => {
  it('caps stored values per run with a visible marker, keeps the full value in memory while in flight', async () => {
    const persistence = new MemoryHistoryPersistence();
    const store = makeStore(persistence, { limits: { valueBytes: 1000, textChars: 500 } });
    const outputs = { text: 'o'.repeat(5000) };
    const timeline = Array.from({ length: 1200 }, (_, i) => ({ id: `n${i}`, name: `Node ${i}`, state: 'success' as const, error: i < 3 ? 'e'.repeat(9000) : undefined }));
    store.upsert('d', 'dify', snap('r', 'running', { outputs, inputs: { small: 1 }, liveText: 'l'.repeat(3000), timeline }));
    await store.flush();
    assert.deepEqual(store.get('d', 'r')?.snapshot.outputs, outputs, 'in memory: the full value');
    const [stored] = store.readStored();
    const marker = stored!.snapshot.outputs as { $truncated: boolean; bytes: number; preview: string };
    assert.equal(marker.$truncated, true);
    assert.equal(marker.bytes, JSON.stringify(outputs).length);
    assert.ok(marker.preview.startsWith('{"text":"ooo') && marker.preview.length <= 200);
    assert.deepEqual(stored!.snapshot.inputs, { small: 1 }, 'small values are kept as they are');
    assert.match(stored!.snapshot.liveText!, /^l{500}\n… \[truncated: 3000 bytes in all\]$/);
    // Per-node data: the bounds of providers/bound.ts, kept on disk as in memory.
    assert.equal(stored!.snapshot.timeline!.length, 1000);
    assert.equal(stored!.snapshot.timelineOmitted, 200);
    assert.ok(stored!.snapshot.timeline![0]!.error!.length < 9000);
    assert.deepEqual(stored!.snapshot.timeline![0]!.truncated, ['error']);
  });

  it('counts what a timeline leaves out once: a new timeline brings its own count, the provider’s and the store’s add up', () => {
    const store = makeStore(new MemoryHistoryPersistence());
    const entries = (count: number) => Array.from({ length: count }, (_, i) => ({ id: `n${i}`, name: `Node ${i}`, state: 'success' as const }));
    store.upsert('z', 'zuora', snap('r', 'running', { timeline: entries(1200) }));
    assert.equal(store.get('z', 'r')?.snapshot.timelineOmitted, 200);
    // A poll with a fresh list of 1,100 tasks: 100 left out now, not 200 + 100.
    store.upsert('z', 'zuora', snap('r', 'running', { timeline: entries(1100) }));
    assert.equal(store.get('z', 'r')?.snapshot.timelineOmitted, 100);
    // A poll without tasks keeps the timeline and its count.
    store.upsert('z', 'zuora', snap('r', 'running', {}));
    assert.equal(store.get('z', 'r')?.snapshot.timelineOmitted, 100);
    // One that fits leaves nothing out.
    store.upsert('z', 'zuora', snap('r', 'running', { timeline: entries(900) }));
    assert.equal(store.get('z', 'r')?.snapshot.timelineOmitted, undefined);
    // A provider that holds entries for only some executions says how many it left out; the store adds its own.
    store.upsert('d', 'dify', snap('s', 'running', { timeline: entries(1500), timelineOmitted: 50 }));
    assert.equal(store.get('d', 's')?.snapshot.timelineOmitted, 550);
  });

  it('bounds history as a whole, oldest ended runs first, and says so', async () => {
    const said: string[] = [];
    const persistence = new MemoryHistoryPersistence();
    const store = makeStore(persistence, { limits: { totalRuns: 5 }, log: (message) => said.push(message) });
    store.upsert('z', 'zuora', snap('in-flight', 'running', { createdAt: 0 }));
    for (let i = 1; i <= 8; i += 1) store.upsert('z', 'zuora', snap(`r${i}`, 'succeeded', { createdAt: i, workflowId: `wf${i}` }));
    await store.flush();
    assert.deepEqual(store.all().map((run) => run.snapshot.runId), ['r8', 'r7', 'r6', 'r5', 'in-flight']);
    assert.equal(store.readStored().length, 5);
    assert.equal(persistence.readShared('removals'), undefined, 'trims leave no tombstones: the removals file does not grow as runs come and go');
    // Another window that still stores a trimmed run (its base) does not bring it back here.
    const reopened = makeStore(persistence, { limits: { totalRuns: 5 } });
    assert.equal(reopened.all().length, 5);
    assert.match(said.join('\n'), /Run history is full \(it keeps at most 5 runs and 64 MB\): the 4 oldest ended run\(s\) were dropped/);
  });

  it('bounds history by bytes too', async () => {
    const store = makeStore(new MemoryHistoryPersistence(), { limits: { totalBytes: 6000, valueBytes: 1500 } });
    for (let i = 1; i <= 10; i += 1) store.upsert('z', 'zuora', snap(`r${i}`, 'succeeded', { createdAt: i, workflowId: `wf${i}`, outputs: { t: 'y'.repeat(1000) } }));
    await store.flush();
    const kept = store.readStored();
    assert.ok(kept.length < 10 && kept.length >= 3, `${kept.length} runs kept`);
    assert.equal(kept[0]!.snapshot.runId, 'r10', 'the newest stay');
  });
});

describe('history migration and the in-flight flag', () => {
  it('moves the Memento history to storage once and says at activation whether runs are in flight', async () => {
    const memento = new MemoryMemento();
    const record = (runId: string, status: RunStatus, at: number): RunRecord => ({
      connection: 'z',
      platform: 'zuora',
      triggeredAt: at,
      updatedAt: at,
      snapshot: snap(runId, status),
    });
    memento.data.set(legacyHistoryKey, [record('old-1', 'succeeded', 1), { broken: true }, record('old-2', 'running', 2)]);
    assert.equal(hasRunsInFlight(memento), true, 'before migration: read from the old value');

    const persistence = new MemoryHistoryPersistence();
    const store = makeStore(persistence, { memento });
    assert.deepEqual(store.all().map((run) => run.snapshot.runId), ['old-2', 'old-1']);
    await store.flush();
    assert.equal(memento.get(legacyHistoryKey), undefined, 'the old value is gone from the Memento');
    assert.equal(memento.get(runsInFlightKey), 1);
    assert.equal(hasRunsInFlight(memento), true);

    const again = makeStore(persistence, { memento });
    assert.deepEqual(again.all().map((run) => run.snapshot.runId), ['old-2', 'old-1'], 'read from storage the next time');
    again.upsert('z', 'zuora', snap('old-2', 'succeeded'));
    await again.flush();
    assert.equal(hasRunsInFlight(memento), false);
  });
});

describe('run leases', () => {
  it('one window follows a run at a time; another takes over once the lease lapses', () => {
    const persistence = new MemoryHistoryPersistence();
    const windowA = makeStore(persistence, { leaseMs: 1000 });
    const windowB = makeStore(persistence, { leaseMs: 1000 });
    assert.equal(windowA.acquireLease('c', 'r', 10_000), true);
    assert.equal(windowA.acquireLease('c', 'r', 10_100), true, 'the holder renews');
    assert.equal(windowB.acquireLease('c', 'r', 10_500), false);
    assert.equal(windowB.leaseHolder('c', 'r', 10_500), windowA.windowId);
    assert.equal(windowB.acquireLease('c', 'r', 11_200), true, 'lapsed: window B takes over');
    assert.equal(windowA.acquireLease('c', 'r', 11_300), false);
    windowB.releaseLease('c', 'r');
    assert.equal(windowA.leaseHolder('c', 'r', 11_400), undefined);
    assert.equal(windowA.acquireLease('c', 'r', 11_400), true);
  });

  it('a kept lease is renewed until it is let go or its store is disposed, and keeps no process alive', async () => {
    const persistence = new MemoryHistoryPersistence();
    const windowA = makeStore(persistence, { leaseMs: 60 });
    const windowB = makeStore(persistence, { leaseMs: 60 });
    const timersBefore = process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    assert.equal(windowA.acquireLease('c', 'r'), true);
    const kept = windowA.keepLease('c', 'r');
    assert.equal(process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length, timersBefore, 'the renewal timer does not hold the event loop');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(windowB.acquireLease('c', 'r'), false, 'renewed past the 60 ms the lease lasts');
    kept.dispose();
    assert.equal(windowB.leaseHolder('c', 'r'), undefined, 'let go: released at once');
    kept.dispose();

    assert.equal(windowA.acquireLease('c', 's'), true);
    windowA.keepLease('c', 's');
    windowA.dispose();
    assert.equal(windowB.leaseHolder('c', 's'), undefined, 'released with the store');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(windowB.leaseHolder('c', 's'), undefined, 'a disposed store takes nothing back');
  });
});
