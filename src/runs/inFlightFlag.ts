// "Is any run in flight?" answered at activation without zod, without the store and without
// reading history files: the store keeps a count in the Memento (one tiny value, written only
// when the count changes). Before the first migration the old whole-history value is still there,
// so that is read the old way.
import { isTerminal } from '../providers/status';
import { historyKey } from './historyKey';

/** Memento key of the number of runs in flight, as the last store to write knew it. */
export const runsInFlightKey = 'workflowRuns.history.runsInFlight';
/** The history as versions ≤ 0.1 kept it: one Memento value. Read once, then moved to files. */
export const legacyHistoryKey = historyKey;

export interface MementoReader {
  get<T>(key: string): T | undefined;
}

export function hasRunsInFlight(memento: MementoReader): boolean {
  const count = memento.get<unknown>(runsInFlightKey);
  if (typeof count === 'number') return count > 0;
  const legacy = memento.get<unknown>(legacyHistoryKey);
  if (!Array.isArray(legacy)) return false;
  return legacy.some((record) => {
    const snapshot = (record as { snapshot?: { status?: unknown; untracked?: unknown } } | null)?.snapshot;
    // Mirrors isInFlight() without loading it: runs the platform cannot report are not watched.
    return typeof snapshot?.status === 'string' && !isTerminal(snapshot.status) && !snapshot.untracked;
  });
}
