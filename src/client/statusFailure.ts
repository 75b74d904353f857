// An answer that is not what was asked for, turned into the attempt's error with what its body
// says: a failure status (a 3xx, which is never followed, or ≥ 400), a 2xx whose body is a
// refusal, or a success that is not the event stream a stream asked for. Wording is
// attemptErrors.ts's job.
import { AttemptError, notEventStreamError, redirectError, statusError } from './attemptErrors';
import { looksLikeHtml, parseJson } from './body';
import { bodyText } from './bodyText';
import type { AnyRequest, PlatformErrorInfo } from './types';

/** What an unexpected (bounded) body says: the platform's error as its parser reads the JSON, or that it is an HTML page. */
export interface UnexpectedBody {
  info: PlatformErrorInfo | undefined;
  html: boolean;
  /** It is JSON (not empty). */
  json: boolean;
}

/** The attempt's error for a failure status, its (bounded) body read to let the provider explain. */
export function statusFailure(request: AnyRequest, status: number, headers: Record<string, string>, body: Buffer, now: number): AttemptError {
  // A 3xx is never followed (see redirectError); its body, read (bounded) to free the connection, says nothing useful.
  if (status < 400) return redirectError(request, status, headers);
  const { info, html } = readUnexpectedBody(request, status, headers, body);
  return statusError(request, { status, headers, info, html }, now);
}

/**
 * Whether a stream's answer is an event stream. An answer without a Content-Type is read as one:
 * some servers leave it out, and what they send still parses (or ends with nothing).
 */
export function isEventStream(headers: Record<string, string>): boolean {
  const contentType = headers['content-type'];
  return contentType === undefined || /^\s*text\/event-stream\s*(?:;|$)/i.test(contentType);
}

/** The attempt's error for a 2xx answer to a stream that is not an event stream (a proxy's login page, the platform's JSON error). */
export function notEventStreamFailure(request: AnyRequest, status: number, headers: Record<string, string>, body: Buffer): AttemptError {
  return notEventStreamError(request, { status, headers, ...readUnexpectedBody(request, status, headers, body) });
}

function readUnexpectedBody(request: AnyRequest, status: number, headers: Record<string, string>, body: Buffer): UnexpectedBody {
  const text = bodyText(body, headers['content-type']);
  const parsed = parseJson(text);
  const json = parsed.ok && parsed.value !== undefined;
  return { info: json ? platformInfo(request, parsed.value, status) : undefined, html: !parsed.ok && looksLikeHtml(text, headers), json };
}

/**
 * A 2xx answer whose JSON body says the request was refused (`request.isErrorBody`): worded like
 * a failure status with the platform's reason. Never resent: the platform answered.
 */
export function refusedIn2xx(request: AnyRequest, status: number, headers: Record<string, string>, body: unknown, now: number): AttemptError {
  const { error } = statusError(request, { status, headers, info: platformInfo(request, body, status), html: false }, now);
  return new AttemptError(error, undefined);
}

/** What the platform's error body says, by the provider's parser. */
function platformInfo(request: AnyRequest, body: unknown, status: number): PlatformErrorInfo | undefined {
  try {
    return request.parseError?.(body, status);
  } catch {
    return undefined; // A parser that trips on an odd body must not hide the error.
  }
}
