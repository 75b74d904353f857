// A stream can bring a snapshot per node event — tens of thousands a run — and each one the store
// takes costs a merge, the history bounds over the whole timeline, a write and a repaint. The pace
// hands the store the first snapshot at once and then, while snapshots keep coming, at most one
// every `intervalMs`, combining the ones in between the way the store would have merged them one
// by one; when they pause, what is held is handed over at once (the last state of a burst is not
// left waiting). A change of status (a run that ends, stops or fails) is never held back.
import type { RunSnapshot } from '../providers/model';
import { isTerminal } from '../providers/model';
import { Throttle, type ThrottleTimers } from '../util/throttle';
import { mergeSnapshots } from './mergeSnapshot';

export const defaultSnapshotIntervalMs = 200;

export class SnapshotPace {
  private held: RunSnapshot | undefined;
  private lastStatus: string | undefined;
  private readonly throttle: Throttle;

  constructor(
    private readonly apply: (snapshot: RunSnapshot) => void,
    intervalMs = defaultSnapshotIntervalMs,
    timers?: ThrottleTimers,
  ) {
    this.throttle = new Throttle(() => this.handOver(), { intervalMs }, timers);
  }

  push(snapshot: RunSnapshot): void {
    this.held = this.held ? mergeSnapshots(this.held, snapshot) : snapshot;
    if (snapshot.status !== this.lastStatus || isTerminal(snapshot.status)) this.throttle.flush();
    else this.throttle.schedule();
  }

  /** Hands over what is held (the stream ended, failed or the watch stops). */
  flush(): void {
    if (this.held) this.throttle.flush();
    else this.throttle.dispose();
  }

  /** Drops what is held without handing it over (nobody follows the run any more). */
  dispose(): void {
    this.held = undefined;
    this.throttle.dispose();
  }

  private handOver(): void {
    const snapshot = this.held;
    if (!snapshot) return;
    this.held = undefined;
    this.lastStatus = snapshot.status;
    this.apply(snapshot);
  }
}
