// The one owner of run state. Providers' snapshots come in through `upsert`; views, the status
// bar, notifications and the webview listen to `onDidChange` and only render what it says.
//
// This file says what changed and when history is written; the runs it holds and their place in
// history are heldRuns.ts (indexes: runIndex.ts), how history is kept on disk is historyFiles.ts
// (format: storedRun.ts, historyBase.ts), what every window shares (removal tombstones, leases) is
// windows.ts.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Emitter } from '../util/emitter';
import type { RunSnapshot } from '../providers/model';
import { isTerminal } from '../providers/status';
import { boundSnapshot } from '../providers/bound';
import { HeldRuns, type HistoryMemento, type RunChange } from './heldRuns';
import type { RunIndex } from './runIndex';
import { runsInFlightKey } from './inFlightFlag';
import { mergeIncoming } from './mergeSnapshot';
import { MemoryHistoryPersistence, type HistoryPersistence } from './persistence';
import { keyOf, runKey, type RunRecord, type RunRequest, type WatchNote } from './record';
import { defaultHistoryLimits, type HistoryLimits } from './storedRun';

export { boundRecord, defaultHistoryLimits, type HistoryLimits } from './storedRun';

export type { HistoryMemento, RunChange } from './heldRuns';

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

export class RunStore {
  private readonly changed = new Emitter<RunChange[]>();
  /** The renewal timers of the leases this window keeps (keepLease), stopped at dispose. */
  private readonly keptLeases = new Map<{ dispose(): void }, ReturnType<typeof setInterval>>();
  readonly onDidChange = this.changed.event;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> = Promise.resolve();

  /** Names this window's entries and leases by: no two windows ever write the same entry. */
  readonly windowId = randomUUID().slice(0, 8);
  private readonly held: HeldRuns;
  private loaded = false;
  private lastInFlightCount: number | undefined;

  constructor(
    private readonly memento: HistoryMemento,
    maxRunsPerWorkflow: () => number,
    /** Batches writes: many snapshots a second while a run streams, one write per run. */
    private readonly saveDelayMs = 250,
    options: RunStoreOptions = {},
  ) {
    const persistence = options.persistence ?? new MemoryHistoryPersistence();
    const limits = { ...defaultHistoryLimits, ...options.limits };
    this.held = new HeldRuns(persistence, this.windowId, limits, maxRunsPerWorkflow, {
      leaseMs: options.leaseMs ?? 30_000,
      compactAfterEntries: options.compactAfterEntries ?? 500,
      log: options.log,
    });
  }

  private get runs(): RunIndex {
    return this.held.runs;
  }

  get(connection: string, runId: string): RunRecord | undefined {
    this.load();
    return this.held.full(runKey(connection, runId));
  }

