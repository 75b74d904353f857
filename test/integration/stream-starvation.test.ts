// Streams cannot starve requests: with 20 followed B3OS runs holding their streams open on one
// emulator origin, triggers, polls, stops and lists on that origin still complete promptly; and a
// request waiting for a connection of a saturated pool still ends at its timeout or on Cancel.
import { strict as assert } from 'node:assert';
import { after, describe, it, type TestContext } from 'node:test';
import { WorkflowRunsError } from '../../src/client/errors';
import { createHttpClient, type DisposableHttpClient } from '../../src/client/http';
import { createB3osProvider, type B3osProvider } from '../../src/providers/b3os/adapter';
import type { RunSnapshot } from '../../src/providers/model';
import type { TriggeredRun } from '../../src/providers/provider';
import { useEmulator } from '../helpers/emulator';
import { eventually } from '../helpers/eventually';
import { silentLog } from '../helpers/log';

const openStreams = 20;

describe('streams cannot starve requests', () => {
  // Slow runs: each followed run keeps its stream open for the whole test.
  const emulator = useEmulator({ speed: 0.05, pingIntervalMs: 500 });
  const clients: DisposableHttpClient[] = [];

  after(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
  });

  function b3os(requestTimeoutMs = 10_000): { provider: B3osProvider; http: DisposableHttpClient } {
    // One attempt per request: a retried timeout would hide how long one attempt took.
    const http = createHttpClient({ log: silentLog, requestTimeoutMs, retry: { maxAttempts: 1 } });
    clients.push(http);
    const provider = createB3osProvider(
      { connection: { name: 'b3os-load', platform: 'b3os', baseUrl: emulator.urls.b3os }, getCredential: async () => 'b3sk_demo', http, log: silentLog, machineId: 'm', pollIntervalMs: 200 },
      { idleTimeoutMs: 10_000 },
    );
    return { provider, http };
  }

  async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
    const started = Date.now();
    const value = await work();
    return { value, ms: Date.now() - started };
  }

  const openStreamCount = () => emulator.requests.filter((request) => request.platform === 'b3os' && request.headers.accept === 'text/event-stream').length;

  it(`keeps triggers, polls, stops and lists prompt with ${openStreams} streams open on the same origin`, async (t: TestContext) => {
    const { provider } = b3os();
    const workflows = (await provider.listWorkflows(undefined)).items;
    const workflow = workflows.find((item) => item.runnable !== false && item.status === 'active') ?? workflows[0]!;
    const streamsBefore = openStreamCount();
    const followed: Array<{ run: TriggeredRun; last: RunSnapshot; done: Promise<void> }> = [];
    for (let i = 0; i < openStreams; i++) {
      const run = await provider.trigger({ workflowId: workflow.id, inputs: { scenario: 'slow' }, options: {} });
      const entry = { run, last: run.snapshot, done: Promise.resolve() };
      entry.done = (async () => {
        for await (const snapshot of run.updates!) entry.last = snapshot;
      })();
      followed.push(entry);
    }
    await eventually(() => openStreamCount() - streamsBefore >= openStreams, { timeoutMs: 10_000, what: `${openStreams} streams open` });
    await eventually(() => followed.every((entry) => entry.last.status === 'running'), { timeoutMs: 10_000, what: 'every followed run running' });

    // The same origin, while every stream is open: a trigger (which opens one more stream), polls, a list, stops.
    const trigger = await timed(() => provider.trigger({ workflowId: workflow.id, inputs: {}, options: {} }));
    const polls = await timed(() => Promise.all(followed.map((entry) => provider.getRun({ runId: entry.run.snapshot.runId, workflowId: workflow.id }))));
    const list = await timed(() => provider.listWorkflows(undefined));
    const stops = await timed(() => Promise.all(followed.slice(0, 5).map((entry) => provider.stop({ runId: entry.run.snapshot.runId, workflowId: workflow.id }))));
    assert.ok(polls.value.every((snapshot) => snapshot.status === 'running' || snapshot.status === 'stopped'));
    assert.ok(list.value.items.length > 0);
    for (const [what, ms] of [['trigger', trigger.ms], [`${openStreams} polls`, polls.ms], ['list', list.ms], ['5 stops', stops.ms]] as const) {
      assert.ok(ms < 2_000, `${what} took ${ms} ms with ${openStreams} streams open`);
    }
    t.diagnostic(`${openStreams} streams open on one origin: trigger ${trigger.ms} ms, ${openStreams} polls ${polls.ms} ms, list ${list.ms} ms, 5 stops ${stops.ms} ms`);
    // The stopped runs' streams end as they should; the others still run.
    await Promise.all(followed.slice(0, 5).map((entry) => entry.done));
    assert.ok(followed.slice(0, 5).every((entry) => entry.last.status === 'stopped'));
    await Promise.all(followed.slice(5).map((entry) => provider.stop({ runId: entry.run.snapshot.runId, workflowId: workflow.id })));
    await provider.stop({ runId: trigger.value.snapshot.runId, workflowId: workflow.id });
    await Promise.all([...followed.map((entry) => entry.done), (async () => {
      for await (const _ of trigger.value.updates ?? []) void _;
    })()]);
  });

  it('ends a request waiting for a connection at its timeout and on Cancel while the request pool is saturated', async (t: TestContext) => {
    const { provider, http } = b3os(20_000);
    // A run id of its own: only these polls hit the fault (nothing else asks for it).
    const ref = { runId: 'run-held-by-a-fault', workflowId: 'any' };
    const path = `/v1/runs/${ref.runId}`;
    // 16 polls the emulator never answers fill the pool's 16 connections to that origin.
    emulator.injectFault({ platform: 'b3os', method: 'GET', path, kind: 'hang', times: 16 });
    const hanging = Array.from({ length: 16 }, () => provider.getRun(ref).catch((error: unknown) => error));
    await eventually(() => emulator.requests.filter((request) => request.method === 'GET' && request.path === path).length >= 16, {
      timeoutMs: 5_000,
      what: '16 hanging polls',
    });

    http.configure({ requestTimeoutMs: 300 });
    const timeout = await timed(() => provider.getRun(ref).then(() => undefined, (error: unknown) => error));
    assert.ok(timeout.value instanceof WorkflowRunsError && timeout.value.kind === 'timeout', String(timeout.value));
    assert.match((timeout.value as Error).message, /did not answer .* within 0\.3 s/);
    assert.ok(timeout.ms >= 280 && timeout.ms < 1_500, `the queued poll ended after ${timeout.ms} ms`);

    http.configure({ requestTimeoutMs: 20_000 });
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 200);
    const cancelled = await timed(() => provider.getRun(ref, cancel.signal).then(() => undefined, (error: unknown) => error));
    assert.ok(cancelled.value instanceof WorkflowRunsError && cancelled.value.kind === 'aborted', String(cancelled.value));
    assert.ok(cancelled.ms < 1_500, `the queued poll was cancelled after ${cancelled.ms} ms`);
    t.diagnostic(`pool of 16 saturated: a 0.3 s request ended after ${timeout.ms} ms, a cancelled one after ${cancelled.ms} ms`);

    // Only the 16 held polls reached the emulator: the abandoned ones were never sent.
    assert.equal(emulator.requests.filter((request) => request.path === path).length, 16);
    await http.dispose();
    await Promise.all(hanging);
  });
});
