// B3OS's error body `{code, details[], message, requestId}` in the client's terms.
import type { PlatformErrorInfo } from '../../client/types';
import { B3osErrorBodySchema } from './schemas';

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
