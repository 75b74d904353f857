// The provider pool as the editor runs it: connections from settings, credentials from
// SecretStorage or the environment, intervals and timeouts from settings, the VS Code machine id.
// Adapters are rebuilt when their connection's settings or credential change; the polling interval
// and HTTP settings apply without a rebuild, to runs already in flight too.
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { WorkflowRunsError } from '../client/errors';
import { noSuchConnection } from '../connections/errors';
import type { Credentials } from '../connections/credentials';
import type { PlainHttpGuard } from '../connections/transport';
import type { Log } from '../log';
import { ProviderPool } from '../providers/pool';
import { proxyEnvironment, readNetworkSettings } from './networkSettings';
import type { ConnectionService, ProviderService } from '../services';
import { disposeAll } from '../util/lifecycle';

export class EditorProviderPool extends ProviderPool implements ProviderService, vscode.Disposable {
  private readonly subscriptions: Array<{ dispose(): void }>;

  constructor(connections: ConnectionService, credentials: Credentials, log: Log, plainHttpGuard: PlainHttpGuard) {
    const settings = () => vscode.workspace.getConfiguration('workflowRuns');
    // Read at every poll: kept here and refreshed when the setting changes, not looked up each time.
    const readPollInterval = () => Math.round(1000 * settings().get<number>('polling.intervalSeconds', 2));
    let pollIntervalMs = readPollInterval();
    super({
      connections,
      credentials,
      log,
      machineId: machineIdHash(),
      pollIntervalMs: () => pollIntervalMs,
      httpOptions: () => ({
        requestTimeoutMs: Math.round(1000 * settings().get<number>('requestTimeoutSeconds', 30)),
        network: { settings: readNetworkSettings(log), env: proxyEnvironment() },
        userAgent: `workflow-runs-vscode/${vscode.extensions.getExtension('workflow-runs.workflow-runs')?.packageJSON?.version ?? 'dev'}`,
      }),
      unknownConnection: noSuchConnection,
      plainHttpGuard,
      plainHttpDeclined: (connection, origin) =>
        new WorkflowRunsError(
          vscode.l10n.t(
            'Nothing was sent to {0}: sending the credential of connection “{1}” over plain HTTP was declined. Use an https:// base URL, or reload the window to be asked again.',
            origin,
            connection.name,
          ),
          { kind: 'config', connection: connection.name },
        ),
    });
    this.subscriptions = [
      // Settings changed: adapters of changed or removed connections are rebuilt on next use.
      connections.onDidChange(() => this.prune()),
      // A new credential: the adapter (and e.g. its cached OAuth token) must not outlive the old one.
      credentials.onDidChange((name) => this.drop(name)),
      // Proxy, certificate and timeout settings apply to the next request, without a reload.
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('http') || event.affectsConfiguration('workflowRuns.requestTimeoutSeconds')) this.reconfigureHttp();
        // Runs already followed pick it up at their next wait (providers/polling.ts).
        if (event.affectsConfiguration('workflowRuns.polling')) pollIntervalMs = readPollInterval();
      }),
    ];
  }

  override dispose(): void {
    disposeAll(this.subscriptions);
    super.dispose();
  }
}

/** Anonymous and stable: Dify's default end-user id is `vscode-<this>`. */
function machineIdHash(): string {
  return createHash('sha256').update(vscode.env.machineId).digest('hex').slice(0, 16);
}
