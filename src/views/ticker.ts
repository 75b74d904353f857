// Ticks every few seconds while at least one run is in flight, so durations in the trees and the
// status bar count up. No timer exists while nothing is in flight: an idle extension costs nothing.
// Pure (no vscode import) so the start/stop logic is unit-tested with fake timers.
import { Emitter, type Disposable, type Event } from '../util/emitter';

/** The part of the run store the ticker needs. */
export interface InFlightSource {
  inFlight(): readonly unknown[];
  readonly onDidChange: Event<unknown>;
}

export const defaultTickMs = 5000;

export class InFlightTicker implements Disposable {
  private readonly ticked = new Emitter<void>();
  /** Fires at most once per interval, and only while runs are in flight. */
  readonly onDidTick = this.ticked.event;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly subscription: Disposable;
  private disposed = false;

  constructor(
    private readonly source: InFlightSource,
    private readonly intervalMs = defaultTickMs,
  ) {
    this.subscription = source.onDidChange(() => this.update());
    this.update();
  }

  /** True while the timer runs (tests, diagnostics). */
  get running(): boolean {
    return this.timer !== undefined;
  }

  private update(): void {
    const busy = !this.disposed && this.source.inFlight().length > 0;
    if (busy && !this.timer) {
      this.timer = setInterval(() => this.tick(), this.intervalMs);
      // Never keep a process (tests, CLI) alive just to repaint durations.
      (this.timer as { unref?: () => void }).unref?.();
    } else if (!busy && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private tick(): void {
    // The store may have settled without an event reaching us in between; check again.
    this.update();
    if (this.timer) this.ticked.fire();
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    this.update();
    this.ticked.dispose();
  }
}
