// Coalesces bursts of changes (a streaming run can change many times a second) into few runs of
// one callback, and always delivers the last change: a call that cannot run now is deferred, never
// dropped. While changes keep coming it runs at most once per `intervalMs`; once they stop for
// `quietMs` it runs without waiting for the interval's end (the final state of a burst shows
// at once, not up to an interval later), and a change that comes after such a pause runs at once,
// as the very first one does; but never closer than `minGapMs` to the previous run, which caps
// the rate. Two throttles in a row (a run's snapshots paced for the store, then the store's
// changes posted to a page) thus wait for a pause once, not twice. Pure (timers injectable) so it
// is unit-tested.

/** A run details page gets at most one post per this many ms while its run streams; the last state is always posted. */
export const runPagePostIntervalMs = 100;

export interface ThrottleTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ThrottlePace {
  /** While changes keep coming, at most one run per this many ms. */
  intervalMs: number;
  /** Changes that stopped this long ago run without waiting for the interval's end (default 16 ms). */
  quietMs?: number;
  /** Never two runs closer than this (default 50 ms, or the interval when shorter): at most 20 a second. */
  minGapMs?: number;
}

const realTimers: ThrottleTimers = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class Throttle {
  private last = Number.NEGATIVE_INFINITY;
  private lastChange = Number.NEGATIVE_INFINITY;
  private timer: unknown;
  private readonly intervalMs: number;
  private readonly quietMs: number;
  private readonly minGapMs: number;

  constructor(
    private readonly run: () => void,
    pace: number | ThrottlePace = runPagePostIntervalMs,
    private readonly timers: ThrottleTimers = realTimers,
  ) {
    const { intervalMs, quietMs = 16, minGapMs = 50 } = typeof pace === 'number' ? { intervalMs: pace } : pace;
    this.intervalMs = intervalMs;
    this.quietMs = quietMs;
    this.minGapMs = Math.min(minGapMs, intervalMs);
  }

  /**
   * Runs now if the last run is an interval ago, or if this change follows a pause and the last run
   * is at least the gap ago; else once the changes pause or the interval ends.
   */
  schedule(): void {
    const now = this.timers.now();
    const afterPause = now - this.lastChange >= this.quietMs;
    this.lastChange = now;
    // A timer already set is checked again when it fires: one timer per burst, not one per change.
    if (this.timer !== undefined) return;
    if (now - this.last >= this.intervalMs || (afterPause && now - this.last >= this.minGapMs)) this.fire();
    else this.arm(now);
  }

  /** Runs now, cancelling a deferred run (e.g. the page just said `ready`). */
  flush(): void {
    this.fire();
  }

  dispose(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** When the deferred run is due: after the pause in changes, within the interval, never before the gap. */
  private dueAt(): number {
    return Math.max(this.last + this.minGapMs, Math.min(this.last + this.intervalMs, this.lastChange + this.quietMs));
  }

  private arm(now: number): void {
    this.timer = this.timers.setTimeout(() => this.onTimer(), Math.max(0, this.dueAt() - now));
  }

  private onTimer(): void {
    this.timer = undefined;
    const now = this.timers.now();
    // Changes came while waiting: wait on for their pause (the interval's end bounds it).
    if (this.dueAt() - now >= 1) this.arm(now);
    else this.fire();
  }

  private fire(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.last = this.timers.now();
    this.run();
  }
}
