// runPayloadTest and preparePayloadTest with a scripted provider: what is sent, how the run is
// followed (the trigger's stream, watch, getRun after an early end, retries), maxSeconds and
// cancelling stopping the run, and every problem becoming a verdict rather than a throw.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { WorkflowRunsError } from '../../src/client/errors';
import type { Connection } from '../../src/connections/schema';
import type { RunRef, RunSnapshot } from '../../src/providers/model';
import type { TriggerRequest, TriggeredRun, WorkflowProvider } from '../../src/providers/provider';
import { preparePayloadTest, runPayloadTest, type PayloadTestContext, type PreparedTest } from '../../src/testing/runTest';
import { runSnapshot } from '../helpers/runs';

const connections: Connection[] = [
  { name: 'prod', platform: 'zuora', baseUrl: 'https://example.com' },
  { name: 'app', platform: 'dify', baseUrl: 'https://example.com/v1' },
];
const context: PayloadTestContext = {
  connections,
  singleWorkflowOf: (connection) => (connection.platform === 'dify' ? 'default' : undefined),
  platformOf: () => ({ optionsSchema: z.object({ async: z.boolean().optional() }).strict() }),
};

function prepared(text: string): PreparedTest {
  const result = preparePayloadTest(text, context, { requireExpect: true });
  assert.ok(result.ok, JSON.stringify(result));
  return result.test;
}

describe('preparePayloadTest', () => {
  it('reads target, inputs without $ keys, options and $expect', () => {
    const test = prepared('{"$workflow": "prod/42", "$options": {"async": true}, "amount": 3, "$expect": {"status": "succeeded"}}');
    assert.deepEqual(test.target, { connection: 'prod', workflowId: '42' });
    assert.deepEqual(test.inputs, { amount: 3 });
    assert.deepEqual(test.options, { async: true });
    assert.deepEqual(test.expect, { status: 'succeeded' });
    assert.ok(test.location?.entries.status);
  });

  it('a file without $expect is not a test when one is required, and runs when not', () => {
    assert.deepEqual(preparePayloadTest('{"$workflow": "app"}', context, { requireExpect: true }), { ok: false, noExpect: true });
    const run = preparePayloadTest('{"$workflow": "app"}', context, { requireExpect: false });
    assert.ok(run.ok && run.test.expect === undefined && run.test.target.workflowId === 'default');
  });

  const problems: Array<[string, string, RegExp, number, number]> = [
    ['bad JSON', '{\n  "$workflow": "app",\n  "x": oops,\n  "$expect": {}\n}', /unexpected character/, 3, 8],
    ['a misspelt status', '{\n  "$workflow": "app",\n  "$expect": {"status": "sucess"}\n}', /\$expect\.status must be one of/, 3, 15],
    ['no $workflow', '{\n  "$expect": {"status": "succeeded"}\n}', /has no \$workflow/, 1, 1],
    ['an unknown connection', '{\n  "$workflow": "staging/1",\n  "$expect": {}\n}', /unknown connection "staging"/, 2, 16],
    ['an unknown option', '{\n  "$workflow": "prod/1",\n  "$options": {"fast": true},\n  "$expect": {}\n}', /\$options/, 3, 16],
  ];
  for (const [what, text, message, line, column] of problems) {
    it(`${what}: a problem with line and column`, () => {
      const result = preparePayloadTest(text, context, { requireExpect: true });
      assert.ok(!result.ok && 'problem' in result, JSON.stringify(result));
      assert.match(result.problem.message, message);
      assert.deepEqual([result.problem.line, result.problem.column], [line, column]);
    });
  }
});

/** A provider whose trigger, watch and getRun follow a script; stops and requests are recorded. */
function scriptedProvider(script: {
  trigger?: (request: TriggerRequest) => Promise<TriggeredRun>;
  watch?: (ref: RunRef, signal?: AbortSignal) => AsyncIterable<RunSnapshot>;
  getRun?: (ref: RunRef) => Promise<RunSnapshot>;
}) {
  const calls = { triggers: [] as TriggerRequest[], watches: 0, getRuns: 0, stops: [] as RunRef[] };
  const unused = () => Promise.reject(new Error('not used'));
  const provider: WorkflowProvider = {
    verify: unused,
    listWorkflows: unused,
    getWorkflow: unused,
    describeInputs: unused,
    async trigger(request) {
      calls.triggers.push(request);
      return script.trigger ? script.trigger(request) : { snapshot: runSnapshot('r1', 'running') };
    },
    watch(ref, signal) {
      calls.watches += 1;
      return script.watch ? script.watch(ref, signal) : (async function* () {})();
    },
    async getRun(ref) {
      calls.getRuns += 1;
      return script.getRun ? script.getRun(ref) : runSnapshot(ref.runId, 'running');
    },
    async stop(ref) {
      calls.stops.push(ref);
    },
  };
  return { provider, calls, dependencies: { provider: async () => provider, retryDelayMs: 1 } };
}

async function* stream(...snapshots: RunSnapshot[]): AsyncIterable<RunSnapshot> {
  for (const snapshot of snapshots) yield snapshot;
}

