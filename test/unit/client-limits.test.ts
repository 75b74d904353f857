// The HTTP client's bounds: decompressed bodies have a limit that stops inflating at once, a
// request waiting for a connection still ends at its deadline or on Cancel, streams have
// connections of their own, and a changed timeout applies to the next request.
import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { createGzip } from 'node:zlib';
import { z } from 'zod';
import { maxBodyBytes } from '../../src/client/body';
import { WorkflowRunsError } from '../../src/client/errors';
import { createHttpClient, type DisposableHttpClient } from '../../src/client/http';
import { silentLog } from '../helpers/log';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler = (_request, response) => response.end('{}');
const clients: DisposableHttpClient[] = [];
const Anything = z.unknown();

function client(options: Partial<Parameters<typeof createHttpClient>[0]> = {}): DisposableHttpClient {
  const made = createHttpClient({ log: silentLog, requestTimeoutMs: 5_000, retry: { maxAttempts: 1 }, ...options });
  clients.push(made);
  return made;
}

/** `megabytes` of zeros, gzipped in 1 MB steps (never the whole thing in memory). */
async function gzipBomb(megabytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => parts.push(chunk));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < megabytes; i++) if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  gzip.end();
  await done;
  return Buffer.concat(parts);
}

before(async () => {
  server = createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  handler = (_request, response) => response.end('{}');
});

after(async () => {
  await Promise.all(clients.map((made) => made.dispose()));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('decompressed bodies are bounded', () => {
  it('refuses a gzip bomb with words that name the limit, without inflating all of it', async (t) => {
    const bomb = await gzipBomb(512);
    assert.ok(bomb.length < 1024 * 1024, `the bomb is small on the wire (${bomb.length} bytes)`);
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(bomb);
    };
    const http = client();
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    await assert.rejects(
      http.request({ method: 'GET', url: `${base}/bomb`, endpoint: 'GET /bomb', schema: Anything, retry: 'read' }),
      (error: unknown) =>
        error instanceof WorkflowRunsError &&
        error.kind === 'schema' &&
        error.message === `GET /bomb: the answer was larger than ${maxBodyBytes / 1024 / 1024} MB once decompressed (the limit for one answer), so it was not read further.`,
    );
    const ms = Date.now() - started;
    const grownMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    // Inflating 512 MB would take seconds and hundreds of MB; stopping at 32 MB takes a fraction.
    assert.ok(ms < 3_000, `stopped after ${ms} ms`);
    assert.ok(grownMb < 256, `memory grew by ${grownMb.toFixed(0)} MB`);
    t.diagnostic(`a ${(bomb.length / 1024).toFixed(0)} KB gzip body of 512 MB refused after ${ms} ms, resident memory +${grownMb.toFixed(0)} MB`);
  });

  it('reads a large error body compressed only up to its small limit', async () => {
    const bomb = await gzipBomb(64);
    handler = (_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(bomb);
    };
    await assert.rejects(
      client().request({ method: 'GET', url: `${base}/bomb-error`, endpoint: 'GET /bomb-error', schema: Anything, retry: 'never' }),
      (error: unknown) => error instanceof WorkflowRunsError && error.status === 500 && /HTTP 500/.test(error.message),
    );
  });

  it('reads a large plain error body only up to its limit, and the next request still gets through', async () => {
    handler = (request, response) => {
      if (request.url === '/next') return void response.end('{"ok":true}');
      response.writeHead(503, { 'content-type': 'application/json' });
      // 2 MB, far past the 256 KB read of an error body: the rest is never waited for.
      response.end(`{"message":"${'x'.repeat(2 * 1024 * 1024)}"}`);
    };
    const http = client();
    await assert.rejects(
      http.request({ method: 'GET', url: `${base}/big-error`, endpoint: 'GET /big-error', schema: Anything, retry: 'never' }),
      (error: unknown) => error instanceof WorkflowRunsError && error.status === 503 && /HTTP 503/.test(error.message),
    );
    assert.deepEqual((await http.request({ method: 'GET', url: `${base}/next`, endpoint: 'GET /next', schema: Anything, retry: 'never' })).data, { ok: true });
  });

  it('still decodes an empty gzip body as empty and reports a corrupt one', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip' });
      response.end();
    };
    const http = client();
    assert.equal((await http.request({ method: 'DELETE', url: `${base}/empty`, endpoint: 'DELETE /x', schema: Anything, retry: 'never' })).data, undefined);
    handler = (_request, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip' });
      response.end('not gzip at all');
    };
    await assert.rejects(
      http.request({ method: 'GET', url: `${base}/corrupt`, endpoint: 'GET /corrupt', schema: Anything, retry: 'never' }),
      /GET \/corrupt: the compressed answer could not be decoded\./,
    );
  });
});

