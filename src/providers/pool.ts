// Creates and caches one adapter per connection. The adapter code and the HTTP client are loaded
// on first use (dynamic import), so activation never pays for them. Editor-free: where
// connections, credentials and settings come from is passed in (src/host/providerPool.ts wires
// the editor's; a command-line tool can wire a connections file and environment variables).
import { WorkflowRunsError } from '../client/errors';
import type { DisposableHttpClient, NetworkConnection } from '../client/http';
import type { HttpClient } from '../client/types';
import type { Connection } from '../connections/schema';
import { needsPlainHttpConsent, type PlainHttpGuard } from '../connections/transport';
import type { Logger } from '../util/logger';
import type { Page, WorkflowSummary } from './model';
import type { PlatformDescriptor, ProviderContext, WorkflowProvider } from './provider';
import * as l10n from '@vscode/l10n';

export interface ProviderPoolOptions {
  connections: {
    get(name: string): Connection | undefined;
    platformOf(connection: Connection): PlatformDescriptor | undefined;
  };
  credentials: { get(connection: Connection): Promise<string> };
  log: Logger;
  /** Anonymous and stable per machine (Dify's default end user is derived from it). */
  machineId: string;
  /** Read at every poll of every run (keep it cheap), so a changed setting applies to runs in flight. */
  pollIntervalMs(): number;
  /** Read when the shared HTTP client is first needed, and again on reconfigureHttp(). */
  httpOptions(): { requestTimeoutMs: number; userAgent: string; network?: NetworkConnection };
  /** The error for a connection name that is not configured, worded by the caller. */
  unknownConnection(name: string): Error;
  /**
   * Asked before an adapter for a plain-`http://`, non-loopback connection exists (so before any
   * request to that host). Without one, such connections are refused.
   */
  plainHttpGuard?: PlainHttpGuard;
  /** The error for a declined plain-HTTP connection, worded by the caller. */
  plainHttpDeclined?(connection: Connection, origin: string): Error;
}

interface CachedProvider {
  fingerprint: string;
  provider: Promise<WorkflowProvider>;
}

export class ProviderPool {
  private readonly cache = new Map<string, CachedProvider>();
  private http: Promise<DisposableHttpClient> | undefined;

  constructor(private readonly options: ProviderPoolOptions) {}

  /** The anonymous machine id adapters use (Dify's default user). */
  get machineId(): string {
    return this.options.machineId;
  }

  async get(connectionName: string): Promise<WorkflowProvider> {
    const { connections } = this.options;
    const connection = connections.get(connectionName);
    if (!connection) throw this.options.unknownConnection(connectionName);
    const fingerprint = JSON.stringify(connection);
    const cached = this.cache.get(connectionName);
    if (cached && cached.fingerprint === fingerprint) return cached.provider;
    cached?.provider.then((provider) => provider.dispose?.(), () => undefined);
    const platform = connections.platformOf(connection);
    if (!platform) throw new WorkflowRunsError(l10n.t('Unknown platform “{0}”.', connection.platform), { kind: 'config', connection: connectionName });
    const provider = (async () => {
      const [factory, context] = await Promise.all([platform.load(), this.contextFor(connection, () => this.options.credentials.get(connection))]);
      return factory(context);
    })();
    // A failed load is not cached: the next call tries again.
    provider.catch(() => this.cache.delete(connectionName));
    this.cache.set(connectionName, { fingerprint, provider });
    return provider;
  }

  /**
   * Throws (before anything is sent) unless the credential may travel to this base URL. Every
   * adapter context is built through `contextFor`, which asks this first.
   */
  async ensureCredentialMayTravel(connection: Connection): Promise<void> {
    if (!needsPlainHttpConsent(connection.baseUrl)) return;
    const origin = new URL(connection.baseUrl).origin;
    const allowed = (await this.options.plainHttpGuard?.(connection, origin)) ?? false;
    if (allowed) return;
    throw (
      this.options.plainHttpDeclined?.(connection, origin) ??
      new WorkflowRunsError(
        l10n.t('Connection “{0}” uses plain HTTP to {1}; its credential was not sent. Use https:// or confirm sending over HTTP.', connection.name, origin),
        { kind: 'config', connection: connection.name },
      )
    );
  }

  async listWorkflows(connectionName: string, cursor?: string, signal?: AbortSignal): Promise<Page<WorkflowSummary>> {
    const provider = await this.get(connectionName);
    return provider.listWorkflows(cursor, signal);
  }

  /**
   * What an adapter is given: the one place a ProviderContext is built, for the pooled adapters
   * and for the throw-away one that checks a connection before it is saved.
   */
  async contextFor(connection: Connection, getCredential: () => Promise<string>): Promise<ProviderContext> {
    // No adapter (so no request) exists for a connection whose credential may not travel there.
    await this.ensureCredentialMayTravel(connection);
    const { pollIntervalMs } = this.options;
    return {
      connection,
      getCredential,
      http: await this.sharedHttp(),
      log: this.options.log,
      machineId: this.options.machineId,
      // A getter, not a copy: adapters live as long as their connection, the setting can change sooner.
      get pollIntervalMs() {
        return pollIntervalMs();
      },
    };
  }

  /** The one HTTP client (and its pools) every adapter shares. */
  sharedHttp(): Promise<HttpClient> {
    this.http ??= import('../client/http').then(({ createHttpClient }) => createHttpClient({ log: this.options.log, ...this.options.httpOptions() }));
    return this.http;
  }

  /**
   * Settings behind httpOptions() changed (timeout, proxy, certificates): the shared client applies
   * them to its next requests; running requests and streams finish as they started.
   */
  reconfigureHttp(): void {
    void this.http?.then((client) => {
      const { requestTimeoutMs, network } = this.options.httpOptions();
      client.configure({ requestTimeoutMs, ...(network ? { network } : {}) });
    }, () => undefined);
  }

  /** Forgets a connection's adapter (a new credential: its cached OAuth token must not outlive the old one). */
  drop(name: string): void {
    const cached = this.cache.get(name);
    if (!cached) return;
    cached.provider.then((provider) => provider.dispose?.(), () => undefined);
    this.cache.delete(name);
  }

  /** Forgets the adapters of connections that changed or were removed; they are rebuilt on next use. */
  prune(): void {
    for (const [name, cached] of this.cache) {
      const connection = this.options.connections.get(name);
      if (!connection || JSON.stringify(connection) !== cached.fingerprint) {
        cached.provider.then((provider) => provider.dispose?.(), () => undefined);
        this.cache.delete(name);
      }
    }
  }

  dispose(): void {
    for (const cached of this.cache.values()) cached.provider.then((provider) => provider.dispose?.(), () => undefined);
    this.cache.clear();
    void this.http?.then((client) => client.dispose(), () => undefined);
  }
}
