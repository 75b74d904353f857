// The runs this window holds, indexed the ways the store is asked for them: by key, by workflow,
// in flight or not, newest first. No events and no I/O: the store says what changed and writes.
import { isInFlight, keyOf, runKey, type RunRecord } from './record';

export class RunIndex {
  private readonly runs = new Map<string, RunRecord>();
  /** When this copy of each run was first seen (see shared.ts: tombstones compare against it). */
  private readonly born = new Map<string, number>();
  private readonly byWorkflow = new Map<string, Set<string>>();
  private readonly inFlightKeys = new Set<string>();
  private sorted: RunRecord[] | undefined;

  get size(): number {
    return this.runs.size;
  }

  get inFlightCount(): number {
    return this.inFlightKeys.size;
  }

  get(key: string): RunRecord | undefined {
    return this.runs.get(key);
  }

  /** When this copy of the run was first seen here; 0 for one not known. */
  bornAt(key: string): number {
    return this.born.get(key) ?? 0;
  }

  setBorn(key: string, at: number): void {
    this.born.set(key, at);
  }

  /** A copy of every run by key, safe to change the index while going through it. */
  entries(): Array<[string, RunRecord]> {
    return [...this.runs];
  }

  /** Every run, newest first. */
  all(): RunRecord[] {
    this.sorted ??= [...this.runs.values()].sort(newestFirst);
    return [...this.sorted];
  }

  inFlight(): RunRecord[] {
    return [...this.inFlightKeys].map((key) => this.runs.get(key)!).sort(newestFirst);
  }

  /** Keys of the workflows (connection and workflow id, see runKey) that have runs here. */
  workflows(): string[] {
    return [...this.byWorkflow.keys()];
  }

  /** How many runs of a workflow (by runKey) are held, without sorting anything. */
  countOf(workflow: string): number {
    return this.byWorkflow.get(workflow)?.size ?? 0;
  }

  /** The runs of a workflow (by runKey), newest first. */
  ofWorkflow(workflow: string): RunRecord[] {
    const keys = this.byWorkflow.get(workflow);
    if (!keys) return [];
    return [...keys].map((key) => this.runs.get(key)!).sort(newestFirst);
  }

  /** Ended runs, oldest first: the ones to drop when history is full. */
  endedOldestFirst(): RunRecord[] {
    return [...this.runs.values()].filter((record) => !isInFlight(record)).sort((a, b) => a.triggeredAt - b.triggeredAt);
  }

  /** Adds a run or replaces the copy held (`previous`), moving it if its workflow changed. */
  put(record: RunRecord, previous: RunRecord | undefined): void {
    const key = keyOf(record);
    if (previous && previous.snapshot.workflowId !== record.snapshot.workflowId) this.unindex(key, previous);
    this.runs.set(key, record);
    const workflow = runKey(record.connection, record.snapshot.workflowId);
    let keys = this.byWorkflow.get(workflow);
    if (!keys) this.byWorkflow.set(workflow, (keys = new Set()));
    keys.add(key);
    if (isInFlight(record)) this.inFlightKeys.add(key);
    else this.inFlightKeys.delete(key);
    this.sorted = undefined;
  }

  /** Swaps the copy held for an equivalent one (the same run, the same workflow and status). */
  replace(key: string, record: RunRecord): void {
    this.runs.set(key, record);
    this.sorted = undefined;
  }

  /** Forgets a run; returns the copy that was held, if any. */
  delete(key: string): RunRecord | undefined {
    const record = this.runs.get(key);
    if (!record) return undefined;
    this.unindex(key, record);
    this.runs.delete(key);
    this.born.delete(key);
    this.inFlightKeys.delete(key);
    this.sorted = undefined;
    return record;
  }

  private unindex(key: string, record: RunRecord): void {
    const workflow = runKey(record.connection, record.snapshot.workflowId);
    const keys = this.byWorkflow.get(workflow);
    keys?.delete(key);
    if (keys?.size === 0) this.byWorkflow.delete(workflow);
  }
}

export function newestFirst(a: RunRecord, b: RunRecord): number {
  return b.triggeredAt - a.triggeredAt;
}
