// The on-disk form of one run in history: how it is bounded before it is written, and how a
// stored copy (from the base or from an entry) is read back. No I/O here: historyFiles.ts does it.
import type { RunSnapshot } from '../providers/model';
import { runStatuses } from '../providers/status';
import { boundSnapshot, runTextChars } from '../providers/bound';
import { boundText, boundValue } from './bound';
import { RunRecordSchema, keyOf, type RunRecord } from './record';
import { maskKnownSecrets } from '../util/redact';

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
  textChars: runTextChars,
  totalRuns: 10_000,
  totalBytes: 64 * 1024 * 1024,
};

/** One run as stored, with the time this copy was first seen (tombstones compare against it). */
export interface StoredRun {
  key: string;
  bornAt: number;
  record: RunRecord;
}

/** The text written for one run: bounded, with known secrets masked. */
export function serializeStoredRun(key: string, bornAt: number, record: RunRecord, limits: HistoryLimits): string {
  return maskKnownSecrets(JSON.stringify({ key, bornAt, record: boundRecord(record, limits) } satisfies StoredRun));
}

export function safeJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const statuses: ReadonlySet<string> = new Set(runStatuses);

export function parseStoredRun(value: unknown, fullCheck: boolean): StoredRun | undefined {
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
