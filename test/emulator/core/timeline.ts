// Runs in the emulator are event-sourced: creating a run writes its whole future as a list of
// events stamped with an emulated offset; what a client sees at any moment is the fold of the
// events whose offset has passed. Stopping a run rewrites the future (drops what has not happened
// yet, appends the stop events). No timers drive runs, so a run's state is always consistent
// between the polling endpoints and the streams, and `speed` is just a multiplier on elapsed time.

export interface Stamped<E> {
  /** Emulated milliseconds after the run's start. */
  at: number;
  event: E;
}

export class Timeline<E> {
  private readonly entries: Array<Stamped<E>> = [];

  /**
   * @param startedAt real epoch ms at which the run started (may be in the past for seeded history)
   * @param speed emulated ms per real ms
   */
  constructor(
    readonly startedAt: number,
    readonly speed: number,
  ) {}

  /** Emulated ms elapsed since the start. */
  elapsed(): number {
    return (Date.now() - this.startedAt) * this.speed;
  }

  /** The real epoch ms of an emulated offset: timestamps shown to clients are wall-clock times. */
  realTime(at: number): number {
    return this.startedAt + at / this.speed;
  }

  /** Adds an event; entries stay ordered by offset (stable for equal offsets). */
  push(at: number, event: E): void {
    let i = this.entries.length;
    while (i > 0 && this.entries[i - 1]!.at > at) i -= 1;
    this.entries.splice(i, 0, { at, event });
  }

  /** Drops every event that has not happened by `at` (the future of a stopped run). */
  dropAfter(at: number): void {
    for (let i = this.entries.length - 1; i >= 0; i -= 1) {
      if (this.entries[i]!.at > at) this.entries.splice(i, 1);
    }
  }

  /** Events that have happened, in order. Indices into this list are stable over time. */
  happened(now = this.elapsed()): Array<Stamped<E>> {
    const out: Array<Stamped<E>> = [];
    for (const entry of this.entries) {
      if (entry.at > now) break;
      out.push(entry);
    }
    return out;
  }

  /** Every event, past and planned. */
  all(): ReadonlyArray<Stamped<E>> {
    return this.entries;
  }
}

/** Polls a condition every few real ms until it holds or `signal` fires; resolves true if it held. */
export function waitUntil(condition: () => boolean, isCancelled: () => boolean, everyMs = 20): Promise<boolean> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (condition()) return resolve(true);
      if (isCancelled()) return resolve(false);
      setTimeout(check, everyMs);
    };
    check();
  });
}
