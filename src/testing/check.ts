// Compares a finished run with its payload file's `$expect` (contract, "Payload files as tests").
// Pure: the Testing view and the CLI pass in what the run model says about the run and get back
// every expectation that did not hold, each with the expected and the actual value.
import type { RunSnapshot } from '../providers/model';
import { compileMatcher, isRegexMatcher, taskCountKeys } from './expect';
import type { Expect, TaskCountKey } from './expect';
import { formatPath } from './paths';
import type { PathSegment } from './paths';
import * as l10n from '@vscode/l10n';

/**
 * What the check needs to know about a run: the fields it reads of a RunSnapshot (so a snapshot
 * can be passed as it is), plus the time the follower measured, for platforms that report none.
 */
export type RunOutcome = Pick<RunSnapshot, 'status'> &
  Partial<Pick<RunSnapshot, 'outputs' | 'createdAt' | 'startedAt' | 'finishedAt' | 'durationMs' | 'error'>> & {
    tasks?: Partial<Record<TaskCountKey, number>>;
    /** Wall-clock milliseconds from sending the payload to seeing the run end. */
    elapsedMs?: number;
  };

/** One expectation that did not hold. `expectation` is `status`, `outputs.<path>`, `tasks.<state>` or `maxSeconds`. */
export interface Mismatch {
  expectation: string;
  expected: unknown;
  /** Undefined when the run has no such value. */
  actual: unknown;
  /** `outputs.total: expected 42, got 41`. */
  message: string;
}

/** Longest rendering of one value in a message: outputs can be large, messages stay readable. */
const MAX_VALUE_CHARS = 200;

export function checkExpectations(expect: Expect, run: RunOutcome): Mismatch[] {
  const mismatches: Mismatch[] = [];
  if (expect.status !== undefined && expect.status !== run.status) {
    // Statuses and the key names stay as $expect writes them; the words around them are translated.
    const message = run.error
      ? l10n.t('status: expected {0}, got {1} ({2})', expect.status, run.status, truncate(run.error))
      : l10n.t('status: expected {0}, got {1}', expect.status, run.status);
    mismatches.push({ expectation: 'status', expected: expect.status, actual: run.status, message });
  }
  if (expect.outputs !== undefined) {
    const actualOutputs = isPlainObject(run.outputs) ? run.outputs : undefined;
    // Extra outputs are allowed: only the keys written in $expect are compared.
    for (const [key, expected] of Object.entries(expect.outputs)) {
      const actual = actualOutputs && hasOwn(actualOutputs, key) ? actualOutputs[key] : undefined;
      const present = actualOutputs !== undefined && hasOwn(actualOutputs, key);
      compareValue(expected, actual, present, ['outputs', key], mismatches);
    }
  }
  if (expect.tasks !== undefined) {
    for (const key of taskCountKeys) {
      const expected = expect.tasks[key];
      if (expected === undefined) continue;
      const actual = run.tasks?.[key];
      if (actual !== expected) {
        mismatches.push({ expectation: `tasks.${key}`, expected, actual, message: l10n.t('{0}: expected {1}, got {2}', `tasks.${key}`, expected, actual ?? l10n.t('no count')) });
      }
    }
  }
  if (expect.maxSeconds !== undefined) {
    const durationMs = runDuration(run);
    if (durationMs === undefined) {
      mismatches.push({ expectation: 'maxSeconds', expected: expect.maxSeconds, actual: undefined, message: l10n.t("maxSeconds: expected at most {0} s, but the run's duration is not known", expect.maxSeconds) });
    } else if (durationMs / 1000 > expect.maxSeconds) {
      // Compared in seconds: 516.309 * 1000 is not exactly 516309 in floating point, 516309 / 1000 is 516.309.
      const seconds = durationMs / 1000;
      mismatches.push({ expectation: 'maxSeconds', expected: expect.maxSeconds, actual: seconds, message: l10n.t('maxSeconds: expected at most {0} s, took {1} s', expect.maxSeconds, formatSeconds(seconds, expect.maxSeconds)) });
    }
  }
  return mismatches;
}

