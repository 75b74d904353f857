// When and how long to wait before trying a request again. Pure functions only (no timers, no
// I/O): the HTTP client feeds them what happened and a clock/random source, so tests can pin both.
import type { RetryPolicy } from './types';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Backoff ceiling of the first retry; doubles with each attempt. */
  baseDelayMs: number;
  /** Backoff ceiling of any one wait (a server's Retry-After may ask for more and is honoured). */
  maxDelayMs: number;
  /** No retry starts if waiting would end later than this after the first attempt began. */
  maxTotalMs: number;
}

export const defaultRetryOptions: Readonly<RetryOptions> = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 300,
  maxDelayMs: 10_000,
  maxTotalMs: 30_000,
});

export function resolveRetryOptions(partial?: Partial<RetryOptions>): RetryOptions {
  return { ...defaultRetryOptions, ...stripUndefined(partial ?? {}) };
}

/** What went wrong with one attempt, in the terms retry decisions need. */
export interface AttemptFailure {
  /** HTTP status when the server answered. */
  status?: number;
  /**
   * Set when no answer came: `reset` (the connection was cut: the server may or may not have
   * processed the request), `refused` (nothing listened: the request was surely not processed),
   * `timeout` (no answer in time: the request may have been processed), `other` (DNS, TLS …
   * retrying would not help).
   */
  network?: 'reset' | 'refused' | 'timeout' | 'other';
  /** The platform's own verdict from its error body (Zuora `retryable`, Dify quota codes → false). */
  retryable?: boolean;
  /** Wait the server asked for (Retry-After / RateLimit-Reset), in ms. */
  retryAfterMs?: number;
}

const retryableStatuses: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Whether this failure may be retried under this policy at all (ignoring budgets). */
export function isRetryableFailure(policy: RetryPolicy, failure: AttemptFailure): boolean {
  // A write that could start a second run is never sent twice, whatever happened.
  if (policy === 'never') return false;
  // The platform knows best: `retryable: false` (or a quota code mapped to it) wins over the status.
  if (failure.retryable === false) return false;
  if (failure.status !== undefined) return retryableStatuses.has(failure.status);
  // A timed-out read would likely time out again (and the user waits twice); a timed-out write the
  // platform de-duplicates is resent, because its lost answer is otherwise a "maybe" to the user.
  if (failure.network === 'timeout') return policy === 'deduplicated';
  return failure.network === 'reset' || failure.network === 'refused';
}

/**
 * Whether a failed attempt may have been carried out all the same: its answer was lost (reset,
 * timeout) or a gateway gave up waiting for it (502, 504). A refused connection, a 429 or a 503
 * say it was not, as does any other answer from the platform itself.
 */
export function mayHaveBeenCarriedOut(failure: AttemptFailure): boolean {
  if (failure.network) return failure.network === 'reset' || failure.network === 'timeout';
  return failure.status === 502 || failure.status === 504;
}

/** Exponential backoff with full jitter: a uniform pick in [0, min(max, base·2^(retry-1))]. */
export function backoffDelay(retryNumber: number, options: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The wait a response asks for, in ms: `Retry-After` (delta seconds or an HTTP date) first, then
 * `RateLimit-Reset` (seconds until the window resets) when `useRateLimitReset` (429s only: other
 * responses carry it too, and it says nothing about them). Header names must be lower-case.
 */
export function serverRequestedDelay(
  headers: Record<string, string | undefined>,
  now: number,
  useRateLimitReset: boolean,
): number | undefined {
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  if (useRateLimitReset) {
    const reset = headers['ratelimit-reset']?.trim();
    if (reset && /^\d+(\.\d+)?$/.test(reset)) return Math.round(Number(reset) * 1000);
  }
  return undefined;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: 'policy' | 'attempts' | 'budget' };

export interface RetryInput {
  policy: RetryPolicy;
  failure: AttemptFailure;
  /** Attempts made so far (1 after the first one failed). */
  attempt: number;
  /** Ms since the first attempt began. */
  elapsedMs: number;
  options: RetryOptions;
  random?: () => number;
}

/** Decides whether to try again and after how long. */
export function planRetry(input: RetryInput): RetryDecision {
  const { policy, failure, attempt, elapsedMs, options } = input;
  if (!isRetryableFailure(policy, failure)) return { retry: false, reason: 'policy' };
  if (attempt >= options.maxAttempts) return { retry: false, reason: 'attempts' };
  // A server's explicit wait is honoured as asked (even above maxDelayMs); guessing is jittered.
  const delayMs = failure.retryAfterMs ?? backoffDelay(attempt, options, input.random);
  if (elapsedMs + delayMs > options.maxTotalMs) return { retry: false, reason: 'budget' };
  return { retry: true, delayMs };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
