// The plumbing every platform server shares: reading and recording requests, applying injected
// faults, sending JSON (gzip where the platform does it), logging. Platform modules only decide
// what to answer.
import http from 'node:http';
import zlib from 'node:zlib';
import { randomUUID } from 'node:crypto';
import type { FaultQueue, Fault, Platform } from './faults';
import { SseStream, type SseOptions } from './sse';
import { corrupt, reshape } from './corrupt';
import { controlPrefix, handleControl, type ControlTarget } from './control';
import { writeEndless, writeGzipBomb, writeHugeJson, writeSlowly } from './bodies';

export interface RecordedRequest {
  platform: Platform;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

/** State shared by the three servers of one emulator. */
export interface Shared {
  requests: RecordedRequest[];
  faults: FaultQueue;
  quiet: boolean;
}

export interface PlatformDefinition {
  platform: Platform;
  /** A prefix every route starts with (Dify's `/v1`); fault paths may omit it. */
  basePath?: string;
  /** Compress bodies over 1,000 bytes when the client accepts gzip (Zuora does). */
  gzip?: boolean;
  /** Headers added to every response (rate limits, request ids). */
  responseHeaders?(ex: Exchange): Record<string, string>;
  /** The platform's own error body, used for refusals and injected status faults without a body. */
  errorBody(status: number, message: string, requestId: string): unknown;
  handle(ex: Exchange): void | Promise<void>;
}

// Fault kinds the endpoint itself must honour (the others replace the answer outright).
const reasonless = new Set<Fault['kind']>(['afterProcess', 'badSchema', 'reshape', 'truncateStream', 'cutStream', 'streamNeverEnds', 'slowHeaders', 'slowBody', 'invalidJson', 'hugeBody', 'gzipBomb', 'endlessSseLine']);

export class Exchange {
  readonly requestId = randomUUID();
  /** True once a response (or a stream) has been started, or the socket destroyed on purpose. */
  responded = false;
  /** The request body's bytes (after gzip): for bodies that are not text (multipart uploads). */
  rawBody: Buffer = Buffer.alloc(0);
  private gone = false;

  constructor(
    readonly def: PlatformDefinition,
    readonly req: http.IncomingMessage,
    readonly res: http.ServerResponse,
    readonly method: string,
    readonly path: string,
    readonly query: Record<string, string>,
    readonly headers: Record<string, string>,
    readonly body: string,
    /** A fault the handler must honour (the kinds that need the endpoint's own answer). */
    readonly fault: Fault | undefined,
  ) {
    res.on('close', () => {
      this.gone = true;
    });
  }

  /** The client went away (or we cut it): long waits stop. */
  get isGone(): boolean {
    return this.gone || this.res.destroyed;
  }

  /** `scheme://host` as the client addressed us, for absolute links (Zuora's next_page). */
  get origin(): string {
    return `http://${this.headers.host ?? '127.0.0.1'}`;
  }

  /** Parses the body as JSON; `undefined` body text gives `{ ok: true, value: undefined }`. */
  json(): { ok: true; value: unknown } | { ok: false } {
    if (this.body.trim() === '') return { ok: true, value: undefined };
    try {
      return { ok: true, value: JSON.parse(this.body) as unknown };
    } catch {
      return { ok: false };
    }
  }

  sendError(status: number, message: string, headers: Record<string, string> = {}): void {
    this.send(status, this.def.errorBody(status, message, this.requestId), headers);
  }

  /** Answers with `body` (object → JSON; string/Buffer as is), honouring the pending fault. */
  send(status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (this.responded) return;
    this.responded = true;
    const fault = this.fault?.kind;
    if (fault === 'afterProcess') return this.destroy();
    if (fault === 'streamNeverEnds') return; // not a stream: accepted, never answered
    if (fault === 'slowHeaders') {
      // The work is done; only the answer is late.
      setTimeout(() => {
        if (!this.isGone) this.answer(status, body, headers);
      }, this.fault?.delayMs ?? 2000);
      return;
    }
    this.answer(status, body, headers);
  }