  /** Every run, newest first, in full (the large fields of every run are read: prefer `summaries`). */
  all(): RunRecord[] {
    this.load();
    return this.held.withDetails(this.runs.all());
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

  /**
   * Every run in full, a slice at a time, for a look through all of them (Search Runs): the large
   * fields read here are not held afterwards (`all()` would keep every run's in memory). Slices
   * follow the order the fields lie on disk, so each is one short read; between slices the event
   * loop runs, so the views, live runs and typing go on while years of runs are read. Stopping
   * the iteration stops the reading.
   */
  async *allInSlices(sliceSize = 100): AsyncGenerator<RunRecord[]> {
    this.load();
    const records = this.held.files.inDetailsOrder(this.runs.all());
    for (let at = 0; at < records.length; at += sliceSize) {
      if (at > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      yield this.held.inFullUnheld(records.slice(at, at + sliceSize));
    }
  }

  /** How many task rows a run has (its row's expand arrow), without reading its large fields. */
  taskRowsOf(record: RunRecord): number {
    return record.snapshot.timeline?.length ?? this.held.files.tasksApart(record) ?? 0;
  }

  /** A workflow's newest run with the fields a list shows (a workflow row's icon): nothing else is read. */
  latestOf(connection: string, workflowId: string): RunRecord | undefined {
    this.load();
    return this.runs.ofWorkflow(runKey(connection, workflowId))[0];
  }

  inFlight(): RunRecord[] {
    this.load();
    return this.held.withDetails(this.runs.inFlight());
  }

  /** Whether any run is in flight, without sorting or copying anything. */
  hasInFlight(): boolean {
    this.load();
    return this.runs.inFlightCount > 0;
  }

  forWorkflow(connection: string, workflowId: string): RunRecord[] {
    this.load();
    return this.held.withDetails(this.runs.ofWorkflow(runKey(connection, workflowId)));
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
    const previous = this.held.full(key);
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
    if (!previous) this.runs.setBorn(key, this.held.tick());
    this.held.put(record, previous);
    const removed = this.held.applyCap(record);
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
    this.held.put(record, previous);
    this.changed.fire([{ record, previousStatus: previous.snapshot.status }]);
    this.scheduleSave();
    return record;
  }

  setWatchError(connection: string, runId: string, message: string | undefined): void {
    const record = this.get(connection, runId);
    if (!record || record.watchError === message) return;
    const updated = { ...record, watchError: message };
    this.held.put(updated, record);
    this.changed.fire([{ record: updated, previousStatus: record.snapshot.status }]);
    this.scheduleSave();
  }

  /** Says why watching waits (or clears it with undefined); the run itself is unchanged. */
  setWatchNote(connection: string, runId: string, note: WatchNote | undefined): void {
    const record = this.get(connection, runId);
    if (!record || (record.watchNote === undefined && note === undefined)) return;
    const updated = { ...record, watchNote: note };
    this.held.put(updated, record);
    this.changed.fire([{ record: updated, previousStatus: record.snapshot.status }]);
    this.scheduleSave();
  }

  remove(connection: string, runId: string): void {
    this.load();
    const record = this.runs.get(runKey(connection, runId));
    if (!record) return;
    this.held.tombstone(keyOf(record));
    this.changed.fire([{ record, removed: true }]);
    this.scheduleSave();
  }

  removeConnection(connection: string): void {
    this.load();
    const removed = this.runs.all().filter((run) => run.connection === connection);
    // Every copy of every run of it, in every window, known here or not: one tombstone.
    this.held.windows.removeConnection(connection, this.held.tick());
    for (const record of removed) this.held.drop(keyOf(record));
    if (removed.length > 0) this.changed.fire(removed.map((record) => ({ record, removed: true })));
    this.scheduleSave();
  }

  /**
   * Takes or renews the lease on following a run: true when this window holds it now (nobody
   * else held a live one). The holder renews it while it watches; the others show the run as
   * stored (see refreshFromStorage) and try again once it lapses.
   */
  acquireLease(connection: string, runId: string, now = Date.now()): boolean {
    return this.held.windows.acquireLease(runKey(connection, runId), now);
  }

  releaseLease(connection: string, runId: string): void {
    this.held.windows.releaseLease(runKey(connection, runId));
  }

  /**
   * Keeps the lease this window holds on the run (acquireLease said true): renewed every
   * leaseRenewMs until the handle is disposed, which releases it, or the store is. The renewal
   * never keeps a process alive on its own (a CLI run, a test), and never writes after dispose.
   */
  keepLease(connection: string, runId: string): { dispose(): void } {
    const kept = {
      dispose: () => {
        const renew = this.keptLeases.get(kept);
        if (renew === undefined) return;
        clearInterval(renew);
        this.keptLeases.delete(kept);
        this.releaseLease(connection, runId);
      },
    };
    const renew = setInterval(() => this.acquireLease(connection, runId), this.leaseRenewMs);
    renew.unref?.();
    this.keptLeases.set(kept, renew);
    return kept;
  }

  /** The window holding a live lease on the run, if any. */
  leaseHolder(connection: string, runId: string, now = Date.now()): string | undefined {
    return this.held.windows.leaseHolder(runKey(connection, runId), now);
  }

  /** How often a holder renews its lease: well before it lapses. */
  get leaseRenewMs(): number {
    return this.held.windows.leaseRenewMs;
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

  /** The history as stored (another window's view of it): for tests and diagnostics. */
  readStored(): RunRecord[] {
    return this.held.readStored();
  }

  dispose(): void {
    // Synchronous writes: done before the host goes away, whatever it does with the promise.
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    // Released all at once below: a renewal left running would take them back.
    for (const renew of this.keptLeases.values()) clearInterval(renew);
    this.keptLeases.clear();
    try {
      this.writeChanges();
      this.held.windows.releaseAllLeases();
    } catch {
      // Nothing more can be done at dispose.
    }
    this.changed.dispose();
  }

  // ---- loading, syncing, writing ---------------------------------------------------------

  /** History is read when first needed, not when the store is built. */
  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    this.held.readAll(this.memento);
    this.lastInFlightCount = undefined;
  }

  /** Takes in removals and entries other windows wrote since this window last looked. */
  private sync(): void {
    const changes: RunChange[] = [];
    if (this.held.windows.syncRemovals()) {
      for (const [key, record] of this.runs.entries()) {
        if (!this.held.windows.isRemoved(key, record.connection, this.runs.bornAt(key))) continue;
        this.held.drop(key);
        changes.push({ record, removed: true });
      }
    }
    for (const [name, run] of this.held.files.readEntries(this.held.files.freshEntries())) {
      // No previousStatus: the window that watched the run has told its user already.
      const change = this.held.takeStored(run, true, name);
      if (change) changes.push(change, ...this.held.applyCap(change.record));
    }
    if (changes.length > 0) this.changed.fire(changes);
  }

  private writeChanges(): void {
    if (!this.loaded) return;
    this.sync();
    this.held.writeDirty();
    const trimmed = this.held.trimToTotal();
    if (trimmed.length > 0) {
      this.changed.fire(trimmed);
      this.scheduleSave();
    }
    if (this.runs.inFlightCount !== this.lastInFlightCount) {
      this.lastInFlightCount = this.runs.inFlightCount;
      void Promise.resolve(this.memento.update(runsInFlightKey, this.runs.inFlightCount)).catch(() => undefined);
    }
    if (this.held.files.needsCompaction()) this.held.compact();
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
