// The runs this window holds and their place in history: the indexes (runIndex.ts), what is
// still to write, history's bounds (per workflow, in all), the large fields read when a run is
// asked for (historyBase.ts), and how stored copies are taken in. No events: the store says what
// changed; this says which runs a step removed.
import { HistoryFiles } from './historyFiles';
import { legacyHistoryKey } from './inFlightFlag';
import { joinDetails } from './lazyRecord';
import type { HistoryPersistence } from './persistence';
import { RunRecordSchema, isInFlight, keyOf, runKey, type RunRecord } from './record';
import { RunIndex, newestFirst } from './runIndex';
import { isRemoved } from './shared';
import { boundRecord, type HistoryLimits, type StoredRun } from './storedRun';
import { WindowsState } from './windows';

/** The part of vscode.Memento the store needs (the in-flight count, and the old history once). */
export interface HistoryMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export interface RunChange {
  record: RunRecord;
  /** The status before this change; undefined for a run the store did not know. */
  previousStatus?: RunRecord['snapshot']['status'];
  removed?: boolean;
}

/** Ended runs whose full values (as the platform sent them) stay in memory after they end. */
const fullRecentlyEnded = 8;

export class HeldRuns {
  readonly runs = new RunIndex();
  readonly files: HistoryFiles;
  readonly windows: WindowsState;
  /** Runs changed since the last write, written once each at the next flush. */
  readonly dirty = new Set<string>();
  private readonly recentlyEnded: string[] = [];
  private lastTick = 0;
  private readonly log?: (message: string) => void;

  constructor(
    persistence: HistoryPersistence,
    windowId: string,
    private readonly limits: HistoryLimits,
    private readonly maxRunsPerWorkflow: () => number,
    options: { leaseMs: number; compactAfterEntries: number; log?: (message: string) => void },
  ) {
    this.log = options.log;
    this.files = new HistoryFiles(persistence, windowId, limits, options.compactAfterEntries, options.log);
    this.windows = new WindowsState(persistence, windowId, options.leaseMs);
  }

  /** Reads history (base, entries, the 0.1 Memento value once), bounded as every window bounds it. */
  readAll(memento: HistoryMemento): void {
    this.windows.loadRemovals();
    const base = this.files.readBase();
    for (const stored of base.runs) this.takeStored(stored, false);
    const names = this.files.listEntries();
    for (const [name, stored] of this.files.readEntries(names)) this.takeStored(stored, false, name);
    this.migrateLegacy(memento);
    for (const workflow of this.runs.workflows()) this.capWorkflow(workflow);
    this.trimToTotal();
    // A base in an older format is rewritten once: the next load reads only the index.
    if (base.outdated || this.files.needsCompaction(names.length)) this.compact();
  }

  /** The history of 0.1 (one Memento value) is moved to storage once, then removed from the Memento. */
  private migrateLegacy(memento: HistoryMemento): void {
    const legacy = memento.get<unknown>(legacyHistoryKey);
    if (legacy === undefined) return;
    const now = Date.now();
    for (const item of Array.isArray(legacy) ? legacy : []) {
      // A record from an older or damaged history is dropped alone, not the whole history.
      const parsed = RunRecordSchema.safeParse(item);
      if (!parsed.success) continue;
      const key = keyOf(parsed.data);
      this.takeStored({ key, bornAt: now, record: parsed.data }, false);
      this.dirty.add(key);
    }
    // Written as one base at once (not thousands of entries), then the Memento value goes.
    this.compact();
    void Promise.resolve(memento.update(legacyHistoryKey, undefined)).catch(() => undefined);
  }

  /** Writes every run changed since the last write, and the removals made here. */
  writeDirty(): void {
    for (const key of this.dirty) {
      const record = this.runs.get(key);
      if (!record) continue;
      this.files.writeRun(key, this.runs.bornAt(key), record);
      if (!isInFlight(record)) this.releaseFullValues(key);
    }
    this.dirty.clear();
    this.windows.writeRemovals(Date.now());
  }

  /** The history as stored (another window's view of it): for tests and diagnostics. */
  readStored(): RunRecord[] {
    const removals = this.windows.storedRemovals();
    const records = this.files
      .readLatest()
      .filter((run) => !isRemoved(removals, run.key, run.record.connection, run.bornAt))
      .map((run) => run.record);
    const details = this.files.readDetails(records);
    return records.map((record) => joinDetails(record, details.get(record) ?? {})).sort(newestFirst);
  }

  /** A run in full: its large fields read first if it came from the base without them. */
  full(key: string): RunRecord | undefined {
    const record = this.runs.get(key);
    return record && this.withDetails([record])[0];
  }

  /** The runs with their large fields, read together for those still without them; held from then on. */
  withDetails(records: RunRecord[]): RunRecord[] {
    const apart = records.filter((record) => this.files.hasDetailsApart(record));
    if (apart.length === 0) return records;
    const details = this.files.readDetails(apart);
    return records.map((record) => {
      const found = details.get(record);
      if (!found) return record;
      const full = joinDetails(record, found);
      this.runs.replace(keyOf(record), full);
      return full;
    });
  }

