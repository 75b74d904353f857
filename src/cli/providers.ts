// The providers of the CLI: the extension's own ProviderPool (same adapters, same HTTP client),
// wired to a connections file, credentials from environment variables and proxies from
// HTTPS_PROXY / HTTP_PROXY / NO_PROXY.
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as l10n from '@vscode/l10n';
import { WorkflowRunsError } from '../client/errors';
import type { ProxyEnvironment } from '../client/network';
import type { Connection } from '../connections/schema';
import { ProviderPool } from '../providers/pool';
import { findPlatform } from '../providers/registry';
import type { Logger } from '../util/logger';
import { credentialFromEnv } from './connectionsFile';
import { plainHttpProblem, plainHttpRefusal } from './plainHttp';

export interface CliProviderOptions {
  connections: readonly Connection[];
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Base polling interval for platforms without a stream (the setting's default: 2 s). */
  pollIntervalMs?: number;
  requestTimeoutMs?: number;
}

export function createCliProviderPool(options: CliProviderOptions): ProviderPool {
  const byName = new Map(options.connections.map((connection) => [connection.name, connection]));
  // Built once and handed over as it is: the pool reads it when the shared client is first needed.
  const httpOptions = {
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    userAgent: 'workflow-runs-cli',
    // No editor settings: the proxy comes from the environment only, as curl and git read it.
    network: { settings: {}, env: proxyEnvironment(options.env) },
  };
  return new ProviderPool({
    connections: { get: (name) => byName.get(name), platformOf: (connection) => findPlatform(connection.platform) },
    credentials: { get: async (connection) => credentialFromEnv(connection, options.env) },
    log: options.log,
    machineId: machineIdHash(),
    pollIntervalMs: () => options.pollIntervalMs ?? 2000,
    httpOptions: () => httpOptions,
    unknownConnection: (name) => new WorkflowRunsError(l10n.t('There is no connection named “{0}” in the connections file.', name), { kind: 'config', connection: name }),
    // No one to ask: the environment's opt-in is the answer (checked up front too, see requireUsable).
    plainHttpGuard: async (connection) => plainHttpProblem(connection, options.env) === undefined,
    plainHttpDeclined: (connection) => new WorkflowRunsError(plainHttpRefusal(connection), { kind: 'config', connection: connection.name }),
  });
}

/** Only the proxy variables, in either case: nothing else of the environment reaches the client. */
export function proxyEnvironment(env: NodeJS.ProcessEnv): ProxyEnvironment {
  const picked: Record<string, string> = {};
  for (const name of ['https_proxy', 'http_proxy', 'no_proxy']) {
    for (const spelling of [name, name.toUpperCase()]) {
      const value = env[spelling];
      if (value !== undefined) picked[spelling] = value;
    }
  }
  return picked;
}

/** Anonymous and stable per machine and user (Dify's default end user is derived from it). */
function machineIdHash(): string {
  let user = '';
  try {
    user = os.userInfo().username;
  } catch {
    // No user entry (some containers): the host name alone.
  }
  return createHash('sha256').update(`${os.hostname()}\n${user}`).digest('hex').slice(0, 16);
}
