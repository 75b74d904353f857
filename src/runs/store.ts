// The one owner of run state. Providers' snapshots come in through `upsert`; views, the status
// bar, notifications and the webview listen to `onDidChange` and only render what it says.
//
// How history is kept (issue 9): until 0.1 it was one Memento value rewritten whole on every
// change, so one earlier run with a 20 MB payload made every write of a small streaming run cost
// 20 MB. Now it lives behind HistoryPersistence (files under the extension's global storage):
// - every flush writes one small entry per run that changed since the last flush, bounded per run
//   (inputs, outputs, live text, node data: see bound.ts), so a change costs in proportion to
//   that run and nothing else;
// - a compacted base holds the rest, read in one go when history is first needed and rewritten
//   only when the entries pile up (it is then the cheapest way to load: one read, one parse);
// - removals are tombstones in a small shared file, so they win in every window.
// One file per run was chosen over an append log because each entry is written and replaced
// whole with a rename: two windows never write into the same file, so no lock and no torn
// line, and compaction only deletes entries it has read (by name).
import { createHash, randomUUID } from 'node:crypto';
import { Emitter } from '../util/emitter';
import type { RunSnapshot } from '../providers/model';
import { isTerminal, runStatuses } from '../providers/status';
import { boundSnapshot } from '../providers/bound';
import { boundText, boundValue } from './bound';
import { legacyHistoryKey, runsInFlightKey } from './inFlightFlag';
import { MemoryHistoryPersistence, type HistoryPersistence } from './persistence';
import { RunRecordSchema, isInFlight, keyOf, runKey, type RunRecord, type RunRequest, type WatchNote } from './record';
import { emptyRemovals, isRemoved, mergeRemovals, parseLeases, parseRemovals, pruneRemovals, type Leases, type Removals } from './shared';
import { maskKnownSecrets } from '../util/redact';

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

/** What one run and the whole history may take on disk (per-node data: providers/bound.ts). */
export interface HistoryLimits {
  /** Inputs and outputs of a run (each, as JSON). */
  valueBytes: number;
  /** Live text and error text of a run (each). */
  textChars: number;
  /** Runs kept in all (ended runs beyond it are dropped, oldest first). */
  totalRuns: number;
  /** Bytes of stored history in all. */
  totalBytes: number;
}

/**
 * 200 workflows at the default 50 runs each fit; a run's stored copy stays under ~0.6 MB whatever
 * the platform sent, and history under 64 MB whatever the user ran.
 */
export const defaultHistoryLimits: HistoryLimits = {
  valueBytes: 128 * 1024,
  textChars: 64 * 1024,
  totalRuns: 10_000,
  totalBytes: 64 * 1024 * 1024,
};

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

interface StoredRun {
  key: string;
  bornAt: number;
  record: RunRecord;
}

/** Ended runs whose full values (as the platform sent them) stay in memory after they end. */
const fullRecentlyEnded = 8;

export class RunStore {
  private readonly runs = new Map<string, RunRecord>();
  /** When this copy of each run was first seen (see shared.ts: tombstones compare against it). */
  private readonly born = new Map<string, number>();
  private readonly byWorkflow = new Map<string, Set<string>>();
  private readonly inFlightKeys = new Set<string>();
  private sorted: RunRecord[] | undefined;
  private readonly changed = new Emitter<RunChange[]>();
  readonly onDidChange = this.changed.event;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> = Promise.resolve();

