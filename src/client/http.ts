// The one HTTP client every provider uses: an undici keep-alive pool per origin, timeouts, abort,
// gzip, JSON + zod parsing, retries by policy, and errors in plain words without secrets.
import { Pool } from './undici';
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { ProviderLogger } from '../providers/provider';
import { delay } from '../providers/polling';
import { WorkflowRunsError, type ErrorKind } from './errors';
import { classifyTransportError, describeZodError } from './failures';
import { isRetryableFailure, planRetry, resolveRetryOptions, serverRequestedDelay, type AttemptFailure, type RetryOptions } from './retry';
import { readSse } from './sse';
import type { HttpClient, HttpResponse, PlatformErrorInfo, RequestOptions, SseEvent, StreamOptions } from './types';

export interface HttpClientOptions {
  log: ProviderLogger;
  /** Deadline of one attempt, from sending to the last body byte (streams: to the headers). */
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  userAgent?: string;
  retry?: Partial<RetryOptions>;
  /** Injectable for tests: jitter source and clock. */
  random?: () => number;
  now?: () => number;
}

export type DisposableHttpClient = HttpClient & { dispose(): Promise<void> };

/** Bodies above this are refused rather than buffered (no workflow API answers with this much). */
const maxBodyBytes = 32 * 1024 * 1024;
/** How much of an error body is read to find the platform's message. */
const maxErrorBodyBytes = 256 * 1024;

type AnyRequest = RequestOptions<unknown> | StreamOptions;

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

/** A failed attempt: the user-facing error plus what the retry planner needs. */
class AttemptError extends Error {
  constructor(
    readonly error: WorkflowRunsError,
    readonly failure: AttemptFailure | undefined,
  ) {
    super(error.message);
  }
}

