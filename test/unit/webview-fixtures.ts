// A run record for the webview unit tests (not a test file itself: no `.test.` in the name).
import type { RunRecord } from '../../src/runs/record';

export function sampleRecord(overrides: Partial<RunRecord> = {}, snapshot: Partial<RunRecord['snapshot']> = {}): RunRecord {
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
    ...overrides,
  };
}
