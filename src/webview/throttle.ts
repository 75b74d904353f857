// Coalesces bursts of run changes (a streaming run can change many times a second) into at most
// one post per interval, and always delivers the last one: the call that lands inside the quiet
// period is deferred to its end, never dropped. Pure (timers injectable) so it is unit-tested.

/** A run details page gets at most one post per this many ms while its run streams; the last state is always posted. */
export const runPagePostIntervalMs = 100;

export interface ThrottleTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: ThrottleTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class Throttle {
  private last = Number.NEGATIVE_INFINITY;
  private timer: unknown;

  constructor(
    private readonly run: () => void,
    private readonly intervalMs = 100,
    private readonly timers: ThrottleTimers = realTimers,
  ) {}

  /** Runs now if the last run is an interval ago, else once at the end of the interval. */
  schedule(): void {
    if (this.timer !== undefined) return; // already due: it will read the latest state then
    const wait = this.last + this.intervalMs - this.timers.now();
    if (wait <= 0) {
      this.fire();
    } else {
      this.timer = this.timers.setTimeout(() => this.fire(), wait);
    }
  }

  /** Runs now, cancelling a deferred run (e.g. the page just said `ready`). */
  flush(): void {
    this.fire();
  }

  dispose(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.last = this.timers.now();
    this.run();
  }
}
