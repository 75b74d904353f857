// One watcher per run in flight: it feeds the provider's snapshots into the store until the run
// ends, survives passing failures with backoff, and stops on deactivation. Nothing polls when
// nothing is in flight, because watchers only exist for runs in flight.
import { describeError, isWorkflowRunsError } from '../client/errors';
import { delay } from '../util/delay';
import { isTerminal, type RunRef, type RunSnapshot } from '../providers/model';
import type { ProviderLogger } from '../providers/provider';
import type { ProviderService } from '../services';
import { isInFlight, keyOf, type RunRecord } from './record';
import type { RunStore } from './store';

export interface WatcherOptions {
  /** Consecutive failures before the watcher gives up (the run keeps its watch error; Refresh restarts it). */
  maxFailures?: number;
  baseRetryMs?: number;
  maxRetryMs?: number;
}

export class RunWatchers {
  private readonly active = new Map<string, AbortController>();
  private readonly removals: { dispose(): void };

  constructor(
    private readonly store: RunStore,
    private readonly providers: Pick<ProviderService, 'get'>,
    private readonly log: ProviderLogger,
    private readonly options: WatcherOptions = {},
  ) {
    // A run removed (its connection removed, here or in another window) is no longer followed:
    // its next snapshot would otherwise bring it back.
    this.removals = store.onDidChange((changes) => {
      for (const change of changes) if (change.removed) this.stop(change.record);
    });
  }

  isWatching(record: RunRecord): boolean {
    return this.active.has(keyOf(record));
  }

  get count(): number {
    return this.active.size;
  }

  /**
   * Watches a run to its end. `updates` is the live stream a trigger already opened; `lifetime`
   * lets the caller own the abort (the trigger's own request shares it).
   */
  watch(record: RunRecord, updates?: AsyncIterable<RunSnapshot>, lifetime = new AbortController()): void {
    const key = keyOf(record);
    if (this.active.has(key) || !isInFlight(record)) {
      if (!this.active.has(key)) lifetime.abort();
      return;
    }
    this.active.set(key, lifetime);
    void this.follow(record, updates, lifetime.signal).finally(() => {
      if (this.active.get(key) === lifetime) this.active.delete(key);
    });
  }

  /** Watches again every run the history says was in flight (after a reload). */
  resumeAll(): number {
    const inFlight = this.store.inFlight();
    for (const record of inFlight) this.watch(record);
    return inFlight.length;
  }

  stop(record: RunRecord): void {
    this.active.get(keyOf(record))?.abort();
    this.active.delete(keyOf(record));
  }

  dispose(): void {
    this.removals.dispose();
    for (const controller of this.active.values()) controller.abort();
    this.active.clear();
  }

  /**
   * One window follows a run at a time: this one takes the run's lease (renewed while it
   * follows) or, when another window holds it, shows the run as that window stores it until the
   * run ends or the lease lapses (that window closed), then takes over.
   */
  private async follow(record: RunRecord, updates: AsyncIterable<RunSnapshot> | undefined, signal: AbortSignal): Promise<void> {
    const { connection } = record;
    const runId = record.snapshot.runId;
    while (!signal.aborted && !this.store.acquireLease(connection, runId)) {
      try {
        await delay(this.store.leaseRenewMs, signal);
      } catch {
        return;
      }
      this.store.refreshFromStorage();
      const current = this.store.get(connection, runId);
      if (!current || !isInFlight(current)) return;
    }
    if (signal.aborted) return;
    const renew = setInterval(() => this.store.acquireLease(connection, runId), this.store.leaseRenewMs);
    try {
      await this.followHere(record, updates, signal);
    } finally {
      clearInterval(renew);
      this.store.releaseLease(connection, runId);
    }
  }

  private async followHere(record: RunRecord, updates: AsyncIterable<RunSnapshot> | undefined, signal: AbortSignal): Promise<void> {
    const { connection, platform } = record;
    const ref: RunRef = { runId: record.snapshot.runId, workflowId: record.snapshot.workflowId, handle: record.snapshot.handle };
    const maxFailures = this.options.maxFailures ?? 8;
    let failures = 0;
    let source = updates;
    while (!signal.aborted) {
      try {
        const provider = await this.providers.get(connection);
        const current = this.store.get(connection, ref.runId);
        const iterable = source ?? provider.watch({ ...ref, handle: current?.snapshot.handle ?? ref.handle }, signal);
        source = undefined;
        for await (const snapshot of iterable) {
          if (signal.aborted) return;
          this.store.upsert(connection, platform, snapshot, { watchError: null });
          failures = 0;
          if (isTerminal(snapshot.status)) return;
        }
        if (signal.aborted) return;
        // The stream ended without a final state: ask the platform where the run stands.
        const confirmed = await provider.getRun({ ...ref, handle: this.store.get(connection, ref.runId)?.snapshot.handle }, signal);
        this.store.upsert(connection, platform, confirmed, { watchError: null });
        if (isTerminal(confirmed.status)) return;
        // Still in flight: pause before opening the stream again, or a stream that keeps ending at
        // once would ask the platform in a tight loop.
        try {
          await delay(Math.min(this.options.maxRetryMs ?? 60_000, this.options.baseRetryMs ?? 1000), signal);
        } catch {
          return;
        }
      } catch (error) {
        if (signal.aborted) return;
        failures += 1;
        const message = describeError(error);
        this.log.warn(`Watching run ${ref.runId} on “${connection}” failed (${failures}/${maxFailures}): ${message}`);
        const giveUp = failures >= maxFailures || (isWorkflowRunsError(error) && error.kind === 'config');
        this.store.setWatchError(connection, ref.runId, giveUp ? `Stopped watching: ${message}` : message);
        if (giveUp) return;
        const wait = Math.min(this.options.maxRetryMs ?? 60_000, (this.options.baseRetryMs ?? 1000) * 2 ** (failures - 1));
        try {
          await delay(wait, signal);
        } catch {
          return;
        }
      }
    }
  }
}
