// The abort switch of one attempt (its deadline, or the caller's Cancel), made without an
// AbortController: constructing an AbortSignal costs ~30 µs on Node 20 — more than everything else
// the client adds to a keep-alive status request. undici takes an EventEmitter that emits 'abort'
// as a request's signal, so a plain emitter with `aborted` and `reason` does the same job.
import { EventEmitter } from 'node:events';

export class AttemptAbort extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  /** Aborts once; later calls keep the first reason. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}
