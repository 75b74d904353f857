// The run bookkeeping every platform server shares: the runs by id, how many the clients created
// (seeded history does not count), the trigger requests per trigger key, and a reset that forgets
// the clients' runs and re-seeds the history. Platform modules keep only what is theirs (tokens,
// idempotency keys, task indexes) and say what a trigger key is: Zuora's Idempotency-Key, B3OS's
// client-made run id, one key per request on Dify (which has nothing to de-duplicate with).

/** Trigger requests and runs created under one trigger key. `runs > 1`: triggered twice. */
export interface TriggerCount {
  key: string;
  requests: number;
  runs: number;
}

export class RunBook<K, R> {
  private runs = new Map<K, R>();
  private createdCount = 0;
  private triggerCounts = new Map<string, TriggerCount>();

  /** @param seed puts the platform's demo history back (called now and on every reset). */
  constructor(private readonly seed: (book: RunBook<K, R>) => void = () => undefined) {
    this.seed(this);
  }

  /** Runs created by clients since the last reset (to prove a retried trigger created one run). */
  get created(): number {
    return this.createdCount;
  }

  get(id: K): R | undefined {
    return this.runs.get(id);
  }

  has(id: K): boolean {
    return this.runs.has(id);
  }

  values(): R[] {
    return [...this.runs.values()];
  }

  /** A run of the demo history: stored, not counted as created. */
  addSeeded(id: K, run: R): void {
    this.runs.set(id, run);
  }

  /** A trigger request arrived under `key` (whether or not it creates a run). */
  noteTrigger(key: string): void {
    this.countFor(key).requests += 1;
  }

  /** A run a client started: stored and counted (under its trigger key when it has one). */
  addCreated(id: K, run: R, triggerKey?: string): void {
    this.runs.set(id, run);
    this.createdCount += 1;
    if (triggerKey !== undefined) this.countFor(triggerKey).runs += 1;
  }

  /** Per trigger key, in the order keys were first seen. */
  triggers(): TriggerCount[] {
    return [...this.triggerCounts.values()].map((count) => ({ ...count }));
  }

  reset(): void {
    this.runs = new Map();
    this.createdCount = 0;
    this.triggerCounts = new Map();
    this.seed(this);
  }

  private countFor(key: string): TriggerCount {
    let count = this.triggerCounts.get(key);
    if (!count) this.triggerCounts.set(key, (count = { key, requests: 0, runs: 0 }));
    return count;
  }
}
