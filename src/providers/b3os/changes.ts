// A B3OS event stream read as a signal: its events say *that* something changed (their names
// beyond run_started are undocumented), and a read of the state says *what*. A burst of events is
// worth a read, not one per event. Used by the run follower (./follow.ts) and a workflow's runs
// stream (./adapter.ts).
import type { SseBatches, SseEvent } from '../../client/types';
import { delay } from '../../util/delay';
import { currentMs, type IntervalMs } from '../polling';

/** Keep-alives carry no news. */
export function isKeepAlive(event: SseEvent): boolean {
  const name = event.event.toLowerCase();
  return name === 'ping' || name === 'heartbeat' || name === 'keepalive' || name === 'keep-alive' || (name === 'message' && event.data.trim() === '');
}

export interface ChangeOptions {
  signal: AbortSignal;
  /** One change at once, before any event (a state that began earlier is read first). */
  first?: boolean;
  /** Changes come at least this far apart; the events in between fold into the next. Default 0. */
  minIntervalMs?: IntervalMs;
  /** While the stream sends nothing but keep-alives for this long, a change anyway (read at each wait). */
  quietMs?: () => number;
  /** Told about the stream's end or failure. */
  onStreamEnd?: (error: unknown) => void;
}

/**
 * One value per burst of news on `events` (none: only `first`). Events that arrive while the
 * consumer handles a change, or within `minIntervalMs` of the last one, fold into a single next
 * change, so the last event of any burst is always followed by one. Ends once the stream has ended
 * and no change is pending; throws the signal's reason on abort. The stream is read in the
 * background and its failure only ends it: the caller stops it by aborting `signal`.
 */
export async function* changes(events: SseBatches | undefined, options: ChangeOptions): AsyncGenerator<void> {
  const { signal } = options;
  // Set by the pump whenever an event arrives; cleared as a change is handed out.
  let dirty = options.first ?? false;
  let streamOpen = events !== undefined;
  let lastChange = -Infinity;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };

  // Reads the stream in the background so events arriving meanwhile fold into one flag.
  const pump = async (stream: SseBatches) => {
    try {
      for await (const batch of stream) {
        // A batch is news unless it holds keep-alives only.
        if (batch.every(isKeepAlive)) continue;
        dirty = true;
        notify();
      }
      options.onStreamEnd?.(undefined);
    } catch (error) {
      options.onStreamEnd?.(error);
    } finally {
      streamOpen = false;
      notify();
    }
  };
  if (events) void pump(events);
  const onAbort = () => notify();
  signal.addEventListener('abort', onAbort, { once: true });

  try {
    while (streamOpen || dirty) {
      if (!dirty) {
        const quietMs = options.quietMs?.();
        const quiet =
          quietMs === undefined
            ? undefined
            : setTimeout(() => {
                dirty = true;
                notify();
              }, quietMs);
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (dirty || !streamOpen || signal.aborted) notify();
        }).finally(() => clearTimeout(quiet));
      }
      signal.throwIfAborted();
      if (!dirty) continue;
      const wait = lastChange + currentMs(options.minIntervalMs ?? 0) - Date.now();
      if (wait > 0) await delay(wait, signal);
      dirty = false;
      lastChange = Date.now();
      yield;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
