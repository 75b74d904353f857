// B3OS bodies → run model; $options checks; error bodies.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isDuplicateRunId, newRunId } from '../../src/providers/b3os/adapter';
import { B3osOptionsSchema, b3osDescriptor } from '../../src/providers/b3os/descriptor';
import { isB3osRefusal, parseB3osError } from '../../src/providers/b3os/errors';
import { b3osNodeState, b3osRunStatus, executionStateToTimeline, runToSnapshot, workflowInputs, workflowToSummary } from '../../src/providers/b3os/mapping';
import { B3osRunSchema, B3osWorkflowSchema } from '../../src/providers/b3os/schemas';
import { WorkflowRunsError } from '../../src/client/errors';

describe('B3OS status mapping', () => {
  it('maps run statuses', () => {
    assert.deepEqual(
      ['running', 'waiting', 'success', 'failure', 'cancelled', 'brand-new'].map(b3osRunStatus),
      ['running', 'waiting', 'succeeded', 'failed', 'stopped', 'running'],
    );
  });
  it('maps node statuses to task states as the contract says', () => {
    assert.deepEqual(
      ['pending', 'waiting', 'scheduled', 'running', 'success', 'failure', 'skipped', 'cancelled', undefined].map(b3osNodeState),
      ['pending', 'pending', 'queued', 'processing', 'success', 'error', 'skipped', 'stopped', 'pending'],
    );
  });
  it('reads run and node statuses whatever their case and surrounding spaces', () => {
    assert.deepEqual(
      ['SUCCESS', ' Failure ', 'Cancelled', 'WAITING\n', 'Running'].map(b3osRunStatus),
      ['succeeded', 'failed', 'stopped', 'waiting', 'running'],
    );
    assert.deepEqual(
      ['Scheduled', 'RUNNING', ' Success', 'FAILURE ', 'Skipped', 'CANCELLED'].map(b3osNodeState),
      ['queued', 'processing', 'success', 'error', 'skipped', 'stopped'],
    );
  });
  it('ends a run whose words come in capitals, keeping B3OS’s words for display', () => {
    const snapshot = runToSnapshot(
      B3osRunSchema.parse({
        id: 'run_caps',
        status: 'FAILURE',
        executionState: {
          root: { type: 'manual', status: 'Success', result: { amount: 1 } },
          send: { type: 'http', status: 'FAILURE', error: 'boom' },
        },
      }),
      'wf_1',
    );
    assert.equal(snapshot.status, 'failed');
    assert.equal(snapshot.platformStatus, 'FAILURE');
    assert.equal(snapshot.error, 'http: boom');
    assert.deepEqual(snapshot.outputs, { root: { amount: 1 } }, 'a succeeded node’s result is an output');
    assert.deepEqual(
      snapshot.timeline?.map((entry) => [entry.state, entry.platformState]),
      [
        ['success', 'Success'],
        ['error', 'FAILURE'],
      ],
    );
  });
});

describe('B3OS executionState', () => {
  const run = B3osRunSchema.parse({
    id: 'run_1',
    workflowId: 'wf_1',
    workflowVersion: 3,
    status: 'failure',
    triggerSource: 'api',
    startedAt: '2025-01-01T10:00:00Z',
    finishedAt: '2025-01-01T10:00:05Z',
    isSimulation: true,
    isDustTest: false,
    totalCu: 12.5,
    executionState: {
      root: { type: 'manual', status: 'success', result: { amount: 1 }, startedAt: '2025-01-01T10:00:00Z', finishedAt: '2025-01-01T10:00:01Z' },
      send: { type: 'send-erc20-token', status: 'failure', result: { error: 'insufficient funds' }, startedAt: '2025-01-01T10:00:01Z', finishedAt: '2025-01-01T10:00:04Z' },
      notify: { type: 'slack', status: 'skipped' },
      later: { type: 'delay', status: 'scheduled' },
      wait: { type: 'wait', status: 'waiting' },
      more: { type: 'http', status: 'pending' },
      was: { type: 'http', status: 'cancelled' },
      now: { type: 'http', status: 'running', startedAt: '2025-01-01T10:00:02Z' },
      odd: 'not an object',
    },
  });

  it('counts every node state', () => {
    const snapshot = runToSnapshot(run, 'wf_fallback');
    assert.deepEqual(snapshot.tasks, { queued: 1, pending: 2, processing: 1, success: 1, error: 1, stopped: 1, skipped: 1, total: 8 });
  });

  it('maps the run: status, times, compute units, error, outputs, handle', () => {
    const snapshot = runToSnapshot(run, 'wf_fallback');
    assert.equal(snapshot.runId, 'run_1');
    assert.equal(snapshot.workflowId, 'wf_1');
    assert.equal(snapshot.status, 'failed');
    assert.equal(snapshot.platformStatus, 'failure');
    assert.equal(snapshot.durationMs, 5000);
    assert.deepEqual(snapshot.metrics, { computeUnits: 12.5 });
    assert.equal(snapshot.error, 'send-erc20-token: insufficient funds');
    assert.deepEqual(snapshot.outputs, { root: { amount: 1 } });
    assert.deepEqual(snapshot.handle, { simulate: 'true', version: '3' });
  });

  it('orders the timeline by start time, unstarted nodes last', () => {
    const timeline = executionStateToTimeline(run.executionState);
    assert.deepEqual(timeline.slice(0, 3).map((entry) => entry.id), ['root', 'send', 'now']);
    assert.equal(timeline[1]?.durationMs, 3000);
    assert.equal(timeline[1]?.error, 'insufficient funds');
  });

  it('tolerates a run with no executionState and zero times', () => {
    const snapshot = runToSnapshot(B3osRunSchema.parse({ id: 'run_2', status: 'running', startedAt: '0001-01-01T00:00:00Z', executionState: null }), 'wf_x');
    assert.equal(snapshot.workflowId, 'wf_x');
    assert.equal(snapshot.startedAt, undefined);
    assert.equal(snapshot.tasks.total, 0);
    assert.equal(snapshot.timeline, undefined);
  });
});

