import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { formatDuration, formatRelativeTime, runDurationMs, withoutFinalPeriod } from '../../src/util/format';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('formatDuration', () => {
  it('is empty for nothing, negative or non-finite values', () => {
    assert.equal(formatDuration(undefined), '');
    assert.equal(formatDuration(-1), '');
    assert.equal(formatDuration(Number.NaN), '');
    assert.equal(formatDuration(Number.POSITIVE_INFINITY), '');
  });

  it('shows milliseconds below one second', () => {
    assert.equal(formatDuration(0), '0 ms');
    assert.equal(formatDuration(850), '850 ms');
    assert.equal(formatDuration(12.4), '12 ms');
    assert.equal(formatDuration(999), '999 ms');
  });

  it('shows tenths of a second below ten seconds, whole seconds below a minute', () => {
    assert.equal(formatDuration(1000), '1.0 s');
    assert.equal(formatDuration(4200), '4.2 s');
    assert.equal(formatDuration(9949), '9.9 s');
    assert.equal(formatDuration(10_000), '10 s');
    assert.equal(formatDuration(42_400), '42 s');
    assert.equal(formatDuration(59_000), '59 s');
  });

  it('shows minutes and zero-padded seconds below an hour', () => {
    assert.equal(formatDuration(MINUTE), '1 min 00 s');
    assert.equal(formatDuration(3 * MINUTE + 5 * SECOND), '3 min 05 s');
    assert.equal(formatDuration(59 * MINUTE + 59 * SECOND), '59 min 59 s');
  });

  it('shows hours and zero-padded minutes from an hour', () => {
    assert.equal(formatDuration(HOUR), '1 h 00 min');
    assert.equal(formatDuration(2 * HOUR + 7 * MINUTE + 30 * SECOND), '2 h 07 min');
    assert.equal(formatDuration(30 * HOUR), '30 h 00 min');
  });

  it('never shows "60 s" or "60 min" when rounding up', () => {
    // 59.6 s rounds to a whole minute.
    assert.equal(formatDuration(59_600), '1 min 00 s');
    assert.equal(formatDuration(HOUR - 400), '1 h 00 min');
    assert.equal(formatDuration(9_990), '10 s', 'not "10.0 s"');
    assert.equal(formatDuration(999.6), '1.0 s', 'not "1000 ms"');
    assert.equal(formatDuration(999.4), '999 ms');
  });
});

describe('formatRelativeTime', () => {
  const now = Date.UTC(2025, 5, 15, 12, 0, 0);

  it('is empty for nothing or a non-finite time', () => {
    assert.equal(formatRelativeTime(undefined, now), '');
    assert.equal(formatRelativeTime(Number.NaN, now), '');
  });

  it('says "just now" below 45 seconds, and for times slightly in the future', () => {
    assert.equal(formatRelativeTime(now, now), 'just now');
    assert.equal(formatRelativeTime(now - 44 * SECOND, now), 'just now');
    assert.equal(formatRelativeTime(now + 5 * SECOND, now), 'just now');
  });

  it('counts minutes from 45 seconds to under an hour', () => {
    assert.equal(formatRelativeTime(now - 45 * SECOND, now), '1 min ago');
    assert.equal(formatRelativeTime(now - 5 * MINUTE, now), '5 min ago');
    assert.equal(formatRelativeTime(now - 59 * MINUTE - 29 * SECOND, now), '59 min ago');
  });

  it('counts hours from an hour to under a day', () => {
    assert.equal(formatRelativeTime(now - 59 * MINUTE - 30 * SECOND, now), '1 h ago');
    assert.equal(formatRelativeTime(now - 3 * HOUR, now), '3 h ago');
    assert.equal(formatRelativeTime(now - 23 * HOUR - 29 * MINUTE, now), '23 h ago');
  });

  it('counts days from a day to under thirty days', () => {
    assert.equal(formatRelativeTime(now - 23 * HOUR - 30 * MINUTE, now), '1 d ago');
    assert.equal(formatRelativeTime(now - 2 * DAY, now), '2 d ago');
    assert.equal(formatRelativeTime(now - 29 * DAY, now), '29 d ago');
  });

  it('shows the date from thirty days', () => {
    assert.equal(formatRelativeTime(now - 30 * DAY, now), '2025-05-16');
    assert.equal(formatRelativeTime(Date.UTC(2024, 0, 2, 3, 4, 5), now), '2024-01-02');
  });
});

describe('runDurationMs', () => {
  it('is finished − started, now − started in flight, and nothing without a start', () => {
    assert.equal(runDurationMs(1000, 4500, 99_999), 3500);
    assert.equal(runDurationMs(1000, undefined, 2500), 1500);
    assert.equal(runDurationMs(undefined, 4500, 9999), undefined);
    assert.equal(runDurationMs(5000, 4000, 9999), 0, 'never negative (clock skew)');
  });
});

describe('withoutFinalPeriod', () => {
  it('drops the period(s) a sentence ends with, and nothing else', () => {
    assert.equal(withoutFinalPeriod('write "c/<workflow id>".'), 'write "c/<workflow id>"');
    assert.equal(withoutFinalPeriod('unexpected character'), 'unexpected character');
    assert.equal(withoutFinalPeriod('v1.2 failed..'), 'v1.2 failed');
  });
});