export function createHttpClient(options: HttpClientOptions): DisposableHttpClient {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? Math.min(10_000, requestTimeoutMs);
  const userAgent = options.userAgent ?? 'workflow-runs-vscode';
  const retryOptions = resolveRetryOptions(options.retry);
  const now = options.now ?? Date.now;
  const log = options.log;
  const pools = new Map<string, Pool>();
  let disposed = false;

  function poolFor(origin: string): Pool {
    let pool = pools.get(origin);
    if (!pool) {
      // One pool per origin keeps TLS sessions and sockets warm across polls of the same platform.
      pool = new Pool(origin, {
        connections: 16,
        keepAliveTimeout: 30_000,
        connect: { timeout: connectTimeoutMs },
      });
      pools.set(origin, pool);
    }
    return pool;
  }

  /** Runs `attempt` until it succeeds or the policy/budget says stop; logs each retry. */
  async function withRetries<R>(request: AnyRequest, attempt: () => Promise<R>): Promise<R> {
    const started = now();
    for (let attemptNumber = 1; ; attemptNumber++) {
      try {
        return await attempt();
      } catch (thrown) {
        if (!(thrown instanceof AttemptError)) throw thrown;
        const { error, failure } = thrown;
        if (!failure || request.signal?.aborted) throw error;
        const decision = planRetry({
          policy: request.retry,
          failure,
          attempt: attemptNumber,
          elapsedMs: now() - started,
          options: retryOptions,
          random: options.random,
        });
        if (!decision.retry) throw error;
        log.warn(`${request.method} ${logPath(request.url, request.query)} will be retried in ${decision.delayMs} ms (attempt ${attemptNumber + 1} of ${retryOptions.maxAttempts}): ${error.message}`);
        try {
          await delay(decision.delayMs, request.signal);
        } catch (reason) {
          throw abortedError(request, reason);
        }
      }
    }
  }

  /** Sends one attempt and returns once headers arrived (any status). */
  async function send(request: AnyRequest, accept: string, acceptEncoding: string, deadline: AbortSignal): Promise<RawResponse> {
    if (disposed) throw new WorkflowRunsError('The HTTP client was disposed.', { kind: 'aborted', endpoint: request.endpoint });
    const url = buildUrl(request);
    const headers: Record<string, string> = { accept, 'accept-encoding': acceptEncoding, 'user-agent': userAgent };
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    }
    // The caller's headers win (case-insensitively): Zuora quickstart wants its own lower-case set.
    for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
    const timeoutMs = request.timeoutMs ?? requestTimeoutMs;
    const response = await poolFor(url.origin).request({
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers,
      body,
      signal: deadline,
      headersTimeout: timeoutMs,
      // Streams have their own idle watchdog; a quiet stream is not a slow response.
      bodyTimeout: isStream(request) ? 0 : timeoutMs,
    });
    return { status: response.statusCode, headers: flattenHeaders(response.headers), body: response.body as unknown as Readable };
  }

  /**
   * One attempt with its own deadline. `work` reads what it needs from the response; the deadline
   * covers it too unless `keepOpen` (streams: the caller's signal alone governs the rest).
   */
  async function attemptOnce<R>(
    request: AnyRequest,
    accept: string,
    acceptEncoding: string,
    work: (response: RawResponse, started: number) => Promise<R>,
    keepOpen = false,
  ): Promise<R> {
    const controller = new AbortController();
    const timeoutMs = request.timeoutMs ?? requestTimeoutMs;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('deadline'));
    }, timeoutMs);
    const onCallerAbort = () => controller.abort(request.signal?.reason);
    if (request.signal?.aborted) {
      clearTimeout(timer);
      throw abortedError(request, request.signal.reason);
    }
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const started = now();
    let handedOver = false;
    try {
      const response = await send(request, accept, acceptEncoding, controller.signal);
      const result = await work(response, started);
      handedOver = keepOpen;
      return result;
    } catch (thrown) {
      if (thrown instanceof AttemptError) throw thrown;
      const ms = now() - started;
      if (request.signal?.aborted) {
        log.info(`${request.method} ${logPath(request.url, request.query)} cancelled after ${ms} ms`);
        throw new AttemptError(abortedError(request, request.signal.reason), undefined);
      }
      const mapped = transportError(request, thrown, timedOut, timeoutMs);
      log.info(`${request.method} ${logPath(request.url, request.query)} failed after ${ms} ms: ${mapped.error.kind}`);
      throw mapped;
    } finally {
      clearTimeout(timer);
      // A stream keeps following the caller's abort; everything else is done with it.
      if (!handedOver) request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** Fails the attempt for a status ≥ 400 (reads the error body to let the provider explain). */
  async function failForStatus(request: AnyRequest, response: RawResponse): Promise<never> {
    const buffer = await readBody(response, maxErrorBodyBytes, true);
    const text = buffer.toString('utf8');
    const parsed = parseJson(text);
    let info: PlatformErrorInfo | undefined;
    if (parsed.ok && parsed.value !== undefined) {
      try {
        info = request.parseError?.(parsed.value, response.status);
      } catch {
        info = undefined; // A parser that trips on an odd body must not hide the HTTP error.
      }
    }
    const html = !parsed.ok && looksLikeHtml(text, response.headers);
    const failure: AttemptFailure = {
      status: response.status,
      retryable: info?.retryable,
      retryAfterMs: serverRequestedDelay(response.headers, now(), response.status === 429),
    };
    const status = response.status;
    const kind: ErrorKind = status === 401 || status === 403 ? 'auth' : 'http';
    const message = redact(request, statusMessage(request, status, info, html));
    // "Worth trying again later", whatever this request's own policy.
    const retryable = isRetryableFailure('read', failure);
    throw new AttemptError(
      new WorkflowRunsError(message, {
        kind,
        status,
        code: info?.code,
        retryable,
        requestId: info?.requestId ?? requestIdOf(response.headers),
        connection: request.connection,
        endpoint: request.endpoint,
      }),
      failure,
    );
  }

  async function request<T>(request: RequestOptions<T>): Promise<HttpResponse<T>> {
    return withRetries(request, () =>
      attemptOnce(request, 'application/json', 'gzip', async (response, started) => {
        const line = `${request.method} ${logPath(request.url, request.query)} → ${response.status}`;
        if (response.status >= 400) {
          log.info(`${line} in ${now() - started} ms`);
          return failForStatus(request, response);
        }
        const buffer = await readBody(response, maxBodyBytes, false, request);
        log.info(`${line} in ${now() - started} ms`);
        const text = buffer.toString('utf8');
        const parsed = parseJson(text);
        if (!parsed.ok) {
          const what = looksLikeHtml(text, response.headers) ? 'an HTML page' : 'something that is not JSON';
          throw new AttemptError(
            new WorkflowRunsError(
              redact(request, `${request.endpoint}: ${platformName(request)} answered with ${what} instead of JSON (HTTP ${response.status}).`),
              { kind: 'schema', status: response.status, endpoint: request.endpoint, connection: request.connection },
            ),
            undefined,
          );
        }
        const result = request.schema.safeParse(parsed.value);
        if (!result.success) {
          throw new AttemptError(
            new WorkflowRunsError(`${request.endpoint}: ${describeZodError(result.error)}`, {
              kind: 'schema',
              status: response.status,
              endpoint: request.endpoint,
              connection: request.connection,
              requestId: requestIdOf(response.headers),
            }),
            undefined,
          );
        }
        return { status: response.status, headers: response.headers, data: result.data };
      }),
    );
  }

  async function stream(request: StreamOptions): Promise<AsyncIterable<SseEvent>> {
    // Compression would hold events back in the server's buffers: ask for none.
    return withRetries(request, () =>
      attemptOnce(
        request,
        'text/event-stream',
        'identity',
        async (response, started) => {
          log.info(`${request.method} ${logPath(request.url, request.query)} → ${response.status} in ${now() - started} ms (stream)`);
          if (response.status >= 400) return failForStatus(request, response);
          const body = decoded(response);
          return readSse(body, {
            endpoint: request.endpoint,
            idleTimeoutMs: request.idleTimeoutMs,
            signal: request.signal,
            cancel: () => response.body.destroy(),
          });
        },
        true,
      ),
    );
  }

  async function dispose(): Promise<void> {
    disposed = true;
    const all = [...pools.values()];
    pools.clear();
    await Promise.all(all.map((pool) => pool.destroy().catch(() => undefined)));
  }

  function transportError(request: AnyRequest, thrown: unknown, timedOut: boolean, timeoutMs: number): AttemptError {
    const host = safeHost(request.url);
    if (!timedOut && thrown instanceof WorkflowRunsError) return new AttemptError(thrown, undefined);
    const problem = classifyTransportError(thrown);
    if (timedOut || problem?.kind === 'timeout') {
      const error = new WorkflowRunsError(`${host} did not answer ${request.endpoint} within ${formatSeconds(timeoutMs)}.`, {
        kind: 'timeout',
        endpoint: request.endpoint,
        connection: request.connection,
        retryable: true,
        cause: thrown,
      });
      // A timed-out write may have been processed: only the policy can say whether to resend.
      return new AttemptError(error, { network: 'other' });
    }
    if (problem) {
      const error = new WorkflowRunsError(redact(request, `Could not reach ${host} for ${request.endpoint}: ${problem.reason}.`), {
        kind: 'network',
        code: problem.code,
        endpoint: request.endpoint,
        connection: request.connection,
        retryable: problem.network !== 'other',
        cause: thrown,
      });
      return new AttemptError(error, { network: problem.network });
    }
    const error = new WorkflowRunsError(`${request.endpoint} failed: ${redact(request, thrown instanceof Error ? thrown.message : String(thrown))}`, {
      kind: 'network',
      endpoint: request.endpoint,
      connection: request.connection,
      cause: thrown,
    });
    return new AttemptError(error, undefined);
  }

  return { request, stream, dispose };
}

