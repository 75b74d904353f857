// Where `test` writes each part: standard output ends with `N passed, N failed` whatever the
// reporter; TAP on standard output streams a valid TAP 13 document before it.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import type { ReporterName } from '../../src/cli/args';
import { createTestReport } from '../../src/cli/testReport';
import type { TestResult } from '../../src/testing/reporters';

const passed: TestResult = { file: 'a.payload.json', name: 'a.payload.json', passed: true, durationMs: 1200, mismatches: [], runId: 'run_1' };
const failed: TestResult = { file: 'b.payload.json', name: 'b.payload.json', passed: false, durationMs: 10, mismatches: [], error: 'no connection named "prod"' };

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** What a run of two files writes, the per-file lines written where the report says. */
function run(reporter: ReporterName | undefined, out?: string) {
  const stdout = sink();
  const stderr = sink();
  const report = createTestReport({ reporter, out }, { cwd: os.tmpdir(), stdout: stdout.stream, stderr: stderr.stream });
  report.begin(2);
  for (const result of [failed, passed]) report.lines.write(`${report.fileLine(result)}\n`);
  report.end([passed, failed]);
  return { stdout: stdout.text().trimEnd().split('\n'), stderr: stderr.text() };
}

test('without a reporter, and with a report file, standard output is a line per file and the count last', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-runs-report-')), 'r.xml');
  for (const written of [run(undefined), run('junit', out), run('tap', out)]) {
    assert.equal(written.stdout.length, 3);
    assert.match(written.stdout[0]!, /^✗ b\.payload\.json — /);
    assert.match(written.stdout[1]!, /^✓ a\.payload\.json /);
    assert.equal(written.stdout[2], '1 passed, 1 failed');
    assert.equal(written.stderr, '');
  }
});

test('TAP on standard output: version, plan, a point per file numbered as they finish, then the plain count', () => {
  const { stdout, stderr } = run('tap');
  assert.deepEqual(stdout.slice(0, 3), ['TAP version 13', '1..2', 'not ok 1 - b.payload.json']);
  assert.ok(stdout.includes('ok 2 - a.payload.json'));
  assert.equal(stdout.at(-1), '1 passed, 1 failed');
  assert.equal(stdout.filter((line) => line.startsWith('#')).length, 0, 'the count is said once');
  assert.equal(stderr, '');
});

test('JUnit on standard output: the XML document alone, the lines and the count on standard error', () => {
  const { stdout, stderr } = run('junit');
  assert.equal(stdout[0], '<?xml version="1.0" encoding="UTF-8"?>');
  assert.equal(stdout.at(-1), '</testsuites>', 'nothing may follow the root element');
  assert.equal(stderr.trimEnd().split('\n').at(-1), '1 passed, 1 failed');
});
