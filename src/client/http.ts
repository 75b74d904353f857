// The one HTTP client every provider uses: undici dispatchers from the network settings (direct
// keep-alive pools or a proxy, see network.ts), one deadline per attempt (deadline.ts), abort, and
// retries by policy. Reading answers whole is wholeAnswer.ts's job, bodies in general body.ts's;
// wording failures (without secrets) is attemptErrors.ts's and networkErrors.ts's.
import { Readable } from 'node:stream';
import type { Logger } from '../util/logger';
import { delay } from '../util/delay';
import type { Dispatcher } from 'undici';
import { AttemptAbort, requestUntilAborted } from './attemptAbort';
import { attemptDeadlineMs } from './deadline';
import { AttemptError, abortedError, notJsonError, schemaMismatchError, transportError } from './attemptErrors';
import { bodyText } from './bodyText';
import { decodedStream, flattenHeaders, looksLikeHtml, maxErrorBodyBytes, parseJson, readBody, type RawResponse } from './body';
import { WorkflowRunsError } from './errors';
import { createDispatcherFactory, type NetworkSettings, type ProxyEnvironment } from './network';
import { safeParseJson } from './jsonSchemaCheck';
import { logPath, requestTarget, type RequestTarget } from './requestTarget';
import { isEventStream, notEventStreamFailure, refusedIn2xx, statusFailure } from './statusFailure';
import { describeNetworkFailure } from './networkErrors';
import { mayHaveBeenCarriedOut, planRetry, resolveRetryOptions, type RetryOptions } from './retry';
import { readSseBatches } from './sse';
import type { AnyRequest, HttpClient, HttpResponse, RequestOptions, SseBatches, StreamOptions } from './types';
import { requestWhole, type WholeAnswer } from './wholeAnswer';
import * as l10n from '@vscode/l10n';

export interface HttpClientOptions {
  log: Logger;
  /** Deadline of one attempt, from sending to the last body byte (streams: to the headers). */
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  userAgent?: string;
  retry?: Partial<RetryOptions>;
  /** VS Code's `http.*` settings and the proxy environment variables; none: every request direct. */
  network?: NetworkConnection;
  /** Sockets per origin for requests (streams have their own, uncapped). Default 16. */
  connectionsPerOrigin?: number;
  /** Injectable for tests: jitter source and clock. */
  random?: () => number;
  now?: () => number;
}

export interface NetworkConnection {
  settings: NetworkSettings;
  env?: ProxyEnvironment;
  /** PEM CAs trusted on top of Node's store (tests; the extension relies on NODE_EXTRA_CA_CERTS). */
  extraCaCertificates?: readonly string[];
}

/** What may change while the client lives (settings edited in VS Code): applies to the next attempt. */
export interface HttpClientChanges {
  requestTimeoutMs?: number;
  network?: Pick<NetworkConnection, 'settings' | 'env'>;
}

export type DisposableHttpClient = HttpClient & {
  /** New settings from now on; requests and streams already running finish on their old connections. */
  configure(changes: HttpClientChanges): void;
  dispose(): Promise<void>;
};

