// Per-task data against the emulator, one platform after another: a run's timeline entries carry
// each task/node's inputs and outputs (Dify node_finished, B3OS executionState, Zuora's task
// fields), through the real adapters and HTTP client.
import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { createHttpClient } from '../../src/client/http';
import { createB3osProvider } from '../../src/providers/b3os/adapter';
import { createDifyProvider } from '../../src/providers/dify/adapter';
import type { Connection } from '../../src/connections/schema';
import type { RunSnapshot, TimelineEntry } from '../../src/providers/model';
import type { ProviderContext, TriggeredRun, WorkflowProvider } from '../../src/providers/provider';
import { createZuoraProvider } from '../../src/providers/zuora/adapter';
import { useEmulator } from '../helpers/emulator';
import { silentLog as silent } from '../helpers/log';

const emulator = useEmulator({ speed: 40 });
const clients: Array<{ dispose(): Promise<void> | void }> = [];
after(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
});

function context(connection: Connection, secret: string): ProviderContext {
  const http = createHttpClient({ log: silent, requestTimeoutMs: 5_000, retry: { baseDelayMs: 20, maxDelayMs: 200 } });
  clients.push(http);
  return { connection, getCredential: async () => secret, http, log: silent, machineId: 'machine1', pollIntervalMs: 40 };
}

async function toEnd(provider: WorkflowProvider, run: TriggeredRun, workflowId: string): Promise<RunSnapshot> {
  let last = run.snapshot;
  const updates = run.updates ?? provider.watch({ runId: run.snapshot.runId, workflowId, handle: run.snapshot.handle }, AbortSignal.timeout(20_000));
  for await (const snapshot of updates) last = snapshot;
  return last;
}

function byName(timeline: readonly TimelineEntry[] | undefined, name: string): TimelineEntry {
  const entry = timeline?.find((item) => item.name === name);
  assert.ok(entry, `an entry named ${name} in ${JSON.stringify(timeline?.map((item) => item.name))}`);
  return entry;
}

describe('Task data against the emulator', () => {
  it('Dify: each node keeps its inputs, outputs and process data from node_finished', async () => {
    const dify = createDifyProvider(context({ name: 'dify', platform: 'dify', baseUrl: emulator.urls.dify }, 'app-demo'), { idleTimeoutMs: 3_000 });
    const last = await toEnd(dify, await dify.trigger({ workflowId: 'default', inputs: { topic: 'Nodes' }, options: {} }), 'default');
    assert.equal(last.status, 'succeeded');
    const start = byName(last.timeline, 'Start');
    assert.equal((start.inputs as Record<string, unknown>).topic, 'Nodes');
    const llm = byName(last.timeline, 'Draft release notes');
    assert.match(String((llm.outputs as { text?: string }).text), /## Nodes/);
    assert.match(JSON.stringify(llm.processData), /Write release notes about: Nodes/);
    assert.equal(llm.metrics?.tokens, 412);
    const end = byName(last.timeline, 'End');
    assert.deepEqual(Object.keys(end.outputs as object).sort(), ['item_count', 'result']);
  });

  it('Dify: iteration rounds and a retry are entries of their own, each with its data', async () => {
    const dify = createDifyProvider(context({ name: 'dify', platform: 'dify', baseUrl: emulator.urls.dify }, 'app-demo'), { idleTimeoutMs: 3_000 });
    const last = await toEnd(dify, await dify.trigger({ workflowId: 'default', inputs: { topic: 'Loops', scenario: 'iterate' }, options: {} }), 'default');
    assert.equal(last.status, 'succeeded');
    const iteration = byName(last.timeline, 'For each item');
    assert.deepEqual(iteration.outputs, { output: ['- item 1', '- item 2', '- item 3'] });
    const rounds = (last.timeline ?? []).filter((entry) => entry.name === 'Format item');
    assert.deepEqual(
      rounds.map((entry) => [entry.iteration, entry.inputs, entry.outputs]),
      [0, 1, 2].map((index) => [{ parentId: iteration.id, index }, { item: `item ${index + 1}` }, { result: `- item ${index + 1}` }]),
    );
    assert.equal(new Set(rounds.map((entry) => entry.id)).size, 3, 'one entry per execution id');
    const attempts = (last.timeline ?? []).filter((entry) => entry.name === 'Post to changelog');
    assert.deepEqual(
      attempts.map((entry) => [entry.state, entry.retry?.index]).sort(),
      [
        ['error', 1],
        ['success', undefined],
      ],
    );
  });

  it('B3OS: each node’s input and result, with connector secrets masked', async () => {
    const b3os = createB3osProvider(context({ name: 'b3os', platform: 'b3os', baseUrl: emulator.urls.b3os }, 'b3sk_demo'), { idleTimeoutMs: 3_000 });
    const workflowId = 'wf_9k2m4x7q1b3n';
    const last = await toEnd(b3os, await b3os.trigger({ workflowId, inputs: { threshold: 3000 }, options: {} }), workflowId);
    assert.equal(last.status, 'succeeded');
    const slack = last.timeline?.find((entry) => entry.id === 'send_slack');
    assert.ok(slack);
    assert.equal((slack.inputs as Record<string, unknown>).channel, '#treasury');
    assert.notEqual((slack.inputs as Record<string, unknown>).botToken, 'xoxb-emulated-connector-secret');
    assert.deepEqual(slack.outputs, { ok: true, ts: '1718900000.000100' });
    const fetch = last.timeline?.find((entry) => entry.id === 'fetch_price');
    assert.deepEqual(fetch?.outputs, { amount: '3412.55', currency: 'USD' });
    assert.ok(!JSON.stringify(last).includes('xoxb-emulated-connector-secret'));
  });

  it('Zuora: each task’s fields become its inputs and outputs, read incrementally while followed', async () => {
    const zuora = createZuoraProvider(context({ name: 'zuora', platform: 'zuora', baseUrl: emulator.urls.zuora, clientId: 'demo-client' }, 'demo-secret'));
    const mark = emulator.requests.length;
    const last = await toEnd(zuora, await zuora.trigger({ workflowId: '19028', inputs: {}, options: {} }), '19028');
    assert.equal(last.status, 'failed');
    assert.equal(last.timeline?.length, 6);
    const query = byName(last.timeline, 'Query payments');
    assert.equal(query.state, 'success');
    assert.deepEqual(query.inputs, { object: 'Payment', action: 'Export' });
    assert.ok((query.outputs as Record<string, unknown[]>).Payment?.length === 1);
    assert.ok(query.startedAt !== undefined && query.finishedAt !== undefined);
    const failed = byName(last.timeline, 'Apply unmatched credits');
    assert.equal(failed.state, 'error');
    assert.match(failed.error ?? '', /no default payment method/);
    // A 6-task run is one page: never more page reads than polls that saw the counts move.
    const sent = emulator.requests.slice(mark).filter((request) => request.platform === 'zuora');
    const taskReads = sent.filter((request) => request.path === '/workflows/tasks').length;
    const runReads = sent.filter((request) => request.path.startsWith('/workflows/workflow_runs/')).length;
    assert.ok(taskReads <= runReads, `${taskReads} task reads for ${runReads} run reads`);
  });
});
