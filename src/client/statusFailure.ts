// A response whose status is a failure (a 3xx, which is never followed, or ≥ 400), or a 2xx whose
// body is a refusal, turned into the attempt's error with what the platform's error body says.
// Wording is attemptErrors.ts's job.
import { AttemptError, redirectError, statusError } from './attemptErrors';
import { looksLikeHtml, parseJson } from './body';
import type { AnyRequest, PlatformErrorInfo } from './types';

/** The attempt's error for a failure status, its (bounded) body read to let the provider explain. */
export function statusFailure(request: AnyRequest, status: number, headers: Record<string, string>, body: Buffer, now: number): AttemptError {
  // A 3xx is never followed (see redirectError); its body, read (bounded) to free the connection, says nothing useful.
  if (status < 400) return redirectError(request, status, headers);
  const text = body.toString('utf8');
  const parsed = parseJson(text);
  const info = parsed.ok && parsed.value !== undefined ? platformInfo(request, parsed.value, status) : undefined;
  const html = !parsed.ok && looksLikeHtml(text, headers);
  return statusError(request, { status, headers, info, html }, now);
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