  private readonly persistence: HistoryPersistence;
  private readonly limits: HistoryLimits;
  private readonly leaseMs: number;
  private readonly compactAfterEntries: number;
  /** Names this window's entries by: no two windows ever write the same entry. */
  readonly windowId = randomUUID().slice(0, 8);
  private entrySeq = 0;
  private loaded = false;
  /** Runs changed since the last write, written once each at the next flush. */
  private readonly dirty = new Set<string>();
  /** Entry names read or written, by run key: what to delete when a run goes, what not to read twice. */
  private readonly entriesOf = new Map<string, Set<string>>();
  private readonly seenEntries = new Set<string>();
  /** The entry this window last wrote for a run: replaced (deleted) by the next one. */
  private readonly ownEntry = new Map<string, string>();
  private readonly storedBytes = new Map<string, number>();
  private totalStoredBytes = 0;
  private removals: Removals = emptyRemovals();
  private removalsDirty = false;
  private leases: Leases = {};
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
    this.persistence = options.persistence ?? new MemoryHistoryPersistence();
    this.limits = { ...defaultHistoryLimits, ...options.limits };
    this.leaseMs = options.leaseMs ?? 30_000;
    this.compactAfterEntries = options.compactAfterEntries ?? 500;
  }

  get(connection: string, runId: string): RunRecord | undefined {
    this.load();
    return this.runs.get(runKey(connection, runId));
  }

  /** Every run, newest first. */
  all(): RunRecord[] {
    this.load();
    this.sorted ??= [...this.runs.values()].sort(newestFirst);
    return [...this.sorted];
  }

  inFlight(): RunRecord[] {
    this.load();
    return [...this.inFlightKeys].map((key) => this.runs.get(key)!).sort(newestFirst);
  }

  /** Whether any run is in flight, without sorting or copying anything. */
  hasInFlight(): boolean {
    this.load();
    return this.inFlightKeys.size > 0;
  }

  forWorkflow(connection: string, workflowId: string): RunRecord[] {
    this.load();
    const keys = this.byWorkflow.get(runKey(connection, workflowId));
    if (!keys) return [];
    return [...keys].map((key) => this.runs.get(key)!).sort(newestFirst);
  }

  /**
   * Adds a run or merges a newer snapshot into it. Fields a snapshot leaves out keep their
   * previous value (a poll does not repeat the inputs a trigger sent); a run that has ended never
   * goes back to running because of a late, stale snapshot.
   */
  upsert(
    connection: string,
    platform: string,
    snapshot: RunSnapshot,
    extra: { request?: RunRequest; workflowName?: string; watchError?: string | null } = {},
  ): RunRecord {
    this.load();
    const key = runKey(connection, snapshot.runId);
    const previous = this.runs.get(key);
    const now = Date.now();
    let merged: RunSnapshot = previous ? mergeSnapshots(previous.snapshot, snapshot) : snapshot;
    // A stop was asked for: a poll that still says "running" does not undo "stopping".
    if (previous?.snapshot.status === 'stopping' && !isTerminal(snapshot.status)) merged = { ...merged, status: 'stopping' };
    if (previous && isTerminal(previous.snapshot.status) && !isTerminal(snapshot.status)) {
      // A late snapshot from before the end: the final one's fields win (status, task counts …);
      // the stale one only fills fields the final one lacks.
      merged = mergeSnapshots(snapshot, previous.snapshot);
    }
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
    // A run this window did not hold is born now: a removal from before does not apply to it.
    if (!previous) this.born.set(key, this.tick());
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
    const record = this.get(connection, runId);
    if (!record) return;
    this.tombstone(keyOf(record));
    this.changed.fire([{ record, removed: true }]);
    this.scheduleSave();
  }

  removeConnection(connection: string): void {
    this.load();
    const removed = this.all().filter((run) => run.connection === connection);
    // Every copy of every run of it, in every window, known here or not: one tombstone.
    this.removals.connections[connection] = this.tick();
    this.removalsDirty = true;
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
    const key = runKey(connection, runId);
    this.leases = parseLeases(this.persistence.readShared('leases'));
    const current = this.leases[key];
    if (current && current.owner !== this.windowId && current.until > now) return false;
    for (const [other, lease] of Object.entries(this.leases)) if (lease.until <= now) delete this.leases[other];
    this.leases[key] = { owner: this.windowId, until: now + this.leaseMs };
    this.persistence.writeShared('leases', JSON.stringify(this.leases));
    return true;
  }

  releaseLease(connection: string, runId: string): void {
    const key = runKey(connection, runId);
    this.leases = parseLeases(this.persistence.readShared('leases'));
    if (this.leases[key]?.owner !== this.windowId) return;
    delete this.leases[key];
    this.persistence.writeShared('leases', JSON.stringify(this.leases));
  }

  /** At dispose: another window takes over this one's runs at once, not when the leases lapse. */
  private releaseAllLeases(): void {
    const leases = parseLeases(this.persistence.readShared('leases'));
    const mine = Object.keys(leases).filter((key) => leases[key]!.owner === this.windowId);
    if (mine.length === 0) return;
    for (const key of mine) delete leases[key];
    this.persistence.writeShared('leases', JSON.stringify(leases));
  }

  /** The window holding a live lease on the run, if any. */
  leaseHolder(connection: string, runId: string, now = Date.now()): string | undefined {
    const lease = parseLeases(this.persistence.readShared('leases'))[runKey(connection, runId)];
    return lease && lease.until > now ? lease.owner : undefined;
  }

  /** How often a holder renews its lease: well before it lapses. */
  get leaseRenewMs(): number {
    return Math.max(1, Math.floor(this.leaseMs / 3));
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
      this.releaseAllLeases();
    } catch {
      // Nothing more can be done at dispose.
    }
    this.changed.dispose();
  }

  /** The history as stored (another window's view of it): for tests and diagnostics. */
  readStored(): RunRecord[] {
    const removals = parseRemovals(this.persistence.readShared('removals'));
    const runs = new Map<string, StoredRun>();
    for (const stored of [...parseBase(this.persistence.readBase()), ...this.readEntries(this.persistence.listEntries()).map(([, run]) => run)]) {
      const known = runs.get(stored.key);
      if (!known || known.record.updatedAt <= stored.record.updatedAt) runs.set(stored.key, stored);
    }
    return [...runs.values()]
      .filter((run) => !isRemoved(removals, run.key, run.record.connection, run.bornAt))
      .map((run) => run.record)
      .sort(newestFirst);
  }

  // ---- loading, syncing, writing ---------------------------------------------------------

  /** History is read when first needed, not when the store is built. */
  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    this.removals = parseRemovals(this.persistence.readShared('removals'));
    for (const stored of parseBase(this.persistence.readBase())) this.takeStored(stored, false);
    const names = this.persistence.listEntries();
    for (const [name, stored] of this.readEntries(names)) this.takeStored(stored, false, name);
    this.migrateLegacy();
    for (const workflow of [...this.byWorkflow.keys()]) this.capWorkflow(workflow);
    this.trimToTotal(false);
    this.lastInFlightCount = undefined;
    if (names.length > this.compactAfterEntries) this.compact();
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
    if (entryName) {
      this.seenEntries.add(entryName);
      let names = this.entriesOf.get(stored.key);
      if (!names) this.entriesOf.set(stored.key, (names = new Set()));
      names.add(entryName);
    }
    if (isRemoved(this.removals, stored.key, stored.record.connection, stored.bornAt)) return undefined;
    const local = this.runs.get(stored.key);
    if (local && local.updatedAt >= stored.record.updatedAt) return undefined;
    this.born.set(stored.key, stored.bornAt);
    this.put(stored.record, local, false);
    return announce ? { record: stored.record } : undefined;
  }

  /** Takes in removals and entries other windows wrote since this window last looked. */
  private sync(): void {
    const changes: RunChange[] = [];
    const stored = parseRemovals(this.persistence.readShared('removals'));
    if (mergeRemovals(this.removals, stored)) {
      for (const [key, record] of [...this.runs]) {
        if (!isRemoved(this.removals, key, record.connection, this.born.get(key) ?? 0)) continue;
        this.drop(key);
        changes.push({ record, removed: true });
      }
    }
    const fresh = this.persistence.listEntries().filter((name) => !this.seenEntries.has(name));
    for (const [name, run] of this.readEntries(fresh)) {
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
      const name = `${hashOf(key)}-${this.windowId}-${(this.entrySeq += 1).toString(36)}`;
      const text = maskKnownSecrets(JSON.stringify({ key, bornAt: this.born.get(key) ?? 0, record: boundRecord(record, this.limits) } satisfies StoredRun));
      this.persistence.writeEntry(name, text);
      this.seenEntries.add(name);
      let names = this.entriesOf.get(key);
      if (!names) this.entriesOf.set(key, (names = new Set()));
      names.add(name);
      // This window's previous entry for the run is replaced by this one.
      const previous = this.ownEntry.get(key);
      if (previous) {
        this.persistence.deleteEntry(previous);
        names.delete(previous);
      }
      this.ownEntry.set(key, name);
      this.setStoredBytes(key, text.length);
      if (!isInFlight(record)) this.releaseFullValues(key);
    }
    this.dirty.clear();
    if (this.removalsDirty) {
      mergeRemovals(this.removals, parseRemovals(this.persistence.readShared('removals')));
      pruneRemovals(this.removals, Date.now());
      this.persistence.writeShared('removals', JSON.stringify(this.removals));
      this.removalsDirty = false;
    }
    this.trimToTotal(true);
    if (this.inFlightKeys.size !== this.lastInFlightCount) {
      this.lastInFlightCount = this.inFlightKeys.size;
      void Promise.resolve(this.memento.update(runsInFlightKey, this.inFlightKeys.size)).catch(() => undefined);
    }
    if (this.seenEntries.size > this.compactAfterEntries) this.compact();
  }

  /**
   * Rewrites the base with every live run and deletes the entries it took in. Only entries read
   * here are deleted: one another window writes meanwhile has a new name and survives.
   */
  private compact(): void {
    const parts: string[] = [];
    for (const [key, record] of this.runs) {
      const part = maskKnownSecrets(JSON.stringify({ key, bornAt: this.born.get(key) ?? 0, record: boundRecord(record, this.limits) } satisfies StoredRun));
      parts.push(part);
      this.setStoredBytes(key, part.length);
    }
    this.persistence.writeBase(`{"v":2,"runs":[${parts.join(',')}]}`);
    for (const name of this.seenEntries) this.persistence.deleteEntry(name);
    this.seenEntries.clear();
    this.entriesOf.clear();
    this.ownEntry.clear();
    this.dirty.clear();
  }

  private readEntries(names: string[]): Array<[string, StoredRun]> {
    const result: Array<[string, StoredRun]> = [];
    for (const name of names) {
      const text = this.persistence.readEntry(name);
      if (text === undefined) continue;
      // Entries are few (compaction folds them into the base): each is checked in full.
      const stored = parseStoredRun(safeJson(text), true);
      if (stored) result.push([name, stored]);
    }
    return result;
  }

  // ---- the in-memory indexes ------------------------------------------------------------

  private put(record: RunRecord, previous: RunRecord | undefined, markDirty = true): void {
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
    if (markDirty) this.dirty.add(key);
    if (!this.storedBytes.has(key)) this.setStoredBytes(key, 1024);
  }

  private unindex(key: string, record: RunRecord): void {
    const workflow = runKey(record.connection, record.snapshot.workflowId);
    const keys = this.byWorkflow.get(workflow);
    keys?.delete(key);
    if (keys?.size === 0) this.byWorkflow.delete(workflow);
  }

  /** Forgets a run here and deletes the entries of it this window knows of. */
  private drop(key: string): void {
    const record = this.runs.get(key);
    if (!record) return;
    this.unindex(key, record);
    this.runs.delete(key);
    this.born.delete(key);
    this.inFlightKeys.delete(key);
    this.dirty.delete(key);
    this.sorted = undefined;
    for (const name of this.entriesOf.get(key) ?? []) this.persistence.deleteEntry(name);
    this.entriesOf.delete(key);
    this.ownEntry.delete(key);
    this.setStoredBytes(key, 0);
    this.storedBytes.delete(key);
  }

  /** A removal every window obeys: a tombstone later than this copy's birth. */
  private tombstone(key: string): void {
    this.removals.runs[key] = Math.max(this.tick(), (this.born.get(key) ?? 0) + 1);
    this.removalsDirty = true;
    this.drop(key);
  }

  /** Milliseconds, never twice the same here: a run born after a removal is born strictly after it. */
  private tick(): number {
    this.lastTick = Math.max(Date.now(), this.lastTick + 1);
    return this.lastTick;
  }

  private setStoredBytes(key: string, bytes: number): void {
    this.totalStoredBytes += bytes - (this.storedBytes.get(key) ?? 0);
    this.storedBytes.set(key, bytes);
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
      if (record && !isInFlight(record)) this.runs.set(old, boundRecord(record, this.limits));
      this.sorted = undefined;
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
    const keys = this.byWorkflow.get(workflow);
    if (!keys || keys.size <= limit) return [];
    const siblings = [...keys].map((key) => this.runs.get(key)!).sort(newestFirst);
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
    if (this.runs.size <= totalRuns && this.totalStoredBytes <= totalBytes) return;
    const oldestFirst = [...this.runs.values()].filter((record) => !isInFlight(record)).sort((a, b) => a.triggeredAt - b.triggeredAt);
    const removed: RunChange[] = [];
    for (const record of oldestFirst) {
      if (this.runs.size <= totalRuns && this.totalStoredBytes <= totalBytes) break;
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

function newestFirst(a: RunRecord, b: RunRecord): number {
  return b.triggeredAt - a.triggeredAt;
}

function hashOf(key: string): string {
  return createHash('sha1').update(key).digest('hex').slice(0, 16);
}

function safeJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseBase(text: string | undefined): StoredRun[] {
  const base = safeJson(text) as { runs?: unknown } | undefined;
  const runs = Array.isArray(base?.runs) ? base.runs : [];
  const result: StoredRun[] = [];
  // The base is this extension's own file, written from checked records: a structural check of
  // what the store relies on keeps a first load of 10,000 runs fast; entries get the full check.
  for (const item of runs) {
    const stored = parseStoredRun(item, false);
    if (stored) result.push(stored);
  }
  return result;
}

const statuses: ReadonlySet<string> = new Set(runStatuses);

function parseStoredRun(value: unknown, fullCheck: boolean): StoredRun | undefined {
  const item = value as Partial<StoredRun> | null | undefined;
  if (typeof item?.key !== 'string' || typeof item.bornAt !== 'number') return undefined;
  if (fullCheck) {
    const parsed = RunRecordSchema.safeParse(item.record);
    return parsed.success && keyOf(parsed.data) === item.key ? { key: item.key, bornAt: item.bornAt, record: parsed.data } : undefined;
  }
  const record = item.record as RunRecord | undefined;
  const snapshot = record?.snapshot;
  const ok =
    typeof record?.connection === 'string' &&
    typeof record.platform === 'string' &&
    typeof record.triggeredAt === 'number' &&
    typeof record.updatedAt === 'number' &&
    typeof snapshot?.runId === 'string' &&
    typeof snapshot.workflowId === 'string' &&
    statuses.has(snapshot.status) &&
    typeof snapshot.tasks === 'object' &&
    snapshot.tasks !== null &&
    (snapshot.timeline === undefined || Array.isArray(snapshot.timeline)) &&
    keyOf(record) === item.key;
  return ok ? { key: item.key, bornAt: item.bornAt, record } : undefined;
}

/** The copy of a run that goes to disk: every field that can grow without bound is bounded. */
export function boundRecord(record: RunRecord, limits: HistoryLimits): RunRecord {
  const { snapshot } = record;
  const bounded: RunSnapshot = { ...snapshot };
  if (snapshot.inputs !== undefined) bounded.inputs = boundValue(snapshot.inputs, limits.valueBytes);
  if (snapshot.outputs !== undefined) bounded.outputs = boundValue(snapshot.outputs, limits.valueBytes);
  if (snapshot.options !== undefined) bounded.options = boundValue(snapshot.options, limits.valueBytes) as Record<string, unknown>;
  if (snapshot.liveText !== undefined) bounded.liveText = boundText(snapshot.liveText, limits.textChars);
  if (snapshot.error !== undefined) bounded.error = boundText(snapshot.error, limits.textChars);
  // Per-node data has its own bounds (providers/bound.ts), applied on every upsert already;
  // applied again here for runs that came from older history (it changes nothing twice).
  const withTimeline = boundSnapshot(bounded);
  const request = record.request && {
    ...record.request,
    // A marker is a record too: the stored request stays valid, and containsTruncation() tells
    // a re-run that the inputs are not all there.
    inputs: boundValue(record.request.inputs, limits.valueBytes) as Record<string, unknown>,
    options: boundValue(record.request.options, limits.valueBytes) as Record<string, unknown>,
  };
  return {
    ...record,
    ...(request ? { request } : {}),
    ...(record.watchError !== undefined ? { watchError: boundText(record.watchError, limits.textChars) } : {}),
    snapshot: withTimeline,
  };
}

function mergeSnapshots(previous: RunSnapshot, next: RunSnapshot): RunSnapshot {
  const merged: Record<string, unknown> = { ...previous };
  for (const [key, value] of Object.entries(next)) {
    if (value !== undefined) merged[key] = value;
  }
  // An empty timeline from a poll that does not fetch tasks must not wipe a streamed one.
  if ((next.timeline?.length ?? 0) === 0 && previous.timeline?.length) merged.timeline = previous.timeline;
  if (previous.handle || next.handle) merged.handle = { ...previous.handle, ...next.handle };
  return merged as RunSnapshot;
}
