// The B3OS adapter and the real HTTP client against a hand-written B3OS: what the emulator cannot
// be made to do. This one does not de-duplicate run ids (every trigger it processes is a new run,
// as the API description allows), and it can burst events on a workflow's runs stream.
import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { WorkflowRunsError } from '../../src/client/errors';
import { createHttpClient, type DisposableHttpClient } from '../../src/client/http';
import { createB3osProvider, type B3osProvider } from '../../src/providers/b3os/adapter';
import type { RunSnapshot } from '../../src/providers/model';
import type { ProviderContext, TriggeredRun } from '../../src/providers/provider';
import { silentLog } from '../helpers/log';

/** What the server does with one trigger: process it or not, then answer or cut the connection. */
type TriggerFate = 'answer' | 'processThenCut' | 'cut' | 'refuseDuplicate';

interface Wire {
  /** Requests in arrival order, as "METHOD /path". */
  seen: string[];
  /** When each list of the workflow's runs was asked for (ms). */
  listReads: number[];
  /** Runs created, one per processed trigger (the same run id may come twice). */
  created: string[];
  trigger: (attempt: number) => TriggerFate;
  /** How GET /v1/runs/{id} answers (default: the run, if created; else 404). */
  readRun: (runId: string) => { status: number; body: unknown } | undefined;
  /** The workflow's runs stream: what to write once it is open. */
  runsStream: (response: ServerResponse) => void;
  /** What GET /v1/workflows/{id}/runs lists (called per request). */
  listRuns: () => unknown[];
}

const workflowId = 'wf_wire';
const maxAttempts = 4;
let server: Server;
let base: string;
let wire: Wire;
let http: DisposableHttpClient;

