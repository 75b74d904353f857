// The CLI (dist/cli.js, entry ./entry.ts): payload files as tests in CI, and one-off runs, without
// VS Code. Built with the same client, providers and run model as the extension; nothing on its
// path imports `vscode` (.dependency-cruiser.cjs and the bundle's build both check it).
// Returns the exit status instead of exiting, so tests can call it in-process.
import * as l10n from '@vscode/l10n';
import { describeError } from '../client/errors';
import { redact } from '../util/redact';
import { UsageError, parseArgs, usage } from './args';
import { runRunCommand } from './runCommand';
import { exitCodes, runTestCommand, type CliEnvironment } from './testCommand';

export async function main(argv: readonly string[], cli: CliEnvironment): Promise<number> {
  try {
    const command = parseArgs(argv);
    if (command.kind === 'help') {
      cli.stdout.write(usage());
      return exitCodes.passed;
    }
    return command.kind === 'test' ? await runTestCommand(command, cli) : await runRunCommand(command, cli);
  } catch (error) {
    if (error instanceof UsageError) {
      cli.stderr.write(`${redact(error.message)}\n`);
      return exitCodes.usage;
    }
    if (cli.signal.aborted) return exitCodes.interrupted;
    cli.stderr.write(`${l10n.t('Unexpected error: {0}', redact(describeError(error)))}\n`);
    return exitCodes.failed;
  }
}
