// What the CLI prints while tests run: on a terminal a progress line on standard error, redrawn and
// cleared around every finished line; in CI or a pipe only plain lines, never an escape code.
import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createTestConsole, isInteractive } from '../../src/cli/output';
import { registerSecret } from '../../src/util/redact';

/** Carriage return and "erase the line": how the progress line is cleared before it is redrawn. */
const CLEAR = '\r\u001b[2K';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    }),
    { isTTY, columns: 200 },
  );
  return { stream, text: () => chunks.join('') };
}

test('interactive only on a terminal outside CI', () => {
  assert.equal(isInteractive({ isTTY: true }, {}), true);
  assert.equal(isInteractive({ isTTY: false }, {}), false);
  assert.equal(isInteractive({}, {}), false);
  assert.equal(isInteractive({ isTTY: true }, { CI: 'true' }), false);
  assert.equal(isInteractive({ isTTY: true }, { CI: '1' }), false);
  assert.equal(isInteractive({ isTTY: true }, { TERM: 'dumb' }), false);
});

test('plain mode: one line per finished file, no progress and no escape codes', () => {
  const lines = sink(false);
  const progress = sink(false);
  const output = createTestConsole({ lines: lines.stream, progress: progress.stream }, { interactive: false, total: 2 });
  output.started('a.payload.json');
  output.update('a.payload.json', 'running');
  output.finished('a.payload.json', '✓ a.payload.json (1.0 s)');
  output.warn('warning: retried');
  output.close();
  assert.equal(lines.text(), '✓ a.payload.json (1.0 s)\n');
  assert.equal(progress.text(), 'warning: retried\n');
});

test('terminal mode: the progress line names each file in flight with its status and is cleared before each line', () => {
  let now = 0;
  const lines = sink(true);
  const progress = sink(true);
  const output = createTestConsole({ lines: lines.stream, progress: progress.stream }, { interactive: true, total: 3, now: () => now });
  output.started('a.payload.json');
  output.update('a.payload.json', 'running');
  now = 1500;
  output.started('b.payload.json');
  assert.ok(progress.text().endsWith(`${CLEAR}0/3 · a.payload.json (running, 1.5 s) · b.payload.json (starting, 0 ms)`), progress.text());
  output.finished('a.payload.json', '✓ a.payload.json (1.5 s)');
  assert.equal(lines.text(), '✓ a.payload.json (1.5 s)\n');
  assert.ok(progress.text().endsWith(`${CLEAR}1/3 · b.payload.json (starting, 0 ms)`), 'redrawn after the line, without the finished file');
  output.finished('b.payload.json', '✗ b.payload.json — status: expected succeeded, got failed');
  output.close();
  assert.ok(progress.text().endsWith(CLEAR), 'cleared when done');
});

test('lines are redacted: a registered credential never reaches the output', () => {
  registerSecret('s3cr3t-token-value');
  const lines = sink(false);
  const output = createTestConsole({ lines: lines.stream, progress: sink(false).stream }, { interactive: false, total: 1 });
  output.finished('a', '✗ a — error: 401 for s3cr3t-token-value');
  assert.equal(lines.text(), '✗ a — error: 401 for ***\n');
});
