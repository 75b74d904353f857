// The Runs view's status filter, as pure functions (unit-tested): which statuses are kept and how
// the filter reads in the view's description.
import { runStatuses, type RunStatus } from '../providers/model';
import type { RunRecord } from '../runs/record';
import { plainL10n, statusWord, type L10n } from './runPresentation';

/** A filter: the statuses shown, or undefined for "all runs". */
export type StatusFilter = readonly RunStatus[] | undefined;

/**
 * One spelling per filter: known statuses only, in model order, no duplicates; none or every
 * status means no filter (an empty view from "nothing picked" would only look broken).
 */
export function normalizeFilter(statuses: Iterable<string> | undefined): StatusFilter {
  if (!statuses) return undefined;
  const picked = new Set<string>(statuses);
  const kept = runStatuses.filter((status) => picked.has(status));
  return kept.length === 0 || kept.length === runStatuses.length ? undefined : kept;
}

export function matchesFilter(record: RunRecord, filter: StatusFilter): boolean {
  return !filter || filter.includes(record.snapshot.status);
}

/** "Failed, Stopped" — undefined when nothing is filtered. */
export function describeFilter(filter: StatusFilter, l10n: L10n = plainL10n): string | undefined {
  if (!filter) return undefined;
  return filter.map((status) => statusWord(status, l10n)).join(', ');
}
