// The abort switch of one attempt (its deadline, or the caller's Cancel), made without an
// AbortController: constructing an AbortSignal costs ~30 µs on Node 20 — more than everything else
// the client adds to a keep-alive status request. undici takes any object with
// addEventListener/removeEventListener as a request's signal; this one keeps its listeners (undici's
// and untilAborted's, rarely more) in an array, cheaper than an EventEmitter's `once` wrappers.
import type { Dispatcher } from 'undici';

type Listener = () => void;

export class AttemptAbort {
  aborted = false;
  reason: unknown = undefined;
  /** Whether the deadline (not the caller) aborted it. */
  timedOut = false;
  private listeners: Listener[] = [];
  private deadline: NodeJS.Timeout | undefined;

  /** Aborts after `ms` unless cleared first. The timer gets `this` as its argument: no closure per attempt. */
  startDeadline(ms: number): void {
    this.deadline = setTimeout(expire, ms, this);
  }

  clearDeadline(): void {
    if (this.deadline !== undefined) clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  addEventListener(type: 'abort', listener: Listener): void {
    if (type === 'abort' && !this.aborted) this.listeners.push(listener);
  }

  removeEventListener(type: 'abort', listener: Listener): void {
    const index = type === 'abort' ? this.listeners.indexOf(listener) : -1;
    if (index >= 0) this.listeners.splice(index, 1);
  }

  /** Aborts once; later calls keep the first reason. Every listener runs even if one throws. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = [];
    let failure: { error: unknown } | undefined;
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }

  /** As undici's request options type it (it checks for addEventListener at run time). */
  asRequestSignal(): AbortSignal {
    return this as unknown as AbortSignal;
  }
}

function expire(attempt: AttemptAbort): void {
  attempt.timedOut = true;
  attempt.abort(new Error('deadline'));
}

/**
 * Sends `options` and settles once headers arrived, or at once when `signal` aborts: undici lands
 * an abort only once a queued request got a connection (until then the signal is merely noted), so
 * the deadline and the user's Cancel reject here themselves; the queued request is then dropped by
 * undici when its turn comes (it sees the noted reason before sending anything). undici's callback
 * form is used: its promise form would be one more promise per request.
 */
export function requestUntilAborted(dispatcher: Dispatcher, options: Dispatcher.RequestOptions, signal: AttemptAbort): Promise<Dispatcher.ResponseData> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      reject(signal.reason);
    };
    dispatcher.request(options, (error, data) => {
      signal.removeEventListener('abort', onAbort);
      if (settled) {
        // An answer that still comes after the abort must not hold its socket.
        if (!error) data.body.destroy();
        return;
      }
      settled = true;
      if (error) reject(error);
      else resolve(data);
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort);
  });
}
