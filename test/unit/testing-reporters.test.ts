import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Mismatch } from '../../src/testing/check';
import { countResults, failureSummary, formatJUnit, formatResultLine, formatSummaryLine, formatTap } from '../../src/testing/reporters';
import type { TestResult } from '../../src/testing/reporters';
import { escapeXmlAttribute, escapeXmlText, replaceNonXmlChars } from '../../src/testing/xml';

// junit2json is an ES module: loaded once, the way a CI tool would read our report back.
const junit = import('junit2json');

const mismatch = (expectation: string, expected: unknown, actual: unknown, message: string): Mismatch => ({ expectation, expected, actual, message });

const passed: TestResult = { file: 'invoices/ok.payload.json', name: 'ok.payload.json', passed: true, durationMs: 1234, mismatches: [], runId: 'run_1' };
const failed: TestResult = {
  file: 'invoices/total.payload.json',
  name: 'total.payload.json',
  passed: false,
  durationMs: 800,
  mismatches: [mismatch('outputs.total', 42, 41, 'outputs.total: expected 42, got 41'), mismatch('status', 'succeeded', 'failed', 'status: expected succeeded, got failed')],
  runId: 'run_2',
};
const broken: TestResult = { file: 'bad.payload.json', name: 'bad.payload.json', passed: false, durationMs: 3, mismatches: [], error: 'no connection named "prod"' };

test('plain lines: a check mark with the time and run id, or a cross with what went wrong', () => {
  assert.equal(formatResultLine(passed), '✓ invoices/ok.payload.json (1.2 s) run run_1');
  assert.equal(formatResultLine({ ...passed, runId: undefined, durationMs: 850 }), '✓ invoices/ok.payload.json (850 ms)');
  assert.equal(formatResultLine(failed), '✗ invoices/total.payload.json — outputs.total: expected 42, got 41; status: expected succeeded, got failed (run run_2)');
  assert.equal(formatResultLine(broken), '✗ bad.payload.json — no connection named "prod"');
  assert.equal(formatResultLine({ ...broken, error: 'line one\n  line two' }), '✗ bad.payload.json — line one line two', 'always one line');
});

test('the summary line counts passed and failed tests', () => {
  assert.equal(formatSummaryLine([passed, failed, broken]), '1 passed, 2 failed');
  assert.equal(formatSummaryLine([]), '0 passed, 0 failed');
  assert.deepEqual(countResults([passed, passed]), { passed: 2, failed: 0 });
  assert.equal(failureSummary({ ...failed, mismatches: [] }), 'failed');
});

test('TAP 13: a plan, one test point per file, YAML details for failures, and the summary', () => {
  const tap = formatTap([passed, failed, broken]);
  assert.equal(
    tap,
    [
      'TAP version 13',
      '1..3',
      'ok 1 - ok.payload.json',
      '  ---',
      '  file: "invoices/ok.payload.json"',
      '  duration_ms: 1234',
      '  run_id: "run_1"',
      '  ...',
      'not ok 2 - total.payload.json',
      '  ---',
      '  file: "invoices/total.payload.json"',
      '  duration_ms: 800',
      '  run_id: "run_2"',
      '  message: "outputs.total: expected 42, got 41; status: expected succeeded, got failed"',
      '  mismatches:',
      '    - expectation: "outputs.total"',
      '      expected: 42',
      '      actual: 41',
      '      message: "outputs.total: expected 42, got 41"',
      '    - expectation: "status"',
      '      expected: "succeeded"',
      '      actual: "failed"',
      '      message: "status: expected succeeded, got failed"',
      '  ...',
      'not ok 3 - bad.payload.json',
      '  ---',
      '  file: "bad.payload.json"',
      '  duration_ms: 3',
      '  message: "no connection named \\"prod\\""',
      '  severity: "error"',
      '  ...',
      '# 1 passed, 2 failed',
      '',
    ].join('\n'),
  );
  assert.equal(formatTap([]), 'TAP version 13\n1..0\n# 0 passed, 0 failed\n');
});

