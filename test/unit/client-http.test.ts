// The HTTP client against small local servers: what goes on the wire, what comes back, and how
// every failure reads.
import { strict as assert } from 'node:assert';
import { getEventListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { after, afterEach, before, describe, it } from 'node:test';
import { z } from 'zod';
import { WorkflowRunsError } from '../../src/client/errors';
import { attemptDeadlineMs, uploadPace } from '../../src/client/deadline';
import { createHttpClient, type DisposableHttpClient } from '../../src/client/http';
import { collect } from '../helpers/collect';
import { eventually } from '../helpers/eventually';
import { recordingLog } from '../helpers/log';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (request: IncomingMessage, response: ServerResponse, body: string, attempt: number) => void;

let server: Server;
let base: string;
let handler: Handler = (_request, response) => response.end('{}');
let seen: Seen[] = [];
let sockets = 0;
const { log, lines: logLines } = recordingLog();
let client: DisposableHttpClient;

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const Anything = z.unknown();
/** A platform error parser for bodies `{ message }`. */
const messageOf = (body: unknown) => ({ message: (body as { message: string }).message });
const RunSchema = z.object({ id: z.string(), tasks: z.object({ total: z.number() }) }).passthrough();

before(async () => {
  server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (chunk: Buffer) => parts.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      handler(request, response, body, seen.length);
    });
  });
  server.on('connection', () => (sockets += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = createHttpClient({ log, requestTimeoutMs: 2000, retry: { baseDelayMs: 5, maxDelayMs: 20 } });
});

after(async () => {
  await client.dispose();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  seen = [];
  logLines.length = 0;
  handler = (_request, response) => response.end('{}');
});