/** A stream that yields nothing until its signal aborts, then ends with the abort reason. */
function silentUntilAborted(signal?: AbortSignal): AsyncIterable<RunSnapshot> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => new Promise<IteratorResult<RunSnapshot>>((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true })),
    }),
  };
}

describe('runPayloadTest', () => {
  const expectOk = prepared('{"$workflow": "prod/42", "amount": 3, "$expect": {"status": "succeeded", "outputs": {"total": 42}}}');

  it('follows the trigger\'s own stream to the end and passes', async () => {
    const { calls, dependencies } = scriptedProvider({
      trigger: async () => ({ snapshot: runSnapshot('r1', 'queued'), updates: stream(runSnapshot('r1', 'running'), runSnapshot('r1', 'succeeded', { outputs: { total: 42 } })) }),
    });
    const seen: string[] = [];
    const outcome = await runPayloadTest(expectOk, dependencies, { onSnapshot: (snapshot) => seen.push(snapshot.status) });
    assert.equal(outcome.verdict, 'passed');
    assert.deepEqual(seen, ['queued', 'running', 'succeeded']);
    assert.deepEqual(calls.triggers[0]?.inputs, { amount: 3 });
    assert.equal(calls.triggers[0]?.workflowId, '42');
    assert.equal(calls.watches, 0);
  });

  it('fails with each mismatch when the run ends otherwise', async () => {
    const { dependencies } = scriptedProvider({ watch: () => stream(runSnapshot('r1', 'failed', { outputs: { total: 41 }, error: 'boom' })) });
    const outcome = await runPayloadTest(expectOk, dependencies);
    assert.equal(outcome.verdict, 'failed');
    assert.deepEqual(outcome.mismatches.map((mismatch) => mismatch.expectation), ['status', 'outputs.total']);
    assert.equal(outcome.snapshot?.status, 'failed');
  });

  it('a stream that ends early is checked with getRun and opened again; passing failures are retried', async () => {
    let watches = 0;
    const { calls, dependencies } = scriptedProvider({
      watch: () => {
        watches += 1;
        if (watches === 1) return stream(runSnapshot('r1', 'running'));
        if (watches === 2) throw new WorkflowRunsError('socket reset', { kind: 'network' });
        return stream(runSnapshot('r1', 'succeeded', { outputs: { total: 42 } }));
      },
    });
    const outcome = await runPayloadTest(expectOk, dependencies);
    assert.equal(outcome.verdict, 'passed');
    assert.equal(calls.getRuns, 1);
    assert.equal(calls.watches, 3);
  });

  it('a configuration error while following is not retried', async () => {
    const { calls, dependencies } = scriptedProvider({
      watch: () => {
        throw new WorkflowRunsError('The environment variable KEY is not set.', { kind: 'config' });
      },
    });
    const outcome = await runPayloadTest(expectOk, dependencies);
    assert.equal(outcome.verdict, 'error');
    assert.match(outcome.error ?? '', /KEY is not set/);
    assert.equal(calls.watches, 1);
  });

  it('a failed trigger is an error verdict, not a throw', async () => {
    const { dependencies } = scriptedProvider({ trigger: () => Promise.reject(new WorkflowRunsError('401 Unauthorized', { kind: 'auth' })) });
    const outcome = await runPayloadTest(expectOk, dependencies);
    assert.equal(outcome.verdict, 'error');
    assert.equal(outcome.error, '401 Unauthorized');
    assert.equal(outcome.snapshot, undefined);
  });

  it('maxSeconds: a run still going when time is up is stopped on the platform and fails', async () => {
    const quick = prepared('{"$workflow": "prod/42", "$expect": {"status": "succeeded", "maxSeconds": 0.05}}');
    const { calls, dependencies } = scriptedProvider({ watch: (_ref, signal) => silentUntilAborted(signal) });
    const outcome = await runPayloadTest(quick, dependencies);
    assert.equal(outcome.verdict, 'failed');
    assert.equal(outcome.mismatches[0]?.expectation, 'maxSeconds');
    assert.match(outcome.mismatches[0]?.message ?? '', /^maxSeconds: expected at most 0\.05 s, still running after [\d.]+ s; it was stopped$/);
    assert.deepEqual(calls.stops.map((ref) => ref.runId), ['r1']);
  });

  it('cancelling stops the run on the platform', async () => {
    const { calls, dependencies } = scriptedProvider({ watch: (_ref, signal) => silentUntilAborted(signal) });
    const controller = new AbortController();
    const outcome = runPayloadTest(expectOk, dependencies, { signal: controller.signal, onSnapshot: () => setTimeout(() => controller.abort(), 10) });
    const result = await outcome;
    assert.equal(result.verdict, 'cancelled');
    assert.match(result.error ?? '', /cancelled while run r1 was running; it was stopped/);
    assert.equal(calls.stops.length, 1);
  });

  it('an untracked run is an error: it cannot be followed', async () => {
    const { dependencies } = scriptedProvider({ trigger: async () => ({ snapshot: runSnapshot('r1', 'running', { untracked: 'the platform gave no run id' }) }) });
    const outcome = await runPayloadTest(expectOk, dependencies);
    assert.equal(outcome.verdict, 'error');
    assert.match(outcome.error ?? '', /cannot be followed: the platform gave no run id/);
  });
});
