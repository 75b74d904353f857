// A run read from the base's index holds the fields the views list; its large fields (what was
// sent, inputs, outputs, node timeline, live text) stay in the details file until something needs
// them (historyBase.ts reads them, the store puts them back: see RunStore's `withDetails`).
import type { RunRecord, RunRequest } from './record';
import type { RunSnapshot } from '../providers/model';

/** Large fields of the snapshot, kept in the details file (with the record's own `request`). */
export const snapshotDetailFields = ['inputs', 'outputs', 'options', 'timeline', 'liveText'] as const;
type SnapshotDetailField = (typeof snapshotDetailFields)[number];

/** The large fields of one run, as kept in the details file. */
export type RunDetails = Partial<Pick<RunSnapshot, SnapshotDetailField>> & { request?: RunRequest };

const isSnapshotField: ReadonlySet<string> = new Set(snapshotDetailFields);

/** The record without its large fields, and those fields apart; the record is not changed. */
export function splitDetails(record: RunRecord): { slim: RunRecord; details: RunDetails; any: boolean } {
  const { request, snapshot, ...rest } = record;
  const details: Record<string, unknown> = {};
  const slimSnapshot: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(snapshot)) {
    if (isSnapshotField.has(name) && value !== undefined) details[name] = value;
    else slimSnapshot[name] = value;
  }
  if (request !== undefined) details.request = request;
  return { slim: { ...rest, snapshot: slimSnapshot as RunSnapshot }, details: details as RunDetails, any: Object.keys(details).length > 0 };
}

/** The slim record with its large fields back (only those the details hold: absent stays absent). */
export function joinDetails(slim: RunRecord, details: RunDetails): RunRecord {
  const { request, ...snapshotFields } = details;
  const snapshot: Record<string, unknown> = { ...slim.snapshot };
  for (const [name, value] of Object.entries(snapshotFields)) if (isSnapshotField.has(name) && value !== undefined) snapshot[name] = value;
  return { ...slim, ...(request !== undefined ? { request } : {}), snapshot: snapshot as RunSnapshot };
}
