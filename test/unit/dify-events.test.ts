// Dify stream event sequences → snapshots (DifyRunTracker), without any network.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { SseEvent } from '../../src/client/types';
import { runTextChars, utf8Length } from '../../src/providers/bound';
import { DifyRunTracker, parseDifyEvent } from '../../src/providers/dify/events';
import { boundRecord, defaultHistoryLimits } from '../../src/runs/storedRun';
import { sampleRecord } from '../helpers/runs';
import type { RunSnapshot } from '../../src/providers/model';

const runId = 'fb47b2e6-5e43-4f90-be01-d5c5a088d156';
const taskId = 'c3800678-a077-43df-a102-53f23ed20b88';

function event(name: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}): SseEvent {
  return { event: 'message', data: JSON.stringify({ event: name, task_id: taskId, workflow_run_id: runId, data, ...extra }) };
}
const started = event('workflow_started', { id: runId, workflow_id: 'wf', inputs: { query: 'hi' }, created_at: 1705407629 });
const nodeStarted = (id: string, title: string) => event('node_started', { id, node_id: `n-${id}`, node_type: 'llm', title, index: 1, created_at: 1705407629 });
const nodeFinished = (id: string, status: string, extra: Record<string, unknown> = {}) =>
  event('node_finished', { id, node_id: `n-${id}`, node_type: 'llm', title: `T${id}`, status, elapsed_time: 0.5, created_at: 1705407629, finished_at: 1705407630, ...extra });
const finished = (status: string, extra: Record<string, unknown> = {}) =>
  event('workflow_finished', {
    id: runId,
    workflow_id: 'wf',
    status,
    outputs: { result: 'Bonjour' },
    error: null,
    elapsed_time: 1.23,
    total_tokens: 150,
    total_steps: 3,
    created_at: 1705407629,
    finished_at: 1705407631,
    ...extra,
  });

function feed(events: SseEvent[], tracker = new DifyRunTracker({ workflowId: 'default', handle: { user: 'u1' } })): { tracker: DifyRunTracker; emitted: RunSnapshot[] } {
  const emitted: RunSnapshot[] = [];
  for (const item of events) {
    const snapshot = tracker.apply(item);
    if (snapshot) emitted.push(snapshot);
  }
  return { tracker, emitted };
}

