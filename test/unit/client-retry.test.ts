import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  backoffDelay,
  defaultRetryOptions,
  isRetryableFailure,
  mayHaveBeenCarriedOut,
  planRetry,
  resolveRetryOptions,
  serverRequestedDelay,
} from '../../src/client/retry';

const options = resolveRetryOptions();

describe('retry policy', () => {
  it('has the documented defaults and lets callers override some', () => {
    assert.deepEqual({ ...defaultRetryOptions }, { maxAttempts: 4, baseDelayMs: 300, maxDelayMs: 10_000, maxTotalMs: 30_000 });
    assert.deepEqual(resolveRetryOptions({ maxAttempts: 2, baseDelayMs: undefined }), { ...defaultRetryOptions, maxAttempts: 2 });
  });

  it('retries 429/502/503/504 and resets for reads and deduplicated writes only', () => {
    for (const status of [429, 502, 503, 504]) {
      assert.equal(isRetryableFailure('read', { status }), true, `read ${status}`);
      assert.equal(isRetryableFailure('deduplicated', { status }), true, `dedup ${status}`);
      assert.equal(isRetryableFailure('never', { status }), false, `never ${status}`);
    }
    for (const status of [400, 401, 403, 404, 406, 409, 500]) assert.equal(isRetryableFailure('read', { status }), false, `${status}`);
    assert.equal(isRetryableFailure('read', { network: 'reset' }), true);
    assert.equal(isRetryableFailure('deduplicated', { network: 'refused' }), true);
    assert.equal(isRetryableFailure('never', { network: 'reset' }), false);
    assert.equal(isRetryableFailure('never', { network: 'refused' }), false);
    assert.equal(isRetryableFailure('read', { network: 'other' }), false);
    assert.equal(isRetryableFailure('read', { network: 'timeout' }), false, 'a timed-out read would wait twice');
    assert.equal(isRetryableFailure('deduplicated', { network: 'timeout' }), true, 'a timed-out write the platform de-duplicates is resent');
    assert.equal(isRetryableFailure('never', { network: 'timeout' }), false);
  });

  it('knows which failed attempts may have been carried out all the same', () => {
    for (const failure of [{ network: 'reset' }, { network: 'timeout' }, { status: 502 }, { status: 504 }] as const) assert.equal(mayHaveBeenCarriedOut(failure), true, JSON.stringify(failure));
    for (const failure of [{ network: 'refused' }, { network: 'other' }, { status: 429 }, { status: 503 }, { status: 400 }] as const) assert.equal(mayHaveBeenCarriedOut(failure), false, JSON.stringify(failure));
  });

  it('lets the platform veto a retry (retryable:false, quota codes)', () => {
    assert.equal(isRetryableFailure('read', { status: 429, retryable: false }), false);
    assert.equal(isRetryableFailure('read', { status: 503, retryable: false }), false);
  });

  it('draws full-jitter exponential backoff, capped', () => {
    assert.equal(backoffDelay(1, options, () => 0), 0);
    assert.equal(backoffDelay(1, options, () => 0.5), 150);
    assert.equal(backoffDelay(2, options, () => 0.999999), 599);
    assert.equal(backoffDelay(3, options, () => 0.5), 600);
    assert.equal(backoffDelay(20, options, () => 0.5), 5000, 'capped at maxDelayMs');
  });

  it('reads Retry-After as seconds or an HTTP date, and RateLimit-Reset on 429s', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(serverRequestedDelay({ 'retry-after': '2' }, now, false), 2000);
    assert.equal(serverRequestedDelay({ 'retry-after': '0.5' }, now, false), 500);
    assert.equal(serverRequestedDelay({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }, now, false), 5000);
    assert.equal(serverRequestedDelay({ 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' }, now, false), 0, 'a past date means now');
    assert.equal(serverRequestedDelay({ 'ratelimit-reset': '3' }, now, true), 3000);
    assert.equal(serverRequestedDelay({ 'ratelimit-reset': '3' }, now, false), undefined);
    assert.equal(serverRequestedDelay({ 'retry-after': '1', 'ratelimit-reset': '9' }, now, true), 1000, 'Retry-After first');
    assert.equal(serverRequestedDelay({ 'retry-after': 'soon' }, now, false), undefined);
  });

  it('plans retries within attempts and the total budget', () => {
    const random = () => 1 - Number.EPSILON;
    assert.deepEqual(planRetry({ policy: 'read', failure: { status: 503 }, attempt: 1, elapsedMs: 0, options, random }), { retry: true, delayMs: 299 });
    assert.deepEqual(planRetry({ policy: 'read', failure: { status: 503 }, attempt: 4, elapsedMs: 0, options, random }), {
      retry: false,
      reason: 'attempts',
    });
    assert.deepEqual(planRetry({ policy: 'never', failure: { status: 503 }, attempt: 1, elapsedMs: 0, options }), { retry: false, reason: 'policy' });
    // A server asking for more than maxDelayMs is honoured …
    assert.deepEqual(planRetry({ policy: 'read', failure: { status: 429, retryAfterMs: 12_000 }, attempt: 1, elapsedMs: 0, options }), {
      retry: true,
      delayMs: 12_000,
    });
    // … unless the wait would end past the total budget.
    assert.deepEqual(planRetry({ policy: 'read', failure: { status: 429, retryAfterMs: 12_000 }, attempt: 1, elapsedMs: 20_000, options }), {
      retry: false,
      reason: 'budget',
    });
  });
});
