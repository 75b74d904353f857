// The Dify provider with the real HTTP client against the emulator.
import { strict as assert } from 'node:assert';
import { getEventListeners } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { createHttpClient } from '../../src/client/http';
import { WorkflowRunsError } from '../../src/client/errors';
import { createDifyProvider, type DifyProviderTuning } from '../../src/providers/dify/adapter';
import { isTerminal, type RunSnapshot } from '../../src/providers/model';
import type { LocalFile } from '../../src/providers/localFiles';
import type { ProviderContext, TriggeredRun, WorkflowProvider } from '../../src/providers/provider';
import { draftWorkflowId, publishedWorkflowId } from '../emulator/dify/app';
import { requestJson as json, useEmulator } from '../helpers/emulator';
import { eventually } from '../helpers/eventually';
import { silentLog as silent } from '../helpers/log';

describe('Dify provider against the emulator', () => {
  const emulator = useEmulator();
  const clients: Array<{ dispose(): Promise<void> | void }> = [];

  after(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
  });

  function provider(options: { key?: string; connection?: Record<string, unknown>; tuning?: DifyProviderTuning; requestTimeoutMs?: number } = {}): WorkflowProvider {
    const http = createHttpClient({ log: silent, requestTimeoutMs: options.requestTimeoutMs ?? 5_000, retry: { baseDelayMs: 20, maxDelayMs: 200 } });
    clients.push(http);
    const context: ProviderContext = {
      connection: { name: 'dify-test', platform: 'dify', baseUrl: emulator.urls.dify, ...options.connection },
      getCredential: async () => options.key ?? 'app-demo',
      http,
      log: silent,
      machineId: 'machine1',
      pollIntervalMs: 50,
    };
    return createDifyProvider(context, { idleTimeoutMs: 3_000, ...options.tuning });
  }

  async function drain(run: TriggeredRun): Promise<RunSnapshot[]> {
    const seen = [run.snapshot];
    for await (const snapshot of run.updates ?? []) seen.push(snapshot);
    return seen;
  }

  const runRequests = () => emulator.requests.filter((request) => request.platform === 'dify' && request.method === 'POST' && /\/workflows\/(?:[^/]+\/)?run$/.test(request.path));

  it('verifies the app and lists it as the one workflow', async () => {
    const dify = provider();
    assert.match(await dify.verify(), /Dify workflow app/);
    const page = await dify.listWorkflows(undefined);
    assert.equal(page.items.length, 1);
    assert.equal(page.items[0]?.id, 'default');
    assert.equal(page.next, undefined);
  });

  it('describes the inputs from the app parameters', async () => {
    const fields = await provider().describeInputs('default');
    assert.ok(fields.length > 0);
    for (const field of fields) {
      assert.equal(typeof field.name, 'string');
      assert.equal(typeof field.required, 'boolean');
    }
  });

  it('streams a run: live text, node counts, final outputs', async () => {
    const run = await provider().trigger({ workflowId: 'default', inputs: { topic: 'Hello' }, options: {} });
    assert.ok(run.snapshot.runId, 'the run id is known when trigger returns');
    assert.equal(run.snapshot.status, 'running');
    assert.ok(run.snapshot.handle?.taskId, 'the task id is kept for stopping');
    assert.equal(run.snapshot.handle?.user, 'vscode-machine1');
    const seen = await drain(run);
    const last = seen.at(-1)!;
    assert.equal(last.status, 'succeeded');
    assert.equal(last.runId, run.snapshot.runId);
    assert.ok(seen.some((snapshot) => snapshot.tasks.processing > 0), 'a node was seen running');
    assert.ok(last.tasks.success > 0);
    assert.equal(last.tasks.processing, 0);
    assert.ok(last.tasks.total >= last.tasks.success);
    assert.ok((last.liveText ?? '').length > 0, 'text chunks became live text');
    assert.ok(seen.filter((snapshot) => snapshot.liveText).length > 1, 'the text grew while running');
    assert.ok(last.outputs && typeof last.outputs === 'object');
    const sent = runRequests().at(-1)!;
    assert.equal(sent.headers.authorization, 'Bearer app-demo');
    assert.deepEqual(json(sent), { inputs: { topic: 'Hello' }, user: 'vscode-machine1', response_mode: 'streaming' });
    // The run detail agrees.
    const detail = await provider().getRun({ runId: last.runId, workflowId: 'default' });
    assert.equal(detail.status, 'succeeded');
    assert.equal((detail.inputs as Record<string, unknown>).topic, 'Hello');
  });

  it('runs in blocking mode with one POST and a final snapshot', async () => {
    const run = await provider().trigger({ workflowId: 'default', inputs: { topic: 'block' }, options: { response_mode: 'blocking', user: 'someone' } });
    assert.equal(run.updates, undefined);
    assert.equal(run.snapshot.status, 'succeeded');
    assert.ok(run.snapshot.tasks.total > 0);
    assert.equal(json(runRequests().at(-1)!).user, 'someone');
  });

  it('reports a failed run with its error', async () => {
    const seen = await drain(await provider().trigger({ workflowId: 'default', inputs: { topic: 'x', scenario: 'fail' }, options: {} }));
    const last = seen.at(-1)!;
    assert.equal(last.status, 'failed');
    assert.ok(last.error);
    assert.ok(last.tasks.error >= 1);
  });

  it('reports partial-succeeded as partial', async () => {
    const seen = await drain(await provider().trigger({ workflowId: 'default', inputs: { topic: 'x', scenario: 'partial' }, options: {} }));
    const last = seen.at(-1)!;
    assert.equal(last.status, 'partial');
    assert.equal(last.platformStatus, 'partial-succeeded');
    assert.ok(last.tasks.error >= 1, 'the exception node counts as an error');
  });

  it('turns an error event into a failed run', async () => {
    const seen = await drain(await provider().trigger({ workflowId: 'default', inputs: { topic: 'x', scenario: 'error-event' }, options: {} }));
    const last = seen.at(-1)!;
    assert.equal(last.status, 'failed');
    assert.ok(last.error && last.error.length > 0);
  });

  it('shows a paused run (human input) as waiting', async () => {
    const run = await provider().trigger({ workflowId: 'default', inputs: { topic: 'x', scenario: 'pause' }, options: {} });
    let last: RunSnapshot = run.snapshot;
    for await (const snapshot of run.updates!) {
      last = snapshot;
      if (snapshot.status === 'waiting') break;
    }
    assert.equal(last.status, 'waiting');
    assert.equal(last.platformStatus, 'paused');
  });

  it('runs the configured published workflow version; a draft is refused with Dify\'s reason', async () => {
    const published = provider({ connection: { workflowId: publishedWorkflowId } });
    assert.equal((await published.listWorkflows(undefined)).items[0]?.id, publishedWorkflowId);
    const run = await published.trigger({ workflowId: 'default', inputs: { topic: 'x' }, options: { response_mode: 'blocking' } });
    assert.equal(run.snapshot.workflowId, publishedWorkflowId);
    assert.equal(runRequests().at(-1)?.path, `/v1/workflows/${publishedWorkflowId}/run`);
    await assert.rejects(provider({ connection: { workflowId: draftWorkflowId } }).trigger({ workflowId: draftWorkflowId, inputs: { topic: 'x' }, options: {} }), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.equal(error.status, 400);
      assert.match(error.message, /draft/i);
      return true;
    });
  });

  it('refuses inputs Dify rejects, before any run exists', async () => {
    await assert.rejects(provider().trigger({ workflowId: 'default', inputs: {}, options: {} }), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.match(error.message, /topic is required/);
      return true;
    });
  });

  it('leaves no abort listener on the caller\'s signal after runs it followed and triggers Dify refused', async () => {
    const dify = provider();
    const session = new AbortController();
    const signal = session.signal;
    for (let i = 0; i < 12; i++) {
      const seen = await drain(await dify.trigger({ workflowId: 'default', inputs: { topic: `run ${i}` }, options: {}, signal }));
      assert.equal(seen.at(-1)?.status, 'succeeded');
      await assert.rejects(dify.trigger({ workflowId: 'default', inputs: {}, options: {}, signal }), /topic is required/);
    }
    await eventually(() => getEventListeners(signal, 'abort').length, { until: (count) => count === 0, timeoutMs: 3_000, what: 'no abort listener left on the signal' });
  });

  it("says what Dify (or a proxy) answered when a run's stream comes back as JSON or an HTML page", async () => {
    const trigger = () => provider().trigger({ workflowId: 'default', inputs: { topic: 'x' }, options: {} });
    emulator.injectFault({ platform: 'dify', method: 'POST', path: '/workflows/run', kind: 'status', status: 200, body: { code: 'provider_quota_exceeded', message: 'Your quota for OpenAI has been exceeded.', status: 400 } });
    await assert.rejects(trigger(), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.equal(error.kind, 'http');
      assert.equal(error.code, 'provider_quota_exceeded');
      assert.equal(
        error.message,
        'POST /workflows/run: Dify answered with an error instead of an event stream (HTTP 200, provider_quota_exceeded): the model provider quota is used up in Dify (Your quota for OpenAI has been exceeded.).',
      );
      return true;
    });
    emulator.injectFault({ platform: 'dify', method: 'POST', path: '/workflows/run', kind: 'html', status: 200 });
    await assert.rejects(trigger(), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.equal(error.message, 'POST /workflows/run: Dify answered with an HTML page instead of an event stream (HTTP 200).');
      return true;
    });
  });

  it('stops a streaming run by its task id', async () => {
    const dify = provider();
    const run = await dify.trigger({ workflowId: 'default', inputs: { topic: 'x', scenario: 'slow' }, options: {} });
    const seen: RunSnapshot[] = [run.snapshot];
    const reading = (async () => {
      for await (const snapshot of run.updates!) seen.push(snapshot);
    })();
    await dify.stop({ runId: run.snapshot.runId, workflowId: 'default', handle: run.snapshot.handle });
    await reading;
    assert.equal(seen.at(-1)?.status, 'stopped');
    const stop = emulator.requests.find((request) => request.platform === 'dify' && request.path.endsWith(`/workflows/tasks/${run.snapshot.handle!.taskId}/stop`));
    assert.ok(stop, 'POST /workflows/tasks/{task_id}/stop was sent');
    assert.deepEqual(json(stop), { user: 'vscode-machine1' });
  });

  it('re-attaches after a truncated stream and ends with the recorded state', async () => {
    emulator.injectFault({ platform: 'dify', method: 'POST', path: '/workflows/run', kind: 'truncateStream' });
    const before = runRequests().length;
    const seen = await drain(await provider().trigger({ workflowId: 'default', inputs: { topic: 'cut' }, options: {} }));
    const last = seen.at(-1)!;
    assert.ok(isTerminal(last.status), `ended with ${last.status}`);
    assert.equal(last.status, 'succeeded');
    assert.equal(runRequests().length, before + 1, 'the run was not started twice');
    const reattached = emulator.requests.filter((request) => request.platform === 'dify' && request.path === `/v1/workflow/${last.runId}/events`);
    assert.equal(reattached.length, 1, 're-attached once to the run events');
    assert.equal(reattached[0]?.query.user, 'vscode-machine1');
    assert.ok(last.tasks.success > 0, 'node counts survived the cut');
  });

  it('watches a run it did not start (re-attach, else polling)', async () => {
    const dify = provider();
    const run = await dify.trigger({ workflowId: 'default', inputs: { topic: 'x', scenario: 'slow' }, options: {} });
    // Drop the trigger's own stream at once, as a window reload would.
    await run.updates?.[Symbol.asyncIterator]().return?.(undefined);
    const seen: RunSnapshot[] = [];
    for await (const snapshot of dify.watch({ runId: run.snapshot.runId, workflowId: 'default', handle: run.snapshot.handle })) seen.push(snapshot);
    assert.equal(seen.at(-1)?.status, 'succeeded');
  });

  it('lists runs from the workflow logs, with paging', async () => {
    const page = await provider({ tuning: { pageSize: 2 } }).listRuns!('default', undefined);
    assert.ok(page.items.length > 0);
    assert.ok(page.items.length <= 2);
    for (const item of page.items) assert.ok(item.runId && item.status);
    if (page.next) {
      const second = await provider({ tuning: { pageSize: 2 } }).listRuns!('default', page.next);
      assert.notEqual(second.items[0]?.runId, page.items[0]?.runId);
    }
  });

  it('says a wrong key is a credential problem', async () => {
    await assert.rejects(provider({ key: 'app-wrong' }).verify(), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.equal(error.kind, 'auth');
      assert.equal(error.status, 401);
      assert.ok(!error.message.includes('app-wrong'), 'the key is not in the message');
      return true;
    });
  });

  it('never resends a trigger whose connection was cut', async () => {
    emulator.injectFault({ platform: 'dify', method: 'POST', path: '/workflows/run', kind: 'reset' });
    const before = runRequests().length;
    await assert.rejects(provider().trigger({ workflowId: 'default', inputs: { topic: 'x' }, options: {} }), WorkflowRunsError);
    assert.equal(runRequests().length, before + 1);
  });

  /** A file of `bytes` on disk, as a run's file input. */
  function fileOf(bytes: number): LocalFile {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dify-upload-')), 'notes.txt');
    writeFileSync(file, Buffer.alloc(bytes, 0x61));
    return { path: file, name: 'notes.txt', size: bytes };
  }
  const uploads = () => emulator.requests.filter((request) => request.platform === 'dify' && request.path.endsWith('/files/upload')).length;

  it('gives an upload time for its size: one slower than the request timeout is sent once and the run goes on', async () => {
    // 64 KiB at the slowest pace allowed (64 KiB/s) adds a second to the 400 ms timeout.
    emulator.injectFault({ platform: 'dify', method: 'POST', path: '/files/upload', kind: 'slowHeaders', delayMs: 900 });
    const before = uploads();
    const run = await provider({ requestTimeoutMs: 400 }).trigger({ workflowId: 'default', inputs: { topic: 'Files' }, options: {}, files: { doc: fileOf(64 * 1024) } });
    assert.equal((await drain(run)).at(-1)?.status, 'succeeded');
    assert.equal(uploads() - before, 1, 'uploaded once');
  });

  it('does not send again an upload that timed out (its body went out; a resend waits as long again)', async () => {
    emulator.injectFault({ platform: 'dify', method: 'POST', path: '/files/upload', kind: 'hang', times: 4 });
    const before = uploads();
    const runsBefore = runRequests().length;
    await assert.rejects(provider({ requestTimeoutMs: 300 }).trigger({ workflowId: 'default', inputs: { topic: 'Files' }, options: {}, files: { doc: fileOf(1024) } }), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.equal(error.kind, 'timeout');
      return true;
    });
    assert.equal(uploads() - before, 1, 'sent once');
    assert.equal(runRequests().length, runsBefore, 'no run was started');
  });

  it('does not retry a rate_limit_error (quota) but says so plainly', async () => {
    emulator.injectFault({ platform: 'dify', method: 'GET', path: '/parameters', kind: 'status', status: 429, body: { status: 429, code: 'rate_limit_error', message: 'Rate Limit Error' }, times: 5 });
    const before = emulator.requests.filter((request) => request.platform === 'dify' && request.path.endsWith('/parameters')).length;
    await assert.rejects(provider().describeInputs('default'), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.equal(error.code, 'rate_limit_error');
      assert.match(error.message, /quota/);
      return true;
    });
    const after = emulator.requests.filter((request) => request.platform === 'dify' && request.path.endsWith('/parameters')).length;
    assert.equal(after - before, 1);
  });

  it('retries too_many_requests on reads', async () => {
    emulator.injectFault({ platform: 'dify', method: 'GET', path: '/parameters', kind: 'status', status: 429, body: { status: 429, code: 'too_many_requests', message: 'Too many requests.' } });
    const fields = await provider().describeInputs('default');
    assert.ok(fields.length > 0);
  });
});