describe('B3OS workflows', () => {
  it('summarises a workflow; archived ones are not runnable', () => {
    const summary = workflowToSummary(B3osWorkflowSchema.parse({ id: 'wf_1', name: 'Pay', status: 'archived', version: 4, updatedAt: '2025-01-01T00:00:00Z' }));
    assert.deepEqual(summary, { id: 'wf_1', name: 'Pay', runnable: false, status: 'archived', version: '4', updatedAt: Date.parse('2025-01-01T00:00:00Z') });
  });
  it('knows an archived workflow whatever the case of its status', () => {
    const summary = workflowToSummary(B3osWorkflowSchema.parse({ id: 'wf_1', status: 'Archived' }));
    assert.equal(summary.runnable, false);
    assert.equal(summary.status, 'Archived');
  });
  it('reads declared inputs from the definition, and none as []', () => {
    const workflow = B3osWorkflowSchema.parse({
      id: 'wf_1',
      definition: { nodes: {}, inputSchema: [{ key: 'amount', type: 'number', required: true, description: 'USD' }, { key: 'memo' }, { nokey: true }] },
    });
    assert.deepEqual(workflowInputs(workflow), [
      { name: 'amount', type: 'number', required: true, description: 'USD' },
      { name: 'memo', type: 'string', required: false },
    ]);
    assert.deepEqual(workflowInputs(B3osWorkflowSchema.parse({ id: 'wf_2' })), []);
  });
});

describe('B3OS $options', () => {
  it('accepts simulate, dustTest and version alone', () => {
    assert.equal(B3osOptionsSchema.safeParse({ simulate: true, version: 2 }).success, true);
    assert.equal(B3osOptionsSchema.safeParse({ dustTest: true }).success, true);
    assert.equal(B3osOptionsSchema.safeParse({ simulate: true, dustTest: false }).success, true);
  });
  it('rejects simulate and dustTest together with a clear message', () => {
    const result = B3osOptionsSchema.safeParse({ simulate: true, dustTest: true });
    assert.equal(result.success, false);
    assert.match(result.error!.issues[0]!.message, /simulate and dustTest cannot both be true/);
    assert.equal(b3osDescriptor.optionsSchema.safeParse({ simulate: true, dustTest: true }).success, false);
  });
  it('rejects a fractional version and unknown keys', () => {
    assert.equal(B3osOptionsSchema.safeParse({ version: 1.5 }).success, false);
    assert.equal(B3osOptionsSchema.safeParse({ simulation: true }).success, false);
  });
});

describe('B3OS errors and run ids', () => {
  it('reads the error body, requestId included', () => {
    assert.deepEqual(parseB3osError({ code: 400079, details: ['runId: already used'], message: 'duplicate run ID', requestId: 'req-9' }), {
      code: '400079',
      requestId: 'req-9',
      message: 'duplicate run ID — runId: already used',
    });
  });
  it('makes run ids with the run_ prefix, different each time', () => {
    const a = newRunId();
    assert.match(a, /^run_[0-9a-f]{20}$/);
    assert.notEqual(a, newRunId());
  });
  it('recognises the duplicate run id answer', () => {
    assert.equal(isDuplicateRunId(new WorkflowRunsError('x', { kind: 'http', status: 400, code: '400079' })), true);
    assert.equal(isDuplicateRunId(new WorkflowRunsError('Run ID already exists', { kind: 'http', status: 409 })), true);
    assert.equal(isDuplicateRunId(new WorkflowRunsError('bad payload', { kind: 'http', status: 400, code: '400001' })), false);
    assert.equal(isDuplicateRunId(new WorkflowRunsError('x', { kind: 'http', status: 200, code: '400079' })), true, 'inside a 200 envelope');
  });
  it('knows a 2xx envelope that is an error: any code but 0 or a 2xx-style one', () => {
    for (const code of [0, 200, 201, '0', '200', 200001, undefined, null]) assert.equal(isB3osRefusal({ code, data: { runId: 'run_1' }, message: 'success' }), false, String(code));
    for (const code of [400012, 404001, 500000, 400, 1, -1, '400079', 'E_ARCHIVED']) assert.equal(isB3osRefusal({ code, data: null, message: 'no' }), true, String(code));
    assert.equal(isB3osRefusal({ data: { runId: 'run_1' } }), false, 'no code: the HTTP status decides');
    assert.equal(isB3osRefusal([{ code: 400 }]), false);
    assert.equal(isB3osRefusal('text'), false);
  });
});
