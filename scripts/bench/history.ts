// History figures (issue 11): 10,000 runs over 200 workflows, stored the way the extension
// stores them now (files under a temporary directory) beside the way 0.1 stored them (one
// Memento value, parsed and checked record by record, rewritten whole on every change), on the
// same records in the same process. Plain async function: the bench registry calls it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { emptyTaskCounts, type RunSnapshot } from '../../src/providers/model';
import { FsHistoryPersistence } from '../../src/runs/fsPersistence';
import { legacyHistoryKey } from '../../src/runs/inFlightFlag';
import { countingPersistence } from '../../src/runs/persistence';
import { RunRecordSchema, keyOf, type RunRecord } from '../../src/runs/record';
import { RunStore, type HistoryMemento } from '../../src/runs/store';

export interface HistoryFigure {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  target: string;
}

export const workflows = 200;
export const runsPerWorkflow = 50;

export class BenchMemento implements HistoryMemento {
  readonly data = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, value);
  }
}

/** A plausible ended run: a few inputs and outputs, task counts, a short timeline. */
export function makeRecord(workflow: number, index: number): RunRecord {
  const at = 1_700_000_000_000 + workflow * 1_000_000 + index * 1000;
  const snapshot: RunSnapshot = {
    runId: `run-${workflow}-${index}`,
    workflowId: `wf-${workflow}`,
    workflowName: `Workflow ${workflow}`,
    status: index % 7 === 0 ? 'failed' : 'succeeded',
    platformStatus: 'Finished',
    createdAt: at,
    startedAt: at,
    finishedAt: at + 4200,
    tasks: { ...emptyTaskCounts(), success: 4, total: 4 },
    timeline: Array.from({ length: 4 }, (_, node) => ({ id: `n${node}`, name: `Step ${node}`, state: 'success' as const, startedAt: at + node, finishedAt: at + node + 1 })),
    inputs: { accountId: `A-${index}`, amount: index * 3, note: 'monthly invoice run' },
    outputs: { invoices: index % 5, status: 'ok' },
  };
  return {
    connection: `conn-${workflow % 3}`,
    platform: 'zuora',
    workflowName: snapshot.workflowName,
    triggeredAt: at,
    updatedAt: at + 4200,
    request: { inputs: { accountId: `A-${index}`, amount: index * 3 }, options: {} },
    snapshot,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** 0.1's load: the Memento's JSON parsed, then each record checked with zod (store.ts before). */
function legacyLoad(text: string): Map<string, RunRecord> {
  const runs = new Map<string, RunRecord>();
  const stored = z.array(z.unknown()).safeParse(JSON.parse(text));
  for (const item of stored.success ? stored.data : []) {
    const parsed = RunRecordSchema.safeParse(item);
    if (parsed.success) runs.set(keyOf(parsed.data), parsed.data);
  }
  return runs;
}

/** 0.1's children of a workflow: every run sorted, then filtered. */
function legacyChildren(runs: Map<string, RunRecord>, connection: string, workflowId: string): RunRecord[] {
  return [...runs.values()].sort((a, b) => b.triggeredAt - a.triggeredAt).filter((run) => run.connection === connection && run.snapshot.workflowId === workflowId);
}

/** 0.1's write of one change: the stored copy merged back (zod per record), the whole history serialized. */
function legacyPersist(runs: Map<string, RunRecord>, storedText: string): string {
  const stored = z.array(z.unknown()).safeParse(JSON.parse(storedText));
  for (const item of stored.success ? stored.data : []) {
    const parsed = RunRecordSchema.safeParse(item);
    if (!parsed.success) continue;
    const local = runs.get(keyOf(parsed.data));
    if (local && local.updatedAt >= parsed.data.updatedAt) continue;
    runs.set(keyOf(parsed.data), parsed.data);
  }
  return JSON.stringify([...runs.values()].sort((a, b) => b.triggeredAt - a.triggeredAt));
}

export async function benchHistory(): Promise<{ figures: HistoryFigure[]; note: string }> {
  const records: RunRecord[] = [];
  for (let workflow = 0; workflow < workflows; workflow += 1) {
    for (let index = 0; index < runsPerWorkflow; index += 1) records.push(makeRecord(workflow, index));
  }
  const legacyText = JSON.stringify(records);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-bench-history-'));
  try {
    // The history as files, made the way a user's is: the old Memento value migrated once.
    const memento = new BenchMemento();
    memento.data.set(legacyHistoryKey, JSON.parse(legacyText));
    const seeded = new RunStore(memento, () => runsPerWorkflow, 60_000, { persistence: new FsHistoryPersistence(dir) });
    if (seeded.all().length !== records.length) throw new Error(`seeding kept ${seeded.all().length} runs`);
    seeded.dispose();

    const loads: number[] = [];
    const legacyLoads: number[] = [];
    let store: RunStore | undefined;
    for (let i = 0; i < 7; i += 1) {
      store?.dispose();
      const fresh = new RunStore(new BenchMemento(), () => runsPerWorkflow, 60_000, { persistence: new FsHistoryPersistence(dir) });
      let start = performance.now();
      fresh.forWorkflow('conn-0', 'wf-0');
      loads.push(performance.now() - start);
      store = fresh;
      start = performance.now();
      legacyLoad(legacyText);
      legacyLoads.push(performance.now() - start);
    }
    const current = store!;
    // What reading the base costs by itself on this machine now: the floor of the load figure.
    const baseText = fs.readFileSync(path.join(dir, 'base.json'), 'utf8');
    const parseOnly: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const start = performance.now();
      JSON.parse(baseText);
      parseOnly.push(performance.now() - start);
    }
    const legacyRuns = legacyLoad(legacyText);

    const children: number[] = [];
    const legacyChildTimes: number[] = [];
    for (let workflow = 0; workflow < workflows; workflow += 1) {
      const connection = `conn-${workflow % 3}`;
      let start = performance.now();
      const list = current.forWorkflow(connection, `wf-${workflow}`);
      children.push(performance.now() - start);
      start = performance.now();
      const legacyList = legacyChildren(legacyRuns, connection, `wf-${workflow}`);
      legacyChildTimes.push(performance.now() - start);
      if (list.length !== legacyList.length) throw new Error('children differ from the baseline');
    }

    // One change to one run, persisted, through a persistence that counts what it writes.
    const counted = countingPersistence(new FsHistoryPersistence(dir));
    current.dispose();
    const writer = new RunStore(new BenchMemento(), () => runsPerWorkflow, 60_000, { persistence: counted });
    writer.all();
    const persists: number[] = [];
    const legacyPersists: number[] = [];
    let legacyBytes = 0;
    let bytesPerChange = 0;
    for (let i = 0; i < 21; i += 1) {
      const target = records[(i * 997) % records.length]!;
      writer.upsert(target.connection, target.platform, { ...target.snapshot, platformStatus: `Finished ${i}` });
      const before = counted.counts.bytes;
      let start = performance.now();
      await writer.flush();
      persists.push(performance.now() - start);
      bytesPerChange = Math.max(bytesPerChange, counted.counts.bytes - before);
      legacyRuns.set(keyOf(target), { ...target, updatedAt: Date.now() });
      start = performance.now();
      const written = legacyPersist(legacyRuns, legacyText);
      legacyPersists.push(performance.now() - start);
      legacyBytes = Buffer.byteLength(written);
    }
    writer.dispose();

    const figures: HistoryFigure[] = [
      { name: 'history: first load, 10,000 runs / 200 workflows', value: median(loads), unit: 'ms', baseline: median(legacyLoads), target: '≤ 50 ms' },
      { name: 'history: children of one workflow', value: median(children), unit: 'ms', baseline: median(legacyChildTimes), target: '≤ 2 ms' },
      { name: 'history: persist a change to one run (time)', value: median(persists), unit: 'ms', baseline: median(legacyPersists), target: '≤ 1 ms' },
      { name: 'history: persist a change to one run (bytes written)', value: bytesPerChange, unit: 'bytes', baseline: legacyBytes, target: '≤ 10 KB' },
    ];
    const note =
      `History as files (one entry per changed run + a compacted base: an index of what views list, the large fields in a ` +
      `details file read per run or per workflow when asked for) in ${os.tmpdir()}, ${records.length} runs ` +
      `(${(legacyText.length / 1024 / 1024).toFixed(1)} MB as the 0.1 Memento value). Baselines re-run 0.1's code on the same records in ` +
      `this process: load = JSON.parse + zod per record; children = sort all then filter; persist = merge the stored copy ` +
      `(zod per record) + serialize the whole history (the Memento's own write to disk not counted, so the baseline is optimistic). ` +
      `Medians: 7 loads, 200 workflows, 21 changes (children: the first time each workflow is asked for, its runs' large fields read then); ` +
      `bytes = the largest single change. The load is mostly JSON.parse of the ${(baseText.length / 1024 / 1024).toFixed(1)} MB index: ${median(parseOnly).toFixed(1)} ms alone here (machine: ${os.cpus().length} cores, ` +
      `load average ${os.loadavg()[0]!.toFixed(1)}).`;
    return { figures, note };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
