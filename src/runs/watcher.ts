// One watcher per run in flight: it feeds the provider's snapshots into the store until the run
// ends, and stops on deactivation. Nothing polls when nothing is in flight, because watchers only
// exist for runs in flight. It never gives up on a run in flight for a passing fault: a wait the
// platform asks for (Retry-After) is honoured and shown; failures back off, then slow to a slow
// poll that says so, and normal pace resumes with the first snapshot.
import { describeError, isWorkflowRunsError, serverRequestedWaitMs } from '../client/errors';
import { delay } from '../util/delay';
import { isTerminal, type RunRef, type RunSnapshot } from '../providers/model';
import type { ProviderLogger } from '../providers/provider';
import type { ProviderService } from '../services';
import { isInFlight, keyOf, type RunRecord, type WatchNote } from './record';
import { SnapshotPace } from './snapshotPace';
import type { RunStore } from './store';
import * as l10n from '@vscode/l10n';

export interface WatcherOptions {
  /** Failures in a row before watching slows to `slowPollMs` (it never stops for them). */
  failuresBeforeSlowPoll?: number;
  baseRetryMs?: number;
  maxRetryMs?: number;
  /** The pace once failures keep coming (default 60 s). */
  slowPollMs?: number;
  /** The longest wait a server's Retry-After gets (default 10 min): a longer one is cut to this. */
  maxServerWaitMs?: number;
  /** The most often a stream's snapshots reach the store while the status stays (default 200 ms). */
  snapshotIntervalMs?: number;
}

export const defaultSlowPollMs = 60_000;
export const defaultMaxServerWaitMs = 10 * 60_000;

/** What to do after one failure while watching: how long to wait, and what to tell the user. */
export interface FailurePlan {
  waitMs: number;
  note?: WatchNote;
  /** A configuration problem waiting cannot cure: watching ends (Refresh restarts it). */
  giveUp: boolean;
  /** Whether this failure counts toward the slow poll (a wait the server asked for does not). */
  counts: boolean;
}

/** Pure, for tests: the wait and note after a failure, given the failures in a row so far. */
export function planAfterFailure(error: unknown, failuresBefore: number, options: WatcherOptions, now: number): FailurePlan {
  if (isWorkflowRunsError(error) && error.kind === 'config') return { waitMs: 0, giveUp: true, counts: true };
  const base = options.baseRetryMs ?? 1000;
  const asked = serverRequestedWaitMs(error);
  if (asked !== undefined) {
    const waitMs = Math.max(base, Math.min(asked, options.maxServerWaitMs ?? defaultMaxServerWaitMs));
    const status = isWorkflowRunsError(error) ? error.status : undefined;
    return { waitMs, giveUp: false, counts: false, note: { reason: 'serverAsked', status, waitMs, nextCheckAt: now + waitMs } };
  }
  const failures = failuresBefore + 1;
  if (failures >= (options.failuresBeforeSlowPoll ?? 8)) {
    const waitMs = options.slowPollMs ?? defaultSlowPollMs;
    return { waitMs, giveUp: false, counts: true, note: { reason: 'slowPoll', waitMs, nextCheckAt: now + waitMs, failures } };
  }
  return { waitMs: Math.min(options.maxRetryMs ?? 60_000, base * 2 ** (failures - 1)), giveUp: false, counts: true };
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
    const lease = this.store.keepLease(connection, runId);
    try {
      await this.followHere(record, updates, signal);
    } finally {
      lease.dispose();
    }
  }

  private async followHere(record: RunRecord, updates: AsyncIterable<RunSnapshot> | undefined, signal: AbortSignal): Promise<void> {
    const { connection, platform } = record;
    const ref: RunRef = { runId: record.snapshot.runId, workflowId: record.snapshot.workflowId, handle: record.snapshot.handle };
    const slowAfter = this.options.failuresBeforeSlowPoll ?? 8;
    let failures = 0;
    let source = updates;
    while (!signal.aborted) {
      try {
        const provider = await this.providers.get(connection);
        if (failures >= slowAfter) {
          // Slow poll: one read per wait, not a watch whose own polling would retry in a burst.
          // The first answer brings back the normal pace.
          const probed = await provider.getRun({ ...ref, handle: this.store.get(connection, ref.runId)?.snapshot.handle ?? ref.handle }, signal);
          if (signal.aborted) return;
          this.store.upsert(connection, platform, probed, { watchError: null });
          this.log.info(`Watching run ${ref.runId} on “${connection}” is back to its normal pace.`);
          failures = 0;
          if (isTerminal(probed.status)) return;
        }
        const current = this.store.get(connection, ref.runId);
        const iterable = source ?? provider.watch({ ...ref, handle: current?.snapshot.handle ?? ref.handle }, signal);
        source = undefined;
        // A snapshot ends any wait: the upsert clears the watch note, this clears the error. A
        // run no longer followed (removed, window closing) takes nothing still held.
        const pace = new SnapshotPace((snapshot) => {
          if (!signal.aborted) this.store.upsert(connection, platform, snapshot, { watchError: null });
        }, this.options.snapshotIntervalMs);
        try {
          for await (const snapshot of iterable) {
            if (signal.aborted) return;
            pace.push(snapshot);
            if (failures > 0) this.log.info(`Watching run ${ref.runId} on “${connection}” is back to its normal pace.`);
            failures = 0;
            if (isTerminal(snapshot.status)) return;
          }
        } finally {
          if (signal.aborted) pace.dispose();
          else pace.flush();
        }
        if (signal.aborted) return;
        // The stream ended without a final state: ask the platform where the run stands.
        const confirmed = await provider.getRun({ ...ref, handle: this.store.get(connection, ref.runId)?.snapshot.handle }, signal);
        this.store.upsert(connection, platform, confirmed, { watchError: null });
        failures = 0;
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
        const plan = planAfterFailure(error, failures, this.options, Date.now());
        if (plan.counts) failures += 1;
        const message = describeError(error);
        this.log.warn(`Watching run ${ref.runId} on “${connection}” failed (${Math.min(failures, slowAfter)}/${slowAfter}): ${message}`);
        if (plan.giveUp) {
          this.store.setWatchError(connection, ref.runId, l10n.t('Stopped watching: {0}', message));
          return;
        }
        if (plan.note?.reason === 'serverAsked') {
          const asked = serverRequestedWaitMs(error) ?? plan.waitMs;
          const cut = asked > plan.waitMs ? ` (it asked for ${Math.round(asked / 1000)} s; ${Math.round(plan.waitMs / 1000)} s is the most watching waits)` : '';
          this.log.info(`Run ${ref.runId} on “${connection}”: ${platform} asked to wait; checking again in ${Math.round(plan.waitMs / 1000)} s${cut}.`);
        } else if (plan.note?.reason === 'slowPoll') {
          this.log.warn(`Run ${ref.runId} on “${connection}”: ${failures} failures in a row; checking every ${Math.round(plan.waitMs / 1000)} s until ${platform} answers again.`);
        }
        // A wait the platform asked for is not an error of watching: only the note says it.
        if (plan.note?.reason !== 'serverAsked') this.store.setWatchError(connection, ref.runId, message);
        this.store.setWatchNote(connection, ref.runId, plan.note);
        try {
          await delay(plan.waitMs, signal);
        } catch {
          return;
        }
      }
    }
  }
}
