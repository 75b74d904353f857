// A JSON API reached with `Authorization: Bearer <credential>` (Dify, B3OS): one request helper
// and one stream helper with the platform's error parser and name, so each adapter states only
// what differs.
import type { HttpMethod, PlatformErrorInfo, RequestOptions, RetryPolicy, SseBatches, UploadBody } from '../client/types';
import type { z } from 'zod';
import type { ProviderContext } from './provider';

export interface BearerApiOptions {
  /** "Dify", "B3OS": used in error messages. */
  platform: string;
  parseError: (body: unknown, status: number) => PlatformErrorInfo | undefined;
  /** A 2xx body that is an error all the same (B3OS's envelope code); see RequestOptions. */
  isErrorBody?: (body: unknown) => boolean;
}

export interface BearerCallExtra {
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  /** A multipart or other streamed body (uploads). */
  upload?: UploadBody;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Before resending a write that may have been carried out: see RequestOptions. */
  confirmResend?: RequestOptions<unknown>['confirmResend'];
}

export interface BearerStreamExtra {
  query?: Record<string, string>;
  json?: unknown;
  signal: AbortSignal;
  /** The stream counts as dead after this long without a byte (not even a ping). */
  idleTimeoutMs: number;
}

export interface BearerApi {
  /** One JSON request against the connection's base URL, its body checked with `schema`. */
  call<T>(
    method: HttpMethod,
    path: string,
    endpoint: string,
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    retry: RetryPolicy,
    extra?: BearerCallExtra,
  ): Promise<T>;
  /** Opens a text/event-stream against the connection's base URL; its events come in batches (see SseBatches). */
  stream(method: HttpMethod, path: string, endpoint: string, retry: RetryPolicy, extra: BearerStreamExtra): Promise<SseBatches>;
}

export function bearerApi(ctx: ProviderContext, options: BearerApiOptions): BearerApi {
  const base = ctx.connection.baseUrl.replace(/\/+$/, '');
  const { parseError, isErrorBody, platform } = options;
  const connection = ctx.connection.name;
  return {
    async call(method, path, endpoint, schema, retry, extra = {}) {
      // Read at every call: a credential changed in the meantime is the one used.
      const headers = { authorization: `Bearer ${await ctx.getCredential()}` };
      const response = await ctx.http.request({ method, url: base + path, endpoint, schema, retry, headers, parseError, isErrorBody, connection, platform, ...extra });
      return response.data;
    },
    async stream(method, path, endpoint, retry, extra) {
      const headers = { authorization: `Bearer ${await ctx.getCredential()}` };
      return ctx.http.stream({ method, url: base + path, endpoint, retry, headers, parseError, connection, platform, ...extra });
    },
  };
}
