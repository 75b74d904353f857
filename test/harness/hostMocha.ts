// Mocha set up inside the extension host. test/host/index.ts imports this module FIRST, so the
// tdd globals (suite, test, suiteSetup, setup, teardown, suiteTeardown) exist while the suite
// modules imported after it register their tests.
import Mocha from 'mocha';

export const PREFIX = '[host] ';

export function hostLog(message: string): void {
  for (const line of message.split('\n')) console.log(`${PREFIX}${line}`);
}

/** A spec-like reporter printing through console.log (forwarded to the browser console). */
class PrefixedReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    listen(runner);
  }
}

function listen(runner: Mocha.Runner): void {
  let passes = 0;
  let failures = 0;
  let pending = 0;
  const failed: Array<{ title: string; error: Error }> = [];
  const started = Date.now();
  const indent = (suite: Mocha.Suite | undefined) => {
    let depth = 0;
    for (let s = suite; s && !s.root; s = s.parent) depth++;
    return '  '.repeat(depth);
  };
  runner.on('suite', (suite: Mocha.Suite) => {
    if (!suite.root) hostLog(`${indent(suite.parent)}${suite.title}`);
  });
  runner.on('pass', (test: Mocha.Test) => {
    passes++;
    hostLog(`${indent(test.parent)}✔ ${test.title} (${test.duration ?? 0} ms)`);
  });
  runner.on('pending', (test: Mocha.Test) => {
    pending++;
    hostLog(`${indent(test.parent)}- ${test.title} (pending)`);
  });
  runner.on('fail', (test: Mocha.Test | Mocha.Hook, error: Error) => {
    failures++;
    failed.push({ title: test.fullTitle(), error });
    hostLog(`${indent(test.parent)}✖ ${test.title}`);
  });
  runner.once('end', () => {
    failed.forEach(({ title, error }, index) => {
      hostLog(`${index + 1}) ${title}`);
      hostLog(`   ${error?.stack ?? String(error)}`);
    });
    hostLog(`# pass ${passes}`);
    hostLog(`# fail ${failures}`);
    if (pending) hostLog(`# pending ${pending}`);
    hostLog(`# duration ${Date.now() - started} ms`);
  });
}

export const mocha = new Mocha({ ui: 'tdd', timeout: 20_000, color: false, reporter: PrefixedReporter });
mocha.suite.emit('pre-require', globalThis, 'test/host/index.ts', mocha);
// `npm run test:host -- --grep <text>` reaches the extension host as an environment variable.
if (process.env.WORKFLOW_RUNS_TEST_GREP) mocha.grep(process.env.WORKFLOW_RUNS_TEST_GREP);
