// Adaptive polling for platforms (or moments) without a stream: quick while a run changes,
// backing off while it is quiet, and never past its end.
import { serverRequestedWaitMs } from '../client/errors';
import { delay } from '../util/delay';
import { isTerminal, type RunSnapshot } from './model';

/**
 * An interval in ms, or a function read on every wait: a setting the user changes then applies to
 * runs already being followed, not only to the next adapter.
 */
export type IntervalMs = number | (() => number);

export function currentMs(interval: IntervalMs): number {
  return typeof interval === 'function' ? interval() : interval;
}

/** A waiting poll looks at a live interval this often, so a shorter one takes effect within a second. */
const liveIntervalRecheckMs = 1000;

export interface PollOptions {
  /** First interval, and the interval right after any change. */
  baseMs: IntervalMs;
  /** The slowest interval while nothing changes. */
  maxMs?: number;
  /** Multiplier applied after each unchanged poll. */
  backoff?: number;
  signal?: AbortSignal;
  /** Poll errors the caller chooses to survive (e.g. one 503); returns false to give up. */
  onError?: (error: unknown, attempt: number) => boolean;
}

/** Delay after `unchangedPolls` polls that saw nothing new. Pure, for tests. */
export function nextPollDelay(unchangedPolls: number, options: { baseMs: number; maxMs?: number; backoff?: number }): number {
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
    await waitBeforePoll(unchanged + failures, options);
  }
}

/**
 * The pause before the next poll. With a live interval the pause is re-measured at least once a
 * second against the current setting: lowered from 60 s to 1 s, the next poll comes within a
 * second or so, not after the minute already begun.
 */
async function waitBeforePoll(quietPolls: number, options: PollOptions): Promise<void> {
  const dueMs = () => nextPollDelay(quietPolls, { ...options, baseMs: currentMs(options.baseMs) });
  if (typeof options.baseMs === 'number') return delay(dueMs(), options.signal);
  const started = Date.now();
  for (;;) {
    const left = dueMs() - (Date.now() - started);
    if (left <= 0) return;
    await delay(Math.min(left, liveIntervalRecheckMs), options.signal);
  }
}
