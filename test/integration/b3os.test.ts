// The B3OS provider with the real HTTP client against the emulator.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { createHttpClient } from '../../src/client/http';
import { WorkflowRunsError } from '../../src/client/errors';
import { createB3osProvider, type B3osProvider } from '../../src/providers/b3os/adapter';
import type { RunSnapshot, WorkflowSummary } from '../../src/providers/model';
import type { ProviderContext, TriggeredRun } from '../../src/providers/provider';
import { requestJson as json, useEmulator } from '../helpers/emulator';
import { silentLog as silent } from '../helpers/log';

describe('B3OS provider against the emulator', () => {
  const emulator = useEmulator();
  let workflows: WorkflowSummary[];
  const clients: Array<{ dispose(): Promise<void> | void }> = [];

  function provider(options: { key?: string; pageSize?: number } = {}): B3osProvider {
    const http = createHttpClient({ log: silent, requestTimeoutMs: 5_000, retry: { baseDelayMs: 20, maxDelayMs: 200 } });
    clients.push(http);
    const context: ProviderContext = {
      connection: { name: 'b3os-test', platform: 'b3os', baseUrl: emulator.urls.b3os },
      getCredential: async () => options.key ?? 'b3sk_demo',
      http,
      log: silent,
      machineId: 'machine1',
      pollIntervalMs: 50,
    };
    return createB3osProvider(context, { idleTimeoutMs: 3_000, pageSize: options.pageSize });
  }

  before(async () => {
    workflows = [];
    const b3os = provider();
    let cursor: string | undefined;
    do {
      const page = await b3os.listWorkflows(cursor);
      workflows.push(...page.items);
      cursor = page.next;
    } while (cursor);
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
  });

  function runnable(): WorkflowSummary {
    const workflow = workflows.find((item) => item.runnable !== false && item.status === 'active') ?? workflows.find((item) => item.runnable !== false);
    assert.ok(workflow, 'the emulator has a runnable workflow');
    return workflow;
  }

  async function drain(run: TriggeredRun): Promise<RunSnapshot[]> {
    const seen = [run.snapshot];
    for await (const snapshot of run.updates ?? []) seen.push(snapshot);
    return seen;
  }

  const b3osRequests = () => emulator.requests.filter((request) => request.platform === 'b3os');

  it('verifies the key', async () => {
    assert.match(await provider().verify(), /B3OS/);
  });

  it('pages through workflows with limit and offset', async () => {
    const b3os = provider({ pageSize: 1 });
    const first = await b3os.listWorkflows(undefined);
    assert.equal(first.items.length, 1);
    assert.equal(first.next, '1');
    const second = await b3os.listWorkflows(first.next);
    assert.notEqual(second.items[0]?.id, first.items[0]?.id);
    const listed = b3osRequests().filter((request) => request.path === '/v1/workflows').at(-1)!;
    assert.equal(listed.query.offset, '1');
    assert.equal(listed.query.limit, '1');
    assert.ok(workflows.length >= 2);
  });

  it('opens the run stream before triggering, then follows the run to its end', async () => {
    const workflow = runnable();
    const mark = emulator.requests.length;
    const run = await provider().trigger({ workflowId: workflow.id, inputs: { amount: 1 }, options: {} });
    assert.match(run.snapshot.runId, /^run_/);
    const seen = await drain(run);
    const last = seen.at(-1)!;
    assert.equal(last.status, 'succeeded');
    assert.ok(last.tasks.success > 0);
    assert.equal(last.tasks.total, last.tasks.success + last.tasks.skipped + last.tasks.error + last.tasks.stopped + last.tasks.pending + last.tasks.queued + last.tasks.processing);
    const sent = emulator.requests.slice(mark).filter((request) => request.platform === 'b3os');
    const streamIndex = sent.findIndex((request) => request.method === 'GET' && request.path === `/v1/runs/${run.snapshot.runId}/stream`);
    const triggerIndex = sent.findIndex((request) => request.method === 'POST' && request.path === `/v1/workflows/${workflow.id}/run`);
    assert.ok(streamIndex >= 0 && triggerIndex >= 0);
    assert.ok(streamIndex < triggerIndex, 'the stream was opened before the trigger');
    const body = json(sent[triggerIndex]!);
    assert.equal(body.runId, run.snapshot.runId);
    assert.deepEqual(body.payload, { amount: 1 });
    assert.equal(sent[triggerIndex]!.headers.authorization, 'Bearer b3sk_demo');
  });

  it('runs a simulation and remembers it', async () => {
    const workflow = runnable();
    const seen = await drain(await provider().trigger({ workflowId: workflow.id, inputs: {}, options: { simulate: true } }));
    const trigger = b3osRequests().filter((request) => request.method === 'POST' && request.path.endsWith('/run')).at(-1)!;
    assert.equal(json(trigger).simulate, true);
    assert.equal(seen[0]?.handle?.simulate, 'true');
    assert.equal(seen.at(-1)?.handle?.simulate, 'true');
  });

  it('rejects simulate with dustTest before sending anything', async () => {
    const mark = emulator.requests.length;
    await assert.rejects(provider().trigger({ workflowId: runnable().id, inputs: {}, options: { simulate: true, dustTest: true } }), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.equal(error.kind, 'config');
      assert.match(error.message, /simulate and dustTest/);
      return true;
    });
    assert.equal(emulator.requests.length, mark);
  });

  it('does not resend a trigger whose answer was lost once B3OS shows its run id: one request, one run', async () => {
    const workflow = runnable();
    const before = emulator.runsCreated('b3os');
    const mark = emulator.requests.length;
    emulator.injectFault({ platform: 'b3os', method: 'POST', path: `/v1/workflows/${workflow.id}/run`, kind: 'afterProcess' });
    const run = await provider().trigger({ workflowId: workflow.id, inputs: {}, options: {} });
    const triggers = b3osRequests().filter((request) => request.method === 'POST' && request.path === `/v1/workflows/${workflow.id}/run` && json(request).runId === run.snapshot.runId);
    assert.equal(triggers.length, 1, 'sent once');
    const looks = emulator.requests.slice(mark).filter((request) => request.platform === 'b3os' && request.method === 'GET' && request.path === `/v1/runs/${run.snapshot.runId}`);
    assert.ok(looks.length >= 1, 'its run id was looked up');
    assert.equal(emulator.runsCreated('b3os') - before, 1, 'one run created');
  });

  it('resends a trigger that was cut before B3OS took it, after B3OS says it has no such run: one run', async () => {
    const workflow = runnable();
    const before = emulator.runsCreated('b3os');
    emulator.injectFault({ platform: 'b3os', method: 'POST', path: `/v1/workflows/${workflow.id}/run`, kind: 'reset' });
    const run = await provider().trigger({ workflowId: workflow.id, inputs: {}, options: {} });
    const triggers = b3osRequests().filter((request) => request.method === 'POST' && request.path === `/v1/workflows/${workflow.id}/run` && json(request).runId === run.snapshot.runId);
    assert.equal(triggers.length, 2, 'sent again with the same run id');
    assert.equal(emulator.runsCreated('b3os') - before, 1, 'one run created');
    const seen = await drain(run);
    assert.equal(seen.at(-1)?.status, 'succeeded');
  });

  it('cancels a running run; cancelling it again is accepted quietly', async () => {
    const b3os = provider();
    const run = await b3os.trigger({ workflowId: runnable().id, inputs: { scenario: 'slow' }, options: {} });
    const seen: RunSnapshot[] = [];
    const reading = (async () => {
      for await (const snapshot of run.updates!) seen.push(snapshot);
    })();
    const ref = { runId: run.snapshot.runId, workflowId: run.snapshot.workflowId };
    // The run must exist before it can be cancelled.
    for (let i = 0; i < 100 && !seen.some((snapshot) => snapshot.status === 'running'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await b3os.stop(ref);
    await reading;
    const last = seen.at(-1)!;
    assert.equal(last.status, 'stopped');
    assert.equal(last.platformStatus, 'cancelled');
    // A resent cancel meets a 409 from B3OS; the run is cancelled, which is what was asked.
    await b3os.stop(ref);
    // The same when B3OS spells the status in capitals.
    emulator.injectFault({ platform: 'b3os', method: 'GET', path: `/v1/runs/${ref.runId}`, kind: 'reshape', set: { status: 'Cancelled' } });
    await b3os.stop(ref);
  });

  it('follows a waiting run (pending nodes) until it is cancelled', async () => {
    const b3os = provider();
    const run = await b3os.trigger({ workflowId: 'wf_1q6w3e8r5t2y', inputs: {}, options: {} });
    const seen: RunSnapshot[] = [];
    for await (const snapshot of run.updates!) {
      seen.push(snapshot);
      if (snapshot.status === 'waiting') break;
    }
    const waiting = seen.at(-1)!;
    assert.equal(waiting.status, 'waiting');
    assert.ok(waiting.tasks.pending >= 1, 'the waiting node counts as pending');
    await b3os.stop({ runId: waiting.runId, workflowId: waiting.workflowId });
    const after = await b3os.getRun({ runId: waiting.runId, workflowId: waiting.workflowId });
    assert.equal(after.status, 'stopped');
  });

  it('falls back to polling when the run stream is cut', async () => {
    emulator.injectFault({ platform: 'b3os', method: 'GET', path: /^\/v1\/runs\/run_[^/]+\/stream$/, kind: 'truncateStream' });
    const seen = await drain(await provider().trigger({ workflowId: runnable().id, inputs: {}, options: {} }));
    assert.equal(seen.at(-1)?.status, 'succeeded');
  });

  it('refuses to run an archived workflow with the platform’s reason', async () => {
    await assert.rejects(provider().trigger({ workflowId: 'wf_5u0i7o2p9a4s', inputs: {}, options: {} }), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.equal(error.status, 400);
      assert.ok(error.requestId, 'the request id is kept');
      return true;
    });
    assert.equal(workflows.find((workflow) => workflow.id === 'wf_5u0i7o2p9a4s')?.runnable, false);
  });

  it('reads a past run with its executionState and watches a finished run to its one final state', async () => {
    const b3os = provider();
    const runs = await b3os.listRuns!('wf_9k2m4x7q1b3n', undefined);
    const past = runs.items.find((item) => item.status === 'succeeded');
    assert.ok(past);
    const run = await b3os.getRun({ runId: past.runId, workflowId: past.workflowId });
    assert.ok(run.tasks.total > 0);
    assert.ok(run.tasks.success > 0);
    assert.ok(run.timeline && run.timeline.length === run.tasks.total);
    const watched: RunSnapshot[] = [];
    for await (const snapshot of b3os.watch({ runId: past.runId, workflowId: past.workflowId })) watched.push(snapshot);
    assert.equal(watched.length, 1);
    assert.equal(watched[0]?.status, 'succeeded');
  });

  it('describes inputs, tolerating a workflow that declares none', async () => {
    const fields = await provider().describeInputs('wf_9k2m4x7q1b3n');
    assert.ok(Array.isArray(fields));
  });

  it('refuses to cancel a finished run with a clear message', async () => {
    const b3os = provider();
    const seen = await drain(await b3os.trigger({ workflowId: runnable().id, inputs: {}, options: {} }));
    const last = seen.at(-1)!;
    assert.equal(last.status, 'succeeded');
    await assert.rejects(b3os.stop({ runId: last.runId, workflowId: last.workflowId }), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.equal(error.status, 409);
      assert.match(error.message, /only running or waiting runs can be cancelled/);
      return true;
    });
  });

  it('retries a failed run as a new run', async () => {
    const b3os = provider();
    const seen = await drain(await b3os.trigger({ workflowId: runnable().id, inputs: { scenario: 'fail' }, options: {} }));
    const failed = seen.at(-1)!;
    assert.equal(failed.status, 'failed');
    assert.ok(failed.tasks.error >= 1);
    const retried = await b3os.retry({ runId: failed.runId, workflowId: failed.workflowId });
    assert.notEqual(retried.snapshot.runId, failed.runId);
    const again = await drain(retried);
    assert.ok(['succeeded', 'failed'].includes(again.at(-1)!.status));
  });

  it('lists a workflow’s runs', async () => {
    const workflow = runnable();
    const page = await provider({ pageSize: 2 }).listRuns!(workflow.id, undefined);
    assert.ok(page.items.length > 0);
    for (const item of page.items) assert.match(item.runId, /^run_/);
  });

  it('waits out a 429 with Retry-After on reads', async () => {
    const workflow = runnable();
    emulator.injectFault({ platform: 'b3os', method: 'GET', path: `/v1/workflows/${workflow.id}`, kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    const before = b3osRequests().filter((request) => request.path === `/v1/workflows/${workflow.id}`).length;
    const started = Date.now();
    const summary = await provider().getWorkflow(workflow.id);
    assert.ok(Date.now() - started >= 900, 'waited as Retry-After asked');
    assert.equal(summary.id, workflow.id);
    assert.equal(b3osRequests().filter((request) => request.path === `/v1/workflows/${workflow.id}`).length - before, 2);
  });

  it('says a wrong key is a credential problem, with the request id', async () => {
    await assert.rejects(provider({ key: 'b3sk_wrong' }).verify(), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.equal(error.kind, 'auth');
      assert.equal(error.status, 401);
      assert.ok(error.requestId);
      assert.ok(!error.message.includes('b3sk_wrong'));
      return true;
    });
  });
});
