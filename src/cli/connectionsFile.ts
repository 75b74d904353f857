// The connections file of the CLI: the same array as the `workflowRuns.connections` setting, read
// from JSON (comments allowed, as in settings.json) and checked with the extension's own rules.
// Credentials come only from the environment variable each connection names in `credentialEnv`.
import * as fs from 'node:fs';
import * as l10n from '@vscode/l10n';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { WorkflowRunsError } from '../client/errors';
import type { Connection } from '../connections/schema';
import { validateConnections } from '../connections/validate';
import { lineColumnAt } from '../payload/parse';
import { registerSecret } from '../util/redact';
import { UsageError } from './args';
import { plainHttpProblem } from './plainHttp';

/** Reads and checks the file; every problem found is in the UsageError's message, one per line. */
export function readConnectionsFile(file: string): Connection[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? l10n.t('The connections file {0} does not exist.', file)
        : l10n.t('The connections file {0} cannot be read ({1}).', file, code ?? String(error)),
    );
  }
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const { line, column } = lineColumnAt(text, first.offset);
    throw new UsageError(l10n.t('{0}, line {1}, column {2}: the connections file is not valid JSON ({3}).', file, line, column, printParseErrorCode(first.error)));
  }
  if (!Array.isArray(value)) {
    throw new UsageError(l10n.t('{0} must hold a JSON array of connections, as in the workflowRuns.connections setting: [{ "name": …, "platform": …, "baseUrl": …, "credentialEnv": … }].', file));
  }
  // credentialEnv is checked only for the connections a run uses (credentialProblem, below): an
  // entry no selected file needs may be for another job or another machine.
  const { connections, problems } = validateConnections(value);
  if (problems.length > 0) throw new UsageError([l10n.t('{0} has problems:', file), ...problems.map((problem) => `  ${problem}`)].join('\n'));
  if (connections.length === 0) throw new UsageError(l10n.t('{0} holds no connections: add at least one.', file));
  return connections;
}

/**
 * Why the CLI cannot get a connection's credential, or undefined when it can. The one rule for
 * both the check before anything is sent and the read when a request needs it: the CLI has no
 * secret storage, so the credential must be in the environment variable `credentialEnv` names.
 */
export function credentialProblem(connection: Connection, env: NodeJS.ProcessEnv): string | undefined {
  if (!connection.credentialEnv) {
    return l10n.t('Connection “{0}” has no "credentialEnv": name the environment variable that holds its credential (the CLI reads credentials only from the environment).', connection.name);
  }
  if (!env[connection.credentialEnv]) {
    return l10n.t('The environment variable {0} named by connection “{1}” is not set: set it to the connection\'s credential.', connection.credentialEnv, connection.name);
  }
  return undefined;
}

/**
 * Before anything is sent: every connection about to be used can get its credential and may send
 * it where it points, or a UsageError names each problem.
 */
export function requireUsable(used: readonly Connection[], env: NodeJS.ProcessEnv): void {
  const problems = used.flatMap((connection) => [credentialProblem(connection, env), plainHttpProblem(connection, env)]).filter((problem) => problem !== undefined);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
}

/** The credential of a connection, from its environment variable; registered so it is never printed. */
export function credentialFromEnv(connection: Connection, env: NodeJS.ProcessEnv): string {
  const problem = credentialProblem(connection, env);
  if (problem !== undefined) throw new WorkflowRunsError(problem, { kind: 'config', connection: connection.name });
  const value = env[connection.credentialEnv!]!;
  registerSecret(value);
  return value;
}