export function createHttpClient(options: HttpClientOptions): DisposableHttpClient {
  let requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? Math.min(10_000, requestTimeoutMs);
  const userAgent = options.userAgent ?? 'workflow-runs-vscode';
  const retryOptions = resolveRetryOptions(options.retry);
  const now = options.now ?? Date.now;
  const log = options.log;
  const network = options.network ?? { settings: {} };
  const env = network.env ?? {};
  const extraCaCertificates = network.extraCaCertificates;
  // Two sets of dispatchers with the same routes: requests share a capped pool per origin, while
  // every open stream (a followed run) gets a connection of its own, so streams held open for
  // minutes can never leave a trigger, poll or stop waiting for a socket.
  const requestDispatchers = createDispatcherFactory(network.settings, env, {
    connectTimeoutMs,
    connections: options.connectionsPerOrigin ?? 16,
    extraCaCertificates,
  });
  const streamDispatchers = createDispatcherFactory(network.settings, env, { connectTimeoutMs, connections: null, extraCaCertificates });
  let disposed = false;
  if (requestDispatchers.routeFor('https://example.invalid').kind === 'proxy') logRoute();

  /** Says once (and on each change) whether a proxy is in use: the uri holds no credentials. */
  function logRoute(): void {
    const decision = requestDispatchers.routeFor('https://example.invalid');
    if (decision.kind === 'proxy') {
      const from = decision.source === 'settings' ? 'http.proxy' : 'the environment';
      log.info(`Requests go through the proxy ${decision.uri} (from ${from}${decision.token ? ', with credentials' : ''}), except hosts in http.noProxy/NO_PROXY.`);
    } else log.info('Requests go directly (no proxy applies).');
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
        // Asked after the wait, so a request that did get through has had time to show.
        if (request.confirmResend && mayHaveBeenCarriedOut(failure) && !(await request.confirmResend(error))) throw error;
      }
    }
  }

  /** The deadline of one attempt: the request's own timeout or the setting, more for an upload. */
  function deadlineOf(request: AnyRequest): number {
    return attemptDeadlineMs(request.timeoutMs ?? requestTimeoutMs, request.upload?.length);
  }

  /** undici's options for one attempt of `request` to `target` (requests and streams alike). */
  function attemptOptions(request: AnyRequest, target: RequestTarget, accept: string, acceptEncoding: string): Dispatcher.DispatchOptions {
    if (disposed) throw new WorkflowRunsError(l10n.t('The HTTP client was disposed.'), { kind: 'aborted', endpoint: request.endpoint });
    const headers: Record<string, string> = { accept, 'accept-encoding': acceptEncoding, 'user-agent': userAgent };
    let body: string | Readable | undefined;
    if (request.upload) {
      headers['content-type'] = request.upload.contentType;
      headers['content-length'] = String(request.upload.length);
      body = Readable.from(request.upload.open(), { objectMode: false });
    } else if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    }
    // The caller's headers win (case-insensitively): Zuora quickstart wants its own lower-case set.
    for (const name in request.headers) headers[name.toLowerCase()] = request.headers[name]!;
    const timeoutMs = deadlineOf(request);
    return {
      // A proxy agent serves many origins: it needs the origin in every request.
      origin: target.origin,
      path: target.path,
      method: request.method,
      headers,
      body,
      headersTimeout: timeoutMs,
      // Streams have their own idle watchdog; a quiet stream is not a slow response.
      bodyTimeout: isStream(request) ? 0 : timeoutMs,
    };
  }

  /**
   * One attempt with its own deadline: `exchange` sends it and reads what it needs of the answer,
   * under the deadline unless `keepOpen` (streams: the caller's signal alone governs the rest, and
   * the exchange calls `release` once the stream is over, to stop following that signal).
   */
  async function attemptOnce<Q extends AnyRequest, R>(
    request: Q,
    exchange: (request: Q, attempt: AttemptAbort, started: number, release: () => void) => Promise<R>,
    keepOpen = false,
  ): Promise<R> {
    const signal = request.signal;
    if (signal?.aborted) throw abortedError(request, signal.reason);
    const timeoutMs = deadlineOf(request);
    const controller = new AttemptAbort();
    controller.startDeadline(timeoutMs);
    const onCallerAbort = signal ? () => controller.abort(signal.reason) : undefined;
    if (onCallerAbort) signal?.addEventListener('abort', onCallerAbort, { once: true });
    // The caller's signal may outlive thousands of attempts: each one's listener must go.
    const release = () => {
      if (onCallerAbort) signal?.removeEventListener('abort', onCallerAbort);
    };
    const started = now();
    let handedOver = false;
    try {
      const result = await exchange(request, controller, started, release);
      handedOver = keepOpen;
      return result;
    } catch (thrown) {
      if (thrown instanceof AttemptError) throw thrown;
      const ms = now() - started;
      if (request.signal?.aborted) {
        log.info(`${request.method} ${logPath(request.url, request.query)} cancelled after ${ms} ms`);
        throw new AttemptError(abortedError(request, request.signal.reason), undefined);
      }
      const mapped = controller.timedOut ? transportError(request, thrown, true, timeoutMs) : (networkError(request, thrown) ?? transportError(request, thrown, false, timeoutMs));
      log.info(`${request.method} ${logPath(request.url, request.query)} failed after ${ms} ms: ${mapped.error.kind}`);
      throw mapped;
    } finally {
      controller.clearDeadline();
      // A stream keeps following the caller's abort until it is over; everything else is done with it.
      if (!handedOver) release();
    }
  }

  /** One attempt of a request: its answer read whole (bounded, decoded), then parsed and checked. */
  async function receive<T>(request: RequestOptions<T>, attempt: AttemptAbort, started: number): Promise<HttpResponse<T>> {
    const target = requestTarget(request.url, request.query);
    const options = attemptOptions(request, target, 'application/json', 'gzip');
    const answer = await requestWhole(requestDispatchers.dispatcherFor(target.origin), options, attempt, request);
    log.info(`${request.method} ${target.logged} → ${answer.status} in ${now() - started} ms`);
    if (answer.status >= 300) throw statusFailure(request, answer.status, answer.headers, answer.body, now());
    const text = bodyText(answer.body, answer.contentType);
    const parsed = parseJson(text);
    if (!parsed.ok) throw notJsonError(request, answer.status, looksLikeHtml(text, answer.headers));
    if (request.isErrorBody?.(parsed.value)) throw refusedIn2xx(request, answer.status, answer.headers, parsed.value, now());
    const result = safeParseJson(request.schema, parsed.value);
    if (!result.success) throw schemaMismatchError(request, answer.status, answer.headers, result.error);
    return new Answered(answer, result.data);
  }

  /** One attempt of a stream: open once its headers came with a 2xx. */
  async function openStream(request: StreamOptions, attempt: AttemptAbort, started: number, release: () => void): Promise<SseBatches> {
    const target = requestTarget(request.url, request.query);
    // Compression would hold events back in the server's buffers: ask for none.
    const options = attemptOptions(request, target, 'text/event-stream', 'identity');
    const answer = await requestUntilAborted(streamDispatchers.dispatcherFor(target.origin), { ...options, signal: attempt.asRequestSignal() }, attempt);
    const response: RawResponse = { status: answer.statusCode, headers: flattenHeaders(answer.headers), body: answer.body as unknown as Readable };
    // The body closes however the stream ends (read to its end, cut, cancelled, the reader stopped).
    if (response.body.closed) release();
    else response.body.once('close', release);
    log.info(`${request.method} ${target.logged} → ${response.status} in ${now() - started} ms (stream)`);
    if (response.status >= 300) throw statusFailure(request, response.status, response.headers, await readBody(response, maxErrorBodyBytes, true), now());
    // A proxy's login page or the platform's JSON error, sent with a 2xx, is no stream: the SSE
    // reader would find no event in it and the user would never see what it said.
    if (!isEventStream(response.headers)) throw notEventStreamFailure(request, response.status, response.headers, await readBody(response, maxErrorBodyBytes, true));
    return readSseBatches(decodedStream(response), {
      endpoint: request.endpoint,
      idleTimeoutMs: request.idleTimeoutMs,
      signal: request.signal,
      cancel: () => response.body.destroy(),
    });
  }

  // Not async: the promise withRetries makes is the answer (an async wrapper adds a promise and ticks).
  function request<T>(request: RequestOptions<T>): Promise<HttpResponse<T>> {
    return withRetries(request, () => attemptOnce(request, receive<T>));
  }

  function stream(request: StreamOptions): Promise<SseBatches> {
    return withRetries(request, () => attemptOnce(request, openStream, true));
  }

  /** A proxy or certificate failure in the user's words (host, reason, fix), if it is one. */
  function networkError(request: AnyRequest, thrown: unknown): AttemptError | undefined {
    let target: URL;
    try {
      target = new URL(request.url);
    } catch {
      return undefined;
    }
    const failure = describeNetworkFailure(thrown, { host: target.host, endpoint: request.endpoint, route: requestDispatchers.routeFor(target.origin) });
    if (!failure) return undefined;
    const error = new WorkflowRunsError(failure.message, {
      kind: failure.kind,
      code: failure.code,
      retryable: failure.retryable,
      endpoint: request.endpoint,
      connection: request.connection,
      cause: thrown,
    });
    // Only a refused proxy (or one whose upstream is down) may come back; nothing was sent then.
    return new AttemptError(error, failure.retryable ? { network: failure.network } : undefined);
  }

  function configure(changes: HttpClientChanges): void {
    if (changes.requestTimeoutMs !== undefined && changes.requestTimeoutMs > 0) requestTimeoutMs = changes.requestTimeoutMs;
    if (changes.network) {
      const before = requestDispatchers.routeFor('https://example.invalid');
      requestDispatchers.update(changes.network.settings, changes.network.env ?? {});
      streamDispatchers.update(changes.network.settings, changes.network.env ?? {});
      const after = requestDispatchers.routeFor('https://example.invalid');
      if (JSON.stringify(before) !== JSON.stringify(after)) logRoute();
    }
  }

  async function dispose(): Promise<void> {
    disposed = true;
    await Promise.all([requestDispatchers.destroy(), streamDispatchers.destroy()]);
  }

  return { request, stream, configure, dispose };
}

/** What request() resolves to; its headers are the answer's, made into strings if read. */
class Answered<T> implements HttpResponse<T> {
  readonly status: number;
  readonly #answer: WholeAnswer;

  constructor(
    answer: WholeAnswer,
    readonly data: T,
  ) {
    this.status = answer.status;
    this.#answer = answer;
  }

  get headers(): Record<string, string> {
    return this.#answer.headers;
  }
}

function isStream(request: AnyRequest): request is StreamOptions {
  return !('schema' in request);
}