  /**
   * The runs in full for a one-off look (Search Runs): the large fields of those without them are
   * read but not held, so looking through years of runs leaves nothing behind in memory.
   */
  inFullUnheld(records: readonly RunRecord[]): RunRecord[] {
    // The copy held now: the run may have changed, or been read in full, since `records` were listed.
    const current = records.map((record) => this.runs.get(keyOf(record)) ?? record);
    const apart = current.filter((record) => this.files.hasDetailsApart(record));
    if (apart.length === 0) return current;
    const details = this.files.readDetails(apart, false);
    return current.map((record) => {
      const found = details.get(record);
      return found ? joinDetails(record, found) : record;
    });
  }

  /** Merges a stored copy of a run: the newer copy wins; a dead copy (removed) is ignored. */
  takeStored(stored: StoredRun, announce: boolean, entryName?: string): RunChange | undefined {
    if (entryName) this.files.noteEntry(stored.key, entryName);
    if (this.windows.isRemoved(stored.key, stored.record.connection, stored.bornAt)) return undefined;
    const local = this.runs.get(stored.key);
    if (local && local.updatedAt >= stored.record.updatedAt) return undefined;
    this.runs.setBorn(stored.key, stored.bornAt);
    this.put(stored.record, local, false);
    return announce ? { record: stored.record } : undefined;
  }

  /** Folds the history into the base (historyFiles.ts): nothing is left to write after it. */
  compact(): void {
    const runs: StoredRun[] = this.runs.entries().map(([key, record]) => ({ key, bornAt: this.runs.bornAt(key), record }));
    this.files.compact(runs);
    this.dirty.clear();
  }

  put(record: RunRecord, previous: RunRecord | undefined, markDirty = true): void {
    const key = keyOf(record);
    this.runs.put(record, previous);
    if (markDirty) this.dirty.add(key);
    this.files.assumeSize(key);
  }

  /** Forgets a run here and deletes the entries of it this window knows of. */
  drop(key: string): void {
    if (!this.runs.delete(key)) return;
    this.dirty.delete(key);
    this.files.forget(key);
  }

  /** A removal every window obeys: a tombstone later than this copy's birth. */
  tombstone(key: string): void {
    this.windows.removeRun(key, Math.max(this.tick(), this.runs.bornAt(key) + 1));
    this.drop(key);
  }

  /** Milliseconds, never twice the same here: a run born after a removal is born strictly after it. */
  tick(): number {
    this.lastTick = Math.max(Date.now(), this.lastTick + 1);
    return this.lastTick;
  }

  /**
   * Ended runs keep the full values the platform sent while they are among the last few to end
   * (a details panel shows them); older ones hold their stored, bounded copy.
   */
  releaseFullValues(key: string): void {
    if (!this.recentlyEnded.includes(key)) this.recentlyEnded.push(key);
    while (this.recentlyEnded.length > fullRecentlyEnded) {
      const old = this.recentlyEnded.shift()!;
      const record = this.runs.get(old);
      if (record && !isInFlight(record)) this.runs.replace(old, boundRecord(record, this.limits));
    }
  }

  /**
   * Keeps the newest runs of the record's workflow; runs in flight are never dropped. Trims leave
   * no tombstone (that file would grow with every run once history is full): every window applies
   * the same caps (the setting is application-wide), on load too, so a copy another window still
   * stores is trimmed again wherever it shows up.
   */
  applyCap(record: RunRecord): RunChange[] {
    return this.capWorkflow(runKey(record.connection, record.snapshot.workflowId));
  }

  capWorkflow(workflow: string): RunChange[] {
    const limit = Math.max(1, this.maxRunsPerWorkflow());
    if (this.runs.countOf(workflow) <= limit) return [];
    const siblings = this.runs.ofWorkflow(workflow);
    const removed: RunChange[] = [];
    for (const old of siblings.slice(limit)) {
      if (isInFlight(old)) continue;
      this.drop(keyOf(old));
      removed.push({ record: old, removed: true });
    }
    return removed;
  }

  /** Whole history bounded by count and bytes: ended runs go, oldest first, and the log says so. */
  trimToTotal(): RunChange[] {
    const { totalRuns, totalBytes } = this.limits;
    if (this.runs.size <= totalRuns && this.files.totalBytes <= totalBytes) return [];
    const removed: RunChange[] = [];
    for (const record of this.runs.endedOldestFirst()) {
      if (this.runs.size <= totalRuns && this.files.totalBytes <= totalBytes) break;
      this.drop(keyOf(record));
      removed.push({ record, removed: true });
    }
    if (removed.length === 0) return [];
    this.log?.(
      `Run history is full (it keeps at most ${totalRuns} runs and ${Math.round(totalBytes / 1024 / 1024)} MB): ` +
        `the ${removed.length} oldest ended run(s) were dropped.`,
    );
    return removed;
  }
}