/** The platform's own duration when it gives one, else its start and end times, else what the follower measured. */
export function runDuration(run: RunOutcome): number | undefined {
  if (run.durationMs !== undefined && Number.isFinite(run.durationMs)) return run.durationMs;
  const start = run.startedAt ?? run.createdAt;
  if (start !== undefined && run.finishedAt !== undefined) return Math.max(0, run.finishedAt - start);
  return run.elapsedMs;
}

/**
 * Deep equality that reports where: one mismatch per differing leaf, a missing key or an extra key
 * (below the top level an output must equal what was written, extra keys included), and one for an
 * array whose length differs (its items cannot be paired up meaningfully).
 */
function compareValue(expected: unknown, actual: unknown, present: boolean, path: PathSegment[], out: Mismatch[]): void {
  const expectation = formatPath(path);
  const mismatch = (message: string): void => {
    out.push({ expectation, expected, actual: present ? actual : undefined, message: l10n.t({ message: '{0}: {1}', args: [expectation, message], comment: ['{0} is the place in $expect, such as outputs.total; {1} what did not hold there.'] }) });
  };
  if (!present) {
    mismatch(l10n.t('expected {0}, got nothing (no such output)', describe(expected)));
    return;
  }
  if (isRegexMatcher(expected)) {
    if (typeof actual !== 'string' || !compileMatcher(expected).test(actual)) mismatch(expectedGot(expected, actual));
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return mismatch(expectedGot(expected, actual));
    if (actual.length !== expected.length) return mismatch(l10n.t('expected {0}, got {1}: {2}', items(expected.length), items(actual.length), describe(actual)));
    expected.forEach((item, index) => compareValue(item, actual[index], true, [...path, index], out));
    return;
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return mismatch(expectedGot(expected, actual));
    for (const [key, item] of Object.entries(expected)) {
      if (hasOwn(actual, key)) compareValue(item, actual[key], true, [...path, key], out);
      else compareValue(item, undefined, false, [...path, key], out);
    }
    for (const [key, item] of Object.entries(actual)) {
      if (hasOwn(expected, key)) continue;
      const extra = formatPath([...path, key]);
      out.push({ expectation: extra, expected: undefined, actual: item, message: l10n.t('{0}: expected no such key, got {1}', extra, describe(item)) });
    }
    return;
  }
  // JSON scalars: string, number, boolean, null (0 and -0 are the same number in JSON).
  if (expected !== actual) mismatch(expectedGot(expected, actual));
}

function expectedGot(expected: unknown, actual: unknown): string {
  return l10n.t('expected {0}, got {1}', describe(expected), describe(actual));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** A value as it would be written in the payload file, cut to a readable length. */
export function describe(value: unknown): string {
  if (value === undefined) return l10n.t('nothing');
  if (isRegexMatcher(value)) return l10n.t('a string matching {0}', `/${truncate(value.$regex)}/`);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return truncate(text);
}

function truncate(text: string): string {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function items(count: number): string {
  return count === 1 ? l10n.t('1 item') : l10n.t('{0} items', count);
}

/** 7.25 → "7.3", with more decimals when rounding would hide that the limit was passed (5.0004 s vs 5 s). */
function formatSeconds(seconds: number, limit: number): string {
  for (const decimals of [1, 2, 3]) {
    const rounded = Number(seconds.toFixed(decimals));
    if (rounded > limit) return String(rounded);
  }
  return String(seconds);
}

/** Longest text of one side of a diff: the editor's diff view stays responsive, the message says it was cut. */
const MAX_DIFF_CHARS = 20_000;

/**
 * Both sides of a mismatch as pretty JSON, for a side-by-side diff (the Testing view's
 * `TestMessage.diff`). A value the run does not have reads "(nothing)"; a matcher reads as its pattern.
 */
export function mismatchDiff(mismatch: Mismatch): { expected: string; actual: string } {
  return { expected: diffText(mismatch.expected), actual: diffText(mismatch.actual) };
}

function diffText(value: unknown): string {
  if (value === undefined) return l10n.t('(nothing)');
  if (isRegexMatcher(value)) return l10n.t('a string matching {0}', `/${value.$regex}/`);
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_DIFF_CHARS ? `${text.slice(0, MAX_DIFF_CHARS)}\n${l10n.t('… (cut at {0} characters)', MAX_DIFF_CHARS)}` : text;
}
