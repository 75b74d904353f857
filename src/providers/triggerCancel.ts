// What cancelling a trigger means once its request is under way. The platform may have started
// the run before the client can know it: aborting then would leave the run running, unseen and
// unstoppable. So a cancel that comes while the run request is out waits a little for the answer
// that names the run; the trigger resolves with it and the caller stops it (TriggerRequest.signal).

/** How long a cancelled trigger waits for the platform to name a run it may have started. */
export const defaultNamingGraceMs = 5_000;

/**
 * The abort controller of one trigger, and what the caller's cancel does to it: before the run
 * request starts it aborts at once (nothing sent); once the request is under way it waits up to
 * `graceMs` for the run's name, then aborts; once the run is named it aborts at once (the caller
 * owns the run from there). Adapters pass `controller.signal` to the requests of the trigger.
 */
export class TriggerCancel {
  readonly controller = new AbortController();
  private phase: 'before' | 'naming' | 'named' = 'before';
  private grace: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly graceMs = defaultNamingGraceMs,
  ) {
    if (!signal) return;
    if (signal.aborted) {
      this.controller.abort(signal.reason);
      return;
    }
    const onCancel = () => this.cancelled();
    signal.addEventListener('abort', onCancel, { once: true });
    this.controller.signal.addEventListener(
      'abort',
      () => {
        signal.removeEventListener('abort', onCancel);
        clearTimeout(this.grace);
      },
      { once: true },
    );
  }

  /** The run request is under way (credential, connection, body): from now on the platform may have the run. */
  sent(): void {
    if (this.phase === 'before') this.phase = 'naming';
  }

  /**
   * The answer named the run (or the trigger is over). True when the caller cancelled meanwhile:
   * the adapter then lets go of what it holds open and resolves with the run for the caller to stop.
   */
  named(): boolean {
    this.phase = 'named';
    clearTimeout(this.grace);
    this.grace = undefined;
    return this.signal?.aborted === true;
  }

  private cancelled(): void {
    const reason: unknown = this.signal?.reason;
    if (this.phase !== 'naming') this.controller.abort(reason);
    else this.grace ??= setTimeout(() => this.controller.abort(reason), this.graceMs);
  }
}
