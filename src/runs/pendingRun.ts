// The stand-in for a run whose trigger holds its request until the run ends (Zuora's callout
// /sync): recorded as soon as the request is sent, so the run is in history while the answer is
// awaited, and replaced by the real run when the answer comes. The window that waits holds the
// run's lease; a stand-in left behind with no holder (the window closed, the answer with it) is
// ended with the provider's own explanation instead of staying "running" forever.
import { isTerminal, type RunSnapshot } from '../providers/model';
import type { RunRecord, RunRequest } from './record';
import type { RunStore } from './store';
import * as l10n from '@vscode/l10n';

export class PendingRun {
  private recorded: RunRecord | undefined;
  private lease: { dispose(): void } | undefined;

  constructor(
    private readonly store: RunStore,
    private readonly connection: string,
    private readonly platform: string,
    private readonly request: RunRequest,
    private readonly workflowName: string | undefined,
  ) {}

  /** TriggerRequest.onSent: records the stand-in and keeps this window's lease on it. */
  readonly onSent = (pending: RunSnapshot): void => {
    this.recorded = this.store.upsert(this.connection, this.platform, pending, { request: this.request, workflowName: this.workflowName, watchError: pending.untracked });
    this.store.acquireLease(this.connection, pending.runId);
    this.lease = this.store.keepLease(this.connection, pending.runId);
  };

  /** The answer came: the stand-in gives way to the run it names. */
  answered(): void {
    if (!this.recorded) return;
    this.stopWaiting();
    this.store.remove(this.connection, this.recorded.snapshot.runId);
  }

  /** No run came back: the stand-in stays in history as failed, with what went wrong. */
  failed(error: unknown): void {
    if (!this.recorded) return;
    this.stopWaiting();
    const current = this.store.get(this.connection, this.recorded.snapshot.runId)?.snapshot ?? this.recorded.snapshot;
    this.store.upsert(this.connection, this.platform, { ...current, status: 'failed', finishedAt: Date.now(), error: error instanceof Error ? error.message : String(error) }, { watchError: null });
  }

  private stopWaiting(): void {
    this.lease?.dispose();
    this.lease = undefined;
  }
}

/**
 * Ends every stand-in no window is waiting on (at activation: the window that waited was closed
 * or reloaded, and the answer went with it). Returns how many were ended.
 */
export function endAbandonedPendingRuns(store: RunStore, now = Date.now()): number {
  let ended = 0;
  for (const record of store.summaries()) {
    const lost = record.snapshot.awaitingAnswer;
    if (!lost || isTerminal(record.snapshot.status) || store.leaseHolder(record.connection, record.snapshot.runId, now) !== undefined) continue;
    // The merge keeps fields a snapshot leaves out; once ended, `untracked` and `awaitingAnswer` no longer matter.
    store.upsert(record.connection, record.platform, { ...record.snapshot, status: 'failed', platformStatus: l10n.t('Answer lost'), finishedAt: now, error: lost }, { watchError: null });
    ended += 1;
  }
  return ended;
}