describe('DifyRunTracker', () => {
  it('learns the run and task ids from workflow_started and keeps the user in the handle', () => {
    const { tracker, emitted } = feed([started]);
    assert.equal(tracker.runId, runId);
    assert.equal(tracker.taskId, taskId);
    assert.equal(tracker.phase, 'running');
    assert.equal(emitted.length, 1);
    assert.equal(emitted[0]?.status, 'running');
    assert.equal(emitted[0]?.startedAt, 1705407629000);
    assert.deepEqual(emitted[0]?.handle, { user: 'u1', taskId });
    assert.deepEqual(emitted[0]?.inputs, { query: 'hi' });
  });

  it('counts nodes from node events: running → processing, then their final state', () => {
    const { emitted } = feed([started, nodeStarted('a', 'Start'), nodeFinished('a', 'succeeded'), nodeStarted('b', 'LLM'), nodeStarted('c', 'Code')]);
    const last = emitted.at(-1)!;
    assert.deepEqual(last.tasks, { queued: 0, pending: 0, processing: 2, success: 1, error: 0, stopped: 0, skipped: 0, total: 3 });
    assert.deepEqual(
      last.timeline?.map((entry) => [entry.id, entry.name, entry.state]),
      [
        ['a', 'Ta', 'success'],
        ['b', 'LLM', 'processing'],
        ['c', 'Code', 'processing'],
      ],
    );
    assert.equal(last.timeline?.[0]?.durationMs, 500);
  });

  it('maps failed and exception nodes to error, stopped to stopped', () => {
    const { emitted } = feed([
      started,
      nodeStarted('a', 'A'),
      nodeFinished('a', 'failed', { error: 'boom' }),
      nodeStarted('b', 'B'),
      nodeFinished('b', 'exception'),
      nodeStarted('c', 'C'),
      nodeFinished('c', 'stopped'),
    ]);
    const last = emitted.at(-1)!;
    assert.equal(last.tasks.error, 2);
    assert.equal(last.tasks.stopped, 1);
    assert.equal(last.timeline?.find((entry) => entry.id === 'a')?.error, 'boom');
    assert.equal(last.timeline?.find((entry) => entry.id === 'b')?.platformState, 'exception');
  });

  it('accumulates text_chunk into liveText', () => {
    const { emitted } = feed([started, event('text_chunk', { text: 'Bon' }), event('text_chunk', { text: 'jour' })]);
    assert.equal(emitted.at(-1)?.liveText, 'Bonjour');
  });

  it('keeps the start of a long live text and says how big it was, as history keeps it', () => {
    const chunk = 'é'.repeat(16 * 1024);
    const chunks = 40;
    const { emitted } = feed([started, ...Array.from({ length: chunks }, () => event('text_chunk', { text: chunk }))]);
    const text = emitted.at(-1)!.liveText!;
    assert.ok(text.length <= runTextChars, `${text.length} characters kept`);
    assert.ok(text.startsWith(chunk.repeat(3)), 'the start is kept');
    assert.ok(text.endsWith(`\n… [truncated: ${chunks * utf8Length(chunk)} bytes in all]`), text.slice(-60));
    // History keeps the same number of characters: the stored copy is this text, not a cut of it.
    const stored = boundRecord(sampleRecord({}, { liveText: text }), defaultHistoryLimits);
    assert.equal(stored.snapshot.liveText, text);
  });

  it('ignores pings, unknown events, reasoning chunks and non-JSON data', () => {
    const { emitted, tracker } = feed([
      started,
      { event: 'ping', data: '' },
      event('reasoning_chunk', { reasoning: 'thinking', is_final: false }),
      event('some_future_event', { anything: true }),
      event('agent_log', { id: 'log-1', label: 'thinking' }),
      { event: 'message', data: 'not json at all' },
      { event: 'message', data: '42' },
    ]);
    assert.equal(emitted.length, 1);
    assert.equal(tracker.phase, 'running');
  });

  it('ignores events of another run', () => {
    const { emitted } = feed([started, { event: 'message', data: JSON.stringify({ event: 'text_chunk', workflow_run_id: 'other', data: { text: 'x' } }) }]);
    assert.equal(emitted.length, 1);
  });

  it('ends with the final state of workflow_finished: outputs, duration, tokens, steps, cost', () => {
    const { tracker, emitted } = feed([
      started,
      nodeStarted('a', 'A'),
      nodeFinished('a', 'succeeded', { execution_metadata: { total_tokens: 100, total_price: '0.0012', currency: 'USD' } }),
      nodeStarted('b', 'B'),
      nodeFinished('b', 'succeeded', { execution_metadata: { total_tokens: 50, total_price: 0.0009, currency: 'USD' } }),
      finished('succeeded'),
    ]);
    const last = emitted.at(-1)!;
    assert.equal(tracker.phase, 'ended');
    assert.equal(last.status, 'succeeded');
    assert.equal(last.platformStatus, 'succeeded');
    assert.deepEqual(last.outputs, { result: 'Bonjour' });
    assert.equal(last.durationMs, 1230);
    assert.equal(last.finishedAt, 1705407631000);
    // total_steps (3) is more than the nodes seen (2): total says so.
    assert.equal(last.tasks.total, 3);
    assert.equal(last.tasks.success, 2);
    assert.deepEqual(last.metrics, { tokens: 150, steps: 3, cost: '0.0021 USD' });
  });

  it('ends the run on a status in capitals, and shows the platform’s own word', () => {
    const { tracker, emitted } = feed([started, nodeStarted('a', 'A'), nodeFinished('a', 'FAILED'), finished('SUCCEEDED')]);
    const last = emitted.at(-1)!;
    assert.equal(tracker.phase, 'ended', 'the stream is not followed any further');
    assert.equal(last.status, 'succeeded');
    assert.equal(last.platformStatus, 'SUCCEEDED');
    assert.equal(last.timeline?.[0]?.state, 'error');
    assert.equal(last.timeline?.[0]?.platformState, 'FAILED');
  });

  it('prefers the run-level price when workflow_finished carries one', () => {
    const { emitted } = feed([started, finished('succeeded', { execution_metadata: { total_price: '0.5', currency: 'RMB' } })]);
    assert.equal(emitted.at(-1)?.metrics?.cost, '0.5 RMB');
  });

  for (const [platform, expected] of [
    ['succeeded', 'succeeded'],
    ['failed', 'failed'],
    ['stopped', 'stopped'],
    ['partial-succeeded', 'partial'],
  ] as const) {
    it(`maps a ${platform} run to ${expected}`, () => {
      const { emitted } = feed([started, finished(platform, platform === 'failed' ? { error: 'Node LLM failed' } : {})]);
      assert.equal(emitted.at(-1)?.status, expected);
      assert.equal(emitted.at(-1)?.platformStatus, platform);
      if (platform === 'failed') assert.equal(emitted.at(-1)?.error, 'Node LLM failed');
    });
  }

  it('counts a finished run without node events from total_steps (succeeded: all successes)', () => {
    const { emitted } = feed([started, finished('succeeded')]);
    assert.deepEqual(emitted.at(-1)?.tasks, { queued: 0, pending: 0, processing: 0, success: 3, error: 0, stopped: 0, skipped: 0, total: 3 });
  });

  it('shows nodes still running when the run was stopped as stopped', () => {
    const { emitted } = feed([started, nodeStarted('a', 'A'), finished('stopped')]);
    const last = emitted.at(-1)!;
    assert.equal(last.tasks.processing, 0);
    assert.equal(last.tasks.stopped, 1);
  });

  it('treats workflow_paused as waiting and stops reading', () => {
    const { emitted, tracker } = feed([started, event('human_input_required', { form_token: 't' }), event('workflow_paused', { status: 'paused', elapsed_time: 0.5 })]);
    assert.equal(tracker.phase, 'paused');
    assert.equal(emitted.at(-1)?.status, 'waiting');
    assert.equal(emitted.at(-1)?.platformStatus, 'paused');
  });

  it('turns an error event into a failed run with its message', () => {
    const { emitted, tracker } = feed([started, nodeStarted('a', 'A'), { event: 'message', data: JSON.stringify({ event: 'error', status: 500, code: 'internal_server_error', message: 'Model timed out' }) }]);
    const last = emitted.at(-1)!;
    assert.equal(tracker.phase, 'ended');
    assert.equal(last.status, 'failed');
    assert.equal(last.error, 'Model timed out');
    assert.equal(last.tasks.stopped, 1);
    assert.equal(tracker.startError, undefined);
  });

  it('reports an error event before workflow_started as a start error', () => {
    const { tracker } = feed([{ event: 'message', data: JSON.stringify({ event: 'error', status: 400, code: 'invalid_param', message: 'query is required' }) }]);
    assert.equal(tracker.runId, undefined);
    assert.deepEqual(tracker.startError, { message: 'query is required', code: 'invalid_param', status: 400 });
  });

  it('does not count a replayed node twice (re-attached stream with a state snapshot)', () => {
    const paid = nodeFinished('a', 'succeeded', { execution_metadata: { total_price: '0.01', currency: 'USD' } });
    const { emitted } = feed([started, nodeStarted('a', 'A'), paid, started, paid]);
    const last = emitted.at(-1)!;
    assert.equal(last.tasks.total, 1);
    assert.equal(last.metrics?.cost, '0.01 USD');
  });

  it('merges a fetched run detail with what only the stream knew', () => {
    const { tracker } = feed([started, nodeStarted('a', 'A'), nodeFinished('a', 'succeeded'), event('text_chunk', { text: 'Hi' })]);
    const merged = tracker.reconcile({
      runId,
      workflowId: 'default',
      status: 'succeeded',
      platformStatus: 'succeeded',
      tasks: { queued: 0, pending: 0, processing: 0, success: 2, error: 0, stopped: 0, skipped: 0, total: 2 },
      outputs: { result: 'Hi' },
      metrics: { tokens: 10 },
    });
    assert.equal(merged.status, 'succeeded');
    assert.equal(merged.liveText, 'Hi');
    assert.equal(merged.timeline?.length, 1);
    assert.equal(merged.tasks.total, 2);
    assert.equal(merged.tasks.success, 1);
    assert.equal(merged.handle?.taskId, taskId);
    assert.equal(tracker.phase, 'ended');
  });
});