function freshWire(): Wire {
  return {
    seen: [],
    listReads: [],
    created: [],
    trigger: () => 'answer',
    readRun: () => undefined,
    runsStream: () => {},
    listRuns: () => [],
  };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

const ok = (data: unknown) => ({ code: 200, data, message: 'success', requestId: 'req-ok' });
const runBody = (id: string, status = 'success') => ({ id, workflowId, status, executionState: {}, startedAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:00:01Z' });

function handle(request: IncomingMessage, response: ServerResponse, body: string): void {
  const path = (request.url ?? '').split('?')[0]!;
  wire.seen.push(`${request.method} ${path}`);
  if (request.method === 'POST' && path === `/v1/workflows/${workflowId}/run`) {
    const runId = (JSON.parse(body) as { runId: string }).runId;
    const attempt = wire.seen.filter((line) => line.startsWith('POST ')).length;
    const fate = wire.trigger(attempt);
    if (fate === 'refuseDuplicate' && wire.created.includes(runId)) return json(response, 400, { code: 400079, details: [], message: 'duplicate run ID', requestId: 'req-dup' });
    if (fate !== 'cut') wire.created.push(runId);
    if (fate === 'processThenCut' || fate === 'cut') return void response.socket?.destroy();
    return json(response, 200, ok({ runId }));
  }
  const run = /^\/v1\/runs\/([^/]+)$/.exec(path);
  if (request.method === 'GET' && run) {
    const runId = decodeURIComponent(run[1]!);
    const answer = wire.readRun(runId);
    if (answer) return json(response, answer.status, answer.body);
    if (wire.created.includes(runId)) return json(response, 200, ok(runBody(runId)));
    return json(response, 404, { code: 404001, details: [], message: 'run not found', requestId: 'req-404' });
  }
  if (request.method === 'GET' && path === `/v1/workflows/${workflowId}/runs/stream`) {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    response.flushHeaders();
    return wire.runsStream(response);
  }
  if (request.method === 'GET' && path === `/v1/workflows/${workflowId}/runs`) {
    wire.listReads.push(Date.now());
    return json(response, 200, ok({ items: wire.listRuns(), limit: 50, offset: 0, hasMore: false }));
  }
  // Run streams and anything else: not here, so runs are followed by polling.
  json(response, 404, { code: 404000, details: [], message: 'not found', requestId: 'req-none' });
}

before(async () => {
  wire = freshWire();
  server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (chunk: Buffer) => parts.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(parts).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  http = createHttpClient({ log: silentLog, requestTimeoutMs: 2_000, retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts } });
});

afterEach(() => {
  wire = freshWire();
});

after(async () => {
  await http.dispose();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function provider(pollIntervalMs = 20): B3osProvider {
  const ctx: ProviderContext = {
    connection: { name: 'b3os-wire', platform: 'b3os', baseUrl: base },
    getCredential: async () => 'b3sk_wire',
    http,
    log: silentLog,
    machineId: 'wire',
    pollIntervalMs,
  };
  return createB3osProvider(ctx, { idleTimeoutMs: 3_000 });
}

async function drain(run: TriggeredRun): Promise<RunSnapshot[]> {
  const seen = [run.snapshot];
  for await (const snapshot of run.updates ?? []) seen.push(snapshot);
  return seen;
}

const posts = () => wire.seen.filter((line) => line === `POST /v1/workflows/${workflowId}/run`).length;
const runReads = () => wire.seen.filter((line) => /^GET \/v1\/runs\/run_[^/]+$/.test(line)).length;
const trigger = () => provider().trigger({ workflowId, inputs: {}, options: {} });

describe('B3OS trigger resends, against a server that does not de-duplicate run ids', () => {
  it('an answer lost after the run started, on every attempt: its run id is looked up, not sent again; one run, followed', async () => {
    wire.trigger = () => 'processThenCut';
    const run = await trigger();
    assert.equal(posts(), 1, 'sent once: the run was there');
    assert.deepEqual(wire.created, [run.snapshot.runId], 'one run, under the id the client made');
    assert.equal((await drain(run)).at(-1)?.status, 'succeeded');
  });

  it('an answer lost before the run started: resent only after B3OS says the run does not exist', async () => {
    wire.trigger = (attempt) => (attempt === 1 ? 'cut' : 'answer');
    const run = await trigger();
    const sequence = wire.seen.filter((line) => !line.endsWith('/stream'));
    assert.deepEqual(sequence.slice(0, 3), [`POST /v1/workflows/${workflowId}/run`, `GET /v1/runs/${run.snapshot.runId}`, `POST /v1/workflows/${workflowId}/run`]);
    assert.deepEqual(wire.created, [run.snapshot.runId]);
    assert.equal((await drain(run)).at(-1)?.status, 'succeeded');
  });

  it('cut every time, nothing started: every resend follows a "not found", and the retries end in the lost-answer error', async () => {
    wire.trigger = () => 'cut';
    await assert.rejects(trigger(), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.equal(error.kind, 'network');
      assert.match(error.message, /may have been carried out/);
      return true;
    });
    assert.equal(posts(), maxAttempts);
    // One look before each resend, and one after the last attempt.
    assert.equal(runReads(), maxAttempts);
    assert.deepEqual(wire.created, []);
  });

  it('when B3OS cannot say whether the run exists, the trigger is not sent again', async () => {
    wire.trigger = () => 'processThenCut';
    wire.readRun = () => ({ status: 500, body: { code: 500000, details: [], message: 'database unavailable', requestId: 'req-500' } });
    await assert.rejects(trigger(), (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'network' && /may have been carried out/.test(error.message));
    assert.equal(posts(), 1, 'not resent on a guess');
    assert.equal(wire.created.length, 1);
  });

  it('a run B3OS does not list yet, on a server that refuses a run id twice: the refusal leads to the run, one run', async () => {
    wire.trigger = (attempt) => (attempt === 1 ? 'processThenCut' : 'refuseDuplicate');
    let reads = 0;
    // The first look finds nothing yet (stored a moment later); later looks find the run.
    wire.readRun = () => (++reads === 1 ? { status: 404, body: { code: 404001, details: [], message: 'run not found', requestId: 'req-404' } } : undefined);
    const run = await trigger();
    assert.equal(posts(), 2);
    assert.deepEqual(wire.created, [run.snapshot.runId]);
    assert.equal((await drain(run)).at(-1)?.status, 'succeeded');
  });

  it('a not-found inside a 200 envelope counts as "no such run" too', async () => {
    wire.trigger = (attempt) => (attempt === 1 ? 'cut' : 'answer');
    let reads = 0;
    wire.readRun = () => (++reads === 1 ? { status: 200, body: { code: 404001, data: null, message: 'run not found', requestId: 'req-404' } } : undefined);
    const run = await trigger();
    assert.equal(posts(), 2);
    assert.deepEqual(wire.created, [run.snapshot.runId]);
    await drain(run);
  });
});

describe('B3OS workflow runs stream, against a server that bursts events', () => {
  it('500 events cost a few list reads, at most one a polling interval, and the last change is read', async () => {
    const events = 500;
    const intervalMs = 100;
    let sent = 0;
    // Every event is a run started; the list shows the newest first.
    wire.listRuns = () => (sent === 0 ? [] : [{ id: `run_${sent}`, workflowId, status: 'running', startedAt: '2025-01-01T00:00:00Z' }]);
    wire.runsStream = (response) => {
      // Trickled over about half a second: folding only what arrives during a read would not do.
      const timer = setInterval(() => {
        for (let i = 0; i < 5 && sent < events; i++) {
          sent += 1;
          response.write(`event: run_started\ndata: {"runId":"run_${sent}"}\n\n`);
        }
        if (sent === events) {
          clearInterval(timer);
          response.write(': done\n\n');
        }
      }, 5);
      response.on('close', () => clearInterval(timer));
    };
    const controller = new AbortController();
    const pages: string[][] = [];
    const started = Date.now();
    for await (const page of provider(intervalMs).watchWorkflowRuns!(workflowId, controller.signal)) {
      pages.push(page.map((run) => run.runId));
      if (page[0]?.runId === `run_${events}`) break;
      assert.ok(Date.now() - started < 10_000, 'the last change was read in time');
    }
    controller.abort();
    assert.equal(sent, events);
    assert.deepEqual(pages.at(-1), [`run_${events}`], 'the list read after the burst shows its last event');
    const reads = wire.listReads.length;
    const burstMs = wire.listReads.at(-1)! - wire.listReads[0]!;
    assert.ok(reads <= 2 + Math.ceil(burstMs / intervalMs), `${reads} list reads over ${burstMs} ms`);
    assert.ok(reads < 20, `${reads} list reads for ${events} events`);
    // Measured where they arrive: a first request that opens its connection lands later than it left.
    for (let i = 1; i < reads; i++) {
      const gap = wire.listReads[i]! - wire.listReads[i - 1]!;
      assert.ok(gap >= intervalMs / 2, `reads ${i} and ${i + 1} only ${gap} ms apart`);
    }
  });
});
