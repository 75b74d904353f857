// What the Testing view shows for one payload test, worked out without `vscode`: where each
// failed expectation is placed, which ones get a side-by-side diff, the output line naming the
// run, and how payload files are grouped by folder. The host turns these into TestMessages.
import { mismatchDiff, type Mismatch } from './check';
import { rangeForExpectation, type ExpectLocation, type LineRange } from './locate';
import type { PayloadTestOutcome } from './runTest';
import * as l10n from '@vscode/l10n';

export interface MismatchReport {
  /** Plain words naming the expectation, the expected and the actual value. */
  text: string;
  /** The expectation's own line in `$expect` (or the nearest written parent, or `$expect`). */
  range?: LineRange;
  /** Both sides as pretty JSON, for one value that differs. */
  diff?: { expected: string; actual: string };
}

/** One report per expectation that did not hold, each on its own line of the file. */
export function mismatchReports(mismatches: readonly Mismatch[], location: ExpectLocation | undefined): MismatchReport[] {
  return mismatches.map((mismatch) => ({
    text: mismatch.message,
    range: location ? rangeForExpectation(location, mismatch.expectation) : undefined,
    // A diff of "(nothing)" against "(nothing)" says nothing; anything else is one value against another.
    diff: mismatch.expected === undefined && mismatch.actual === undefined ? undefined : mismatchDiff(mismatch),
  }));
}

/** `orders/big.payload.json: run 8f2c… on zuora-prod failed (2 expectations did not hold) in 4.2 s` */
export function outcomeLine(file: string, connection: string | undefined, outcome: PayloadTestOutcome): string {
  const runId = outcome.snapshot?.runId;
  const run = runId ? (connection ? l10n.t('run {0} on {1}', runId, connection) : l10n.t('run {0}', runId)) : l10n.t('no run was started');
  const seconds = l10n.t('{0} s', (outcome.elapsedMs / 1000).toFixed(1));
  // {0} is always the payload file and {1} the run ("run <id> on <connection>", or "no run was started").
  const comment = ['{0} is a payload file; {1} names its run ("run <id> on <connection>") or says "no run was started".'];
  switch (outcome.verdict) {
    case 'passed':
      return l10n.t({ message: '{0}: {1} passed in {2}', args: [file, run, seconds], comment });
    case 'failed': {
      const count = outcome.mismatches.length;
      const held = count === 1 ? l10n.t('1 expectation did not hold') : l10n.t('{0} expectations did not hold', count);
      return l10n.t({ message: '{0}: {1} failed in {2} ({3})', args: [file, run, seconds, held], comment });
    }
    case 'error':
      return l10n.t({ message: '{0}: {1} could not be checked: {2}', args: [file, run, outcome.error ?? l10n.t('unknown error')], comment });
    case 'cancelled':
      return outcome.error
        ? l10n.t({ message: '{0}: {1} cancelled: {2}', args: [file, run, outcome.error], comment })
        : l10n.t({ message: '{0}: {1} cancelled', args: [file, run], comment });
  }
}

/**
 * The folder a payload file is grouped under, as a workspace-relative path with `/` separators
 * ("" for a file at the workspace root), and the file's own name.
 */
export function splitRelativePath(relativePath: string): { folder: string; name: string } {
  const normalized = relativePath.replace(/\\/g, '/');
  const slash = normalized.lastIndexOf('/');
  return slash < 0 ? { folder: '', name: normalized } : { folder: normalized.slice(0, slash), name: normalized.slice(slash + 1) };
}

/** True for a file name the Testing view looks at: `*.payload.json` or `*.payload.jsonc`. */
export function isPayloadFileName(path: string): boolean {
  return /\.payload\.jsonc?$/i.test(path);
}

/** The Testing view's parallelism: the setting when it is a whole number from 1 to 32, else 4. */
export function parallelism(setting: unknown): number {
  return typeof setting === 'number' && Number.isInteger(setting) && setting >= 1 ? Math.min(32, setting) : 4;
}
