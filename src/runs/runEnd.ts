// Which store changes announce a run's end to the user (pure: unit-tested; the notification itself
// is in ./notifier.ts).
import { isTerminal } from '../providers/model';
import type { RunChange } from './store';

/**
 * A run seen in flight that has just ended, and that the user started or opened: runs already over
 * when first seen, and runs found in a platform's run list (started by someone or something
 * else), end silently.
 */
export function announcesEnd({ record, previousStatus, removed }: RunChange): boolean {
  if (removed || previousStatus === undefined || isTerminal(previousStatus) || !isTerminal(record.snapshot.status)) return false;
  return !record.snapshot.fromRunList;
}
