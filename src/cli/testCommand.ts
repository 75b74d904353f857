// `test`: every payload file with `$expect` among the arguments, run up to N at a time, one line
// per file as each finishes and `N passed, N failed` last; a TAP or JUnit report on request
// (testReport.ts: where each goes).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { Connection } from '../connections/schema';
import { findPlatform } from '../providers/registry';
import type { TestResult } from '../testing/reporters';
import { preparePayloadTest, runPayloadTest, type PayloadTestOutcome, type PreparedTest } from '../testing/runTest';
import type { Logger } from '../util/logger';
import { UsageError, type CliCommand } from './args';
import { readConnectionsFile, requireUsable } from './connectionsFile';
import { displayPath, findPayloadFiles } from './discover';
import { createTestConsole, isInteractive, type TestConsole } from './output';
import { createCliProviderPool } from './providers';
import { runLimited } from './limit';
import { createTestReport } from './testReport';

export interface CliEnvironment {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Aborted on Ctrl+C: runs in flight are stopped on their platforms. */
  signal: AbortSignal;
}

/** Exit statuses of the CLI. */
export const exitCodes = { passed: 0, failed: 1, usage: 2, interrupted: 130 } as const;

type TestCommand = Extract<CliCommand, { kind: 'test' }>;

interface PendingTest {
  index: number;
  file: string;
  test: PreparedTest;
}

export async function runTestCommand(command: TestCommand, cli: CliEnvironment): Promise<number> {
  const connections = readConnectionsFile(command.connectionsFile);
  const files = await findPayloadFiles(command.patterns, cli.cwd);
  const context = { connections, singleWorkflowOf: singleWorkflowOf, platformOf: (connection: Connection) => findPlatform(connection.platform) };

  // Read every file first: a file that cannot run is a failure found before anything is sent.
  const results: Array<TestResult | undefined> = [];
  const pending: PendingTest[] = [];
  for (const absolute of files) {
    const file = displayPath(absolute, cli.cwd);
    let text: string;
    try {
      text = fs.readFileSync(absolute, 'utf8');
    } catch (error) {
      results.push(notRun(file, l10n.t('cannot be read ({0})', (error as NodeJS.ErrnoException).code ?? String(error))));
      continue;
    }
    const prepared = preparePayloadTest(text, { ...context, files: { folder: path.dirname(absolute) } }, { requireExpect: true });
    if (prepared.ok) {
      pending.push({ index: results.length, file, test: prepared.test });
      results.push(undefined);
    } else if ('problem' in prepared) {
      const { line, column, message } = prepared.problem;
      results.push(notRun(`${file}:${line}:${column}`, l10n.t('{0} (nothing was sent)', message), file));
    }
    // No $expect: not a test, and not counted.
  }
  if (results.length === 0) {
    const where = command.patterns.length > 0 ? command.patterns.join(' ') : cli.cwd;
    throw new UsageError(l10n.t('No payload file with "$expect" was found in {0}. Add "$expect" to the payload files to test, or name other files or folders.', where));
  }
  const used = connections.filter((connection) => pending.some((item) => item.test.target.connection === connection.name));
  requireUsable(used, cli.env);

  const report = createTestReport(command, cli);
  const output = createTestConsole({ lines: report.lines, progress: cli.stderr }, { interactive: isInteractive(cli.stderr, cli.env), total: results.length });
  report.begin(results.length);
  const finish = (index: number, result: TestResult) => {
    results[index] = result;
    output.finished(result.file, report.fileLine(result));
  };
  for (const [index, result] of results.entries()) if (result) finish(index, result);

  const pool = createCliProviderPool({ connections, env: cli.env, log: consoleLog(output) });
  try {
    await runLimited(interleaveByConnection(pending), command.parallel, cli.signal, async (item) => {
      output.started(item.file);
      const outcome = await runPayloadTest(item.test, { provider: (name) => pool.get(name) }, {
        signal: cli.signal,
        onSnapshot: (snapshot) => output.update(item.file, snapshot.status),
      });
      finish(item.index, toResult(item.file, outcome));
    });
    // Tests never started because of Ctrl+C get their line too, not left out.
    for (const item of pending) if (!results[item.index]) finish(item.index, notRun(item.file, l10n.t('not run: interrupted')));
  } finally {
    pool.dispose();
    output.close();
  }

  const finished = results.filter((result) => result !== undefined);
  report.end(finished);
  if (cli.signal.aborted) return exitCodes.interrupted;
  return finished.every((result) => result.passed) ? exitCodes.passed : exitCodes.failed;
}

/**
 * The run order: one connection after another in turn, so N parallel runs spread over the
 * platforms instead of queueing N deep on the first one while the others wait.
 */
function interleaveByConnection(items: readonly PendingTest[]): PendingTest[] {
  const queues = new Map<string, PendingTest[]>();
  for (const item of items) {
    const queue = queues.get(item.test.target.connection) ?? [];
    queue.push(item);
    queues.set(item.test.target.connection, queue);
  }
  const ordered: PendingTest[] = [];
  while (ordered.length < items.length) {
    for (const queue of queues.values()) {
      const item = queue.shift();
      if (item) ordered.push(item);
    }
  }
  return ordered;
}

function toResult(file: string, outcome: PayloadTestOutcome): TestResult {
  const base = { file, name: file, durationMs: outcome.elapsedMs, mismatches: outcome.mismatches, runId: outcome.snapshot?.runId };
  switch (outcome.verdict) {
    case 'passed':
      return { ...base, passed: true };
    case 'failed':
      return { ...base, passed: false };
    default:
      return { ...base, passed: false, error: outcome.error ?? outcome.verdict };
  }
}

function notRun(file: string, error: string, name = file): TestResult {
  return { file, name, passed: false, durationMs: 0, mismatches: [], error };
}

export function singleWorkflowOf(connection: Connection): string | undefined {
  return findPlatform(connection.platform)?.singleWorkflow?.(connection);
}

/** The client's warnings (retries, say) on standard error; nothing below a warning. */
export function consoleLog(output: Pick<TestConsole, 'warn'>): Logger {
  const ignore = () => undefined;
  return {
    trace: ignore,
    debug: ignore,
    info: ignore,
    warn: (message) => output.warn(l10n.t('warning: {0}', message)),
    error: (message) => output.warn(l10n.t('error: {0}', message)),
  };
}
