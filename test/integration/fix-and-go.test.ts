// "Fix and go on" and "Open Workflow Definition" against the emulator: Zuora re-runs one task and
// the run is in flight again until it ends; B3OS retries a failed run as a new run; each platform
// describes a workflow as raw JSON.
import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { WorkflowRunsError } from '../../src/client/errors';
import { createHttpClient } from '../../src/client/http';
import type { Connection } from '../../src/connections/schema';
import { isTerminal, type RunSnapshot } from '../../src/providers/model';
import type { ProviderContext, TriggeredRun, WorkflowProvider } from '../../src/providers/provider';
import { createB3osProvider } from '../../src/providers/b3os/adapter';
import { createDifyProvider } from '../../src/providers/dify/adapter';
import { createZuoraProvider } from '../../src/providers/zuora/adapter';
import { useEmulator } from '../helpers/emulator';
import { silentLog as silent } from '../helpers/log';

describe('Fix and go on, workflow definitions (emulator)', () => {
  const emulator = useEmulator();
  const clients: Array<{ dispose(): Promise<void> | void }> = [];

  after(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
  });

  function context(connection: Connection, credential: string): ProviderContext {
    const http = createHttpClient({ log: silent, requestTimeoutMs: 5_000, retry: { baseDelayMs: 20, maxDelayMs: 200 } });
    clients.push(http);
    return { connection, getCredential: async () => credential, http, log: silent, machineId: 'machine1', pollIntervalMs: 40 };
  }

  const zuora = () => createZuoraProvider(context({ name: 'Zuora Demo', platform: 'zuora', baseUrl: emulator.urls.zuora, clientId: 'demo-client' } as Connection, 'demo-secret'));
  const b3os = () => createB3osProvider(context({ name: 'b3os-test', platform: 'b3os', baseUrl: emulator.urls.b3os } as Connection, 'b3sk_demo'), { idleTimeoutMs: 3_000 });
  const dify = () => createDifyProvider(context({ name: 'dify-test', platform: 'dify', baseUrl: emulator.urls.dify } as Connection, 'app-demo'), { idleTimeoutMs: 3_000 });

  async function watchToEnd(provider: WorkflowProvider, run: RunSnapshot): Promise<RunSnapshot[]> {
    const seen: RunSnapshot[] = [];
    for await (const snapshot of provider.watch({ runId: run.runId, workflowId: run.workflowId, handle: run.handle }, AbortSignal.timeout(20_000))) seen.push(snapshot);
    return seen;
  }

  async function drain(run: TriggeredRun): Promise<RunSnapshot[]> {
    const seen = [run.snapshot];
    for await (const snapshot of run.updates ?? []) seen.push(snapshot);
    return seen;
  }

  it('Zuora: re-running a failed task puts the run back in flight, and it ends again with the task succeeded', async () => {
    const provider = zuora();
    const started = await provider.trigger({ workflowId: '19028', inputs: {}, options: {} });
    const ended = (await watchToEnd(provider, started.snapshot)).at(-1)!;
    assert.equal(ended.status, 'failed');
    const failedTask = ended.timeline?.find((entry) => entry.state === 'error');
    assert.ok(failedTask, 'the run has a task in error');
    await provider.rerunTask!({ runId: ended.runId, workflowId: ended.workflowId }, failedTask.id);
    const again = await provider.getRun({ runId: ended.runId, workflowId: ended.workflowId });
    assert.equal(isTerminal(again.status), false, `the run is in flight again (${again.platformStatus})`);
    const after = await watchToEnd(provider, again);
    const last = after.at(-1)!;
    assert.ok(isTerminal(last.status));
    assert.equal(last.timeline?.find((entry) => entry.id === failedTask.id)?.state, 'success');
    const rerunRequests = emulator.requests.filter((request) => request.platform === 'zuora' && request.method === 'POST' && request.path === `/workflows/tasks/${failedTask.id}/rerun`);
    assert.equal(rerunRequests.length, 1);
  });

  it('Zuora: a task that is still running cannot be re-run (the platform says so)', async () => {
    // 19030's tasks run 5 s each (250 ms at the suite's speed): a task seen in flight is still in
    // flight when the re-run is asked, even on a loaded machine (19027's last 70 ms).
    const provider = zuora();
    const started = await provider.trigger({ workflowId: '19030', inputs: {}, options: {} });
    const ref = { runId: started.snapshot.runId, workflowId: '19030' };
    let taskId: string | undefined;
    for await (const snapshot of provider.watch(ref, AbortSignal.timeout(20_000))) {
      taskId = snapshot.timeline?.find((entry) => entry.state === 'processing')?.id;
      if (taskId) break;
    }
    assert.ok(taskId, 'a task was seen in flight');
    await assert.rejects(provider.rerunTask!(ref, taskId), (error: unknown) => error instanceof WorkflowRunsError && error.status === 400);
    await provider.stop(ref);
  });

  it('B3OS: retryRun retries a failed run as a new run', async () => {
    const provider = b3os();
    const workflow = (await provider.listWorkflows(undefined)).items.find((item) => item.runnable !== false && item.status === 'active')!;
    const failed = (await drain(await provider.trigger({ workflowId: workflow.id, inputs: { scenario: 'fail' }, options: {} }))).at(-1)!;
    assert.equal(failed.status, 'failed');
    const retried = await provider.retryRun({ runId: failed.runId, workflowId: failed.workflowId });
    assert.notEqual(retried.snapshot.runId, failed.runId);
    assert.ok(isTerminal((await drain(retried)).at(-1)!.status));
    // A run that succeeded is not retried: B3OS refuses, and nothing new starts.
    const succeeded = (await drain(await provider.trigger({ workflowId: workflow.id, inputs: {}, options: {} }))).at(-1)!;
    assert.equal(succeeded.status, 'succeeded');
    await assert.rejects(provider.retryRun({ runId: succeeded.runId, workflowId: succeeded.workflowId }), /only failed runs can be retried/);
  });

  it('definitions: Zuora GET /workflows/{id}, B3OS GET /v1/workflows/{id}, Dify /info + /parameters', async () => {
    const zuoraDefinition = (await zuora().getDefinition!('19027')) as Record<string, unknown>;
    assert.equal(String(zuoraDefinition.id), '19027');
    assert.equal(zuoraDefinition.name, 'Invoice sync to NetSuite');
    assert.ok('active_version' in zuoraDefinition, 'every field Zuora sends is kept');

    const b3 = b3os();
    const workflow = (await b3.listWorkflows(undefined)).items[0]!;
    const b3Definition = (await b3.getDefinition(workflow.id)) as Record<string, unknown>;
    assert.equal(b3Definition.id, workflow.id);
    assert.equal(b3Definition.name, workflow.name);

    const difyProvider = dify();
    const [app] = (await difyProvider.listWorkflows(undefined)).items;
    const difyDefinition = (await difyProvider.getDefinition!(app!.id)) as { info: Record<string, unknown>; parameters: Record<string, unknown> };
    assert.equal(difyDefinition.info.name, app!.name);
    assert.ok(Array.isArray(difyDefinition.parameters.user_input_form));
  });
});
