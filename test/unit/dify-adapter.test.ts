// The Dify adapter's decisions with a scripted HttpClient: app mode check, the exact path a
// dropped stream takes (re-attach, then confirm), and what it refuses before sending.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { WorkflowRunsError } from '../../src/client/errors';
import type { HttpClient, RequestOptions, SseEvent, StreamOptions } from '../../src/client/types';
import { createDifyProvider } from '../../src/providers/dify/adapter';
import type { ProviderContext } from '../../src/providers/provider';
import { collect } from '../helpers/collect';
import { silentLog as silent } from '../helpers/log';


type Call = { method: string; url: string; query?: Record<string, unknown>; json?: unknown; retry: string };

/**
 * A scripted stream: a list of events, each in a batch of its own (as if each came in a chunk of
 * its own), or the batches given; then, optionally, a failure.
 */
type ScriptedStream = SseEvent[] | Error | { events: SseEvent[]; thenThrow: Error } | { batches: SseEvent[][]; thenThrow?: Error };

/**
 * Answers requests from `replies` (by "METHOD path") and streams from `streams`, in order;
 * `batchesRead` counts, per stream opened, the batches its reader asked for and got.
 */
function scriptedHttp(replies: Record<string, unknown[]>, streams: ScriptedStream[]) {
  const calls: Call[] = [];
  const batchesRead: number[] = [];
  const http: HttpClient = {
    async request<T>(options: RequestOptions<T>) {
      const path = new URL(options.url).pathname.replace(/^\/v1/, '');
      calls.push({ method: options.method, url: path, query: options.query, json: options.json, retry: options.retry });
      const queue = replies[`${options.method} ${path}`];
      const reply = queue?.shift();
      if (reply === undefined) throw new Error(`unexpected ${options.method} ${path}`);
      if (reply instanceof Error) throw reply;
      return { status: 200, headers: {}, data: options.schema.parse(reply) };
    },
    async stream(options: StreamOptions) {
      const path = new URL(options.url).pathname.replace(/^\/v1/, '');
      calls.push({ method: options.method, url: path, query: options.query, json: options.json, retry: options.retry });
      const next = streams.shift();
      if (!next) throw new Error(`unexpected stream ${path}`);
      if (next instanceof Error) throw next;
      const batches = Array.isArray(next) ? next.map((event) => [event]) : 'batches' in next ? next.batches : next.events.map((event) => [event]);
      const failure = Array.isArray(next) ? undefined : next.thenThrow;
      const stream = batchesRead.push(0) - 1;
      return (async function* () {
        for (const batch of batches) {
          batchesRead[stream]! += 1;
          yield batch;
        }
        if (failure) throw failure;
      })();
    },
  };
  return { http, calls, batchesRead };
}

function context(http: HttpClient, connection: Record<string, unknown> = {}): ProviderContext {
  return {
    connection: { name: 'd', platform: 'dify', baseUrl: 'http://dify.test/v1/', ...connection },
    getCredential: async () => 'app-key',
    http,
    log: silent,
    machineId: 'm1',
    pollIntervalMs: 5,
  };
}

const ev = (event: string, data: Record<string, unknown>): SseEvent => ({ event: 'message', data: JSON.stringify({ event, task_id: 't1', workflow_run_id: 'r1', data }) });
const started = ev('workflow_started', { id: 'r1', created_at: 1 });
const node = (id: string, status?: string) => ev(status ? 'node_finished' : 'node_started', { id, title: id, status, created_at: 1 });
const finished = ev('workflow_finished', { id: 'r1', status: 'succeeded', total_steps: 2, outputs: { ok: true }, created_at: 1, finished_at: 2 });
const detail = (status: string) => ({ id: 'r1', workflow_id: 'w', status, inputs: '{}', outputs: {}, total_steps: 2, total_tokens: 1, created_at: 1, finished_at: 2, elapsed_time: 1 });
const cut = new WorkflowRunsError('stream cut', { kind: 'stream' });

