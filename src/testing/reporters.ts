// How test results are written out: TAP 13 and JUnit XML for CI, plain lines for people (the CLI's
// per-file line and its last line `N passed, N failed`). Pure: each takes the finished results and
// returns text, so the CLI decides where it goes.
import * as l10n from '@vscode/l10n';
import { formatDuration } from '../util/format';
import type { Mismatch } from './check';
import { escapeXmlAttribute, escapeXmlText } from './xml';

export interface TestResult {
  /** The payload file, as the user should read it (relative to the workspace or the current folder). */
  file: string;
  /** The test's name (usually the file name). */
  name: string;
  passed: boolean;
  durationMs: number;
  /** Expectations that did not hold; empty when the test passed or could not run. */
  mismatches: readonly Mismatch[];
  /** Why the test could not run at all (bad payload, unknown connection, network): a JUnit <error>, not a <failure>. */
  error?: string;
  runId?: string;
}

/** Why a failed test failed, on one line: the error, or every mismatch. */
export function failureSummary(result: TestResult): string {
  if (result.error) return oneLine(result.error);
  if (result.mismatches.length > 0) return result.mismatches.map((mismatch) => oneLine(mismatch.message)).join('; ');
  return l10n.t('failed');
}

/** `✓ a.payload.json (1.2 s) run 42` or `✗ a.payload.json — outputs.total: expected 42, got 41 (run 42)`. */
export function formatResultLine(result: TestResult): string {
  // The console's lines are for people: translated. The TAP and JUnit reports below are for CI
  // tools: their keys and structure stay as the formats define them.
  const run = result.runId ? l10n.t('run {0}', oneLine(result.runId)) : '';
  if (result.passed) return [`✓ ${oneLine(result.file)}`, `(${formatDuration(result.durationMs)})`, run].filter(Boolean).join(' ');
  return `✗ ${oneLine(result.file)} — ${failureSummary(result)}${run ? ` (${run})` : ''}`;
}

export function countResults(results: readonly TestResult[]): { passed: number; failed: number } {
  const passed = results.filter((result) => result.passed).length;
  return { passed, failed: results.length - passed };
}

/** The last line of every run: `3 passed, 1 failed`. */
export function formatSummaryLine(results: readonly TestResult[]): string {
  const { passed, failed } = countResults(results);
  return l10n.t('{0} passed, {1} failed', passed, failed);
}

// ---- TAP 13 ----------------------------------------------------------------------------------

/**
 * TAP version 13 with a YAML block per test. YAML values are written as JSON (valid YAML flow
 * scalars), with the characters YAML does not allow raw escaped too.
 */
export function formatTap(results: readonly TestResult[]): string {
  const points = results.map((result, index) => formatTapPoint(result, index + 1));
  return `${[formatTapHeader(results.length), ...points, `# ${formatSummaryLine(results)}`].join('\n')}\n`;
}

/** The version line and the plan: what a TAP stream starts with when the number of tests is known. */
export function formatTapHeader(total: number): string {
  return `TAP version 13\n1..${total}`;
}

/** One test point and its YAML block (several lines, no final newline); `number` counts from 1. */
export function formatTapPoint(result: TestResult, number: number): string {
  const lines = [`${result.passed ? 'ok' : 'not ok'} ${number} - ${tapDescription(result.name)}`];
  lines.push('  ---');
  lines.push(`  file: ${yamlScalar(result.file)}`);
  lines.push(`  duration_ms: ${Math.round(result.durationMs)}`);
  if (result.runId) lines.push(`  run_id: ${yamlScalar(result.runId)}`);
  if (!result.passed) {
    lines.push(`  message: ${yamlScalar(failureSummary(result))}`);
    if (result.error) lines.push(`  severity: ${yamlScalar('error')}`);
    if (result.mismatches.length > 0) {
      lines.push('  mismatches:');
      for (const mismatch of result.mismatches) {
        lines.push(`    - expectation: ${yamlScalar(mismatch.expectation)}`);
        if (mismatch.expected !== undefined) lines.push(`      expected: ${yamlValue(mismatch.expected)}`);
        if (mismatch.actual !== undefined) lines.push(`      actual: ${yamlValue(mismatch.actual)}`);
        lines.push(`      message: ${yamlScalar(mismatch.message)}`);
      }
    }
  }
  lines.push('  ...');
  return lines.join('\n');
}