describe('DifyRunTracker.applyAll', () => {
  const tracker = () => new DifyRunTracker({ workflowId: 'default', handle: { user: 'u1' } });

  it('gives one snapshot for a batch: the state after its last event, as one by one', () => {
    const events = [started, nodeStarted('a', 'A'), event('text_chunk', { text: 'Hi' }), nodeFinished('a', 'succeeded'), nodeStarted('b', 'B'), { event: 'ping', data: '' }];
    const { emitted } = feed(events);
    const batched = tracker();
    const snapshot = batched.applyAll(events);
    assert.deepEqual(snapshot, emitted.at(-1));
    assert.deepEqual(snapshot?.tasks, { queued: 0, pending: 0, processing: 1, success: 1, error: 0, stopped: 0, skipped: 0, total: 2 });
    assert.equal(snapshot?.liveText, 'Hi');
    assert.deepEqual(snapshot?.handle, { user: 'u1', taskId });
  });

  it('gives no snapshot for a batch that changes nothing users see', () => {
    const batched = tracker();
    batched.applyAll([started]);
    assert.equal(batched.applyAll([{ event: 'ping', data: '' }, event('agent_log', { id: 'l' }), event('iteration_next', { id: 'i', node_id: 'it', index: 1 })]), undefined);
  });

  it('stops at the event that ends the run: nothing after it in the batch is applied', () => {
    const batched = tracker();
    const snapshot = batched.applyAll([started, nodeStarted('a', 'A'), finished('succeeded'), nodeStarted('late', 'Late'), event('text_chunk', { text: 'late' })]);
    assert.equal(batched.phase, 'ended');
    assert.equal(snapshot?.status, 'succeeded');
    assert.deepEqual(snapshot?.timeline?.map((entry) => entry.id), ['a']);
    assert.equal(snapshot?.liveText, undefined);
    assert.equal(batched.awaitsEvents, false);
  });

  it('stops at the event that pauses the run', () => {
    const batched = tracker();
    const snapshot = batched.applyAll([started, event('workflow_paused', { status: 'paused' }), nodeStarted('after', 'After')]);
    assert.equal(batched.phase, 'paused');
    assert.equal(snapshot?.status, 'waiting');
    assert.equal(snapshot?.timeline, undefined);
  });

  it('never changes a snapshot it gave out (but for the live timeline)', () => {
    const batched = tracker();
    const first = batched.applyAll([started, nodeStarted('a', 'A'), event('text_chunk', { text: 'Bon' })])!;
    const { timeline: _live, ...then } = structuredClone(first);
    batched.applyAll([nodeFinished('a', 'succeeded', { execution_metadata: { total_price: '0.5', currency: 'USD' } }), event('text_chunk', { text: 'jour' })]);
    batched.applyAll([finished('succeeded')]);
    const { timeline: _same, ...now } = first;
    assert.deepEqual(now, then);
  });
});

describe('parseDifyEvent', () => {
  it('uses the SSE event name when the JSON has none', () => {
    assert.equal(parseDifyEvent({ event: 'workflow_finished', data: '{"data":{}}' })?.event, 'workflow_finished');
  });
  it('returns undefined for pings', () => {
    assert.equal(parseDifyEvent({ event: 'ping', data: '' }), undefined);
  });
});
