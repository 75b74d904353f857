// The one owner of run state. Providers' snapshots come in through `upsert`; views, the status
// bar, notifications and the webview listen to `onDidChange` and only render what it says.
//
// This file holds the runs in memory (indexes: runIndex.ts), says what changed, and keeps them in
// step with history: how it is kept on disk is historyFiles.ts (format: storedRun.ts), what every
// window shares (removal tombstones, leases) is windows.ts.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Emitter } from '../util/emitter';
import type { RunSnapshot } from '../providers/model';
import { isTerminal } from '../providers/status';
import { boundSnapshot } from '../providers/bound';
import { HistoryFiles } from './historyFiles';
import { legacyHistoryKey, runsInFlightKey } from './inFlightFlag';
import { mergeIncoming } from './mergeSnapshot';
import { MemoryHistoryPersistence, type HistoryPersistence } from './persistence';
import { RunIndex, newestFirst } from './runIndex';
import { RunRecordSchema, isInFlight, keyOf, runKey, type RunRecord, type RunRequest, type WatchNote } from './record';
import { joinDetails } from './lazyRecord';
import { isRemoved } from './shared';
import { boundRecord, defaultHistoryLimits, type HistoryLimits, type StoredRun } from './storedRun';
import { WindowsState } from './windows';

export { boundRecord, defaultHistoryLimits, type HistoryLimits } from './storedRun';

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

export interface RunStoreOptions {
  persistence?: HistoryPersistence;
  limits?: Partial<HistoryLimits>;
  /** Said once when history is full and runs are dropped. */
  log?: (message: string) => void;
  /** How long a lease on a run lasts unless renewed. */
  leaseMs?: number;
  /** Entries (runs changed since the last compaction) that make this window compact. */
  compactAfterEntries?: number;
}

/** Ended runs whose full values (as the platform sent them) stay in memory after they end. */
const fullRecentlyEnded = 8;

export class RunStore {
  private readonly runs = new RunIndex();
  private readonly changed = new Emitter<RunChange[]>();
  readonly onDidChange = this.changed.event;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> = Promise.resolve();

  private readonly limits: HistoryLimits;
  /** Names this window's entries and leases by: no two windows ever write the same entry. */
  readonly windowId = randomUUID().slice(0, 8);
  private readonly files: HistoryFiles;
  private readonly windows: WindowsState;
  private loaded = false;
  /** Runs changed since the last write, written once each at the next flush. */
  private readonly dirty = new Set<string>();
  private readonly recentlyEnded: string[] = [];
  private lastInFlightCount: number | undefined;
  private lastTick = 0;

  constructor(
    private readonly memento: HistoryMemento,
    private maxRunsPerWorkflow: () => number,
    /** Batches writes: many snapshots a second while a run streams, one write per run. */
    private readonly saveDelayMs = 250,
    private readonly options: RunStoreOptions = {},
  ) {
    const persistence = options.persistence ?? new MemoryHistoryPersistence();
    this.limits = { ...defaultHistoryLimits, ...options.limits };
    this.files = new HistoryFiles(persistence, this.windowId, this.limits, options.compactAfterEntries ?? 500, options.log);
    this.windows = new WindowsState(persistence, this.windowId, options.leaseMs ?? 30_000);
  }

  get(connection: string, runId: string): RunRecord | undefined {
    this.load();
    return this.full(runKey(connection, runId));
  }

  /** Every run, newest first, in full (the large fields of every run are read: prefer `summaries`). */
  all(): RunRecord[] {
    this.load();
    return this.withDetails(this.runs.all());
  }

  /**
   * Every run, newest first, with the fields a list shows; the large ones (request, inputs,
   * outputs, options, timeline, live text) may be absent for runs whose details were not read
   * yet. For callers that list or filter by those fields only; `get` gives a run in full.
   */
  summaries(): RunRecord[] {
    this.load();
    return this.runs.all();
  }

  inFlight(): RunRecord[] {
    this.load();
    return this.withDetails(this.runs.inFlight());
  }

