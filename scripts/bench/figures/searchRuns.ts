// Search Runs… over years of runs: 10,000 runs over 200 workflows whose inputs, outputs and node
// outputs come to about 5 KB each (≈ 50 MB of details on disk). The command opens on what the
// views list and reads every run's large fields in slices behind the picker (RunStore.allInSlices),
// holding none of them afterwards; the baseline is what it did before on the same history in the
// same process: every run read in full at once (RunStore.all(), which also keeps them) and indexed
// in one go. What a user feels is the longest the extension host is blocked, so that is the value.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FsHistoryPersistence } from '../../../src/runs/fsPersistence';
import { legacyHistoryKey } from '../../../src/runs/inFlightFlag';
import type { RunRecord } from '../../../src/runs/record';
import { GrowingRunSearchIndex, buildRunSearchIndex, searchRuns } from '../../../src/runs/search';
import { RunStore } from '../../../src/runs/store';
import type { Figure, Measurement } from '../figure';
import { heapAfterGc, mb } from '../heap';
import { BenchMemento, makeRecord, runsPerWorkflow, workflows } from '../history';
import { median, spread } from '../stats';

const rounds = 5;
/** A word only in one run's outputs: both ways must find exactly that run. */
const needle = 'needle-4711';

/** The history's run with sizeable large fields: a text output and eight nodes with outputs. */
function sizeableRecord(workflow: number, index: number): RunRecord {
  const record = makeRecord(workflow, index);
  const text = `Invoice ${workflow}-${index}: ${'line item, '.repeat(180)}${workflow === 123 && index === 45 ? needle : ''}`;
  const timeline = Array.from({ length: 8 }, (_, node) => ({ id: `n${node}`, name: `Step ${node}`, state: 'success' as const, outputs: { text: `result ${node} `.repeat(25) } }));
  return { ...record, snapshot: { ...record.snapshot, outputs: { ...(record.snapshot.outputs as object), text }, timeline } };
}

interface Sample {
  /** The longest the event loop was held: the longest gap between two turns of a ticker (ms). */
  longestBlock: number;
  /** Until every run's inputs and outputs can be matched (ms). */
  complete: number;
  /** Heap still held once the search is over, the store kept (bytes). */
  retained: number;
}

function freshStore(dir: string): RunStore {
  const store = new RunStore(new BenchMemento(), () => runsPerWorkflow, 60_000, { persistence: new FsHistoryPersistence(dir) });
  store.summaries(); // the views have listed the history already when someone searches it
  return store;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `search` while a ticker takes a turn of the event loop whenever it can: the longest gap
 * between two of its turns is the longest anything else in the extension host (a view, a live
 * run, a keystroke in the picker) would have waited.
 */
async function metered(dir: string, search: (store: RunStore) => Promise<number>): Promise<Sample> {
  const store = freshStore(dir);
  const before = heapAfterGc();
  let last = performance.now();
  let longestBlock = 0;
  let ticking = true;
  const tick = () => {
    const now = performance.now();
    longestBlock = Math.max(longestBlock, now - last);
    last = now;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  await nextTurn();
  const started = performance.now();
  const found = await search(store);
  const complete = performance.now() - started;
  await nextTurn();
  await nextTurn();
  ticking = false;
  if (found !== 1) throw new Error(`the search found ${found} runs with the needle, not 1`);
  const retained = heapAfterGc() - before;
  store.dispose();
  return { longestBlock, complete, retained };
}

/** Now: the picker's rows from the listed runs, then the large fields slice by slice. */
function inSlices(dir: string): Promise<Sample> {
  return metered(dir, async (store) => {
    const index = new GrowingRunSearchIndex(store.summaries());
    for await (const slice of store.allInSlices()) index.fill(slice);
    return searchRuns(index.entries, needle).length;
  });
}

/** Before: every run read in full at once (and held by the store), then indexed at once. */
function allAtOnce(dir: string): Promise<Sample> {
  return metered(dir, async (store) => searchRuns(buildRunSearchIndex(store.all()), needle).length);
}

export const searchRunsFigure: Figure = {
  id: 'search-runs',
  title: 'Search Runs… over 10,000 runs with ≈ 5 KB of inputs and outputs each (years of runs)',
  target: 'reported: the window stays responsive (the longest block of the extension host) and nothing read stays in memory',
  async measure(): Promise<Measurement[]> {
    const records: RunRecord[] = [];
    for (let workflow = 0; workflow < workflows; workflow += 1) {
      for (let index = 0; index < runsPerWorkflow; index += 1) records.push(sizeableRecord(workflow, index));
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-bench-search-'));
    try {
      const memento = new BenchMemento();
      memento.data.set(legacyHistoryKey, JSON.parse(JSON.stringify(records)));
      const seeded = new RunStore(memento, () => runsPerWorkflow, 60_000, { persistence: new FsHistoryPersistence(dir) });
      if (seeded.summaries().length !== records.length) throw new Error(`seeding kept ${seeded.summaries().length} runs`);
      seeded.dispose();
      const detailsBytes = fs.readdirSync(path.join(dir, 'details')).reduce((sum, name) => sum + fs.statSync(path.join(dir, 'details', name)).size, 0);

      const now: Sample[] = [];
      const before: Sample[] = [];
      // Round 0 warms both up and is not counted; the order alternates after it.
      for (let round = 0; round <= rounds; round += 1) {
        const pair = round % 2 === 0 ? [inSlices, allAtOnce] : [allAtOnce, inSlices];
        for (const way of pair) {
          const sample = await way(dir);
          if (round > 0) (way === inSlices ? now : before).push(sample);
        }
      }
      const block = median(now.map((s) => s.longestBlock));
      const baseline = median(before.map((s) => s.longestBlock));
      return [
        {
          label: 'the longest the extension host is blocked',
          value: block,
          unit: 'ms',
          baseline: { label: 'every run read in full and indexed at once, as Search Runs did before', value: baseline },
          notes: [
            `samples ${spread(now.map((s) => s.longestBlock), 1)} ms vs ${spread(before.map((s) => s.longestBlock), 1)} ms (median of ${rounds}); ${mb(detailsBytes)} of details on disk`,
            `every run's inputs and outputs searchable after ${median(now.map((s) => s.complete)).toFixed(0)} ms in slices (the picker is open and typing works all along) vs ${median(before.map((s) => s.complete)).toFixed(0)} ms before the picker opened`,
          ],
        },
        {
          label: 'heap the store still holds after the search',
          value: median(now.map((s) => s.retained)) / 1024 / 1024,
          unit: 'MB',
          baseline: { label: 'read at once (the store kept every run in full)', value: median(before.map((s) => s.retained)) / 1024 / 1024 },
        },
      ];
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
