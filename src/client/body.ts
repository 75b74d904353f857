// Reading what a server answered: headers flattened, bodies buffered within a bound, decompressed
// (undici hands bodies over as sent) and parsed as JSON. No retries and no wording of failures
// beyond "too large" and "could not be decoded": those are http.ts's and attemptErrors.ts's jobs.
import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { WorkflowRunsError } from './errors';
import type { AnyRequest } from './types';
import * as l10n from '@vscode/l10n';

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
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * Headers as a dispatch handler receives them (name, value, name, value … as bytes): one lower-case
 * name each, repeated values joined, as flattenHeaders makes of undici's parsed ones.
 */
export function recordOfRawHeaders(raw: readonly Buffer[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!.toString('latin1').toLowerCase();
    const value = raw[index + 1]!.toString('latin1');
    record[name] = Object.hasOwn(record, name) ? `${record[name]}, ${value}` : value;
  }
  return record;
}

/** The first value of one header (`name` in lower case) in raw headers, without making the record (names compared only at its length). */
export function rawHeader(raw: readonly Buffer[], name: string): string | undefined {
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const candidate = raw[index]!;
    if (candidate.length === name.length && candidate.toString('latin1').toLowerCase() === name) return raw[index + 1]!.toString('latin1');
  }
  return undefined;
}

/** Whether raw headers announce a Content-Encoding this client decodes. */
export function isEncoded(raw: readonly Buffer[]): boolean {
  const encoding = rawHeader(raw, 'content-encoding');
  return encoding !== undefined && decoders.has(normalEncoding(encoding));
}

/** The request id a platform put in its headers, to quote in an error. */
export function requestIdOf(headers: Record<string, string>): string | undefined {
  return headers['zuora-request-id'] ?? headers['x-request-id'] ?? headers['request-id'];
}

/**
 * Buffers a (possibly compressed) body, refusing more than `limit` bytes once decompressed (or
 * truncating, for error bodies). Decompression streams and stops at the limit: a small gzip bomb
 * costs at most `limit` bytes of memory, never what it would inflate to.
 */
export async function readBody(response: RawResponse, limit: number, truncate: boolean, request?: AnyRequest): Promise<Buffer> {
  const decoder = decoderFor(response.headers['content-encoding']);
  let rawBytes = 0;
  let transportFailure: unknown;
  if (decoder) {
    // The socket's own failure (a cut connection) must reach the caller as that, not as "could not
    // be decoded": the decoder only sees its input end. (pipe() already reads in flowing mode, so
    // counting on 'data' takes nothing from it.)
    response.body.on('data', (chunk: Buffer) => (rawBytes += chunk.length));
    response.body.once('error', (error) => {
      transportFailure = error;
      decoder.destroy(error);
    });
    response.body.pipe(decoder);
  }
  const source = decoder ?? response.body;
  try {
    return await collect(source, limit, () => {
      response.body.destroy();
      decoder?.destroy();
      if (!truncate) throw tooLarge(request, limit, decoder !== undefined);
    });
  } catch (thrown) {
    const { error, partial } = thrown instanceof CollectFailure ? thrown : { error: thrown, partial: [] };
    // "Too large" first: refusing destroys the body, whose own abort error follows on the next tick.
    if (error instanceof WorkflowRunsError) throw error;
    if (transportFailure !== undefined || !decoder) throw transportFailure ?? error;
    // An empty body with a Content-Encoding header is just empty (many 204-like answers).
    if (rawBytes === 0) return Buffer.alloc(0);
    if (truncate) return Buffer.concat(partial);
    throw new WorkflowRunsError(l10n.t('{0}: the compressed answer could not be decoded.', request?.endpoint ?? l10n.t('The request')), {
      kind: 'schema',
      endpoint: request?.endpoint,
      cause: error,
    });
  }
}

/** A failure while collecting, with what had arrived before it. */
class CollectFailure {
  constructor(
    readonly error: unknown,
    readonly partial: Buffer[],
  ) {}
}

/**
 * Every chunk of `source` up to `limit` bytes; past it `overLimit` runs (it throws to refuse, or
 * returns to keep what fits). Listens to events rather than iterating asynchronously: a status
 * answer is one or two chunks, and the async iterator cost more than reading them.
 */
function collect(source: Readable, limit: number, overLimit: () => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    /** Stops listening; an error the stream emits later (destroying it may emit one at once) is ignored. */
    const detach = () => {
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onError);
      source.off('close', onClose);
      source.on('error', () => undefined);
    };
    const done = (failure?: unknown) => {
      if (settled) return;
      settled = true;
      detach();
      if (failure === undefined) resolve(Buffer.concat(chunks, Math.min(size, limit)));
      else reject(new CollectFailure(failure, chunks));
    };
    const onData = (chunk: Buffer | Uint8Array) => {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += buffer.length;
      if (size <= limit) {
        chunks.push(buffer);
        return;
      }
      chunks.push(buffer.subarray(0, buffer.length - (size - limit)));
      // Detached first: overLimit destroys the body, and its abort must not be taken for the cause.
      detach();
      let refusal: unknown;
      try {
        overLimit();
      } catch (error) {
        refusal = error;
      }
      done(refusal);
    };
    const onEnd = () => done();
    const onError = (error: unknown) => done(error);
    // Destroyed without an error (and without its end): the body was cut short.
    const onClose = () => done(Object.assign(new Error('The answer ended before it was complete.'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('error', onError);
    source.on('close', onClose);
  });
}

export function tooLarge(request: AnyRequest | undefined, limit: number, compressed: boolean): WorkflowRunsError {
  const megabytes = Math.round(limit / 1024 / 1024);
  const what = compressed ? l10n.t('the answer was larger than {0} MB once decompressed (the limit for one answer), so it was not read further', megabytes) : l10n.t('the answer was larger than {0} MB', megabytes);
  return new WorkflowRunsError(l10n.t({ message: '{0}: {1}.', args: [request?.endpoint ?? l10n.t('The request'), what], comment: ['{0} is a request such as "GET /v1/runs/{id}" (or "The request"), {1} what was wrong with its answer.'] }), { kind: 'schema', endpoint: request?.endpoint });
}

/** The Content-Encodings decoded here; any other body is read as sent. */
const decoders = new Map<string, () => Transform>([
  ['gzip', createGunzip],
  ['x-gzip', createGunzip],
  ['deflate', createInflate],
  ['br', createBrotliDecompress],
]);

function normalEncoding(encoding: string): string {
  return encoding.trim().toLowerCase();
}

/** undici hands bodies over as sent: decoding Content-Encoding is ours to do. */
function decoderFor(encoding: string | undefined): Transform | undefined {
  return encoding === undefined ? undefined : decoders.get(normalEncoding(encoding))?.();
}

/** A streaming body, decompressed when a server compressed it anyway. */
export function decodedStream(response: RawResponse): Readable {
  const decoder = decoderFor(response.headers['content-encoding']);
  if (!decoder) return response.body;
  // pipeline forwards a socket error to the decoder, so the reader still sees the stream cut.
  pipeline(response.body, decoder, () => undefined);
  return decoder;
}

/** An empty body is "no value" (many DELETE/stop answers), not a parse error. `text` comes from bodyText (no BOM). */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  // A test, not trim(): trimming copies the whole body first.
  if (!/\S/.test(text)) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A proxy's or gateway's error page rather than the platform's JSON (or passed on as its message). */
export function looksLikeHtml(text: string, headers: Record<string, string>): boolean {
  return (headers['content-type'] ?? '').includes('html') || /^\s*</.test(text) || /<(?:!doctype\s+html|html|body)[\s>]/i.test(text);
}
