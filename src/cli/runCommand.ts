// `run`: one payload file, run and followed to its end; the finished run (the run model's
// RunSnapshot) is printed as JSON. `$expect`, if any, is not checked: that is what `test` is for.
import * as fs from 'node:fs';
import * as l10n from '@vscode/l10n';
import type { Connection } from '../connections/schema';
import { findPlatform } from '../providers/registry';
import { withoutFinalPeriod } from '../util/format';
import { preparePayloadTest, runPayloadTest } from '../testing/runTest';
import { UsageError, type CliCommand } from './args';
import { readConnectionsFile, requireUsable } from './connectionsFile';
import { displayPath } from './discover';
import { createTestConsole, isInteractive } from './output';
import { createCliProviderPool } from './providers';
import { consoleLog, exitCodes, singleWorkflowOf, type CliEnvironment } from './testCommand';
import * as path from 'node:path';

type RunCommand = Extract<CliCommand, { kind: 'run' }>;

export async function runRunCommand(command: RunCommand, cli: CliEnvironment): Promise<number> {
  const connections = readConnectionsFile(command.connectionsFile);
  const absolute = path.resolve(cli.cwd, command.file);
  const file = displayPath(absolute, cli.cwd);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? l10n.t('The payload file {0} does not exist.', file) : l10n.t('The payload file {0} cannot be read ({1}).', file, code ?? String(error)));
  }
  const context = { connections, singleWorkflowOf, platformOf: (connection: Connection) => findPlatform(connection.platform) };
  // `$file` inputs are relative to the payload file, as in the editor.
  const prepared = preparePayloadTest(text, { ...context, files: { folder: path.dirname(absolute) } }, { requireExpect: false });
  if (!prepared.ok) {
    // requireExpect is false, so the only failure is a problem in the file.
    const problem = 'problem' in prepared ? prepared.problem : { message: l10n.t('no $expect'), line: 1, column: 1 };
    throw new UsageError(l10n.t('{0}:{1}:{2}: {3}. Nothing was sent.', file, problem.line, problem.column, withoutFinalPeriod(problem.message)));
  }
  requireUsable(connections.filter((connection) => connection.name === prepared.test.target.connection), cli.env);

  const output = createTestConsole({ lines: cli.stderr, progress: cli.stderr }, { interactive: isInteractive(cli.stderr, cli.env), total: 1 });
  const pool = createCliProviderPool({ connections, env: cli.env, log: consoleLog(output) });
  try {
    output.started(file);
    // Without $expect: no maxSeconds, the run is followed for as long as it takes.
    const outcome = await runPayloadTest({ ...prepared.test, expect: undefined }, { provider: (name) => pool.get(name) }, {
      signal: cli.signal,
      onSnapshot: (snapshot) => output.update(file, snapshot.status),
    });
    output.close();
    if (outcome.snapshot) cli.stdout.write(`${JSON.stringify(outcome.snapshot, null, 2)}\n`);
    if (outcome.verdict === 'cancelled') {
      cli.stderr.write(`${fileLine(file, outcome.error ?? l10n.t('cancelled'))}\n`);
      return exitCodes.interrupted;
    }
    if (outcome.error) cli.stderr.write(`${fileLine(file, outcome.error)}\n`);
    return outcome.snapshot?.status === 'succeeded' && !outcome.error ? exitCodes.passed : exitCodes.failed;
  } finally {
    output.close();
    pool.dispose();
  }
}

/** "<payload file>: <what happened>", one line of the run command's output. */
function fileLine(file: string, what: string): string {
  return l10n.t({ message: '{0}: {1}', args: [file, what], comment: ['{0} is a payload file, {1} what happened to its run (an error, or "cancelled").'] });
}
