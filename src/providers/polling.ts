// Adaptive polling for platforms (or moments) without a stream: quick while a run changes,
// backing off while it is quiet, and never past its end.
import { serverRequestedWaitMs } from '../client/errors';
import { delay } from '../util/delay';
import { isTerminal, type RunSnapshot } from './model';

export interface PollOptions {
  /** First interval, and the interval right after any change. */
  baseMs: number;
  /** The slowest interval while nothing changes. */
  maxMs?: number;
  /** Multiplier applied after each unchanged poll. */
  backoff?: number;
  signal?: AbortSignal;
  /** Poll errors the caller chooses to survive (e.g. one 503); returns false to give up. */
  onError?: (error: unknown, attempt: number) => boolean;
}

/** Delay after `unchangedPolls` polls that saw nothing new. Pure, for tests. */
export function nextPollDelay(unchangedPolls: number, options: Pick<PollOptions, 'baseMs' | 'maxMs' | 'backoff'>): number {
  const max = options.maxMs ?? Math.max(options.baseMs, 15_000);
  const factor = options.backoff ?? 1.5;
  return Math.min(max, Math.round(options.baseMs * factor ** unchangedPolls));
}

/** A cheap fingerprint of what users see change; equal prints mean "quiet". */
export function snapshotFingerprint(snapshot: RunSnapshot): string {
  return JSON.stringify([
    snapshot.status,
    snapshot.platformStatus,
    snapshot.tasks,
    snapshot.timeline?.map((entry) => [entry.id, entry.state]),
    snapshot.finishedAt,
    snapshot.error,
  ]);
}

/**
 * Yields a snapshot each time the run changes and ends after the first terminal one. The first
 * poll happens at once.
 */
export async function* pollRun(
  getRun: (signal?: AbortSignal) => Promise<RunSnapshot>,
  options: PollOptions,
): AsyncGenerator<RunSnapshot> {
  let lastPrint: string | undefined;
  let unchanged = 0;
  let failures = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    let snapshot: RunSnapshot | undefined;
    try {
      snapshot = await getRun(options.signal);
      failures = 0;
    } catch (error) {
      failures += 1;
      // A server that asked for a wait (Retry-After past the client's budget) is not a failure to
      // count and survive quietly: the caller (the run watcher) waits as asked and says so.
      if (serverRequestedWaitMs(error) !== undefined) throw error;
      if (options.signal?.aborted || !options.onError?.(error, failures)) throw error;
    }
    if (snapshot) {
      const print = snapshotFingerprint(snapshot);
      if (print !== lastPrint) {
        lastPrint = print;
        unchanged = 0;
        yield snapshot;
      } else {
        unchanged += 1;
      }
      if (isTerminal(snapshot.status)) return;
    }
    await delay(nextPollDelay(unchanged + failures, options), options.signal);
  }
}