describe('createHttpClient', () => {
  it('sends query, JSON body and headers, parses the answer with its schema, and reuses one socket', async () => {
    handler = (_request, response) => json(response, 200, { id: '42', tasks: { total: 3 }, extra: true });
    sockets = 0;
    for (let i = 0; i < 10; i++) {
      const response = await client.request({
        method: 'POST',
        url: `${base}/workflows/7/run`,
        endpoint: 'POST /workflows/{id}/run',
        query: { page: 2, skip: undefined, flag: true },
        headers: { 'Zuora-Track-Id': 'abc', authorization: 'Bearer tok' },
        json: { a: 1 },
        schema: RunSchema,
        retry: 'never',
      });
      assert.equal(response.status, 200);
      assert.deepEqual(response.data, { id: '42', tasks: { total: 3 }, extra: true }, 'passthrough keeps unknown fields');
    }
    // Sequential calls ride the pool's keep-alive sockets (undici may open a second while the first is being released).
    assert.ok(sockets <= 2, `keep-alive pool reuses connections (${sockets} sockets for 10 calls)`);
    const first = seen[0];
    assert.equal(first?.url, '/workflows/7/run?page=2&flag=true');
    assert.equal(first?.headers['content-type'], 'application/json');
    assert.equal(first?.headers['accept-encoding'], 'gzip');
    assert.equal(first?.headers['zuora-track-id'], 'abc');
    assert.equal(first?.body, '{"a":1}');
    // One log line per request: method, path, query names only, status, duration; no secrets.
    assert.equal(logLines.length, 10);
    assert.match(logLines[0] ?? '', /^POST \/workflows\/7\/run\?page&flag → 200 in \d+ ms$/);
    assert.ok(!logLines.join('\n').includes('tok'));
  });

  it('sends form bodies', async () => {
    await client.request({ method: 'POST', url: `${base}/oauth/token`, endpoint: 'POST /oauth/token', form: { a: 'x y', b: '&' }, schema: Anything, retry: 'read' });
    assert.equal(seen[0]?.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(seen[0]?.body, 'a=x+y&b=%26');
  });

  it('decodes gzip bodies', async () => {
    const payload = { id: 'g', tasks: { total: 1 }, padding: 'x'.repeat(5000) };
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync(JSON.stringify(payload)));
    };
    const response = await client.request({ method: 'GET', url: `${base}/r`, endpoint: 'GET /r', schema: RunSchema, retry: 'read' });
    assert.deepEqual(response.data, payload);
  });

  it('reads JSON after a byte order mark, in the charset its Content-Type names (UTF-8 when none or unknown)', async () => {
    const payload = { id: 'é€', tasks: { total: 1 } };
    const answers: Array<[string, Buffer]> = [
      ['application/json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(payload))])],
      ['application/json; charset=UTF-8', Buffer.from(`\ufeff${JSON.stringify(payload)}`)],
      ['application/json; charset=utf-16le', Buffer.from(JSON.stringify(payload), 'utf16le')],
      ['application/json;charset="UTF-16LE"', Buffer.from(`\ufeff${JSON.stringify(payload)}`, 'utf16le')],
      ['application/json; charset=x-unknown', Buffer.from(JSON.stringify(payload))],
    ];
    for (const [contentType, bytes] of answers) {
      handler = (_request, response) => {
        response.writeHead(200, { 'content-type': contentType });
        response.end(bytes);
      };
      const response = await client.request({ method: 'GET', url: `${base}/r`, endpoint: 'GET /r', schema: RunSchema, retry: 'read' });
      assert.deepEqual(response.data, payload, contentType);
    }
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=ISO-8859-1' });
      response.end(Buffer.from('{"id":"café","tasks":{"total":2}}', 'latin1'));
    };
    assert.equal((await client.request({ method: 'GET', url: `${base}/r`, endpoint: 'GET /r', schema: RunSchema, retry: 'read' })).data.id, 'café');
    // An error body too: the platform's message is read in its charset.
    handler = (_request, response) => {
      response.writeHead(400, { 'content-type': 'application/json; charset=utf-16le' });
      response.end(Buffer.from('\ufeff{"message":"unknown field “x”"}', 'utf16le'));
    };
    await assert.rejects(
      client.request({ method: 'GET', url: `${base}/r`, endpoint: 'GET /r', schema: Anything, retry: 'never', parseError: messageOf }),
      (error: unknown) => error instanceof WorkflowRunsError && error.message === 'GET /r failed (HTTP 400): unknown field “x”.',
    );
  });

  it('names the endpoint and the first bad field when a body fails its schema', async () => {
    handler = (_request, response) => json(response, 200, { id: '1', tasks: { total: 'three' } });
    await assert.rejects(
      client.request({ method: 'GET', url: `${base}/workflows/workflow_runs/1`, endpoint: 'GET /workflows/workflow_runs/{id}', schema: RunSchema, retry: 'read' }),
      (error: unknown) =>
        error instanceof WorkflowRunsError &&
        error.kind === 'schema' &&
        error.message === 'GET /workflows/workflow_runs/{id}: field tasks.total expected number, got string',
    );
  });

  it('explains an HTML page instead of JSON without dumping it', async () => {
    handler = (_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body><h1>502 Bad Gateway</h1><p>nginx secret-internal-host</p></body></html>');
    };
    await assert.rejects(
      client.request({ method: 'GET', url: `${base}/w`, endpoint: 'GET /workflows', schema: Anything, retry: 'never', platform: 'Zuora' }),
      (error: unknown) => {
        assert.ok(error instanceof WorkflowRunsError);
        assert.equal(error.kind, 'http');
        assert.equal(error.status, 502);
        assert.match(error.message, /GET \/workflows: Zuora answered with an HTML page instead of JSON \(HTTP 502\)/);
        assert.ok(!error.message.includes('nginx'));
        return true;
      },
    );
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><title>login</title>');
    };
    await assert.rejects(
      client.request({ method: 'GET', url: `${base}/w`, endpoint: 'GET /workflows', schema: Anything, retry: 'read' }),
      (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'schema' && /HTML page instead of JSON \(HTTP 200\)/.test(error.message),
    );
  });

  it('maps 401 to an auth error naming the connection, never echoing the secret', async () => {
    handler = (_request, response) => json(response, 401, { message: 'bad token Bearer s3cr3t-value' });
    await assert.rejects(
      client.request({
        method: 'GET',
        url: `${base}/w`,
        endpoint: 'GET /workflows',
        headers: { Authorization: 'Bearer s3cr3t-value' },
        schema: Anything,
        retry: 'read',
        connection: 'Prod',
        platform: 'Zuora',
        parseError: messageOf,
      }),
      (error: unknown) => {
        assert.ok(error instanceof WorkflowRunsError);
        assert.equal(error.kind, 'auth');
        assert.equal(error.isCredentialProblem, true);
        assert.match(error.message, /^Zuora rejected the credentials of connection “Prod” \(401\)\. Check them with Set Credentials…/);
        assert.ok(!error.message.includes('s3cr3t'), error.message);
        return true;
      },
    );
    assert.equal(seen.length, 1, '401 is not retried');
  });

  it('redacts form secrets and Basic passwords from messages', async () => {
    handler = (_request, response) => json(response, 400, { message: 'client_secret hunter22 and pw pa55word are wrong' });
    await assert.rejects(
      client.request({
        method: 'POST',
        url: `${base}/oauth/token`,
        endpoint: 'POST /oauth/token',
        form: { client_id: 'c', client_secret: 'hunter22' },
        headers: { Authorization: `Basic ${Buffer.from('demo:pa55word').toString('base64')}` },
        schema: Anything,
        retry: 'never',
        parseError: messageOf,
      }),
      (error: unknown) => error instanceof WorkflowRunsError && !/hunter22|pa55word/.test(error.message) && /•••/.test(error.message),
    );
  });

  it("cuts a platform's long message to about 500 characters, after removing credentials", async () => {
    // The secret straddles the cut: redacting only what is kept would show its first characters.
    const message = `${'x'.repeat(495)} s3cr3t-value-long ${'y'.repeat(200 * 1024)}`;
    handler = (_request, response) => json(response, 400, { message });
    await assert.rejects(
      client.request({ method: 'GET', url: `${base}/w`, endpoint: 'GET /workflows', headers: { Authorization: 'Bearer s3cr3t-value-long' }, schema: Anything, retry: 'never', parseError: messageOf }),
      (error: unknown) => {
        assert.ok(error instanceof WorkflowRunsError);
        assert.ok(error.message.length < 600, `${error.message.length} characters`);
        assert.match(error.message, /^GET \/workflows failed \(HTTP 400\): x{495} •••…$/);
        assert.ok(error.platformMessage !== undefined && error.platformMessage.length <= 501 && error.platformMessage.endsWith('…'));
        assert.ok(!/s3cr/.test(`${error.message} ${error.platformMessage}`));
        return true;
      },
    );
  });

  it("says a platform's message that is an HTML page is one, without its markup", async () => {
    const page = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center>nginx/1.25 internal-host</center></body></html>';
    for (const status of [502, 401]) {
      handler = (_request, response) => json(response, status, { message: page });
      await assert.rejects(
        client.request({ method: 'GET', url: `${base}/w`, endpoint: 'GET /workflows', schema: Anything, retry: 'never', platform: 'Dify', parseError: messageOf }),
        (error: unknown) => {
          assert.ok(error instanceof WorkflowRunsError);
          assert.equal(error.status, status);
          assert.ok(!/nginx|<|internal-host/.test(error.message), error.message);
          if (status === 502) assert.match(error.message, /Dify answered with an HTML page/);
          assert.equal(error.platformMessage, undefined, 'no markup for a provider to quote either');
          return true;
        },
      );
    }
  });

  it('uses the platform error parser for code, message and retryable', async () => {
    handler = (_request, response) => json(response, 503, { code: 'busy', msg: 'try later', retryable: false }, { 'zuora-request-id': 'req-1' });
    await assert.rejects(
      client.request({
        method: 'GET',
        url: `${base}/w`,
        endpoint: 'GET /workflows',
        schema: Anything,
        retry: 'read',
        parseError: (body) => {
          const b = body as { code: string; msg: string; retryable: boolean };
          return { code: b.code, message: b.msg, retryable: b.retryable };
        },
      }),
      (error: unknown) =>
        error instanceof WorkflowRunsError &&
        error.kind === 'http' &&
        error.status === 503 &&
        error.code === 'busy' &&
        error.retryable === false &&
        error.requestId === 'req-1' &&
        error.message === 'GET /workflows failed (HTTP 503, busy): try later.',
    );
    assert.equal(seen.length, 1, 'retryable:false from the platform stops retries');
  });

  it('reads a 2xx whose body the provider calls a refusal as that error, in the platform’s words, never resent', async () => {
    handler = (_request, response) => json(response, 200, { code: 400012, data: null, message: 'workflow is archived', requestId: 'req-7' });
    await assert.rejects(
      client.request({
        method: 'POST',
        url: `${base}/run`,
        endpoint: 'POST /run',
        schema: z.object({ data: z.object({ runId: z.string() }).nullish() }).passthrough(),
        retry: 'deduplicated',
        isErrorBody: (body) => (body as { code: number }).code !== 200,
        parseError: (body) => {
          const b = body as { code: number; message: string; requestId: string };
          return { code: String(b.code), message: b.message, requestId: b.requestId };
        },
      }),
      (error: unknown) =>
        error instanceof WorkflowRunsError &&
        error.kind === 'http' &&
        error.status === 200 &&
        error.code === '400012' &&
        error.requestId === 'req-7' &&
        error.retryable === false &&
        error.platformMessage === 'workflow is archived' &&
        error.message === 'POST /run failed (HTTP 200, 400012): workflow is archived.',
    );
    assert.equal(seen.length, 1, 'the platform answered: nothing to resend');
  });

  it('retries reads on 503/429 honouring Retry-After, and never retries a "never" write', async () => {
    handler = (_request, response, _body, attempt) => {
      if (attempt === 1) return json(response, 503, {}, { 'retry-after': '0' });
      if (attempt === 2) return json(response, 429, {}, { 'ratelimit-reset': '0' });
      json(response, 200, { ok: true });
    };
    const response = await client.request({ method: 'GET', url: `${base}/w`, endpoint: 'GET /w', schema: Anything, retry: 'read' });
    assert.deepEqual(response.data, { ok: true });
    assert.equal(seen.length, 3);
    assert.equal(logLines.filter((line) => line.includes('will be retried')).length, 2);

    seen = [];
    handler = (_request, response) => json(response, 503, {});
    await assert.rejects(
      client.request({ method: 'POST', url: `${base}/run`, endpoint: 'POST /run', schema: Anything, retry: 'never' }),
      (error: unknown) => error instanceof WorkflowRunsError && error.status === 503 && error.retryable === true,
    );
    assert.equal(seen.length, 1);
  });

  it('gives up after maxAttempts', async () => {
    handler = (_request, response) => json(response, 502, {});
    await assert.rejects(client.request({ method: 'GET', url: `${base}/w`, endpoint: 'GET /w', schema: Anything, retry: 'read' }), /HTTP 502/);
    assert.equal(seen.length, 4);
  });

  it('retries a deduplicated write whose connection was cut, with the same body and headers', async () => {
    handler = (_request, response, _body, attempt) => {
      if (attempt === 1) return response.socket?.destroy();
      json(response, 200, { id: 'run-1' });
    };
    const response = await client.request({
      method: 'POST',
      url: `${base}/run`,
      endpoint: 'POST /run',
      headers: { 'Idempotency-Key': 'k-1' },
      json: { x: 1 },
      schema: Anything,
      retry: 'deduplicated',
    });
    assert.deepEqual(response.data, { id: 'run-1' });
    assert.equal(seen.length, 2);
    assert.equal(seen[0]?.headers['idempotency-key'], seen[1]?.headers['idempotency-key']);
    assert.equal(seen[0]?.body, seen[1]?.body);
  });

  it('asks confirmResend before resending a write that may have been carried out, and gives up when it says no', async () => {
    const asked: string[] = [];
    handler = (_request, response) => response.socket?.destroy();
    await assert.rejects(
      client.request({
        method: 'POST',
        url: `${base}/run`,
        endpoint: 'POST /run',
        schema: Anything,
        retry: 'deduplicated',
        confirmResend: async (error) => {
          asked.push(error.kind);
          return asked.length < 2;
        },
      }),
      (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'network' && /may have been carried out/.test(error.message),
    );
    assert.deepEqual(asked, ['network', 'network']);
    assert.equal(seen.length, 2, 'sent again once, after the first yes');

    // A 503 says the write was not carried out: resent without asking.
    seen = [];
    asked.length = 0;
    handler = (_request, response, _body, attempt) => (attempt === 1 ? json(response, 503, {}) : json(response, 200, { id: 'run-1' }));
    const response = await client.request({
      method: 'POST',
      url: `${base}/run`,
      endpoint: 'POST /run',
      schema: Anything,
      retry: 'deduplicated',
      confirmResend: async (error) => (asked.push(error.kind), false),
    });
    assert.deepEqual(response.data, { id: 'run-1' });
    assert.deepEqual(asked, []);
  });

  it('does not resend a "never" write whose connection was cut', async () => {
    handler = (_request, response) => response.socket?.destroy();
    await assert.rejects(
      client.request({ method: 'POST', url: `${base}/run`, endpoint: 'POST /run', schema: Anything, retry: 'never' }),
      (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'network' && /closed before an answer came/.test(error.message),
    );
    assert.equal(seen.length, 1);
  });

  it('times out a request that never answers', async () => {
    handler = () => undefined; // hang
    const started = Date.now();
    await assert.rejects(
      client.request({ method: 'GET', url: `${base}/hang`, endpoint: 'GET /hang', schema: Anything, retry: 'read', timeoutMs: 150 }),
      (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'timeout' && /did not answer GET \/hang within 0\.2 s|within 0\.1 s/.test(error.message),
    );
    assert.ok(Date.now() - started < 1500, 'timeouts are not retried');
  });

  it('aborts with kind aborted', async () => {
    handler = () => undefined;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(
      client.request({ method: 'GET', url: `${base}/hang`, endpoint: 'GET /hang', schema: Anything, retry: 'read', signal: controller.signal }),
      (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'aborted' && error.message === 'GET /hang was cancelled.',
    );
    await assert.rejects(
      client.request({ method: 'GET', url: `${base}/x`, endpoint: 'GET /x', schema: Anything, retry: 'read', signal: AbortSignal.abort() }),
      (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'aborted',
    );
  });

  it('aborts during a retry wait', async () => {
    handler = (_request, response) => json(response, 503, {}, { 'retry-after': '5' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(
      client.request({ method: 'GET', url: `${base}/w`, endpoint: 'GET /w', schema: Anything, retry: 'read', signal: controller.signal }),
      (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'aborted',
    );
    assert.equal(seen.length, 1);
  });

  it('says in plain words when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(
      client.request({ method: 'GET', url: `http://127.0.0.1:${port}/w`, endpoint: 'GET /w', schema: Anything, retry: 'never' }),
      (error: unknown) =>
        error instanceof WorkflowRunsError && error.kind === 'network' && error.message.startsWith(`Could not reach 127.0.0.1:${port} for GET /w: the connection was refused`),
    );
  });

  it('streams server-sent events and reports a cut stream', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('event: a\ndata: 1\n\n');
      setTimeout(() => {
        response.write('data: 2\n\n');
        setTimeout(() => response.socket?.destroy(), 20);
      }, 20);
    };
    const events: string[] = [];
    const iterable = await client.stream({ method: 'GET', url: `${base}/s`, endpoint: 'GET /s', retry: 'read', idleTimeoutMs: 1000 });
    await assert.rejects(
      (async () => {
        for await (const batch of iterable) for (const event of batch) events.push(`${event.event}:${event.data}`);
      })(),
      (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'stream' && /the stream was cut/.test(error.message),
    );
    assert.deepEqual(events, ['a:1', 'message:2']);
    assert.equal(seen[0]?.headers.accept, 'text/event-stream');
  });

  it('rejects a stream whose server answers with an error status, like request', async () => {
    handler = (_request, response) => json(response, 404, { message: 'no such run' });
    await assert.rejects(
      client.stream({ method: 'GET', url: `${base}/s`, endpoint: 'GET /runs/{id}/stream', retry: 'read', parseError: messageOf }),
      (error: unknown) => error instanceof WorkflowRunsError && error.status === 404 && /no such run/.test(error.message),
    );
  });

  it('refuses a 2xx stream answer that is not an event stream, saying what it was', async () => {
    const open = (parseError?: typeof messageOf) => client.stream({ method: 'POST', url: `${base}/s`, endpoint: 'POST /run', retry: 'never', platform: 'Dify', parseError });
    // A proxy's login page, larger than what is read of it.
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><title>Sign in</title><p>corp-sso.internal</p>${' '.repeat(2 * 1024 * 1024)}`);
    };
    await assert.rejects(open(), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.equal(error.kind, 'schema');
      assert.equal(error.status, 200);
      assert.equal(error.message, 'POST /run: Dify answered with an HTML page instead of an event stream (HTTP 200).');
      return true;
    });
    // The platform's JSON error with a success status: its message, as for an error status.
    handler = (_request, response) => json(response, 200, { code: 'invalid_param', message: 'topic is required' });
    const parseError = (body: unknown) => ({ ...(body as { code: string }), ...messageOf(body) });
    await assert.rejects(open(parseError), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.equal(error.kind, 'http');
      assert.equal(error.status, 200);
      assert.equal(error.code, 'invalid_param');
      assert.equal(error.platformMessage, 'topic is required');
      assert.equal(error.message, 'POST /run: Dify answered with an error instead of an event stream (HTTP 200, invalid_param): topic is required.');
      return true;
    });
    // JSON that names no error, and text that is neither.
    for (const [contentType, body, what] of [
      ['application/json', '{"result":"ok"}', 'JSON'],
      ['text/plain', 'hello', 'something that is not an event stream'],
    ]) {
      handler = (_request, response) => {
        response.writeHead(200, { 'content-type': contentType });
        response.end(body);
      };
      await assert.rejects(open(), (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'schema' && error.message === `POST /run: Dify answered with ${what} instead of an event stream (HTTP 200).`);
    }
    assert.equal(seen.length, 4, 'none was sent again');
    // A stream is one whatever the case and parameters of its type, or when a server names no type.
    for (const contentType of ['Text/Event-Stream; charset=UTF-8', undefined]) {
      handler = (_request, response) => {
        response.writeHead(200, contentType ? { 'content-type': contentType } : {});
        response.end('data: one\n\n');
      };
      assert.deepEqual((await collect(await open())).flat().map((event) => event.data), ['one'], String(contentType));
    }
  });

  it('leaves no abort listener on a long-lived signal once its requests and streams are done', async () => {
    handler = (request, response) => {
      if (request.url !== '/s') return json(response, 200, { ok: true });
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end('data: one\n\ndata: two\n\n');
    };
    // One signal for a whole session, as the views hold one while the extension runs.
    const session = new AbortController();
    const signal = session.signal;
    for (let i = 0; i < 30; i++) {
      await client.request({ method: 'GET', url: `${base}/r`, endpoint: 'GET /r', schema: Anything, retry: 'read', signal });
      const events = (await collect(await client.stream({ method: 'GET', url: `${base}/s`, endpoint: 'GET /s', retry: 'read', signal }))).flat();
      assert.deepEqual(events.map((event) => event.data), ['one', 'two']);
      // A consumer that stops after the first batch of events.
      for await (const batch of await client.stream({ method: 'GET', url: `${base}/s`, endpoint: 'GET /s', retry: 'read', signal })) {
        assert.equal(batch[0]?.data, 'one');
        break;
      }
    }
    await eventually(() => getEventListeners(signal, 'abort').length, { until: (count) => count === 0, timeoutMs: 2_000, what: 'no abort listener left on the signal' });
  });

  it('still ends an open stream when its caller aborts while nobody is reading it', async () => {
    let closed!: Promise<void>;
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: one\n\n');
      closed = new Promise((resolve) => response.on('close', resolve));
    };
    const cancel = new AbortController();
    const iterable = await client.stream({ method: 'GET', url: `${base}/s`, endpoint: 'GET /s', retry: 'read', signal: cancel.signal });
    cancel.abort();
    await closed;
    assert.equal(getEventListeners(cancel.signal, 'abort').length, 0);
    void iterable;
  });

  it('ends a stream normally when the server closes it, and a quiet stream is not cut by the request timeout', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.flushHeaders();
      setTimeout(() => response.end('data: late\n\n'), 300);
    };
    const iterable = await client.stream({ method: 'GET', url: `${base}/s`, endpoint: 'GET /s', retry: 'read', timeoutMs: 100 });
    const events: string[] = [];
    for await (const batch of iterable) for (const event of batch) events.push(event.data);
    assert.deepEqual(events, ['late']);
  });
});

describe('attempt deadline', () => {
  it('is the timeout for a request without a body to send, and grows with an upload’s size', () => {
    assert.equal(attemptDeadlineMs(30_000, undefined), 30_000);
    assert.equal(attemptDeadlineMs(30_000, 0), 30_000);
    // 3 MB at 64 KiB/s: 48 s more than the timeout.
    assert.equal(attemptDeadlineMs(30_000, 3 * 1024 * 1024), 78_000);
    // The largest upload read (100 MB) still gets its time; nothing gets more than the ceiling.
    assert.equal(attemptDeadlineMs(30_000, 100 * 1024 * 1024), 30_000 + 1_600_000);
    assert.equal(attemptDeadlineMs(30_000, 10 * 1024 * 1024 * 1024), 30_000 + uploadPace.maxExtraMs);
  });
});
