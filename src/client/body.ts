// Reading what a server answered: headers flattened, bodies buffered within a bound, decompressed
// (undici hands bodies over as sent) and parsed as JSON. No retries and no wording of failures
// beyond "too large" and "could not be decoded": those are http.ts's and attemptErrors.ts's jobs.
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { WorkflowRunsError } from './errors';
import type { AnyRequest } from './types';

/** Bodies above this are refused rather than buffered (no workflow API answers with this much). */
export const maxBodyBytes = 32 * 1024 * 1024;
/** How much of an error body is read to find the platform's message. */
export const maxErrorBodyBytes = 256 * 1024;

/** A response whose headers arrived and whose body is still to be read. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

/** One lower-case name per header, repeated values joined as HTTP allows. */
export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** The request id a platform put in its headers, to quote in an error. */
export function requestIdOf(headers: Record<string, string>): string | undefined {
  return headers['zuora-request-id'] ?? headers['x-request-id'] ?? headers['request-id'];
}

/** Buffers a (possibly compressed) body, refusing more than `limit` bytes (or truncating, for error bodies). */
export async function readBody(response: RawResponse, limit: number, truncate: boolean, request?: AnyRequest): Promise<Buffer> {
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
export function decodedStream(response: RawResponse): Readable {
  const kind = response.headers['content-encoding']?.trim().toLowerCase();
  const decoder =
    kind === 'gzip' || kind === 'x-gzip' ? createGunzip() : kind === 'deflate' ? createInflate() : kind === 'br' ? createBrotliDecompress() : undefined;
  if (!decoder) return response.body;
  // pipeline forwards a socket error to the decoder, so the reader still sees the stream cut.
  pipeline(response.body, decoder, () => undefined);
  return decoder;
}

/** An empty body is "no value" (many DELETE/stop answers), not a parse error. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A proxy's or gateway's error page rather than the platform's JSON. */
export function looksLikeHtml(text: string, headers: Record<string, string>): boolean {
  return (headers['content-type'] ?? '').includes('html') || /^\s*</.test(text);
}
