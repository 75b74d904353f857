// The CLI's command line: what each form means, and a message that says what to fix for each mistake.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { UsageError, defaultParallel, parseArgs, usage } from '../../src/cli/args';

test('test: patterns, connections, reporter, out and parallel, in any order, with or without "="', () => {
  assert.deepEqual(parseArgs(['test', 'a', '--connections', 'c.json', 'b/**/*.payload.json', '--reporter=junit', '--out', 'r.xml', '--parallel', '8']), {
    kind: 'test',
    patterns: ['a', 'b/**/*.payload.json'],
    connectionsFile: 'c.json',
    reporter: 'junit',
    out: 'r.xml',
    parallel: 8,
  });
  assert.deepEqual(parseArgs(['--connections', 'c.json', 'test']), { kind: 'test', patterns: [], connectionsFile: 'c.json', reporter: undefined, out: undefined, parallel: defaultParallel });
  assert.deepEqual(parseArgs(['test', '--connections', 'c.json', '--', '--odd-file-name.payload.json']).kind, 'test');
});

test('--out alone: the report follows the file name, JUnit XML for .xml and TAP otherwise; --reporter still wins', () => {
  const reporterOf = (...argv: string[]) => {
    const command = parseArgs(['test', '--connections', 'c.json', ...argv]);
    return command.kind === 'test' ? command.reporter : undefined;
  };
  assert.equal(reporterOf('--out', 'reports/junit.xml'), 'junit');
  assert.equal(reporterOf('--out', 'REPORT.XML'), 'junit');
  assert.equal(reporterOf('--out', 'results.tap'), 'tap');
  assert.equal(reporterOf('--out', 'results'), 'tap');
  assert.equal(reporterOf('--out', 'r.xml', '--reporter', 'tap'), 'tap');
  assert.equal(reporterOf(), undefined);
});

test('run: one file and the connections', () => {
  assert.deepEqual(parseArgs(['run', 'x.payload.json', '--connections', 'c.json']), { kind: 'run', file: 'x.payload.json', connectionsFile: 'c.json' });
});

test('--help and -h win over everything else', () => {
  assert.deepEqual(parseArgs(['--help']), { kind: 'help' });
  assert.deepEqual(parseArgs(['test', '-h', '--parallel', '0']), { kind: 'help' });
  assert.deepEqual(parseArgs(['help']), { kind: 'help' });
  assert.match(usage(), /--reporter tap\|junit/);
});

test('mistakes are UsageErrors that say what to write', () => {
  const mistakes: Array<[string[], RegExp]> = [
    [[], /Say what to do/],
    [['deploy'], /Unknown command "deploy"/],
    [['test', '--connections'], /--connections needs a value/],
    [['test', '--connections', '--parallel'], /--connections needs a value/],
    [['test', '--connections', 'a', '--connections', 'b'], /--connections is given twice/],
    [['test', '--verbose', '--connections', 'a'], /Unknown option --verbose/],
    [['test'], /--connections <file\.json> is required/],
    [['test', '--connections', 'c', '--parallel', '1.5'], /--parallel must be a whole number from 1 to 64, not "1\.5"/],
    [['test', '--connections', 'c', '--parallel', '65'], /not "65"/],
    [['test', '--connections', 'c', '--reporter', 'html'], /--reporter must be one of tap, junit, not "html"/],
    [['run', '--connections', 'c'], /exactly one payload file, got 0/],
    [['run', 'a', 'b', '--connections', 'c'], /exactly one payload file, got 2/],
    [['run', 'a', '--connections', 'c', '--parallel', '2'], /--parallel belongs to "test"/],
  ];
  for (const [argv, message] of mistakes) {
    assert.throws(() => parseArgs(argv), (error: unknown) => error instanceof UsageError && message.test(error.message), argv.join(' '));
  }
});