test('TAP: a # in a name is escaped so it is not read as a SKIP or TODO directive', () => {
  const tap = formatTap([{ ...passed, name: 'a # SKIP b\\c\nd' }]);
  assert.match(tap, /^ok 1 - a \\# SKIP b\\\\c d$/m);
});

test('JUnit: counts, times, a failure per failed file with every mismatch, an error for a file that could not run', async () => {
  const xml = formatJUnit([passed, failed, broken], { timestamp: new Date('2026-01-02T03:04:05.678Z') });
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="Workflow Runs" tests="3" failures="1" errors="1" time="2.037">'));
  assert.match(xml, /<testsuite name="Workflow Runs" tests="3" failures="1" errors="1" skipped="0" time="2.037" timestamp="2026-01-02T03:04:05">/);
  const { parse } = await junit;
  const report = await parse(xml);
  assert.ok(report && 'testsuite' in report);
  const [suite] = report.testsuite ?? [];
  assert.equal(suite.tests, 3);
  assert.equal(suite.failures, 1);
  assert.equal(suite.errors, 1);
  const [ok, total, bad] = suite.testcase ?? [];
  assert.equal(ok.name, 'ok.payload.json');
  assert.equal(ok.classname, 'invoices/ok.payload.json');
  assert.equal(ok.time, 1.234);
  assert.equal(ok.failure, undefined);
  assert.deepEqual(ok['system-out'], ['run run_1']);
  assert.deepEqual(total.failure, [{ message: 'outputs.total: expected 42, got 41; status: expected succeeded, got failed', type: 'ExpectationFailed', inner: 'outputs.total: expected 42, got 41\nstatus: expected succeeded, got failed' }]);
  assert.deepEqual(bad.error, [{ message: 'no connection named "prod"', type: 'RunError', inner: 'no connection named "prod"' }]);
  assert.equal(bad.failure, undefined);
});

test('XML escaping: markup characters, quotes, line breaks and characters XML cannot hold', () => {
  assert.equal(escapeXmlText('a < b && c > d\r\n'), 'a &lt; b &amp;&amp; c &gt; d&#13;\n');
  assert.equal(escapeXmlAttribute(`"it's"\n\t`), '&quot;it&apos;s&quot;&#10;&#9;');
  assert.equal(replaceNonXmlChars('a\u0000b\u001bc\uFFFEd'), 'a\\u0000b\\u001bc\\ufffed');
  assert.equal(replaceNonXmlChars('lone \uD800 and \uDC00, pair \uD83D\uDE00'), 'lone \\ud800 and \\udc00, pair \uD83D\uDE00');
  assert.equal(escapeXmlText(']]>'), ']]&gt;');
});

// Characters XML 1.0 allows (the Char production), so anything else in a report is a bug.
const xmlChars = /^(?:[\t\n\r\u0020-\uD7FF\uE000-\uFFFD]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
// Every & must start one of the entities we write.
const strayAmpersand = /&(?!(?:amp|lt|gt|quot|apos|#\d+);)/;

// Any UTF-16 text, lone surrogates and control characters included.
const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const resultArbitrary: fc.Arbitrary<TestResult> = fc.record({
  file: anyText,
  name: anyText,
  passed: fc.boolean(),
  durationMs: fc.double({ min: 0, max: 1e7, noNaN: true }),
  mismatches: fc.array(fc.record({ expectation: anyText, expected: fc.jsonValue(), actual: fc.jsonValue(), message: anyText.map((text) => `m${text}`) }), { maxLength: 3 }),
  error: fc.option(anyText.map((text) => `e${text}`), { nil: undefined }),
  runId: fc.option(anyText, { nil: undefined }),
});

test('property: the JUnit report is well-formed XML for any names and messages, and reads back as written', async () => {
  const { parse } = await junit;
  await fc.assert(
    fc.asyncProperty(fc.array(resultArbitrary, { maxLength: 5 }), anyText, async (results, suiteName) => {
      const xml = formatJUnit(results, { suiteName });
      assert.match(xml, xmlChars, 'only characters XML 1.0 allows');
      assert.doesNotMatch(xml, strayAmpersand);
      // No attribute processors: by default junit2json turns number-like names ("1", "") into numbers.
      const report = await parse(xml, {});
      assert.ok(report && 'testsuite' in report);
      const [suite] = report.testsuite ?? [];
      assert.equal(suite.name, replaceNonXmlChars(suiteName));
      assert.equal(Number(suite.tests), results.length);
      assert.equal(Number(suite.failures) + Number(suite.errors), results.filter((result) => !result.passed).length);
      const cases = suite.testcase ?? [];
      assert.equal(cases.length, results.length);
      results.forEach((result, index) => {
        const testCase = cases[index];
        assert.equal(testCase.name, replaceNonXmlChars(result.name));
        assert.equal(testCase.classname, replaceNonXmlChars(result.file));
        const details = result.error ? testCase.error : testCase.failure;
        if (result.passed) {
          assert.equal(testCase.failure ?? testCase.error, undefined);
        } else {
          assert.equal(details?.length, 1);
          assert.equal(details?.[0].message, replaceNonXmlChars(failureSummary(result)));
        }
      });
    }),
    { numRuns: 300 },
  );
});

test('property: TAP output has one test point line per result and JSON-readable YAML values', () => {
  fc.assert(
    fc.property(fc.array(resultArbitrary, { maxLength: 5 }), (results) => {
      const lines = formatTap(results).split('\n');
      const points = lines.filter((line) => /^(?:not )?ok \d+ - /.test(line));
      assert.equal(points.length, results.length);
      points.forEach((line, index) => {
        assert.ok(line.startsWith(`${results[index].passed ? 'ok' : 'not ok'} ${index + 1} - `), line);
        assert.doesNotMatch(line.replace(/\\\\/g, ''), /[^\\]#/, 'no unescaped directive');
      });
      for (const line of lines) {
        const field = /^\s+(?:- )?(file|run_id|message|expectation|expected|actual): (.*)$/.exec(line);
        if (field) assert.doesNotThrow(() => JSON.parse(field[2]), line);
        assert.doesNotMatch(line, /[\u2028\u2029\u0085]/, 'no characters YAML reads as line breaks');
      }
      assert.equal(lines[lines.length - 2], `# ${formatSummaryLine(results)}`);
    }),
    { numRuns: 300 },
  );
});

test('property: plain lines are always one line and start with ✓ or ✗', () => {
  fc.assert(
    fc.property(resultArbitrary, (result) => {
      const line = formatResultLine(result);
      assert.doesNotMatch(line, /[\r\n\u2028\u2029]/);
      assert.ok(line.startsWith(result.passed ? '✓ ' : '✗ '));
    }),
    { numRuns: 300 },
  );
});
