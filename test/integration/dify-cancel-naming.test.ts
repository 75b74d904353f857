// A Dify run cancelled in the moment between Dify accepting it (its stream is open) and naming it
// (workflow_started): the run exists on Dify, so the trigger waits a little for its name and the
// caller stops it, instead of leaving it running unseen. A local server holds back
// workflow_started until the test has cancelled; the real client and adapter read it.
import { strict as assert } from 'node:assert';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createHttpClient } from '../../src/client/http';
import { createDifyProvider } from '../../src/providers/dify/adapter';
import type { WorkflowProvider } from '../../src/providers/provider';
import { runPayloadTest } from '../../src/testing/runTest';
import { silentLog } from '../helpers/log';

const runId = '0b7e2f1c-6a43-4c55-9d3b-5a7c2e9f1d08';
const taskId = 'task-held-back';

/** A Dify stand-in whose run stream opens at once but names its run only when told to. */
class HeldBackDify {
  readonly stops: string[] = [];
  /** Called by the test: sends workflow_started on the open stream (undefined: none is open yet). */
  private nameRun: (() => void) | undefined;
  private streamOpened: (() => void) | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly server = http.createServer((request, response) => this.answer(request, response));

  async start(): Promise<string> {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  reset(): void {
    this.stops.length = 0;
    this.nameRun = undefined;
  }

  /** Resolves once a run stream is open (Dify has accepted the run); workflow_started is held back. */
  opened(): Promise<void> {
    return new Promise((resolve) => (this.streamOpened = resolve));
  }

  name(): void {
    assert.ok(this.nameRun, 'a run stream is open');
    this.nameRun();
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(request: http.IncomingMessage, response: http.ServerResponse): void {
    const path = (request.url ?? '').replace(/\?.*/, '');
    request.resume();
    if (request.method === 'POST' && path === '/v1/workflows/run') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      response.flushHeaders();
      this.nameRun = () => {
        const started = { event: 'workflow_started', task_id: taskId, workflow_run_id: runId, data: { id: runId, workflow_id: 'wf', created_at: 1_700_000_000 } };
        response.write(`data: ${JSON.stringify(started)}\n\n`);
      };
      this.streamOpened?.();
      return;
    }
    const stop = /^\/v1\/workflows\/tasks\/([^/]+)\/stop$/.exec(path);
    if (request.method === 'POST' && stop) {
      this.stops.push(decodeURIComponent(stop[1]!));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: 'success' }));
      return;
    }
    if (request.method === 'GET' && path === `/v1/workflows/run/${runId}`) {
      const detail = { id: runId, workflow_id: 'wf', status: this.stops.length > 0 ? 'stopped' : 'running', inputs: '{}', outputs: null, error: null, total_steps: 0, total_tokens: 0, created_at: 1_700_000_000, finished_at: null, elapsed_time: 0 };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(detail));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'not_found', message: `${request.method} ${path}` }));
  }
}

describe('Dify: a run cancelled after Dify accepted it and before it was named', () => {
  const dify = new HeldBackDify();
  const client = createHttpClient({ log: silentLog, requestTimeoutMs: 5_000, retry: { baseDelayMs: 10, maxDelayMs: 50 } });
  let baseUrl = '';

  before(async () => {
    baseUrl = await dify.start();
  });
  beforeEach(() => dify.reset());
  after(async () => {
    await client.dispose();
    await dify.stop();
  });

  function provider(namingGraceMs: number): WorkflowProvider {
    return createDifyProvider(
      { connection: { name: 'dify-held', platform: 'dify', baseUrl }, getCredential: async () => 'app-key', http: client, log: silentLog, machineId: 'm', pollIntervalMs: 30 },
      { idleTimeoutMs: 5_000, namingGraceMs },
    );
  }

  it('the trigger waits for the name and resolves with the run, no stream left open', async () => {
    const cancel = new AbortController();
    const opened = dify.opened();
    const trigger = provider(5_000).trigger({ workflowId: 'default', inputs: {}, options: {}, signal: cancel.signal });
    await opened;
    cancel.abort(new Error('cancelled by the user'));
    // The name comes after the cancel: without the wait, the run would be lost here.
    await new Promise((resolve) => setTimeout(resolve, 50));
    dify.name();
    const triggered = await trigger;
    assert.equal(triggered.snapshot.runId, runId);
    assert.equal(triggered.snapshot.handle?.taskId, taskId, 'named with what a stop needs');
    assert.equal(triggered.updates, undefined, 'the caller owns the run now; no stream is kept for it');
  });

  it('a run that is never named: the cancel takes effect once the wait is over', async () => {
    const cancel = new AbortController();
    const opened = dify.opened();
    const trigger = provider(150).trigger({ workflowId: 'default', inputs: {}, options: {}, signal: cancel.signal });
    await opened;
    const cancelledAt = Date.now();
    cancel.abort(new Error('cancelled by the user'));
    await assert.rejects(trigger);
    const waited = Date.now() - cancelledAt;
    assert.ok(waited >= 100 && waited < 2_000, `gave up after the 150 ms wait, not at once nor much later (${waited} ms)`);
  });

  it('a payload test cancelled in that moment (Ctrl+C in the CLI) stops the run on Dify', async () => {
    const cancel = new AbortController();
    const opened = dify.opened();
    const testProvider = provider(5_000);
    const outcome = runPayloadTest(
      { target: { connection: 'dify-held', workflowId: 'default' }, inputs: {}, options: {}, expect: { status: 'succeeded' } },
      { provider: async () => testProvider, retryDelayMs: 20, stopTimeoutMs: 2_000 },
      { signal: cancel.signal },
    );
    await opened;
    cancel.abort();
    dify.name();
    const result = await outcome;
    assert.equal(result.verdict, 'cancelled');
    assert.deepEqual(dify.stops, [taskId], 'the run was stopped on Dify, once');
    assert.match(result.error ?? '', new RegExp(`${runId}.*it was stopped`));
  });
});
