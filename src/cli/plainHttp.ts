// Plain `http://` to a host outside the loopback range in the CLI. The extension asks the user
// once per connection; the CLI cannot ask, so sending a credential unencrypted takes an explicit
// opt-in in the environment, and without it the connection is a configuration error (exit 2).
import * as l10n from '@vscode/l10n';
import { needsPlainHttpConsent } from '../connections/transport';
import type { Connection } from '../connections/schema';

/** Set to 1 to let the CLI send credentials over plain HTTP to hosts outside the loopback range. */
export const allowHttpVariable = 'WORKFLOW_RUNS_ALLOW_HTTP';

/** Why the CLI will not use this connection as configured, or undefined when it may. */
export function plainHttpProblem(connection: Pick<Connection, 'name' | 'baseUrl'>, env: NodeJS.ProcessEnv): string | undefined {
  return needsPlainHttpConsent(connection.baseUrl) && env[allowHttpVariable] !== '1' ? plainHttpRefusal(connection) : undefined;
}

/** The message for a plain-HTTP connection without the opt-in: what happened and the two ways out. */
export function plainHttpRefusal(connection: Pick<Connection, 'name' | 'baseUrl'>): string {
  return l10n.t(
    'Connection “{0}” uses plain HTTP to {1}, so its credential would travel unencrypted; nothing was sent. Use https://, or set {2}=1 to allow plain HTTP.',
    connection.name,
    new URL(connection.baseUrl).origin,
    allowHttpVariable,
  );
}
