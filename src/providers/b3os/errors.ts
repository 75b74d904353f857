// B3OS's error body `{code, details[], message, requestId}` in the client's terms, and which
// 2xx envelopes are errors all the same.
import type { PlatformErrorInfo } from '../../client/types';
import { B3osCodeSchema, B3osErrorBodySchema } from './schemas';

/**
 * Whether a 2xx body is B3OS refusing the request: an envelope whose `code` is not a success
 * code. The API description shows successes as `code` 0 or 200; errors carry codes such as
 * 400012 (the HTTP status, then a number), so anything whose status part is not 2xx is refused.
 * A body without a code is read as the success its HTTP status says.
 */
export function isB3osRefusal(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const parsed = B3osCodeSchema.safeParse((body as Record<string, unknown>).code);
  if (!parsed.success || parsed.data === null || parsed.data === undefined || parsed.data === '') return false;
  const code = Number(parsed.data);
  if (!Number.isInteger(code)) return true;
  const statusPart = code >= 1000 ? Math.floor(code / 1000) : code;
  return code !== 0 && (statusPart < 200 || statusPart >= 300);
}

export function parseB3osError(body: unknown): PlatformErrorInfo | undefined {
  const parsed = B3osErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { code, details, message, requestId } = parsed.data;
  const info: PlatformErrorInfo = {};
  if (code !== undefined && code !== null) info.code = String(code);
  if (requestId) info.requestId = requestId;
  // `details` often names the field at fault: worth the extra words.
  const extra = (details ?? []).map(detailText).filter((text): text is string => Boolean(text));
  const words = [message, ...extra].filter(Boolean).join(' — ');
  if (words) info.message = words;
  return info;
}

function detailText(detail: unknown): string | undefined {
  if (typeof detail === 'string') return detail;
  if (typeof detail === 'object' && detail !== null) {
    const record = detail as Record<string, unknown>;
    const message = typeof record.message === 'string' ? record.message : undefined;
    const field = typeof record.field === 'string' ? record.field : undefined;
    if (message) return field ? `${field}: ${message}` : message;
  }
  return undefined;
}
