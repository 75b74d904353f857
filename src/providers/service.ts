// Creates and caches one adapter per connection. The adapter code and the HTTP client are loaded
// on first use (dynamic import), so activation never pays for them.
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { WorkflowRunsError } from '../client/errors';
import type { HttpClient } from '../client/types';
import type { Log } from '../log';
import type { ConnectionService, ProviderService } from '../services';
import type { Credentials } from '../connections/credentials';
import type { Page, WorkflowSummary } from './model';
import type { ProviderContext, WorkflowProvider } from './provider';
import type { Connection } from '../connections/schema';
import { disposeAll } from '../util/lifecycle';
import { noSuchConnection } from '../connections/errors';

interface CachedProvider {
  fingerprint: string;
  provider: Promise<WorkflowProvider>;
}

export class ProviderPool implements ProviderService, vscode.Disposable {
  private readonly cache = new Map<string, CachedProvider>();
  private http: Promise<HttpClient & { dispose(): Promise<void> }> | undefined;
  private readonly subscriptions: Array<{ dispose(): void }>;

  constructor(
    private readonly connections: ConnectionService,
    private readonly credentials: Credentials,
    private readonly log: Log,
  ) {
    this.subscriptions = [
      // Settings changed: adapters of changed or removed connections are rebuilt on next use.
      connections.onDidChange(() => this.prune()),
      // A new credential: the adapter (and e.g. its cached OAuth token) must not outlive the old one.
      credentials.onDidChange((name) => this.drop(name)),
    ];
  }

  async get(connectionName: string): Promise<WorkflowProvider> {
    const connection = this.connections.get(connectionName);
    if (!connection) {
      throw noSuchConnection(connectionName);
    }
    const fingerprint = JSON.stringify(connection);
    const cached = this.cache.get(connectionName);
    if (cached && cached.fingerprint === fingerprint) return cached.provider;
    cached?.provider.then((provider) => provider.dispose?.(), () => undefined);
    const platform = this.connections.platformOf(connection);
    if (!platform) throw new WorkflowRunsError(`Unknown platform “${connection.platform}”.`, { kind: 'config', connection: connectionName });
    const provider = (async () => {
      const [factory, context] = await Promise.all([platform.load(), this.contextFor(connection, () => this.credentials.get(connection))]);
      return factory(context);
    })();
    // A failed load is not cached: the next call tries again.
    provider.catch(() => this.cache.delete(connectionName));
    this.cache.set(connectionName, { fingerprint, provider });
    return provider;
  }

  async listWorkflows(connectionName: string, cursor?: string, signal?: AbortSignal): Promise<Page<WorkflowSummary>> {
    const provider = await this.get(connectionName);
    return provider.listWorkflows(cursor, signal);
  }

  dispose(): void {
    disposeAll(this.subscriptions);
    for (const cached of this.cache.values()) cached.provider.then((provider) => provider.dispose?.(), () => undefined);
    this.cache.clear();
    void this.http?.then((client) => client.dispose(), () => undefined);
  }

  private drop(name: string): void {
    const cached = this.cache.get(name);
    if (!cached) return;
    cached.provider.then((provider) => provider.dispose?.(), () => undefined);
    this.cache.delete(name);
  }

  private prune(): void {
    for (const [name, cached] of this.cache) {
      const connection = this.connections.get(name);
      if (!connection || JSON.stringify(connection) !== cached.fingerprint) {
        cached.provider.then((provider) => provider.dispose?.(), () => undefined);
        this.cache.delete(name);
      }
    }
  }

  /**
   * What an adapter is given: the one place a ProviderContext is built, for the pooled adapters
   * and for the throw-away one that checks a connection before it is saved.
   */
  async contextFor(connection: Connection, getCredential: () => Promise<string>): Promise<ProviderContext> {
    const settings = vscode.workspace.getConfiguration('workflowRuns');
    return {
      connection,
      getCredential,
      http: await this.sharedHttp(),
      log: this.log,
      machineId: this.machineId,
      pollIntervalMs: Math.round(1000 * settings.get<number>('polling.intervalSeconds', 2)),
    };
  }

  /** The anonymous machine id adapters use (Dify's default user); it never changes, so it is hashed once. */
  readonly machineId = machineIdHash();

  /** The one HTTP client (and its pools) every adapter shares. */
  sharedHttp(): Promise<HttpClient> {
    return this.httpClient();
  }

  private httpClient(): Promise<HttpClient & { dispose(): Promise<void> }> {
    this.http ??= import('../client/http').then(({ createHttpClient }) =>
      createHttpClient({
        log: this.log,
        requestTimeoutMs: Math.round(1000 * vscode.workspace.getConfiguration('workflowRuns').get<number>('requestTimeoutSeconds', 30)),
        userAgent: `workflow-runs-vscode/${vscode.extensions.getExtension('workflow-runs.workflow-runs')?.packageJSON?.version ?? 'dev'}`,
      }),
    );
    return this.http;
  }
}

/** Anonymous and stable: Dify's default end-user id is `vscode-<this>`. */
function machineIdHash(): string {
  return createHash('sha256').update(vscode.env.machineId).digest('hex').slice(0, 16);
}
