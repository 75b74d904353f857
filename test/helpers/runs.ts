// Run snapshots and records for tests: the few fields every run needs, plus what a test names.
import { emptyTaskCounts, type RunSnapshot, type RunStatus } from '../../src/providers/model';
import type { RunRecord } from '../../src/runs/record';

/** A snapshot of run `runId` of workflow `wf`, no tasks counted yet. */
export function runSnapshot(runId: string, status: RunStatus, extra: Partial<RunSnapshot> = {}): RunSnapshot {
  return { runId, workflowId: 'wf', status, tasks: emptyTaskCounts(), ...extra };
}

/** A plain record: run `r1` of `wf` on a Zuora connection `prod`, running. */
export function runRecord(snapshot: Partial<RunSnapshot> = {}, fields: Partial<Omit<RunRecord, 'snapshot'>> = {}): RunRecord {
  return {
    connection: 'prod',
    platform: 'zuora',
    triggeredAt: 1_700_000_000_000,
    updatedAt: 1_700_000_060_000,
    ...fields,
    snapshot: runSnapshot(snapshot.runId ?? 'r1', snapshot.status ?? 'running', snapshot),
  };
}

/** A record with every part filled in (name, request, platform status, tasks, handle), for views. */
export function sampleRecord(fields: Partial<RunRecord> = {}, snapshot: Partial<RunSnapshot> = {}): RunRecord {
  return {
    connection: 'prod',
    platform: 'zuora',
    workflowName: 'Invoice sync',
    triggeredAt: 1_700_000_000_000,
    updatedAt: 1_700_000_060_000,
    request: { inputs: { accountId: 'A-1' }, options: {} },
    snapshot: {
      runId: '19063',
      workflowId: '512',
      status: 'running',
      platformStatus: 'Processing',
      startedAt: 1_700_000_001_000,
      tasks: { queued: 1, pending: 0, processing: 2, success: 6, error: 1, stopped: 0, skipped: 0, total: 10 },
      handle: { secretish: 'opaque' },
      ...snapshot,
    },
    ...fields,
  };
}