  private answer(status: number, body: unknown, headers: Record<string, string>): void {
    const fault = this.fault;
    const kind = status < 300 ? fault?.kind : undefined;
    const payload = kind === 'badSchema' ? corrupt(body) : kind === 'reshape' ? reshape(body, fault?.omit, fault?.set) : body;
    const out: Record<string, string> = { ...this.def.responseHeaders?.(this) };
    let buffer: Buffer;
    if (Buffer.isBuffer(payload)) buffer = payload;
    else if (typeof payload === 'string') {
      buffer = Buffer.from(payload, 'utf8');
      out['content-type'] = 'text/plain; charset=utf-8';
    } else {
      buffer = Buffer.from(JSON.stringify(payload), 'utf8');
      out['content-type'] = 'application/json';
    }
    Object.assign(out, lower(headers));
    const report = (error: unknown): void => {
      process.stderr.write(`[${this.def.platform}] emulator body fault failed: ${String(error)}\n`);
      this.res.destroy();
    };
    switch (kind) {
      case 'invalidJson': {
        // Looks like the start of the right answer, then stops being JSON.
        const broken = Buffer.from(`${buffer.toString('utf8').slice(0, 40)}<<not json`, 'utf8');
        this.res.writeHead(status, { ...out, 'content-type': 'application/json', 'content-length': String(broken.length) });
        this.res.end(broken);
        return;
      }
      case 'hugeBody':
        void writeHugeJson(this.res, buffer, fault?.sizeBytes ?? 40 * 1024 * 1024, out).catch(report);
        return;
      case 'gzipBomb':
        void writeGzipBomb(this.res, buffer, fault?.sizeBytes ?? 256 * 1024 * 1024, out).catch(report);
        return;
      case 'endlessSseLine':
        this.res.writeHead(status, { ...out, 'content-type': 'application/json' });
        void writeEndless(this.res, '{"data": "').catch(report);
        return;
    }
    if (this.def.gzip && /\bgzip\b/i.test(this.headers['accept-encoding'] ?? '') && buffer.length > 1000) {
      buffer = zlib.gzipSync(buffer);
      out['content-encoding'] = 'gzip';
      out.vary = 'Accept-Encoding';
    }
    out['content-length'] = String(buffer.length);
    this.res.writeHead(status, out);
    if (fault?.kind === 'truncateStream') {
      // Half a body under a full Content-Length, then the connection drops.
      this.res.write(buffer.subarray(0, Math.floor(buffer.length / 2)));
      setTimeout(() => this.destroy(), 10);
      return;
    }
    if (kind === 'slowBody') {
      void writeSlowly(this.res, buffer, fault?.delayMs ?? 2000).catch(report);
      return;
    }
    this.res.end(buffer);
  }

  /** Starts a `text/event-stream` answer. Under `afterProcess` the socket is cut first. */
  openStream(options: SseOptions): SseStream {
    this.responded = true;
    return new SseStream(this, options);
  }

  /** Drops the connection without an answer. */
  destroy(): void {
    this.responded = true;
    this.req.socket.destroy();
  }
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Creates the node:http server of one platform. */
export function createPlatformServer(def: PlatformDefinition, shared: Shared, control?: ControlTarget): http.Server {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://emulator.invalid').pathname;
    const work = control && path.startsWith(controlPrefix) ? handleControl(control, req, res, path) : handle(def, shared, req, res);
    work.catch((error: unknown) => {
      process.stderr.write(`[${def.platform}] emulator error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(def.errorBody(500, 'Internal Server Error.', randomUUID())));
      } else res.destroy();
    });
  });
  return server;
}

async function handle(def: PlatformDefinition, shared: Shared, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const started = Date.now();
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : (v ?? '');

  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let raw = Buffer.concat(chunks);
  let badEncoding = false;
  if (/\bgzip\b/i.test(headers['content-encoding'] ?? '') && raw.length > 0) {
    // Zuora documents gzip-compressed request bodies (Content-Encoding: gzip).
    try {
      raw = zlib.gunzipSync(raw);
    } catch {
      badEncoding = true;
    }
  }
  const body = raw.toString('utf8');
  shared.requests.push({ platform: def.platform, method, path, query, headers, body });

  const paths = [path];
  if (def.basePath && path.startsWith(def.basePath + '/')) paths.push(path.slice(def.basePath.length));
  const fault = shared.faults.take(def.platform, method, paths);
  const ex = new Exchange(def, req, res, method, path, query, headers, body, fault && reasonless.has(fault.kind) ? fault : undefined);
  ex.rawBody = raw;

  if (!shared.quiet) {
    res.on('close', () => {
      const status = res.headersSent ? String(res.statusCode) : fault ? fault.kind : 'cut';
      process.stderr.write(`[${def.platform}] ${method} ${req.url ?? path} ${status} ${Date.now() - started}ms\n`);
    });
  }

  if (fault && applyImmediate(fault, ex)) return;
  if (badEncoding) return ex.sendError(400, 'The request body is not valid gzip.');
  await def.handle(ex);
  if (!ex.responded) ex.sendError(404, 'Not found.');
}

/** Faults that replace the endpoint's answer entirely. Returns true when the request is done. */
function applyImmediate(fault: Fault, ex: Exchange): boolean {
  switch (fault.kind) {
    case 'status': {
      const status = fault.status ?? 500;
      const headers: Record<string, string> = { ...(status === 429 && ex.def.platform !== 'dify' ? { 'retry-after': '1' } : {}), ...fault.headers };
      if (fault.retryAfterSeconds !== undefined) {
        headers['retry-after'] =
          fault.retryAfterFormat === 'date' ? new Date(Date.now() + fault.retryAfterSeconds * 1000).toUTCString() : String(fault.retryAfterSeconds);
      }
      if (fault.body === undefined) ex.sendError(status, defaultMessage(status), headers);
      else ex.send(status, fault.body, headers);
      return true;
    }
    case 'html': {
      const status = fault.status ?? 502;
      const html = `<html>\r\n<head><title>${status} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>${status} Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
      ex.send(status, html, { 'content-type': 'text/html', ...fault.headers });
      return true;
    }
    case 'reset':
      ex.destroy();
      return true;
    case 'hang':
      ex.responded = true; // never answered; the socket is destroyed when the client gives up or the emulator closes
      return true;
    default:
      return false;
  }
}

function defaultMessage(status: number): string {
  if (status === 429) return 'Too many requests. Please try again later.';
  if (status === 401) return 'Authentication error.';
  if (status === 404) return 'Not found.';
  if (status >= 500) return 'Internal Server Error.';
  return 'Bad request.';
}
