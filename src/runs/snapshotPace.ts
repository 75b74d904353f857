// A stream can bring a snapshot per node event — tens of thousands a run — and each one the store
// takes costs a merge, the history bounds over the whole timeline, a write and a repaint. The pace
// hands the store the first snapshot at once and then at most one every `intervalMs`, combining
// the ones in between the way the store would have merged them one by one. A change of status
// (a run that ends, stops or fails) is never held back.
import type { RunSnapshot } from '../providers/model';
import { isTerminal } from '../providers/model';
import { mergeSnapshots } from './mergeSnapshot';

export const defaultSnapshotIntervalMs = 200;

export interface PaceClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: PaceClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class SnapshotPace {
  private held: RunSnapshot | undefined;
  private timer: unknown;
  private lastStatus: string | undefined;
  private lastAppliedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly apply: (snapshot: RunSnapshot) => void,
    private readonly intervalMs = defaultSnapshotIntervalMs,
    private readonly clock: PaceClock = realClock,
  ) {}

  push(snapshot: RunSnapshot): void {
    const combined = this.held ? mergeSnapshots(this.held, snapshot) : snapshot;
    const statusMoved = snapshot.status !== this.lastStatus || isTerminal(snapshot.status);
    if (statusMoved || this.clock.now() - this.lastAppliedAt >= this.intervalMs) {
      this.applyNow(combined);
      return;
    }
    this.held = combined;
    this.timer ??= this.clock.setTimeout(() => this.flush(), this.intervalMs - (this.clock.now() - this.lastAppliedAt));
  }

  /** Hands over what is held (the stream ended, failed or the watch stops). */
  flush(): void {
    if (this.held) this.applyNow(this.held);
    else this.cancelTimer();
  }

  /** Drops what is held without handing it over (nobody follows the run any more). */
  dispose(): void {
    this.held = undefined;
    this.cancelTimer();
  }

  private applyNow(snapshot: RunSnapshot): void {
    this.held = undefined;
    this.cancelTimer();
    this.lastStatus = snapshot.status;
    this.lastAppliedAt = this.clock.now();
    this.apply(snapshot);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
