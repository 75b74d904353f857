// Waiting for something asynchronous to become true, in every kind of test (unit, extension host,
// UI): poll, and on timeout fail with the last value or error seen, so a failure says what was there.

export interface EventuallyOptions<T> {
  /** When the value is good enough; by default, when it is truthy. */
  until?: (value: T) => boolean;
  timeoutMs?: number;
  intervalMs?: number;
  /** Names what is awaited in the failure message. */
  what?: string;
}

type Truthy<T> = Exclude<T, undefined | null | false | '' | 0>;

/**
 * Calls `read` until its value satisfies `until` (or, without `until`, is truthy) and returns that
 * value. A `read` that throws is tried again until the deadline.
 */
export function eventually<T>(read: () => T | Promise<T>, options: EventuallyOptions<T> & { until: (value: T) => boolean }): Promise<T>;
export function eventually<T>(read: () => T | Promise<T>, options?: Omit<EventuallyOptions<T>, 'until'>): Promise<Truthy<T>>;
export async function eventually<T>(read: () => T | Promise<T>, options: EventuallyOptions<T> = {}): Promise<T> {
  const { until = Boolean, timeoutMs = 15_000, intervalMs = 100, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: string;
    try {
      const value = await read();
      if (until(value)) return value;
      last = `last value: ${JSON.stringify(value)?.slice(0, 600)}`;
    } catch (error) {
      last = `last error: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${last}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