describe('waiting for a connection', () => {
  /** Requests to /hang get no answer until released; others answer at once. */
  function hangingServer(): { release(): void; hanging(): number } {
    const waiting: ServerResponse[] = [];
    handler = (request, response) => {
      if (request.url?.startsWith('/hang')) waiting.push(response);
      else response.end('{"ok":true}');
    };
    return {
      release: () => waiting.splice(0).forEach((response) => response.end('{}')),
      hanging: () => waiting.length,
    };
  }

  it('ends a queued request at its own timeout and on Cancel, not when a connection frees', async () => {
    const hang = hangingServer();
    const http = client({ connectionsPerOrigin: 2, requestTimeoutMs: 10_000 });
    const busy = [1, 2].map((i) => http.request({ method: 'GET', url: `${base}/hang/${i}`, endpoint: 'GET /hang', schema: Anything, retry: 'never' }));
    while (hang.hanging() < 2) await new Promise((resolve) => setTimeout(resolve, 10));

    let started = Date.now();
    await assert.rejects(
      http.request({ method: 'GET', url: `${base}/quick`, endpoint: 'GET /quick', schema: Anything, retry: 'never', timeoutMs: 200 }),
      (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'timeout' && /did not answer GET \/quick within 0\.2 s/.test(error.message),
    );
    let ms = Date.now() - started;
    assert.ok(ms >= 190 && ms < 1_000, `timed out after ${ms} ms while both connections were busy`);

    const cancel = new AbortController();
    started = Date.now();
    setTimeout(() => cancel.abort(), 100);
    await assert.rejects(
      http.request({ method: 'GET', url: `${base}/quick`, endpoint: 'GET /quick', schema: Anything, retry: 'never', signal: cancel.signal }),
      (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'aborted',
    );
    ms = Date.now() - started;
    assert.ok(ms < 1_000, `cancelled after ${ms} ms`);

    hang.release();
    await Promise.all(busy);
    // The abandoned requests never reached the server once connections freed up.
    assert.equal((await http.request({ method: 'GET', url: `${base}/after`, endpoint: 'GET /after', schema: Anything, retry: 'never' })).status, 200);
  });

  it('gives streams connections of their own: 20 open streams leave requests free', async () => {
    const open: ServerResponse[] = [];
    handler = (request, response) => {
      if (request.url?.startsWith('/events')) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(': open\n\n');
        open.push(response);
      } else response.end('{"ok":true}');
    };
    const http = client({ connectionsPerOrigin: 4 });
    const cancels = Array.from({ length: 20 }, () => new AbortController());
    const streams = await Promise.all(
      cancels.map((cancel) => http.stream({ method: 'GET', url: `${base}/events`, endpoint: 'GET /events', retry: 'never', signal: cancel.signal })),
    );
    assert.equal(open.length, 20);
    const started = Date.now();
    await Promise.all(Array.from({ length: 8 }, (_, i) => http.request({ method: 'GET', url: `${base}/poll/${i}`, endpoint: 'GET /poll', schema: Anything, retry: 'read', timeoutMs: 2_000 })));
    assert.ok(Date.now() - started < 1_000);
    for (const cancel of cancels) cancel.abort();
    for (const response of open) response.end();
    void streams;
  });
});

describe('settings changed while the client lives', () => {
  it('applies a new request timeout to the next request', async () => {
    handler = (_request, response) => setTimeout(() => response.end('{}'), 400);
    const http = client({ requestTimeoutMs: 5_000 });
    assert.equal((await http.request({ method: 'GET', url: `${base}/slow`, endpoint: 'GET /slow', schema: Anything, retry: 'never' })).status, 200);
    http.configure({ requestTimeoutMs: 100 });
    await assert.rejects(
      http.request({ method: 'GET', url: `${base}/slow`, endpoint: 'GET /slow', schema: Anything, retry: 'never' }),
      (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'timeout',
    );
  });
});
