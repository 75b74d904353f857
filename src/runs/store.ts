// The one owner of run state. Providers' snapshots come in through `upsert`; views, the status
// bar, notifications and the webview listen to `onDidChange` and only render what it says.
import { z } from 'zod';
import { Emitter } from '../util/emitter';
import type { RunSnapshot } from '../providers/model';
import { isTerminal } from '../providers/model';
import { boundSnapshot } from '../providers/bound';
import { RunRecordSchema, isInFlight, keyOf, runKey, type RunRecord, type RunRequest, type WatchNote } from './record';

/** The part of vscode.Memento the store needs. */
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

const historyKey = 'workflowRuns.history.v1';

export class RunStore {
  private readonly runs = new Map<string, RunRecord>();
  private readonly changed = new Emitter<RunChange[]>();
  readonly onDidChange = this.changed.event;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Runs this window removed: another window's copy of the history must not bring them back. */
  private readonly removedKeys = new Set<string>();
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly memento: HistoryMemento,
    private maxRunsPerWorkflow: () => number,
    /** Batches writes: many snapshots a second while a run streams, one write. */
    private readonly saveDelayMs = 250,
  ) {
    const stored = z.array(z.unknown()).safeParse(memento.get(historyKey) ?? []);
    for (const item of stored.success ? stored.data : []) {
      // A record from an older or damaged history is dropped alone, not the whole history.
      const parsed = RunRecordSchema.safeParse(item);
      if (parsed.success) this.runs.set(keyOf(parsed.data), parsed.data);
    }
  }

  get(connection: string, runId: string): RunRecord | undefined {
    return this.runs.get(runKey(connection, runId));
  }

  /** Every run, newest first. */
  all(): RunRecord[] {
    return [...this.runs.values()].sort((a, b) => b.triggeredAt - a.triggeredAt);
  }

  inFlight(): RunRecord[] {
    return this.all().filter(isInFlight);
  }

  forWorkflow(connection: string, workflowId: string): RunRecord[] {
    return this.all().filter((run) => run.connection === connection && run.snapshot.workflowId === workflowId);
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
    const key = runKey(connection, snapshot.runId);
    this.removedKeys.delete(key);
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
    this.runs.set(key, record);
    const removed = this.applyCap(record);
    this.changed.fire([{ record, previousStatus: previous?.snapshot.status }, ...removed]);
    this.scheduleSave();
    return record;
  }

  setWatchError(connection: string, runId: string, message: string | undefined): void {
    const record = this.get(connection, runId);
    if (!record || record.watchError === message) return;
    const updated = { ...record, watchError: message };
    this.runs.set(keyOf(updated), updated);
    this.changed.fire([{ record: updated, previousStatus: record.snapshot.status }]);
    this.scheduleSave();
  }

  /** Says why watching waits (or clears it with undefined); the run itself is unchanged. */
  setWatchNote(connection: string, runId: string, note: WatchNote | undefined): void {
    const record = this.get(connection, runId);
    if (!record || (record.watchNote === undefined && note === undefined)) return;
    const updated = { ...record, watchNote: note };
    this.runs.set(keyOf(updated), updated);
    this.changed.fire([{ record: updated, previousStatus: record.snapshot.status }]);
    this.scheduleSave();
  }

  remove(connection: string, runId: string): void {
    const record = this.get(connection, runId);
    if (!record) return;
    this.runs.delete(keyOf(record));
    this.removedKeys.add(keyOf(record));
    this.changed.fire([{ record, removed: true }]);
    this.scheduleSave();
  }

  removeConnection(connection: string): void {
    const removed = this.all().filter((run) => run.connection === connection);
    for (const record of removed) {
      this.runs.delete(keyOf(record));
      this.removedKeys.add(keyOf(record));
    }
    if (removed.length > 0) {
      this.changed.fire(removed.map((record) => ({ record, removed: true })));
      this.scheduleSave();
    }
  }

  /** Writes now (deactivation, tests). */
  async flush(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.saving = this.saving
      .then(() => {
        this.mergeStored();
        return this.memento.update(historyKey, this.all());
      })
      .catch(() => undefined);
    await this.saving;
  }

  dispose(): void {
    void this.flush();
    this.changed.dispose();
  }

  /**
   * Every window keeps its own copy of the shared history: before writing, take in what other
   * windows wrote meanwhile (the newer copy of a run wins), so one window never erases another's runs.
   */
  private mergeStored(): void {
    const stored = z.array(z.unknown()).safeParse(this.memento.get(historyKey) ?? []);
    const changes: RunChange[] = [];
    for (const item of stored.success ? stored.data : []) {
      const parsed = RunRecordSchema.safeParse(item);
      if (!parsed.success) continue;
      const key = keyOf(parsed.data);
      const local = this.runs.get(key);
      if (this.removedKeys.has(key) || (local && local.updatedAt >= parsed.data.updatedAt)) continue;
      this.runs.set(key, parsed.data);
      // No previousStatus: the window that watched the run has told its user already.
      changes.push({ record: parsed.data });
    }
    for (const change of [...changes]) changes.push(...this.applyCap(change.record));
    if (changes.length > 0) this.changed.fire(changes);
  }

  /** Keeps the newest runs of the record's workflow; runs in flight are never dropped. */
  private applyCap(record: RunRecord): RunChange[] {
    const limit = Math.max(1, this.maxRunsPerWorkflow());
    const siblings = this.forWorkflow(record.connection, record.snapshot.workflowId);
    const removed: RunChange[] = [];
    for (const old of siblings.slice(limit)) {
      if (isInFlight(old)) continue;
      this.runs.delete(keyOf(old));
      this.removedKeys.add(keyOf(old));
      removed.push({ record: old, removed: true });
    }
    return removed;
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.flush();
    }, this.saveDelayMs);
  }
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
