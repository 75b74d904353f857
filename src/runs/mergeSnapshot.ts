// How a new snapshot of a run combines with the one held: fields a snapshot leaves out keep their
// previous value (a poll does not repeat the inputs a trigger sent); a run that has ended never
// goes back to running because of a late, stale snapshot.
import type { RunSnapshot } from '../providers/model';
import { isTerminal } from '../providers/status';

export function mergeIncoming(previous: RunSnapshot | undefined, snapshot: RunSnapshot): RunSnapshot {
  let merged: RunSnapshot = previous ? mergeSnapshots(previous, snapshot) : snapshot;
  // A stop was asked for: a poll that still says "running" does not undo "stopping".
  if (previous?.status === 'stopping' && !isTerminal(snapshot.status)) merged = { ...merged, status: 'stopping' };
  if (previous && isTerminal(previous.status) && !isTerminal(snapshot.status)) {
    // A late snapshot from before the end: the final one's fields win (status, task counts …);
    // the stale one only fills fields the final one lacks.
    merged = mergeSnapshots(snapshot, previous);
  }
  return merged;
}

/** Field by field, the newer value wins where it has one; `mergeIncoming` adds the rules about ended runs. */
export function mergeSnapshots(previous: RunSnapshot, next: RunSnapshot): RunSnapshot {
  const merged: Record<string, unknown> = { ...previous };
  for (const [key, value] of Object.entries(next)) {
    if (value !== undefined) merged[key] = value;
  }
  // An empty timeline from a poll that does not fetch tasks must not wipe a streamed one.
  if ((next.timeline?.length ?? 0) === 0 && previous.timeline?.length) merged.timeline = previous.timeline;
  // The count of executions a timeline holds no entry for belongs to that timeline: a new one
  // brings its own (none when it does not say), never the previous one's.
  else if (next.timeline?.length) {
    if (next.timelineOmitted === undefined) delete merged.timelineOmitted;
    else merged.timelineOmitted = next.timelineOmitted;
  }
  if (previous.handle || next.handle) merged.handle = { ...previous.handle, ...next.handle };
  return merged as RunSnapshot;
}
