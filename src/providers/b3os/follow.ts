// Follows a B3OS run: its event stream says *when* something happened (./changes.ts), `GET
// /v1/runs/{id}` says *what*. A burst of events costs one fetch, not one per event; when the
// stream ends or fails before the run does, polling takes over.
import type { SseBatches } from '../../client/types';
import { isTerminal, type RunSnapshot } from '../model';
import { currentMs, pollRun, snapshotFingerprint, type PollOptions } from '../polling';
import { changes } from './changes';

export interface FollowOptions {
  /** The run's stream (already open), or undefined to poll from the start. */
  events: SseBatches | undefined;
  /** Fetches the run; may throw (e.g. 404 while the run is not stored yet). */
  fetchRun: (signal?: AbortSignal) => Promise<RunSnapshot>;
  /** Survives a failed fetch (returns false to give up); shared with the polling fallback. */
  onError: (error: unknown, attempt: number) => boolean;
  poll: Omit<PollOptions, 'signal' | 'onError'>;
  signal: AbortSignal;
  /** Told about the stream's end or failure (for the log). */
  onStreamEnd?: (error: unknown) => void;
  /** Fetch once before the first event (watching a run that started long ago). */
  fetchFirst?: boolean;
  /**
   * While the stream sends nothing but keep-alives for this long, the run is fetched anyway: a
   * stream that pings forever must not hide a run that ended. Default: 20 poll intervals, ≥ 1 s.
   */
  quietFetchMs?: number;
}

export async function* followRun(options: FollowOptions): AsyncGenerator<RunSnapshot> {
  const { signal } = options;
  // Read at each wait: the polling setting may change while the run is followed.
  const quietMs = () => options.quietFetchMs ?? Math.max(1000, currentMs(options.poll.baseMs) * 20);
  let lastPrint: string | undefined;
  let failures = 0;
  for await (const _ of changes(options.events, { signal, first: options.fetchFirst, quietMs, onStreamEnd: options.onStreamEnd })) {
    let snapshot: RunSnapshot;
    try {
      snapshot = await options.fetchRun(signal);
      failures = 0;
    } catch (error) {
      failures += 1;
      if (signal.aborted || !options.onError(error, failures)) throw error;
      continue; // The next event (or the polling fallback) tries again.
    }
    const print = snapshotFingerprint(snapshot);
    if (print !== lastPrint) {
      lastPrint = print;
      yield snapshot;
    }
    if (isTerminal(snapshot.status)) return;
  }
  // The stream ended (or never opened) while the run goes on: poll until it ends.
  for await (const snapshot of pollRun(options.fetchRun, { ...options.poll, signal, onError: options.onError })) {
    const print = snapshotFingerprint(snapshot);
    if (print === lastPrint) continue;
    lastPrint = print;
    yield snapshot;
  }
}