function isStream(request: AnyRequest): request is StreamOptions {
  return !('schema' in request);
}

function buildUrl(request: AnyRequest): URL {
  const url = new URL(request.url);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

/** The path and the names (not values) of query parameters: values may hold tokens or user data. */
export function logPath(rawUrl: string, query?: Record<string, unknown>): string {
  try {
    const url = new URL(rawUrl);
    const keys = new Set<string>([...url.searchParams.keys()]);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) keys.add(key);
    return keys.size > 0 ? `${url.pathname}?${[...keys].join('&')}` : url.pathname;
  } catch {
    return '(invalid URL)';
  }
}

function safeHost(rawUrl: string): string {
  try {
    return new URL(rawUrl).host;
  } catch {
    return 'the server';
  }
}

function platformName(request: AnyRequest): string {
  return request.platform ?? safeHost(request.url);
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function requestIdOf(headers: Record<string, string>): string | undefined {
  return headers['zuora-request-id'] ?? headers['x-request-id'] ?? headers['request-id'];
}

/** Buffers a (possibly compressed) body, refusing more than `limit` bytes (or truncating, for error bodies). */
async function readBody(response: RawResponse, limit: number, truncate: boolean, request?: AnyRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > limit) {
      response.body.destroy();
      if (truncate) break;
      throw new WorkflowRunsError(`${request?.endpoint ?? 'The request'}: the answer was larger than ${Math.round(limit / 1024 / 1024)} MB.`, {
        kind: 'schema',
        endpoint: request?.endpoint,
      });
    }
    chunks.push(buffer);
  }
  const raw = Buffer.concat(chunks);
  try {
    return decompress(raw, response.headers['content-encoding']);
  } catch (error) {
    if (truncate) return raw;
    throw new WorkflowRunsError(`${request?.endpoint ?? 'The request'}: the compressed answer could not be decoded.`, {
      kind: 'schema',
      endpoint: request?.endpoint,
      cause: error,
    });
  }
}