/** A test point's description: one line, and `#` escaped so it is not read as a directive (# SKIP, # TODO). */
function tapDescription(name: string): string {
  return oneLine(name).replace(/\\/g, '\\\\').replace(/#/g, '\\#');
}

/** Longest JSON kept for one value in a report: a huge output would bury the rest. */
const MAX_REPORT_VALUE_CHARS = 2000;

function yamlValue(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) return yamlScalar(String(value));
  // Cut JSON would not parse back: a long value becomes a string holding its beginning.
  if (json.length > MAX_REPORT_VALUE_CHARS) return yamlScalar(`${json.slice(0, MAX_REPORT_VALUE_CHARS - 1)}…`);
  return yamlEscapeNonPrintable(json);
}

function yamlScalar(text: string): string {
  return yamlEscapeNonPrintable(JSON.stringify(text));
}

// JSON leaves DEL, C1 controls, the Unicode line separators and BOM-like characters raw; YAML needs
// them escaped. Outside strings (numbers, true, null) none of them can occur, so escaping is safe.
function yamlEscapeNonPrintable(json: string): string {
  return json.replace(/[\u007F-\u0084\u0086-\u009F\u2028\u2029\uFEFF\uFFFE\uFFFF]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---- JUnit XML ---------------------------------------------------------------------------------

export interface JUnitOptions {
  /** The suite's name (default "Workflow Runs"). */
  suiteName?: string;
  /** When the run started, for the suite's timestamp attribute. */
  timestamp?: Date;
}

/**
 * One <testsuites> with one <testsuite>: a <testcase> per payload file (classname = the file, so
 * CI tools group by it), a <failure> listing every mismatch, an <error> when the test could not
 * run, and the run id in <system-out>.
 */
export function formatJUnit(results: readonly TestResult[], options: JUnitOptions = {}): string {
  const suiteName = options.suiteName ?? 'Workflow Runs';
  const errors = results.filter((result) => !result.passed && result.error).length;
  const failures = results.filter((result) => !result.passed && !result.error).length;
  const time = seconds(results.reduce((sum, result) => sum + Math.max(0, result.durationMs), 0));
  const counts = `tests="${results.length}" failures="${failures}" errors="${errors}"`;
  const timestamp = options.timestamp ? ` timestamp="${escapeXmlAttribute(options.timestamp.toISOString().replace(/\.\d+Z$/, ''))}"` : '';
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXmlAttribute(suiteName)}" ${counts} time="${time}">`,
    `  <testsuite name="${escapeXmlAttribute(suiteName)}" ${counts} skipped="0" time="${time}"${timestamp}>`,
  ];
  for (const result of results) {
    const attributes = `name="${escapeXmlAttribute(result.name)}" classname="${escapeXmlAttribute(result.file)}" file="${escapeXmlAttribute(result.file)}" time="${seconds(result.durationMs)}"`;
    const body: string[] = [];
    if (!result.passed) {
      const tag = result.error ? 'error' : 'failure';
      const type = result.error ? 'RunError' : 'ExpectationFailed';
      body.push(`      <${tag} message="${escapeXmlAttribute(failureSummary(result))}" type="${type}">${escapeXmlText(failureBody(result))}</${tag}>`);
    }
    if (result.runId) body.push(`      <system-out>${escapeXmlText(`run ${result.runId}`)}</system-out>`);
    if (body.length === 0) lines.push(`    <testcase ${attributes}/>`);
    else lines.push(`    <testcase ${attributes}>`, ...body, '    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** A failure's body: each mismatch on its own lines with its expected and actual values. */
function failureBody(result: TestResult): string {
  if (result.error) return result.error;
  if (result.mismatches.length === 0) return 'failed';
  return result.mismatches.map((mismatch) => mismatch.message).join('\n');
}

function seconds(ms: number): string {
  return (Math.max(0, Number.isFinite(ms) ? ms : 0) / 1000).toFixed(3);
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').trim();
}