  /** Whether any run is in flight, without sorting or copying anything. */
  hasInFlight(): boolean {
    this.load();
    return this.runs.inFlightCount > 0;
  }

  forWorkflow(connection: string, workflowId: string): RunRecord[] {
    this.load();
    return this.withDetails(this.runs.ofWorkflow(runKey(connection, workflowId)));
  }

  /** Adds a run or merges a newer snapshot into it (the rules: mergeSnapshot.ts). */
  upsert(
    connection: string,
    platform: string,
    snapshot: RunSnapshot,
    extra: { request?: RunRequest; workflowName?: string; watchError?: string | null } = {},
  ): RunRecord {
    this.load();
    const key = runKey(connection, snapshot.runId);
    const previous = this.full(key);
    const now = Date.now();
    const merged = mergeIncoming(previous?.snapshot, snapshot);
    const record: RunRecord = {
      connection,
      platform,
      workflowName: extra.workflowName ?? previous?.workflowName ?? snapshot.workflowName,
      triggeredAt: previous?.triggeredAt ?? snapshot.createdAt ?? snapshot.startedAt ?? now,
      updatedAt: now,
      request: extra.request ?? previous?.request,
      // Per-task data is capped before it is kept or posted (limits in providers/bound.ts).
      snapshot: boundSnapshot(merged),
      watchError: extra.watchError === null ? undefined : (extra.watchError ?? previous?.watchError),
    };
    // A poll that brings nothing new (the common case for a quiet run) changes nothing: no event,
    // so no tree repaints its rows, and nothing to write.
    if (previous && isSameRun(previous, record)) return previous;
    // A run this window did not hold is born now: a removal from before does not apply to it.
    if (!previous) this.runs.setBorn(key, this.tick());
    this.put(record, previous);
    const removed = this.applyCap(record);
    this.changed.fire([{ record, previousStatus: previous?.snapshot.status }, ...removed]);
    this.scheduleSave();
    return record;
  }

  /**
   * A run that had ended is in flight again (a task of it was re-run on the platform): `upsert`
   * would take a later "running" for a stale snapshot, so this is said explicitly. Its end time,
   * duration and error belong to the end that no longer holds.
   */
  reopen(connection: string, runId: string): RunRecord | undefined {
    const previous = this.get(connection, runId);
    if (!previous || !isTerminal(previous.snapshot.status)) return previous;
    const { finishedAt: _finishedAt, durationMs: _durationMs, error: _error, ...rest } = previous.snapshot;
    const record: RunRecord = { ...previous, updatedAt: Date.now(), watchError: undefined, snapshot: { ...rest, status: 'running' } };
    this.put(record, previous);
    this.changed.fire([{ record, previousStatus: previous.snapshot.status }]);
    this.scheduleSave();
    return record;
  }

  setWatchError(connection: string, runId: string, message: string | undefined): void {
    const record = this.get(connection, runId);
    if (!record || record.watchError === message) return;
    const updated = { ...record, watchError: message };
    this.put(updated, record);
    this.changed.fire([{ record: updated, previousStatus: record.snapshot.status }]);
    this.scheduleSave();
  }

  /** Says why watching waits (or clears it with undefined); the run itself is unchanged. */
  setWatchNote(connection: string, runId: string, note: WatchNote | undefined): void {
    const record = this.get(connection, runId);
    if (!record || (record.watchNote === undefined && note === undefined)) return;
    const updated = { ...record, watchNote: note };
    this.put(updated, record);
    this.changed.fire([{ record: updated, previousStatus: record.snapshot.status }]);
    this.scheduleSave();
  }

  remove(connection: string, runId: string): void {
    this.load();
    const record = this.runs.get(runKey(connection, runId));
    if (!record) return;
    this.tombstone(keyOf(record));
    this.changed.fire([{ record, removed: true }]);
    this.scheduleSave();
  }

  removeConnection(connection: string): void {
    this.load();
    const removed = this.runs.all().filter((run) => run.connection === connection);
    // Every copy of every run of it, in every window, known here or not: one tombstone.
    this.windows.removeConnection(connection, this.tick());
    for (const record of removed) this.drop(keyOf(record));
    if (removed.length > 0) this.changed.fire(removed.map((record) => ({ record, removed: true })));
    this.scheduleSave();
  }

