// The pure parts behind the Testing view: where failures are placed and which get a diff, the
// output line, grouping by folder, the parallelism setting, `$expect` in the payload pipeline,
// a test started through a caller's trigger, and following a run through the run store.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Connection } from '../../src/connections/schema';
import { triggerThroughRunService, storeUpdates } from '../../src/host/testingTrigger';
import { checkPayload, type PayloadPipelineContext } from '../../src/payload/pipeline';
import type { RunSnapshot } from '../../src/providers/model';
import type { WorkflowProvider } from '../../src/providers/provider';
import { RunStore } from '../../src/runs/store';
import type { RunService } from '../../src/services';
import { checkExpectations } from '../../src/testing/check';
import { locateExpect } from '../../src/testing/locate';
import { isPayloadFileName, mismatchReports, outcomeLine, parallelism, splitRelativePath } from '../../src/testing/results';
import { preparePayloadTest, runPayloadTest, type PreparedTest } from '../../src/testing/runTest';
import { MemoryMemento } from '../helpers/memento';
import { runSnapshot } from '../helpers/runs';

const connections = [{ name: 'prod', platform: 'zuora', baseUrl: 'https://example.com', clientId: 'c' }] as Connection[];
const context: PayloadPipelineContext = { connections, singleWorkflowOf: () => undefined };

describe('failure reports', () => {
  const text = '{\n  "$workflow": "prod/1",\n  "$expect": {\n    "status": "succeeded",\n    "outputs": { "total": 42 }\n  }\n}\n';
  const location = locateExpect(text)!;

  it('each mismatch on its own line in $expect, with a diff of both values', () => {
    const mismatches = checkExpectations({ status: 'succeeded', outputs: { total: 42, extra: 'x' } }, { status: 'failed', outputs: { total: 41 } });
    const reports = mismatchReports(mismatches, location);
    assert.equal(reports.length, 3);
    assert.equal(reports[0].range?.start.line, 3, 'status');
    assert.match(reports[0].text, /status: expected succeeded, got failed/);
    assert.deepEqual(reports[0].diff, { expected: '"succeeded"', actual: '"failed"' });
    assert.equal(reports[1].range?.start.line, 4, 'outputs.total is on the outputs line');
    assert.deepEqual(reports[1].diff, { expected: '42', actual: '41' });
    // An output not written in the file falls back to the nearest written parent (outputs).
    assert.equal(reports[2].range?.start.line, 4);
    assert.deepEqual(reports[2].diff, { expected: '"x"', actual: '(nothing)' });
  });

  it('no location: no range; no values on either side: no diff', () => {
    const [report] = mismatchReports([{ expectation: 'maxSeconds', expected: undefined, actual: undefined, message: 'maxSeconds: …' }], undefined);
    assert.equal(report.range, undefined);
    assert.equal(report.diff, undefined);
  });

  it('the output line names the run, its connection and the verdict', () => {
    const snapshot = runSnapshot('r-9', 'succeeded');
    assert.equal(outcomeLine('a/b.payload.json', 'prod', { verdict: 'passed', mismatches: [], snapshot, elapsedMs: 4210 }), 'a/b.payload.json: run r-9 on prod passed in 4.2 s');
    assert.match(outcomeLine('b.payload.json', 'prod', { verdict: 'failed', mismatches: [{ expectation: 'status', expected: 1, actual: 2, message: '' }], snapshot, elapsedMs: 10 }), /run r-9 on prod failed in 0\.0 s \(1 expectation did not hold\)/);
    assert.equal(outcomeLine('b.payload.json', 'prod', { verdict: 'error', mismatches: [], error: 'HTTP 401', elapsedMs: 5 }), 'b.payload.json: no run was started could not be checked: HTTP 401');
  });

  it('grouping, file names and the parallelism setting', () => {
    assert.deepEqual(splitRelativePath('tests/orders/big.payload.json'), { folder: 'tests/orders', name: 'big.payload.json' });
    assert.deepEqual(splitRelativePath('top.payload.jsonc'), { folder: '', name: 'top.payload.jsonc' });
    assert.deepEqual(splitRelativePath('a\\b.payload.json'), { folder: 'a', name: 'b.payload.json' });
    assert.ok(isPayloadFileName('/x/y.payload.JSONC') && !isPayloadFileName('/x/payload.json') && !isPayloadFileName('/x/y.payload.json.bak'));
    assert.deepEqual([parallelism(undefined), parallelism(8), parallelism(0), parallelism(2.5), parallelism(1000)], [4, 8, 4, 4, 32]);
  });
});

