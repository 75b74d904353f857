// What went wrong with one attempt, in the user's words and without secrets: the HTTP status, a
// body that is not the JSON expected, a transport failure, a cancel. Each error also carries what
// the retry planner needs (AttemptFailure).
import type { ZodError } from 'zod';
import { looksLikeHtml, requestIdOf } from './body';
import { WorkflowRunsError, type ErrorKind } from './errors';
import { classifyTransportError, describeZodError } from './failures';
import { isRetryableFailure, serverRequestedDelay, type AttemptFailure } from './retry';
import type { AnyRequest, PlatformErrorInfo } from './types';
import { textStart } from '../util/text';
import * as l10n from '@vscode/l10n';

/** A failed attempt: the user-facing error plus what the retry planner needs (none: never retry). */
export class AttemptError extends Error {
  constructor(
    readonly error: WorkflowRunsError,
    readonly failure: AttemptFailure | undefined,
  ) {
    super(error.message);
  }
}

/** The answer of a status ≥ 400, explained with what the platform's error body said (`info`). */
export function statusError(
  request: AnyRequest,
  answer: { status: number; headers: Record<string, string>; info: PlatformErrorInfo | undefined; html: boolean },
  now: number,
): AttemptError {
  const { status, headers, info } = answer;
  const failure: AttemptFailure = {
    status,
    retryable: info?.retryable,
    retryAfterMs: serverRequestedDelay(headers, now, status === 429),
  };
  const kind: ErrorKind = status === 401 || status === 403 ? 'auth' : 'http';
  const { said, html } = platformSaid(request, info?.message);
  const message = redact(request, statusMessage(request, status, info?.code, said, answer.html || html));
  // "Worth trying again later", whatever this request's own policy.
  const retryable = isRetryableFailure('read', failure);
  return new AttemptError(
    new WorkflowRunsError(message, {
      kind,
      status,
      code: info?.code,
      retryable,
      requestId: info?.requestId ?? requestIdOf(headers),
      connection: request.connection,
      endpoint: request.endpoint,
      // Past the retry budget the wait still matters: the watcher honours it before polling again.
      retryAfterMs: retryable ? failure.retryAfterMs : undefined,
      ...(said ? { platformMessage: said } : {}),
    }),
    failure,
  );
}

/**
 * A 3xx answer. Redirects are never followed (an Authorization header must not travel to wherever a
 * server points), and reading one as an empty success would surface as a puzzling schema error:
 * the base URL is almost always what is wrong (http→https, a missing /v1, a login page).
 * Only the target's origin and path are named: its query may carry tokens.
 */
export function redirectError(request: AnyRequest, status: number, headers: Record<string, string>): AttemptError {
  const location = headers['location'];
  let target = l10n.t('another address');
  if (location) {
    try {
      const url = new URL(location, request.url);
      target = `${url.origin}${url.pathname}`;
    } catch {
      target = l10n.t('an address that is not a valid URL');
    }
  }
  const connection = request.connection ? l10n.t('connection “{0}”', request.connection) : l10n.t('this connection');
  const message = l10n.t({
    message: '{0}: {1} answered with a redirect (HTTP {2}) to {3} that is not followed; check the base URL of {4}.',
    args: [request.endpoint, platformName(request), status, target, connection],
    comment: ['{0} is a request such as "GET /v1/workflows", {1} the platform, {3} an address (or "another address"), {4} "connection “name”" or "this connection".'],
  });
  return new AttemptError(
    new WorkflowRunsError(redact(request, message), {
      kind: 'http',
      status,
      retryable: false,
      endpoint: request.endpoint,
      connection: request.connection,
      requestId: requestIdOf(headers),
    }),
    undefined,
  );
}

/** A 2xx answer that is not JSON at all (an HTML page, or anything else). */
export function notJsonError(request: AnyRequest, status: number, html: boolean): AttemptError {
  const what = html ? l10n.t('an HTML page') : l10n.t('something that is not JSON');
  return new AttemptError(
    new WorkflowRunsError(redact(request, l10n.t('{0}: {1} answered with {2} instead of JSON (HTTP {3}).', request.endpoint, platformName(request), what, status)), {
      kind: 'schema',
      status,
      endpoint: request.endpoint,
      connection: request.connection,
    }),
    undefined,
  );
}

/**
 * A 2xx answer to a stream that is not an event stream. The platform's JSON error (sent with a
 * success status) is its error, as with an error status; anything else is named — an HTML page
 * (a proxy's login or error page) in words, never its markup.
 */