  /**
   * Takes or renews the lease on following a run: true when this window holds it now (nobody
   * else held a live one). The holder renews it while it watches; the others show the run as
   * stored (see refreshFromStorage) and try again once it lapses.
   */
  acquireLease(connection: string, runId: string, now = Date.now()): boolean {
    return this.windows.acquireLease(runKey(connection, runId), now);
  }

  releaseLease(connection: string, runId: string): void {
    this.windows.releaseLease(runKey(connection, runId));
  }

  /** The window holding a live lease on the run, if any. */
  leaseHolder(connection: string, runId: string, now = Date.now()): string | undefined {
    return this.windows.leaseHolder(runKey(connection, runId), now);
  }

  /** How often a holder renews its lease: well before it lapses. */
  get leaseRenewMs(): number {
    return this.windows.leaseRenewMs;
  }

  /** Takes in what other windows stored meanwhile (runs, removals) without writing anything. */
  refreshFromStorage(): void {
    this.load();
    this.sync();
  }

  /** Writes now (deactivation, tests). */
  async flush(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.saving = this.saving
      .then(() => this.writeChanges())
      .catch(() => undefined);
    await this.saving;
  }

  dispose(): void {
    // Synchronous writes: done before the host goes away, whatever it does with the promise.
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    try {
      this.writeChanges();
      this.windows.releaseAllLeases();
    } catch {
      // Nothing more can be done at dispose.
    }
    this.changed.dispose();
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

  // ---- large fields read when needed -----------------------------------------------------

  /** A run in full: its large fields read first if it came from the base without them. */
  private full(key: string): RunRecord | undefined {
    const record = this.runs.get(key);
    return record && this.withDetails([record])[0];
  }

  /** The runs with their large fields, read together for those still without them; held from then on. */
  private withDetails(records: RunRecord[]): RunRecord[] {
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

  // ---- loading, syncing, writing ---------------------------------------------------------

  /** History is read when first needed, not when the store is built. */
  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    this.windows.loadRemovals();
    const base = this.files.readBase();
    for (const stored of base.runs) this.takeStored(stored, false);
    const names = this.files.listEntries();
    for (const [name, stored] of this.files.readEntries(names)) this.takeStored(stored, false, name);
    this.migrateLegacy();
    for (const workflow of this.runs.workflows()) this.capWorkflow(workflow);
    this.trimToTotal(false);
    this.lastInFlightCount = undefined;
    // A base in an older format is rewritten once: the next load reads only the index.
    if (base.outdated || this.files.needsCompaction(names.length)) this.compact();
  }

  /** The history of 0.1 (one Memento value) is moved to storage once, then removed from the Memento. */
  private migrateLegacy(): void {
    const legacy = this.memento.get<unknown>(legacyHistoryKey);
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
    void Promise.resolve(this.memento.update(legacyHistoryKey, undefined)).catch(() => undefined);
  }

  /** Merges a stored copy of a run: the newer copy wins; a dead copy (removed) is ignored. */
  private takeStored(stored: StoredRun, announce: boolean, entryName?: string): RunChange | undefined {
    if (entryName) this.files.noteEntry(stored.key, entryName);
    if (this.windows.isRemoved(stored.key, stored.record.connection, stored.bornAt)) return undefined;
    const local = this.runs.get(stored.key);
    if (local && local.updatedAt >= stored.record.updatedAt) return undefined;
    this.runs.setBorn(stored.key, stored.bornAt);
    this.put(stored.record, local, false);
    return announce ? { record: stored.record } : undefined;
  }

  /** Takes in removals and entries other windows wrote since this window last looked. */
  private sync(): void {
    const changes: RunChange[] = [];
    if (this.windows.syncRemovals()) {
      for (const [key, record] of this.runs.entries()) {
        if (!this.windows.isRemoved(key, record.connection, this.runs.bornAt(key))) continue;
        this.drop(key);
        changes.push({ record, removed: true });
      }
    }
    for (const [name, run] of this.files.readEntries(this.files.freshEntries())) {
      // No previousStatus: the window that watched the run has told its user already.
      const change = this.takeStored(run, true, name);
      if (change) changes.push(change, ...this.applyCap(change.record));
    }
    if (changes.length > 0) this.changed.fire(changes);
  }

  private writeChanges(): void {
    if (!this.loaded) return;
    this.sync();
    for (const key of this.dirty) {
      const record = this.runs.get(key);
      if (!record) continue;
      this.files.writeRun(key, this.runs.bornAt(key), record);
      if (!isInFlight(record)) this.releaseFullValues(key);
    }
    this.dirty.clear();
    this.windows.writeRemovals(Date.now());
    this.trimToTotal(true);
    if (this.runs.inFlightCount !== this.lastInFlightCount) {
      this.lastInFlightCount = this.runs.inFlightCount;
      void Promise.resolve(this.memento.update(runsInFlightKey, this.runs.inFlightCount)).catch(() => undefined);
    }
    if (this.files.needsCompaction()) this.compact();
  }

  /** Folds the history into the base (historyFiles.ts): nothing is left to write after it. */
  private compact(): void {
    const runs: StoredRun[] = this.runs.entries().map(([key, record]) => ({ key, bornAt: this.runs.bornAt(key), record }));
    this.files.compact(runs);
    this.dirty.clear();
  }

  // ---- the in-memory indexes ------------------------------------------------------------

  private put(record: RunRecord, previous: RunRecord | undefined, markDirty = true): void {
    const key = keyOf(record);
    this.runs.put(record, previous);
    if (markDirty) this.dirty.add(key);
    this.files.assumeSize(key);
  }

  /** Forgets a run here and deletes the entries of it this window knows of. */
  private drop(key: string): void {
    if (!this.runs.delete(key)) return;
    this.dirty.delete(key);
    this.files.forget(key);
  }

  /** A removal every window obeys: a tombstone later than this copy's birth. */
  private tombstone(key: string): void {
    this.windows.removeRun(key, Math.max(this.tick(), this.runs.bornAt(key) + 1));
    this.drop(key);
  }

  /** Milliseconds, never twice the same here: a run born after a removal is born strictly after it. */
  private tick(): number {
    this.lastTick = Math.max(Date.now(), this.lastTick + 1);
    return this.lastTick;
  }

  /**
   * Ended runs keep the full values the platform sent while they are among the last few to end
   * (a details panel shows them); older ones hold their stored, bounded copy.
   */
  private releaseFullValues(key: string): void {
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
  private applyCap(record: RunRecord): RunChange[] {
    return this.capWorkflow(runKey(record.connection, record.snapshot.workflowId));
  }

  private capWorkflow(workflow: string): RunChange[] {
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
  private trimToTotal(announce: boolean): void {
    const { totalRuns, totalBytes } = this.limits;
    if (this.runs.size <= totalRuns && this.files.totalBytes <= totalBytes) return;
    const removed: RunChange[] = [];
    for (const record of this.runs.endedOldestFirst()) {
      if (this.runs.size <= totalRuns && this.files.totalBytes <= totalBytes) break;
      this.drop(keyOf(record));
      removed.push({ record, removed: true });
    }
    if (removed.length === 0) return;
    this.options.log?.(
      `Run history is full (it keeps at most ${totalRuns} runs and ${Math.round(totalBytes / 1024 / 1024)} MB): ` +
        `the ${removed.length} oldest ended run(s) were dropped.`,
    );
    if (announce) this.changed.fire(removed);
    this.scheduleSave();
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.flush();
    }, this.saveDelayMs);
  }
}

/** Whether an updated copy of a run says nothing its previous copy did not (the time aside). */
function isSameRun(previous: RunRecord, next: RunRecord): boolean {
  return (
    previous.watchNote === undefined &&
    previous.platform === next.platform &&
    previous.workflowName === next.workflowName &&
    previous.watchError === next.watchError &&
    isDeepStrictEqual(previous.request, next.request) &&
    isDeepStrictEqual(previous.snapshot, next.snapshot)
  );
}
