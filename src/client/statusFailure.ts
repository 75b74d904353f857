// A response whose status is a failure (a 3xx, which is never followed, or ≥ 400), turned into the
// attempt's error with what the platform's error body says. Wording is attemptErrors.ts's job.
import { redirectError, statusError, type AttemptError } from './attemptErrors';
import { looksLikeHtml, parseJson } from './body';
import { bodyText } from './bodyText';
import type { AnyRequest, PlatformErrorInfo } from './types';

/** The attempt's error for a failure status, its (bounded) body read to let the provider explain. */
export function statusFailure(request: AnyRequest, status: number, headers: Record<string, string>, body: Buffer, now: number): AttemptError {
  // A 3xx is never followed (see redirectError); its body, read (bounded) to free the connection, says nothing useful.
  if (status < 400) return redirectError(request, status, headers);
  const text = bodyText(body, headers['content-type']);
  const parsed = parseJson(text);
  let info: PlatformErrorInfo | undefined;
  if (parsed.ok && parsed.value !== undefined) {
    try {
      info = request.parseError?.(parsed.value, status);
    } catch {
      info = undefined; // A parser that trips on an odd body must not hide the HTTP error.
    }
  }
  const html = !parsed.ok && looksLikeHtml(text, headers);
  return statusError(request, { status, headers, info, html }, now);
}
