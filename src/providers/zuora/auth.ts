// Zuora OAuth tokens for one connection. The token endpoint is rate-limited per IP, so a token is
// reused until shortly before it expires, and concurrent callers share one token request.
import { WorkflowRunsError, isWorkflowRunsError } from '../../client/errors';
import type { HttpClient } from '../../client/types';
import type { ProviderLogger } from '../provider';
import { parseZuoraError } from './errors';
import { TokenResponseSchema } from './schemas';
import * as l10n from '@vscode/l10n';

export interface TokenSourceOptions {
  http: HttpClient;
  /** `{base}/oauth/token` (the v1 host, also for quickstart connections). */
  tokenUrl: string;
  clientId: string;
  getSecret: () => Promise<string>;
  /** Connection name, for messages. */
  connection: string;
  log: ProviderLogger;
  now?: () => number;
}

interface CachedToken {
  token: string;
  expiresAt: number;
  /** Refresh from this moment on: ~60 s before expiry (less for short-lived tokens). */
  refreshAt: number;
}

/** Token endpoint codes that mean "these client credentials are wrong". */
const rejectedCredentialCodes = new Set(['invalid_client', 'unauthorized_client', 'invalid_grant']);

export class ZuoraTokenSource {
  private cached: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: TokenSourceOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A valid bearer token; at most one token request is in flight, whoever asks. */
  async getToken(signal?: AbortSignal): Promise<string> {
    const cached = this.cached;
    if (cached && this.now() < cached.refreshAt) return cached.token;
    if (!this.pending) {
      const generation = this.generation;
      // Not tied to one caller's signal: others may be waiting for the same token.
      this.pending = this.fetchToken().then(
        (token) => {
          if (generation === this.generation) this.cached = token;
          this.pending = undefined;
          return token;
        },
        (error: unknown) => {
          this.pending = undefined;
          throw error;
        },
      );
    }
    return (await withSignal(this.pending, signal)).token;
  }

  /** Drops `token` after Zuora refused it (401); a newer token is kept. */
  invalidate(token: string): void {
    if (this.cached?.token === token) {
      this.cached = undefined;
      this.options.log.info(`Zuora refused the cached token of connection “${this.options.connection}”; fetching a new one.`);
    }
  }

  dispose(): void {
    this.generation += 1;
    this.cached = undefined;
    this.pending = undefined;
  }

  private async fetchToken(): Promise<CachedToken> {
    const secret = await this.options.getSecret();
    const requestedAt = this.now();
    try {
      const response = await this.options.http.request({
        method: 'POST',
        url: this.options.tokenUrl,
        endpoint: 'POST /oauth/token',
        form: { client_id: this.options.clientId, client_secret: secret, grant_type: 'client_credentials' },
        schema: TokenResponseSchema,
        // Asking for a token twice creates nothing: safe to retry (and 429s here are common).
        retry: 'read',
        platform: 'Zuora',
        connection: this.options.connection,
        parseError: parseZuoraError,
      });
      const lifetimeMs = (response.data.expires_in ?? 3600) * 1000;
      const margin = Math.min(60_000, lifetimeMs / 4);
      return { token: response.data.access_token, expiresAt: requestedAt + lifetimeMs, refreshAt: requestedAt + lifetimeMs - margin };
    } catch (error) {
      throw rejectedCredentials(error, this.options.connection);
    }
  }
}

/** A 400 invalid_client from the token endpoint is a credential problem, shown as one. */
function rejectedCredentials(error: unknown, connection: string): unknown {
  if (!isWorkflowRunsError(error) || error.kind !== 'http' || error.status !== 400 || !error.code || !rejectedCredentialCodes.has(error.code)) return error;
  return new WorkflowRunsError(l10n.t('Zuora rejected the credentials of connection “{0}” ({1}). Check them with Set Credentials…', connection, error.status), {
    kind: 'auth',
    status: error.status,
    code: error.code,
    connection,
    endpoint: error.endpoint,
    requestId: error.requestId,
    cause: error,
  });
}

/** Waits for a shared promise, but lets this caller stop waiting when its signal aborts. */
function withSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function abortError(reason: unknown): WorkflowRunsError {
  return new WorkflowRunsError(l10n.t('{0} was cancelled.', 'POST /oauth/token'), { kind: 'aborted', endpoint: 'POST /oauth/token', cause: reason });
}
