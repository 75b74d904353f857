// The command line of dist/cli.js, read into a plain object. Pure: every mistake is a UsageError
// whose message says what to write instead (the CLI prints it and exits 2).
import * as l10n from '@vscode/l10n';
import { allowHttpVariable } from './plainHttp';

export const reporters = ['tap', 'junit'] as const;
export type ReporterName = (typeof reporters)[number];

/** How many runs may be in flight at once, by default and at most. */
export const defaultParallel = 4;
export const maxParallel = 64;

export type CliCommand =
  | { kind: 'help' }
  | {
      kind: 'test';
      /** Files, folders or glob patterns; empty means the current folder. */
      patterns: string[];
      connectionsFile: string;
      reporter?: ReporterName;
      out?: string;
      parallel: number;
    }
  | { kind: 'run'; file: string; connectionsFile: string };

/** A mistake on the command line: exit 2, with a message that says what to fix. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function usage(): string {
  return [
    l10n.t('Usage:'),
    l10n.t({
      message: '  {0} test [paths or globs…] --connections <file.json> [--reporter tap|junit] [--out <file>] [--parallel N]',
      args: ['node dist/cli.js'],
      comment: ['A command line: translate only the words in [paths or globs…] and <file.json>; keep the options (--connections …) as they are.'],
    }),
    l10n.t({
      message: '  {0} run <payload file> --connections <file.json>',
      args: ['node dist/cli.js'],
      comment: ['A command line: translate only the words in <payload file> and <file.json>; keep the options as they are.'],
    }),
    '',
    l10n.t('test   runs every payload file with "$expect" (folders are searched for *.payload.json and *.payload.jsonc)'),
    l10n.t('       and prints one line per file, then "N passed, N failed".'),
    l10n.t('run    runs one payload file and prints the finished run as JSON.'),
    '',
    l10n.t('--connections <file.json>  the same array as the workflowRuns.connections setting; each connection'),
    l10n.t('                           names the environment variable holding its credential in "credentialEnv"'),
    l10n.t('--reporter tap|junit       also write a TAP or JUnit XML report, to --out or else to standard output'),
    l10n.t('--out <file>               where the report goes; without --reporter, JUnit XML for a .xml file, else TAP'),
    l10n.t('--parallel N               runs in flight at once (default {0}, at most {1})', defaultParallel, maxParallel),
    l10n.t('-h, --help                 this help'),
    '',
    l10n.t('Proxies come from HTTPS_PROXY, HTTP_PROXY and NO_PROXY.'),
    l10n.t('Credentials go over plain http:// only to localhost, 127.0.0.0/8 and [::1]; set {0}=1 to allow other hosts.', allowHttpVariable),
    l10n.t('Exit status: 0 all passed (run: the run succeeded), 1 some failed, 2 usage or configuration error, 130 interrupted.'),
    '',
  ].join('\n');
}

const valueOptions = new Set(['--connections', '--reporter', '--out', '--parallel']);

export function parseArgs(argv: readonly string[]): CliCommand {
  const positional: string[] = [];
  const values = new Map<string, string>();
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') {
      positional.push(...argv.slice(index + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') {
      const equals = arg.indexOf('=');
      const name = equals === -1 ? arg : arg.slice(0, equals);
      if (!valueOptions.has(name)) throw new UsageError(l10n.t('Unknown option {0}. Run with --help to see the options.', name));
      const value = equals === -1 ? argv[++index] : arg.slice(equals + 1);
      if (value === undefined || value === '' || (equals === -1 && value.startsWith('--'))) throw new UsageError(l10n.t('{0} needs a value.', name));
      if (values.has(name)) throw new UsageError(l10n.t('{0} is given twice; give it once.', name));
      values.set(name, value);
      continue;
    }
    positional.push(arg);
  }
  const [command, ...rest] = positional;
  if (help || command === undefined || command === 'help') {
    if (!help && command === undefined) throw new UsageError(l10n.t('Say what to do: "test" or "run". Run with --help to see how.'));
    return { kind: 'help' };
  }
  const connectionsFile = values.get('--connections');
  const requireConnections = (): string => {
    if (connectionsFile === undefined) throw new UsageError(l10n.t('--connections <file.json> is required: a JSON array of connections, as in the workflowRuns.connections setting.'));
    return connectionsFile;
  };
  if (command === 'run') {
    for (const name of ['--reporter', '--out', '--parallel']) {
      if (values.has(name)) throw new UsageError(l10n.t('{0} belongs to "test"; "run" takes a payload file and --connections only.', name));
    }
    if (rest.length !== 1) throw new UsageError(l10n.t('"run" takes exactly one payload file, got {0}.', rest.length));
    return { kind: 'run', file: rest[0]!, connectionsFile: requireConnections() };
  }
  if (command === 'test') {
    const reporter = values.get('--reporter');
    if (reporter !== undefined && !(reporters as readonly string[]).includes(reporter)) {
      throw new UsageError(l10n.t('--reporter must be one of {0}, not "{1}".', reporters.join(', '), reporter));
    }
    const out = values.get('--out');
    const parallelText = values.get('--parallel');
    const parallel = parallelText === undefined ? defaultParallel : Number(parallelText);
    if (!Number.isInteger(parallel) || parallel < 1 || parallel > maxParallel) {
      throw new UsageError(l10n.t('--parallel must be a whole number from 1 to {0}, not "{1}".', maxParallel, parallelText ?? ''));
    }
    return { kind: 'test', patterns: rest, connectionsFile: requireConnections(), reporter: (reporter as ReporterName | undefined) ?? reporterForFile(out), out, parallel };
  }
  throw new UsageError(l10n.t('Unknown command "{0}": use "test" or "run". Run with --help to see how.', command));
}

/** The report a bare `--out <file>` asks for, by its name: JUnit XML for `.xml`, otherwise TAP. */
function reporterForFile(out: string | undefined): ReporterName | undefined {
  if (out === undefined) return undefined;
  return out.toLowerCase().endsWith('.xml') ? 'junit' : 'tap';
}