export function notEventStreamError(
  request: AnyRequest,
  answer: { status: number; headers: Record<string, string>; info: PlatformErrorInfo | undefined; html: boolean; json: boolean },
): AttemptError {
  const { status, headers, info } = answer;
  const { said, html } = platformSaid(request, info?.message);
  const platform = platformName(request);
  const common = { status, endpoint: request.endpoint, connection: request.connection, requestId: info?.requestId ?? requestIdOf(headers) };
  if (!answer.html && !html && (said || info?.code)) {
    const code = info?.code ? `, ${info.code}` : '';
    const comment = ['{0} is a request such as "POST /workflows/run", {1} the platform, {2} an HTTP status, {3} ", <the platform\'s error code>" or nothing, {4} what the platform said.'];
    const message = said
      ? oneStop(l10n.t({ message: '{0}: {1} answered with an error instead of an event stream (HTTP {2}{3}): {4}.', args: [request.endpoint, platform, status, code, said], comment }))
      : l10n.t({ message: '{0}: {1} answered with an error instead of an event stream (HTTP {2}{3}).', args: [request.endpoint, platform, status, code], comment });
    return new AttemptError(new WorkflowRunsError(redact(request, message), { kind: 'http', code: info?.code, ...(said ? { platformMessage: said } : {}), ...common }), undefined);
  }
  const what = answer.html || html ? l10n.t('an HTML page') : answer.json ? l10n.t('JSON') : l10n.t('something that is not an event stream');
  const message = l10n.t({
    message: '{0}: {1} answered with {2} instead of an event stream (HTTP {3}).',
    args: [request.endpoint, platform, what, status],
    comment: ['{0} is a request such as "GET /v1/runs/{id}/stream", {1} the platform, {2} "an HTML page", "JSON" or "something that is not an event stream".'],
  });
  return new AttemptError(new WorkflowRunsError(redact(request, message), { kind: 'schema', ...common }), undefined);
}

/** A 2xx JSON answer whose shape is not the one the provider relies on. */
export function schemaMismatchError(request: AnyRequest, status: number, headers: Record<string, string>, problem: ZodError): AttemptError {
  return new AttemptError(
    new WorkflowRunsError(l10n.t({ message: '{0}: {1}', args: [request.endpoint, describeZodError(problem)], comment: ['{0} is a request such as "GET /v1/runs/{id}", {1} what in its answer was not as expected.'] }), {
      kind: 'schema',
      status,
      endpoint: request.endpoint,
      connection: request.connection,
      requestId: requestIdOf(headers),
    }),
    undefined,
  );
}

/** No answer: a timeout, a network failure, or something undici or Node threw. */
export function transportError(request: AnyRequest, thrown: unknown, timedOut: boolean, timeoutMs: number): AttemptError {
  const host = safeHost(request.url);
  if (!timedOut && thrown instanceof WorkflowRunsError) return new AttemptError(thrown, undefined);
  const problem = classifyTransportError(thrown);
  if (timedOut || problem?.kind === 'timeout') {
    const error = new WorkflowRunsError(l10n.t('{0} did not answer {1} within {2}.', host, request.endpoint, formatSeconds(timeoutMs)), {
      kind: 'timeout',
      code: problem?.code,
      endpoint: request.endpoint,
      connection: request.connection,
      retryable: true,
      cause: thrown,
    });
    // A timed-out write may have been processed: only the policy can say whether to resend.
    return new AttemptError(error, { network: 'timeout' });
  }
  if (problem?.network === 'reset' && request.retry !== 'read') {
    // The request went out and the answer was lost: a write may have been carried out, so
    // "could not reach" would invite the user to send it again.
    const error = new WorkflowRunsError(redact(request, l10n.t('{0} was sent to {1}, but the connection was closed before an answer came: it may have been carried out.', request.endpoint, host)), {
      kind: 'network',
      code: problem.code,
      endpoint: request.endpoint,
      connection: request.connection,
      retryable: true,
      cause: thrown,
    });
    return new AttemptError(error, { network: problem.network });
  }
  if (problem?.network === 'reset' && request.retry === 'never' && request.method !== 'GET') {
    // The request went out and the answer was lost: the platform may well have done the work, and
    // "could not reach" would invite running it a second time.
    const message = l10n.t("The connection to {0} closed before an answer came for {1}, after the request was sent: the run may have started. Check the platform's run list before running it again.", host, request.endpoint);
    const error = new WorkflowRunsError(redact(request, message), {
      kind: 'network',
      code: problem.code,
      endpoint: request.endpoint,
      connection: request.connection,
      retryable: false,
      cause: thrown,
    });
    return new AttemptError(error, { network: problem.network });
  }
  if (problem) {
    const error = new WorkflowRunsError(redact(request, l10n.t('Could not reach {0} for {1}: {2}.', host, request.endpoint, problem.reason)), {
      kind: 'network',
      code: problem.code,
      endpoint: request.endpoint,
      connection: request.connection,
      retryable: problem.network !== 'other',
      cause: thrown,
    });
    return new AttemptError(error, { network: problem.network });
  }
  const error = new WorkflowRunsError(l10n.t('{0} failed: {1}', request.endpoint, redact(request, thrown instanceof Error ? thrown.message : String(thrown))), {
    kind: 'network',
    endpoint: request.endpoint,
    connection: request.connection,
    cause: thrown,
  });
  return new AttemptError(error, undefined);
}

const connectCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);

/**
 * Whether a failed request may still have been carried out: it was sent (or may have been) and
 * its answer was lost — a reset, or a timeout other than failing to connect. Refused, DNS and TLS
 * failures mean it never arrived.
 */
export function answerMayBeLost(error: unknown): boolean {
  if (!(error instanceof WorkflowRunsError)) return false;
  if (error.kind === 'timeout') return !connectCodes.has(error.code ?? '');
  if (error.kind !== 'network' || !error.code) return false;
  return ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED'].includes(error.code);
}

export function abortedError(request: AnyRequest, reason: unknown): WorkflowRunsError {
  return new WorkflowRunsError(l10n.t('{0} was cancelled.', request.endpoint), { kind: 'aborted', endpoint: request.endpoint, connection: request.connection, cause: reason });
}

function safeHost(rawUrl: string): string {
  try {
    return new URL(rawUrl).host;
  } catch {
    return l10n.t('the server');
  }
}

function platformName(request: AnyRequest): string {
  return request.platform ?? safeHost(request.url);
}

/** How much of a platform's own message is shown: any real sentence fits, a dumped page does not. */
const maxPlatformMessageChars = 500;

/**
 * What a platform's error body said, fit to show: credentials removed (before cutting, so no part
 * of one is left at the cut), cut at maxPlatformMessageChars with an ellipsis — or, when it is an
 * HTML page (a gateway's, passed on as the message), not shown at all but said to be one.
 */
function platformSaid(request: AnyRequest, message: string | undefined): { said?: string; html: boolean } {
  if (!message) return { html: false };
  if (looksLikeHtml(message, {})) return { html: true };
  const text = redact(request, message);
  if (text.length <= maxPlatformMessageChars) return { said: text, html: false };
  return { said: `${textStart(text, maxPlatformMessageChars).trimEnd()}…`, html: false };
}

function statusMessage(request: AnyRequest, status: number, code: string | undefined, message: string | undefined, html: boolean): string {
  const platform = platformName(request);
  const connection = request.connection ? l10n.t('connection “{0}”', request.connection) : l10n.t('this connection');
  const said = message ? l10n.t(' {0} said: {1}', platform, message) : '';
  if (status === 401) {
    return l10n.t('{0} rejected the credentials of {1} (401). Check them with Set Credentials…', platform, connection) + said;
  }
  if (status === 403) {
    return l10n.t('{0} refused {1} for {2} (403): the credentials lack a permission. Check them with Set Credentials…', platform, request.endpoint, connection) + said;
  }
  if (html) {
    return l10n.t('{0}: {1} answered with an HTML page instead of JSON (HTTP {2}), probably a proxy or gateway error page.', request.endpoint, platform, status);
  }
  const codeText = code ? `, ${code}` : '';
  const fallback = status === 404 ? l10n.t('not found') : status === 429 ? l10n.t('too many requests, try again later') : status >= 500 ? l10n.t('a server error') : l10n.t('the request was refused');
  return oneStop(l10n.t('{0} failed (HTTP {1}{2}): {3}.', request.endpoint, status, codeText, message ?? fallback));
}

/** One stop at the end of a sentence that quotes a platform, whose words may end with their own (or with the ellipsis of a cut). */
function oneStop(sentence: string): string {
  return sentence.replace(/([.…])\.$/, '$1');
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
  return l10n.t('{0} s', ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(1));
}
