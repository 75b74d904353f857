// The compacted history as an index plus details (issue 11): a first load reads the index only,
// a run's large fields are read when something asks for the run, a missing or damaged details
// file costs those fields only (and says so), another window's compaction does not lose them, and
// a base in the previous format (full records) still loads and is rewritten once.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { FsHistoryPersistence } from '../../src/runs/fsPersistence';
import { MemoryHistoryPersistence, type HistoryPersistence } from '../../src/runs/persistence';
import { RunStore } from '../../src/runs/store';
import { MemoryMemento } from '../helpers/memento';
import { runSnapshot as snap } from '../helpers/runs';

const created: RunStore[] = [];
const temporaryDirs: string[] = [];

function makeStore(persistence: HistoryPersistence, options: { log?: (message: string) => void; compactAfterEntries?: number } = {}): RunStore {
  const store = new RunStore(new MemoryMemento(), () => 50, 60_000, { persistence, ...options });
  created.push(store);
  return store;
}

afterEach(async () => {
  await Promise.all(created.splice(0).map((store) => store.flush()));
  for (const dir of temporaryDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Counts the reads of the details file that go through a persistence. */
function countingDetailReads(inner: HistoryPersistence): HistoryPersistence & { detailReads: number } {
  const counted = Object.create(inner) as HistoryPersistence & { detailReads: number };
  counted.detailReads = 0;
  counted.readDetails = (generation, start, length) => {
    counted.detailReads += 1;
    return inner.readDetails(generation, start, length);
  };
  return counted;
}

/** Two workflows of three runs each, with every large field, folded into the base. */
async function compactedHistory(persistence: HistoryPersistence): Promise<void> {
  const writer = makeStore(persistence, { compactAfterEntries: 1 });
  for (const workflowId of ['wf-a', 'wf-b']) {
    for (let index = 0; index < 3; index += 1) {
      const timeline = [{ id: 'n1', name: 'Start', state: 'success' as const, outputs: { n: index } }];
      writer.upsert('c', 'zuora', snap(`${workflowId}-${index}`, 'succeeded', { workflowId, createdAt: 1000 + index, inputs: { i: index }, outputs: { o: 'ü ✓' }, timeline, liveText: 'done' }), {
        request: { inputs: { i: index }, options: { async: true } },
      });
    }
  }
  await writer.flush();
  assert.equal(persistence.listEntries().length, 0, 'everything is in the base');
}

for (const kind of ['memory', 'fs'] as const) {
  describe(`history base: index and details (${kind} persistence)`, () => {
    const storage = (): HistoryPersistence => {
      if (kind === 'memory') return new MemoryHistoryPersistence();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-history-base-'));
      temporaryDirs.push(dir);
      return new FsHistoryPersistence(dir);
    };

    it('a look through every run (Search Runs) reads them in full, a slice at a time, and holds none of what it read', async () => {
      const persistence = storage();
      await compactedHistory(persistence);
      const counted = countingDetailReads(persistence);
      const store = makeStore(counted);
      const order: string[] = [];
      let turnsBetweenSlices = 0;
      const slices: number[] = [];
      for await (const slice of store.allInSlices(2)) {
        slices.push(slice.length);
        for (const run of slice) {
          order.push(run.snapshot.runId);
          assert.deepEqual(run.snapshot.inputs, { i: Number(run.snapshot.runId.slice(-1)) }, `${run.snapshot.runId} comes in full`);
          assert.deepEqual(run.request?.options, { async: true });
        }
        // Something else queued now runs before the next slice is read.
        setImmediate(() => (turnsBetweenSlices += 1));
      }
      assert.deepEqual(slices, [2, 2, 2]);
      assert.equal(turnsBetweenSlices >= 2, true, 'the event loop turns between slices');
      assert.deepEqual([...order].sort(), ['wf-a-0', 'wf-a-1', 'wf-a-2', 'wf-b-0', 'wf-b-1', 'wf-b-2'], 'every run once');
      assert.equal(counted.detailReads, 3, 'one short read per slice (slices follow the details file)');
      assert.equal('inputs' in store.summaries()[0]!.snapshot, false, 'nothing read is held: the listed runs are still without their large fields');
      assert.deepEqual(store.get('c', 'wf-a-1')?.snapshot.inputs, { i: 1 }, 'and a run is still read in full when asked for');
    });

    it('a look through every run sees a run as it is now, not as it was when the look started', async () => {
      const persistence = storage();
      await compactedHistory(persistence);
      const store = makeStore(persistence);
      const seen = new Map<string, unknown>();
      let changed = false;
      for await (const slice of store.allInSlices(1)) {
        for (const run of slice) seen.set(run.snapshot.runId, run.snapshot.platformStatus);
        if (!changed) {
          changed = true;
          const last = store.summaries().find((run) => !seen.has(run.snapshot.runId))!;
          store.upsert('c', 'zuora', { ...store.get('c', last.snapshot.runId)!.snapshot, platformStatus: 'changed meanwhile' });
          seen.set('changed', last.snapshot.runId);
        }
      }
      assert.equal(seen.get(seen.get('changed') as string), 'changed meanwhile');
    });

    it('a first load reads the index only; a run, or a workflow\'s runs, bring their large fields with one read', async () => {
      const persistence = storage();
      await compactedHistory(persistence);
      const counted = countingDetailReads(persistence);
      const store = makeStore(counted);
      const listed = store.summaries();
      assert.equal(listed.length, 6);
      assert.equal(counted.detailReads, 0, 'listing reads no details');
      assert.equal('inputs' in listed[0]!.snapshot, false, 'a summary holds the list fields only');
      assert.equal(listed[0]!.snapshot.status, 'succeeded');
      assert.equal(store.latestOf('c', 'wf-a')?.snapshot.runId, 'wf-a-2', "a workflow row's newest run");
      assert.equal(counted.detailReads, 0, 'a workflow row reads no details');
      assert.deepEqual(listed.map((run) => store.taskRowsOf(run)), [1, 1, 1, 1, 1, 1], "a run row's expand arrow comes from the index");
      assert.equal(counted.detailReads, 0);

      const runs = store.forWorkflow('c', 'wf-a');
      assert.equal(counted.detailReads, 1, "a workflow's runs are read together");
      assert.deepEqual(
        runs.map((run) => run.snapshot.inputs),
        [{ i: 2 }, { i: 1 }, { i: 0 }],
      );
      assert.deepEqual(runs[0]!.request, { inputs: { i: 2 }, options: { async: true } });
      assert.deepEqual(runs[0]!.snapshot.timeline?.[0]?.outputs, { n: 2 });
      assert.equal(runs[0]!.snapshot.outputs && (runs[0]!.snapshot.outputs as { o: string }).o, 'ü ✓', 'text past ASCII reads back as written');
      store.forWorkflow('c', 'wf-a');
      store.get('c', 'wf-a-1');
      assert.equal(counted.detailReads, 1, 'read once, then held');
      assert.equal(store.get('c', 'wf-b-0')?.snapshot.liveText, 'done');
      assert.equal(counted.detailReads, 2);
    });

    it('a missing details file costs the large fields only, and the log says which run', async () => {
      const persistence = storage();
      await compactedHistory(persistence);
      for (const generation of persistence.listDetails()) persistence.deleteDetails(generation);
      const said: string[] = [];
      const store = makeStore(persistence, { log: (message) => said.push(message) });
      const run = store.get('c', 'wf-a-0');
      assert.equal(run?.snapshot.status, 'succeeded', 'the run still shows');
      assert.equal(run?.snapshot.inputs, undefined);
      assert.equal(said.length, 1);
      assert.match(said[0]!, /run wf-a-0 could not be read/);
    });

    it('another window compacting meanwhile does not lose the details this window has not read yet', async () => {
      const persistence = storage();
      await compactedHistory(persistence);
      const windowA = makeStore(persistence);
      assert.equal(windowA.summaries().length, 6);
      // Window B changes a run and compacts: the details file window A read its index against goes.
      const windowB = makeStore(persistence, { compactAfterEntries: 0 });
      windowB.upsert('c', 'zuora', snap('wf-b-2', 'succeeded', { platformStatus: 'Archived' }));
      await windowB.flush();
      assert.equal(persistence.listDetails().length, 1, 'one details file: the superseded one is deleted');
      const said: string[] = [];
      const windowC = makeStore(persistence, { log: (message) => said.push(message) });
      assert.deepEqual(windowA.get('c', 'wf-a-1')?.snapshot.inputs, { i: 1 }, 'read from the new file');
      assert.deepEqual(windowC.get('c', 'wf-b-2')?.snapshot.inputs, { i: 2 });
      assert.equal(windowC.get('c', 'wf-b-2')?.snapshot.platformStatus, 'Archived');
      assert.deepEqual(said, []);
    });

    it('a window compacting after another one did keeps the details of the runs it never read', async () => {
      const persistence = storage();
      await compactedHistory(persistence);
      const windowA = makeStore(persistence, { compactAfterEntries: 0 });
      assert.equal(windowA.summaries().length, 6);
      const windowB = makeStore(persistence, { compactAfterEntries: 0 });
      windowB.upsert('c', 'zuora', snap('wf-b-2', 'succeeded', { platformStatus: 'Archived' }));
      await windowB.flush();
      // Window A compacts too, its runs still unread, their details file gone under it.
      windowA.upsert('c', 'zuora', snap('wf-a-2', 'succeeded', { platformStatus: 'Seen' }));
      await windowA.flush();
      const reader = makeStore(persistence);
      for (const run of reader.all()) assert.deepEqual(run.request?.inputs, run.snapshot.inputs, `run ${run.snapshot.runId} keeps its inputs`);
      assert.deepEqual(reader.get('c', 'wf-a-0')?.snapshot.inputs, { i: 0 });
      assert.deepEqual(windowA.get('c', 'wf-b-0')?.snapshot.inputs, { i: 0 }, 'and window A still reads them');
    });

    it('compaction copies the details not read yet as they are, and a new store reads them back', async () => {
      const persistence = storage();
      await compactedHistory(persistence);
      const store = makeStore(persistence, { compactAfterEntries: 0 });
      store.upsert('c', 'zuora', snap('wf-a-0', 'succeeded', { platformStatus: 'Checked' }));
      await store.flush();
      const reader = makeStore(persistence);
      assert.deepEqual(reader.get('c', 'wf-b-1')?.request, { inputs: { i: 1 }, options: { async: true } });
      assert.equal(reader.get('c', 'wf-a-0')?.snapshot.platformStatus, 'Checked');
      assert.deepEqual(reader.get('c', 'wf-a-0')?.snapshot.inputs, { i: 0 });
      assert.deepEqual(reader.all().map((run) => run.snapshot.runId).sort(), ['wf-a-0', 'wf-a-1', 'wf-a-2', 'wf-b-0', 'wf-b-1', 'wf-b-2']);
    });
  });
}

describe('history base in the previous format (full records)', () => {
  it('loads every field, and is rewritten once as an index plus details', () => {
    const persistence = new MemoryHistoryPersistence();
    const record = {
      connection: 'c',
      platform: 'zuora',
      triggeredAt: 5,
      updatedAt: 6,
      request: { inputs: { x: 1 }, options: {} },
      snapshot: snap('old', 'succeeded', { outputs: { ok: true }, timeline: [{ id: 'n', name: 'N', state: 'success' as const }] }),
    };
    persistence.writeBase(JSON.stringify({ v: 2, runs: [{ key: 'c\u0000old', bornAt: 1, record }] }));
    const store = makeStore(persistence);
    assert.deepEqual(store.get('c', 'old'), record);
    assert.match(persistence.readBase() ?? '', /^\{"v":3,/, 'rewritten in the current format');
    assert.equal(persistence.listDetails().length, 1);
    assert.deepEqual(makeStore(persistence).get('c', 'old'), record, 'and read back from it');
  });
});
