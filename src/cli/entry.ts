// The entry of dist/cli.js: wires the process (arguments, streams, Ctrl+C) to main().
import * as l10n from '@vscode/l10n';
import { configureCliLocale } from './locale';
import { main } from './main';
import { exitCodes } from './testCommand';

// Before any message: the display language's bundle, if the extension folder has one.
configureCliLocale(__dirname, process.env);

const interrupt = new AbortController();
let interrupts = 0;
const onSignal = () => {
  interrupts += 1;
  // A second Ctrl+C does not wait for the runs to be stopped.
  if (interrupts > 1) process.exit(exitCodes.interrupted);
  process.stderr.write(`\n${l10n.t('Interrupted: stopping the runs in flight… (Ctrl+C again to quit at once)')}\n`);
  interrupt.abort(new Error('interrupted'));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

main(process.argv.slice(2), { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal }).then(
  (code) => {
    // Keep-alive sockets would hold the process open for their timeout: leave once the output is out.
    process.stdout.write('', () => process.exit(code));
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(exitCodes.failed);
  },
);