describe('Dify adapter', () => {
  it('refuses an app that is not a workflow app, naming what it is', async () => {
    const { http } = scriptedHttp({ 'GET /info': [{ name: 'Support bot', mode: 'chat' }] }, []);
    await assert.rejects(createDifyProvider(context(http)).verify(), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.equal(error.kind, 'config');
      assert.match(error.message, /“Support bot” is a chat app, not a workflow app/);
      return true;
    });
  });

  it('sends the run once (policy never) with the default user, and reads until workflow_started', async () => {
    const { http, calls } = scriptedHttp({}, [[started, node('a'), node('a', 'succeeded'), finished]]);
    const run = await createDifyProvider(context(http)).trigger({ workflowId: 'default', inputs: { q: 1 }, options: {} });
    assert.equal(run.snapshot.runId, 'r1');
    assert.deepEqual(run.snapshot.handle, { user: 'vscode-m1', taskId: 't1' });
    assert.deepEqual(calls[0], { method: 'POST', url: '/workflows/run', query: undefined, json: { inputs: { q: 1 }, user: 'vscode-m1', response_mode: 'streaming' }, retry: 'never' });
    const seen = await collect(run.updates);
    assert.equal(seen.at(-1)?.status, 'succeeded');
    assert.equal(calls.length, 1, 'a complete stream needs no other call');
  });

  it('re-attaches to the events after a cut, then ends with the final event', async () => {
    const { http, calls } = scriptedHttp({}, [{ events: [started, node('a')], thenThrow: cut }, [node('a', 'succeeded'), finished]]);
    const run = await createDifyProvider(context(http, { user: 'alice' })).trigger({ workflowId: 'default', inputs: {}, options: {} });
    const seen = await collect(run.updates);
    assert.equal(seen.at(-1)?.status, 'succeeded');
    assert.equal(seen.at(-1)?.tasks.success, 1);
    assert.deepEqual(calls[1], { method: 'GET', url: '/workflow/r1/events', query: { user: 'alice', include_state_snapshot: 'true' }, json: undefined, retry: 'read' });
  });

  it('yields one snapshot per batch of events: the state after the whole batch', async () => {
    const { http } = scriptedHttp({}, [{ batches: [[started], [node('a'), node('a', 'succeeded'), node('b'), node('b', 'succeeded')], [ev('ping', {})], [finished]] }]);
    const run = await createDifyProvider(context(http)).trigger({ workflowId: 'default', inputs: {}, options: {} });
    assert.equal(run.snapshot.status, 'running');
    const seen = await collect(run.updates);
    assert.equal(seen.length, 2, 'one for the batch of node events, none for the ping, one for the end');
    assert.deepEqual(seen[0]?.tasks, { queued: 0, pending: 0, processing: 0, success: 2, error: 0, stopped: 0, skipped: 0, total: 2 });
    assert.equal(seen[0]?.status, 'running');
    assert.equal(seen[1]?.status, 'succeeded');
  });

  it('stops reading at the event that ends the run, in the middle of a batch', async () => {
    const { http, batchesRead } = scriptedHttp({}, [{ batches: [[started], [node('a'), node('a', 'succeeded'), finished, node('late')], [node('later')]] }]);
    const run = await createDifyProvider(context(http)).trigger({ workflowId: 'default', inputs: {}, options: {} });
    const seen = await collect(run.updates);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.status, 'succeeded');
    assert.deepEqual(seen[0]?.timeline?.map((entry) => entry.id), ['a'], 'no event after the end is applied');
    assert.deepEqual(batchesRead, [2], 'no batch after the end is read');
  });

  it('shows the rest of the batch that started the run; a run that ended in it has nothing more to follow', async () => {
    const { http, calls } = scriptedHttp({}, [{ batches: [[started, node('a'), node('a', 'succeeded'), finished]] }]);
    const run = await createDifyProvider(context(http)).trigger({ workflowId: 'default', inputs: {}, options: {} });
    assert.equal(run.snapshot.status, 'succeeded');
    assert.equal(run.snapshot.tasks.success, 1);
    assert.equal(run.updates, undefined);
    assert.equal(calls.length, 1);
  });

  it('confirms with the run detail a run paused in the batch that started it', async () => {
    const paused = ev('workflow_paused', { status: 'paused', elapsed_time: 1 });
    const { http, calls } = scriptedHttp({ 'GET /workflows/run/r1': [detail('succeeded')] }, [{ batches: [[started, paused, node('after the pause')]] }]);
    const run = await createDifyProvider(context(http)).trigger({ workflowId: 'default', inputs: {}, options: {} });
    assert.equal(run.snapshot.status, 'waiting');
    assert.equal(run.snapshot.timeline, undefined, 'nothing after the pause is applied');
    const seen = await collect(run.updates);
    assert.equal(seen.at(-1)?.status, 'succeeded');
    assert.deepEqual(
      calls.map((call) => `${call.method} ${call.url}`),
      ['POST /workflows/run', 'GET /workflows/run/r1'],
    );
  });

  it('confirms with the run detail when re-attaching keeps failing', async () => {
    const { http, calls } = scriptedHttp({ 'GET /workflows/run/r1': [detail('running'), detail('failed')] }, [{ events: [started], thenThrow: cut }, [], new WorkflowRunsError('gone', { kind: 'network' })]);
    const run = await createDifyProvider(context(http)).trigger({ workflowId: 'default', inputs: {}, options: {} });
    const seen = await collect(run.updates);
    assert.equal(seen.at(-1)?.status, 'failed');
    assert.deepEqual(
      calls.map((call) => `${call.method} ${call.url}`),
      ['POST /workflows/run', 'GET /workflow/r1/events', 'GET /workflow/r1/events', 'GET /workflows/run/r1', 'GET /workflows/run/r1'],
    );
  });

  it('does not re-ask for events the server refused (404: another user’s run)', async () => {
    const refused = new WorkflowRunsError('not found', { kind: 'http', status: 404 });
    const { http, calls } = scriptedHttp({ 'GET /workflows/run/r1': [detail('succeeded')] }, [refused]);
    const seen = await collect(createDifyProvider(context(http)).watch({ runId: 'r1', workflowId: 'default', handle: { user: 'bob' } }));
    assert.equal(seen.at(-1)?.status, 'succeeded');
    assert.deepEqual(calls.map((call) => call.url), ['/workflow/r1/events', '/workflows/run/r1']);
  });

  it('explains an error event that comes before the run starts', async () => {
    const { http } = scriptedHttp({}, [[{ event: 'message', data: JSON.stringify({ event: 'error', status: 400, code: 'invalid_param', message: 'topic is required' }) }]]);
    await assert.rejects(createDifyProvider(context(http)).trigger({ workflowId: 'default', inputs: {}, options: {} }), /topic is required/);
  });

  it('refuses, before sending, a stop without a task id, another workflow id and bad options', async () => {
    const { http, calls } = scriptedHttp({}, []);
    const dify = createDifyProvider(context(http));
    await assert.rejects(dify.stop({ runId: 'r1', workflowId: 'default' }), /no task id/);
    await assert.rejects(dify.trigger({ workflowId: 'other', inputs: {}, options: {} }), /its workflow is “default”/);
    await assert.rejects(dify.trigger({ workflowId: 'default', inputs: {}, options: { response_mode: 'fast' } }), /response_mode/);
    assert.equal(calls.length, 0);
  });

  it('stops with the task id and the run’s user', async () => {
    const { http, calls } = scriptedHttp({ 'POST /workflows/tasks/t9/stop': [{ result: 'success' }] }, []);
    await createDifyProvider(context(http)).stop({ runId: 'r1', workflowId: 'default', handle: { taskId: 't9', user: 'carol' } });
    assert.deepEqual(calls[0]?.json, { user: 'carol' });
  });

  it('pages the logs with page numbers as cursors', async () => {
    const item = (id: string) => ({ id: `log-${id}`, workflow_run: { id, status: 'succeeded', total_steps: 1, created_at: 1 }, created_at: 1 });
    const { http, calls } = scriptedHttp({ 'GET /workflows/logs': [{ page: 1, limit: 2, has_more: true, data: [item('a'), item('b')] }, { page: 2, limit: 2, has_more: false, data: [item('c')] }] }, []);
    const dify = createDifyProvider(context(http), { pageSize: 2 });
    const first = await dify.listRuns!('default', undefined);
    assert.deepEqual(first.items.map((run) => run.runId), ['a', 'b']);
    assert.equal(first.next, '2');
    const second = await dify.listRuns!('default', first.next);
    assert.equal(second.next, undefined);
    assert.deepEqual(calls.map((call) => call.query), [{ page: 1, limit: 2 }, { page: 2, limit: 2 }]);
  });
});