describe('$expect in the payload pipeline', () => {
  it('is a known $ key: removed from the inputs, no warning', () => {
    const check = checkPayload('{ "$workflow": "prod/1", "a": 1, "$expect": { "status": "succeeded" } }', context);
    assert.ok(check.ok);
    assert.deepEqual(check.parsed.inputs, { a: 1 });
    assert.deepEqual(check.warnings, []);
  });

  it('a malformed $expect stops the pipeline, with the place of the problem', () => {
    const text = '{\n  "$workflow": "prod/1",\n  "$expect": { "tasks": { "sucess": 1 } }\n}';
    const check = checkPayload(text, context);
    assert.ok(!check.ok);
    assert.match(check.error.message, /unknown task state "sucess"/);
    assert.equal(text.slice(check.error.offset, check.error.offset + check.error.length), '"sucess"');
    assert.deepEqual([check.error.line, check.error.column], [3, 27]);
  });

  it('a file without $workflow runs on the target the editor remembers for it', () => {
    const result = preparePayloadTest('{ "$expect": {} }', context, { requireExpect: true, remembered: { connection: 'prod', workflowId: '7' } });
    assert.ok(result.ok);
    assert.deepEqual(result.test.target, { connection: 'prod', workflowId: '7' });
  });
});

describe('a test started through the run service', () => {
  const test: PreparedTest = { target: { connection: 'prod', workflowId: '1' }, inputs: { a: 1 }, options: {}, expect: { status: 'succeeded' } };

  it('runPayloadTest uses the caller trigger, then follows the updates it returns', async () => {
    let providerTriggers = 0;
    const provider = { trigger: async () => (providerTriggers++, { snapshot: runSnapshot('r1', 'queued') }) } as unknown as WorkflowProvider;
    async function* updates(): AsyncIterable<RunSnapshot> {
      yield runSnapshot('r1', 'running');
      yield runSnapshot('r1', 'succeeded');
    }
    const outcome = await runPayloadTest(test, { provider: async () => provider, trigger: async () => ({ snapshot: runSnapshot('r1', 'queued'), updates: updates() }) });
    assert.equal(outcome.verdict, 'passed');
    assert.equal(providerTriggers, 0, 'the provider was not asked to trigger');
  });

  it('the store stream yields each change of the run and ends when it ends', async () => {
    const store = new RunStore(new MemoryMemento(), () => 50, 60_000);
    const runs: Pick<RunService, 'trigger'> = {
      trigger: async (target, request, hooks) => {
        assert.deepEqual(request, { inputs: { a: 1 }, options: {}, payloadUri: 'file:///t.payload.json' });
        const record = store.upsert(target.connection, 'zuora', runSnapshot('r2', 'queued', { workflowId: target.workflowId }), { request });
        hooks?.recorded?.(record);
        // The watcher's updates arrive later.
        setTimeout(() => store.upsert('prod', 'zuora', runSnapshot('r2', 'running', { workflowId: '1' })), 5);
        setTimeout(() => store.upsert('prod', 'zuora', runSnapshot('r2', 'succeeded', { workflowId: '1' })), 10);
        return record;
      },
    };
    const recorded: string[] = [];
    const done = new AbortController();
    const triggered = await triggerThroughRunService(runs, store, test, done.signal, { payloadUri: 'file:///t.payload.json', recorded: (record) => recorded.push(record.snapshot.runId) });
    assert.deepEqual(recorded, ['r2']);
    assert.equal(triggered.snapshot.status, 'queued');
    const seen: string[] = [];
    for await (const snapshot of triggered.updates!) seen.push(snapshot.status);
    assert.equal(seen.at(-1), 'succeeded');
    assert.ok(seen.includes('running') || seen.length === 1);
    done.abort();
    store.dispose();
  });

  it('aborting ends the stream and cancels a run still being sent', async () => {
    const store = new RunStore(new MemoryMemento(), () => 50, 60_000);
    // A timer that keeps the event loop alive (AbortSignal.timeout's does not).
    const ending = new AbortController();
    const stream = storeUpdates(store, 'prod', 'r3', ending.signal);
    setTimeout(() => ending.abort(), 20);
    await assert.rejects(async () => {
      for await (const _ of stream) void _;
    }, /abort/i);

    let cancelled = false;
    const sending = new AbortController();
    const runs: Pick<RunService, 'trigger'> = {
      trigger: async (_target, _request, hooks) =>
        hooks!.whileSending!({ workflowLabel: '1', connection: 'prod', workflowId: '1' }, () => (cancelled = true), async () => {
          sending.abort();
          return undefined as never;
        }),
    };
    await assert.rejects(triggerThroughRunService(runs, store, test, sending.signal), /not started/);
    assert.ok(cancelled, 'the abort reached the run service cancel');
    store.dispose();
  });
});