/** undici hands bodies over as sent: decoding Content-Encoding is ours to do. */
function decompress(raw: Buffer, encoding: string | undefined): Buffer {
  const kind = encoding?.trim().toLowerCase();
  if (!kind || kind === 'identity' || raw.length === 0) return raw;
  if (kind === 'gzip' || kind === 'x-gzip') return gunzipSync(raw);
  if (kind === 'deflate') return inflateSync(raw);
  if (kind === 'br') return brotliDecompressSync(raw);
  return raw;
}

/** A streaming body, decompressed when a server compressed it anyway. */
function decoded(response: RawResponse): Readable {
  const kind = response.headers['content-encoding']?.trim().toLowerCase();
  const decoder =
    kind === 'gzip' || kind === 'x-gzip' ? createGunzip() : kind === 'deflate' ? createInflate() : kind === 'br' ? createBrotliDecompress() : undefined;
  if (!decoder) return response.body;
  // pipeline forwards a socket error to the decoder, so the reader still sees the stream cut.
  pipeline(response.body, decoder, () => undefined);
  return decoder;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function looksLikeHtml(text: string, headers: Record<string, string>): boolean {
  return (headers['content-type'] ?? '').includes('html') || /^\s*</.test(text);
}

function statusMessage(request: AnyRequest, status: number, info: PlatformErrorInfo | undefined, html: boolean): string {
  const platform = platformName(request);
  const connection = request.connection ? `connection “${request.connection}”` : 'this connection';
  const said = info?.message ? ` ${platform} said: ${info.message}` : '';
  if (status === 401) {
    return `${platform} rejected the credentials of ${connection} (401). Check them with Set Credentials…${said}`;
  }
  if (status === 403) {
    return `${platform} refused ${request.endpoint} for ${connection} (403): the credentials lack a permission. Check them with Set Credentials…${said}`;
  }
  if (html) {
    return `${request.endpoint}: ${platform} answered with an HTML page instead of JSON (HTTP ${status}), probably a proxy or gateway error page.`;
  }
  const code = info?.code ? `, ${info.code}` : '';
  const fallback = status === 404 ? 'not found' : status === 429 ? 'too many requests, try again later' : status >= 500 ? 'a server error' : 'the request was refused';
  return `${request.endpoint} failed (HTTP ${status}${code}): ${info?.message ?? fallback}.`.replace(/\.\.$/, '.');
}

function abortedError(request: AnyRequest, reason: unknown): WorkflowRunsError {
  return new WorkflowRunsError(`${request.endpoint} was cancelled.`, { kind: 'aborted', endpoint: request.endpoint, connection: request.connection, cause: reason });
}

const secretHeaders = ['authorization', 'proxy-authorization', 'api-token', 'x-api-key', 'cookie'];
const secretFormField = /secret|password|token/i;

/** Removes every credential this request carries from a message (platforms sometimes echo them). */
function redact(request: AnyRequest, message: string): string {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (!secretHeaders.includes(name.toLowerCase()) || !value) continue;
    secrets.push(value);
    const [, credential] = /^\S+\s+(.+)$/.exec(value) ?? [];
    if (credential) {
      secrets.push(credential);
      if (/^basic$/i.test(value.split(/\s/)[0] ?? '')) {
        const decoded = Buffer.from(credential, 'base64').toString('utf8');
        const password = decoded.slice(decoded.indexOf(':') + 1);
        if (password) secrets.push(password);
      }
    }
  }
  for (const [name, value] of Object.entries(request.form ?? {})) if (secretFormField.test(name) && value) secrets.push(value);
  let text = message;
  // Longest first, so a token inside a longer header value is not left half-visible.
  for (const secret of secrets.sort((a, b) => b.length - a.length)) {
    if (secret.length >= 3) text = text.split(secret).join('•••');
  }
  return text;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
