// Runs that end close together are announced together: the first end opens a short window, every
// end within it joins, and one notification says them all when it closes. The window is fixed
// (not pushed back by each end), so a steady stream of ends cannot hold announcements back.
// No vscode import: the batching and the counting are tested on their own with a fake clock.
import type { RunStatus } from '../providers/model';

export interface BatchTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: BatchTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Runs ending within this many ms of the first one are one notification. */
export const endBatchWindowMs = 1500;

export class EndBatcher<T> {
  private pending: T[] = [];
  private timer: unknown;

  constructor(
    private readonly flush: (items: T[]) => void,
    private readonly windowMs = endBatchWindowMs,
    private readonly timers: BatchTimers = realTimers,
  ) {}

  add(item: T): void {
    this.pending.push(item);
    if (this.timer !== undefined) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      const batch = this.pending;
      this.pending = [];
      if (batch.length > 0) this.flush(batch);
    }, this.windowMs);
  }

  /** Drops what is pending without announcing it (the extension is going away). */
  dispose(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }
}

export interface EndCounts {
  total: number;
  succeeded: number;
  failed: number;
  /** Stopped, or ended in a state neither success nor failure. */
  other: number;
}

export function countEnds(statuses: readonly RunStatus[]): EndCounts {
  const counts: EndCounts = { total: statuses.length, succeeded: 0, failed: 0, other: 0 };
  for (const status of statuses) {
    if (status === 'succeeded') counts.succeeded += 1;
    else if (status === 'failed') counts.failed += 1;
    else counts.other += 1;
  }
  return counts;
}
