// A JSON API reached with `Authorization: Bearer <credential>` (Dify, B3OS): one request helper
// with the platform's error parser and name, so each adapter states only what differs.
import type { HttpMethod, PlatformErrorInfo, RetryPolicy } from '../client/types';
import type { z } from 'zod';
import type { ProviderContext } from './provider';

export interface BearerApiOptions {
  /** "Dify", "B3OS": used in error messages. */
  platform: string;
  parseError: (body: unknown, status: number) => PlatformErrorInfo | undefined;
}

export interface BearerCallExtra {
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export type BearerCall = <T>(
  method: HttpMethod,
  path: string,
  endpoint: string,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  retry: RetryPolicy,
  extra?: BearerCallExtra,
) => Promise<T>;

/** `call(method, path, endpoint, schema, retry, extra)` against the connection's base URL. */
export function bearerApi(ctx: ProviderContext, options: BearerApiOptions): BearerCall {
  const base = ctx.connection.baseUrl.replace(/\/+$/, '');
  return async (method, path, endpoint, schema, retry, extra = {}) => {
    const response = await ctx.http.request({
      method,
      url: `${base}${path}`,
      endpoint,
      // Read at every call: a credential changed in the meantime is the one used.
      headers: { authorization: `Bearer ${await ctx.getCredential()}` },
      schema,
      retry,
      parseError: options.parseError,
      connection: ctx.connection.name,
      platform: options.platform,
      ...extra,
    });
    return response.data;
  };
}
