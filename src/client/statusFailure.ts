// A response whose status is a failure (a 3xx, which is never followed, or ≥ 400), turned into the
// attempt's error with what the platform's error body says. Wording is attemptErrors.ts's job.
import { redirectError, statusError } from './attemptErrors';
import { looksLikeHtml, maxErrorBodyBytes, parseJson, readBody, type RawResponse } from './body';
import type { AnyRequest, PlatformErrorInfo } from './types';

/** Reads the (bounded) error body to let the provider explain, then throws the attempt's error. */
export async function failForStatus(request: AnyRequest, response: RawResponse, now: () => number): Promise<never> {
  const buffer = await readBody(response, maxErrorBodyBytes, true);
  // A 3xx is never followed (see redirectError); its body, read (bounded) to free the connection, says nothing useful.
  if (response.status < 400) throw redirectError(request, response.status, response.headers);
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
  throw statusError(request, { status: response.status, headers: response.headers, info, html }, now());
}
