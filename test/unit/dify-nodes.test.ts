// Dify node executions: what each task/node keeps (inputs, outputs, process data, cost), how
// iteration, loop and retry events show, and that a run of 25,000 executions is cheap to follow.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { SseEvent } from '../../src/client/types';
import { boundSnapshot, isTruncatedValue, taskDataLimits, utf8Length } from '../../src/providers/bound';
import { DifyRunTracker } from '../../src/providers/dify/events';
import { formatCost } from '../../src/providers/dify/mapping';
import type { RunSnapshot } from '../../src/providers/model';

const runId = 'run-1';
function event(name: string, data: Record<string, unknown>): SseEvent {
  return { event: 'message', data: JSON.stringify({ event: name, task_id: 'task-1', workflow_run_id: runId, data }) };
}
const started = event('workflow_started', { id: runId, workflow_id: 'wf', inputs: { query: 'hi' }, created_at: 1_700_000_000 });

function feed(events: SseEvent[]): { tracker: DifyRunTracker; last: RunSnapshot | undefined } {
  const tracker = new DifyRunTracker({ workflowId: 'app', handle: { user: 'u' } });
  let last: RunSnapshot | undefined;
  for (const item of events) last = tracker.apply(item) ?? last;
  return { tracker, last };
}

describe('Dify node executions', () => {
  it('keeps a node’s inputs, outputs, process data, error, timings and cost from node_finished', () => {
    const { last } = feed([
      started,
      event('node_started', { id: 'x1', node_id: 'llm', node_type: 'llm', title: 'Ask the model', created_at: 1_700_000_001, inputs: { q: 'hi' } }),
      event('node_finished', {
        id: 'x1',
        node_id: 'llm',
        node_type: 'llm',
        title: 'Ask the model',
        status: 'succeeded',
        inputs: { q: 'hi' },
        outputs: { text: 'hello' },
        process_data: { prompts: [{ role: 'user', text: 'hi' }] },
        elapsed_time: 1.25,
        created_at: 1_700_000_001,
        finished_at: 1_700_000_002,
        execution_metadata: { total_tokens: 42, total_price: '0.0021', currency: 'USD' },
      }),
    ]);
    const entry = last?.timeline?.[0];
    assert.deepEqual(entry, {
      id: 'x1',
      nodeId: 'llm',
      name: 'Ask the model',
      type: 'llm',
      state: 'success',
      platformState: 'succeeded',
      startedAt: 1_700_000_001_000,
      finishedAt: 1_700_000_002_000,
      durationMs: 1250,
      inputs: { q: 'hi' },
      outputs: { text: 'hello' },
      processData: { prompts: [{ role: 'user', text: 'hi' }] },
      metrics: { tokens: 42, cost: '0.0021 USD' },
    });
    assert.equal(last?.metrics?.cost, '0.0021 USD');
  });

  it('a failed node keeps its error and its inputs', () => {
    const { last } = feed([started, event('node_finished', { id: 'x2', node_id: 'code', title: 'Code', status: 'failed', error: 'ZeroDivisionError', inputs: { n: 0 } })]);
    const entry = last?.timeline?.[0];
    assert.equal(entry?.state, 'error');
    assert.equal(entry?.error, 'ZeroDivisionError');
    assert.deepEqual(entry?.inputs, { n: 0 });
  });

  it('keys executions by their execution id: the same node in three iteration rounds is three entries with their round', () => {
    const inner = (round: number) => [
      event('iteration_next', { id: 'it-exec', node_id: 'it', index: round }),
      event('node_started', { id: `c${round}`, node_id: 'code', title: 'Code', iteration_id: 'it', created_at: 1_700_000_001 }),
      event('node_finished', { id: `c${round}`, node_id: 'code', title: 'Code', status: 'succeeded', outputs: { n: round }, iteration_id: 'it', execution_metadata: { iteration_id: 'it', iteration_index: round } }),
    ];
    const { last } = feed([
      started,
      event('iteration_started', { id: 'it-exec', node_id: 'it', node_type: 'iteration', title: 'For each line', created_at: 1_700_000_001, inputs: { iterator: [1, 2, 3] } }),
      ...inner(0),
      ...inner(1),
      ...inner(2),
      event('iteration_completed', { id: 'it-exec', node_id: 'it', node_type: 'iteration', title: 'For each line', status: 'succeeded', outputs: { output: [0, 1, 2] }, elapsed_time: 0.3, total_tokens: 0, steps: 3 }),
    ]);
    const timeline = last?.timeline ?? [];
    assert.deepEqual(
      timeline.map((entry) => [entry.id, entry.state, entry.iteration]),
      [
        ['it-exec', 'success', undefined],
        ['c0', 'success', { parentId: 'it-exec', index: 0 }],
        ['c1', 'success', { parentId: 'it-exec', index: 1 }],
        ['c2', 'success', { parentId: 'it-exec', index: 2 }],
      ],
    );
    assert.deepEqual(timeline[0]?.outputs, { output: [0, 1, 2] });
    assert.deepEqual(timeline[0]?.inputs, { iterator: [1, 2, 3] });
    assert.equal(timeline[0]?.type, 'iteration');
    assert.equal(last?.tasks.total, 4);
    assert.deepEqual(timeline.map((entry) => entry.nodeId), ['it', 'code', 'code', 'code'], 'each execution names its node');
  });

  it('takes the round from iteration_next when node events carry no index, and marks loop rounds as loops', () => {
    const { last } = feed([
      started,
      event('loop_started', { id: 'lp-exec', node_id: 'lp', title: 'Retry loop' }),
      event('loop_next', { id: 'lp-exec', node_id: 'lp', index: 0 }),
      event('node_started', { id: 'a0', node_id: 'a', title: 'A', loop_id: 'lp' }),
      event('loop_next', { id: 'lp-exec', node_id: 'lp', index: 1 }),
      event('node_started', { id: 'a1', node_id: 'a', title: 'A', loop_id: 'lp' }),
    ]);
    const timeline = last?.timeline ?? [];
    assert.equal(timeline[0]?.type, 'loop');
    assert.deepEqual(timeline[1]?.loop, { parentId: 'lp-exec', index: 0 });
    assert.deepEqual(timeline[2]?.loop, { parentId: 'lp-exec', index: 1 });
    assert.equal(timeline[1]?.iteration, undefined);
  });

  it('shows a node_retry as its own failed attempt, beside the attempt that finished', () => {
    const { last } = feed([
      started,
      event('node_started', { id: 'h1', node_id: 'http', title: 'HTTP' }),
      event('node_retry', { id: 'h1', node_id: 'http', title: 'HTTP', status: 'retry', error: '503 Service Unavailable', retry_index: 1, inputs: { url: 'https://x' } }),
      event('node_finished', { id: 'h1', node_id: 'http', title: 'HTTP', status: 'succeeded', outputs: { status_code: 200 } }),
    ]);
    const timeline = last?.timeline ?? [];
    assert.deepEqual(
      timeline.map((entry) => [entry.id, entry.state, entry.retry?.index, entry.error]),
      [
        ['h1', 'success', undefined, undefined],
        ['h1#retry-1', 'error', 1, '503 Service Unavailable'],
      ],
    );
    assert.equal(timeline[1]?.platformState, 'retry');
    assert.deepEqual(timeline[1]?.inputs, { url: 'https://x' });
  });

  it('the price of an iteration is not added to the run again (its rounds already were)', () => {
    const { last } = feed([
      started,
      event('iteration_started', { id: 'it', node_id: 'it', title: 'Each' }),
      event('node_finished', { id: 'n0', node_id: 'llm', title: 'LLM', status: 'succeeded', iteration_id: 'it', execution_metadata: { total_price: '0.01', currency: 'USD', iteration_index: 0 } }),
      event('iteration_completed', { id: 'it', node_id: 'it', title: 'Each', status: 'succeeded', execution_metadata: { total_price: '0.01', currency: 'USD' } }),
    ]);
    assert.equal(last?.metrics?.cost, '0.01 USD');
    assert.equal(last?.timeline?.[0]?.metrics?.cost, '0.01 USD');
  });

  it('follows 25,000 node executions to the end (linear: the old reducer needed minutes, past the runner timeout)', () => {
    const count = 25_000;
    const events: SseEvent[] = [started];
    for (let n = 0; n < count; n++) {
      events.push(event('node_started', { id: `e${n}`, node_id: 'code', title: 'Code', iteration_id: 'it', created_at: 1_700_000_001 }));
      events.push(
        event('node_finished', { id: `e${n}`, node_id: 'code', title: 'Code', status: n % 1000 === 7 ? 'failed' : 'succeeded', outputs: { n }, elapsed_time: 0.001, execution_metadata: { iteration_id: 'it', iteration_index: n } }),
      );
    }
    events.push(event('workflow_finished', { id: runId, status: 'succeeded', total_steps: count, elapsed_time: 60, created_at: 1_700_000_000, finished_at: 1_700_000_060 }));
    const tracker = new DifyRunTracker({ workflowId: 'app' });
    let last: RunSnapshot | undefined;
    for (const item of events) last = tracker.apply(item) ?? last;
    assert.equal(last?.status, 'succeeded');
    assert.equal(last?.tasks.total, count);
    assert.equal(last?.tasks.error, 25);
    assert.equal(last?.tasks.success, count - 25);
    // Entries for the first 1,000 executions and for every failed one after them; the rest counted.
    const limit = taskDataLimits.entries;
    assert.equal(last?.timeline?.length, limit + 24);
    assert.equal(last?.timelineOmitted, count - limit - 24);
    assert.deepEqual(last?.timeline?.[limit - 1]?.outputs, { n: limit - 1 });
    assert.deepEqual(last?.timeline?.at(-1)?.outputs, { n: 24_007 });
    assert.equal(last?.timeline?.filter((entry) => entry.state === 'error').length, 25);
    // No timing assertion (speed is `npm run bench`'s, never a timed test): the reduction is O(1)
    // per event, and the old reducer (a new timeline and a recount per event) took minutes here,
    // far past the test runner's timeout.
  });

  it('holds each node’s large fields bounded as they come: a 100 KB output is a marker the page shows as too big', () => {
    const big = { text: 'b'.repeat(100_000) };
    const { last } = feed([
      started,
      event('node_finished', { id: 'x', node_id: 'llm', title: 'LLM', status: 'failed', inputs: { q: 'hi' }, outputs: big, error: 'e'.repeat(20_000) }),
    ]);
    const entry = last!.timeline![0]!;
    assert.deepEqual(entry.inputs, { q: 'hi' });
    assert.ok(isTruncatedValue(entry.outputs));
    assert.equal(entry.outputs.bytes, JSON.stringify(big).length);
    assert.equal(entry.outputs.preview, JSON.stringify(big).slice(0, taskDataLimits.previewChars));
    assert.match(entry.error!, /^e{8192}… \(11,808 more characters not kept\)$/);
    assert.deepEqual(entry.truncated, ['outputs', 'error']);
  });

  it('spends one budget over the whole run: 1,000 nodes of 20 KB are not all held whole', () => {
    const output = { text: 'o'.repeat(20_000) };
    const events: SseEvent[] = [started];
    for (let n = 0; n < 1000; n++) events.push(event('node_finished', { id: `e${n}`, node_id: 'code', title: 'Code', status: 'succeeded', outputs: output }));
    const { tracker } = feed(events);
    const timeline = tracker.current.timeline!;
    assert.equal(timeline.length, 1000);
    const whole = timeline.filter((entry) => !isTruncatedValue(entry.outputs));
    // Whole while the run's 1 MiB lasts, then markers with the short preview.
    assert.equal(whole.length, Math.floor(taskDataLimits.runBytes / utf8Length(JSON.stringify(output))));
    assert.deepEqual(whole[0]?.outputs, output);
    const last = timeline.at(-1)!;
    assert.ok(isTruncatedValue(last.outputs));
    assert.equal(last.outputs.preview.length, taskDataLimits.spentPreviewChars);
    assert.deepEqual(last.truncated, ['outputs']);
    // 20 MB were sent; what the tracker holds stays near the budget.
    assert.ok(JSON.stringify(timeline).length < 1.5 * taskDataLimits.runBytes, `${JSON.stringify(timeline).length} characters held`);
  });

  it('what it holds does not keep the text the markers were cut from alive (2,000 nodes of 20 KB: 40 MB sent)', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const output = { text: 'o'.repeat(20_000) };
    gc();
    const before = process.memoryUsage().heapUsed;
    const tracker = new DifyRunTracker({ workflowId: 'app' });
    tracker.apply(started);
    for (let n = 0; n < 2000; n++) tracker.apply(event('node_finished', { id: `e${n}`, node_id: 'code', title: 'Code', status: 'succeeded', outputs: output }));
    gc();
    const held = process.memoryUsage().heapUsed - before;
    assert.equal(tracker.current.timeline?.length, taskDataLimits.entries);
    assert.equal(tracker.current.tasks.success, 2000);
    // The budget's 1 MiB, 1,000 small markers and entries: a few MB. Holding what was sent was 40 MB.
    assert.ok(held < 10 * 1024 * 1024, `${(held / 1024 / 1024).toFixed(1)} MB held`);
  });

  it('pays once for a field sent again: node_finished repeating the inputs does not spend the budget twice', () => {
    const inputs = { text: 'i'.repeat(20_000) };
    const events: SseEvent[] = [started];
    // 40 × 20 KB fits in the run's 1 MiB once, not twice.
    for (let n = 0; n < 40; n++) {
      events.push(event('node_started', { id: `e${n}`, node_id: 'code', title: 'Code', inputs }));
      events.push(event('node_finished', { id: `e${n}`, node_id: 'code', title: 'Code', status: 'succeeded', inputs }));
    }
    const { tracker } = feed(events);
    for (const entry of tracker.current.timeline!) {
      assert.deepEqual(entry.inputs, inputs);
      assert.equal(entry.truncated, undefined);
    }
  });

  describe('a run with more executions than a stored run keeps', () => {
    const limit = taskDataLimits.entries;
    const nodeStarted = (n: number) => event('node_started', { id: `e${n}`, node_id: 'code', title: 'Code', created_at: 1_700_000_001 });
    const nodeFinished = (n: number, status = 'succeeded') =>
      event('node_finished', { id: `e${n}`, node_id: 'code', title: 'Code', status, outputs: { n }, finished_at: 1_700_000_002, execution_metadata: { total_price: 0.001, currency: 'USD' } });

    it('holds entries for the first ones and every later failure, counts the rest exactly, and says how many it holds no entry for', () => {
      const events: SseEvent[] = [started];
      for (let n = 0; n < limit + 500; n++) events.push(nodeStarted(n));
      // Two of the executions without an entry fail: they get one, with what node_finished carried.
      for (let n = 0; n < limit + 500; n++) events.push(nodeFinished(n, n === limit + 10 || n === limit + 499 ? 'failed' : 'succeeded'));
      const { last } = feed(events);
      assert.equal(last?.timeline?.length, limit + 2);
      assert.deepEqual(last?.timeline?.slice(limit).map((entry) => [entry.id, entry.state, entry.outputs]), [
        [`e${limit + 10}`, 'error', { n: limit + 10 }],
        [`e${limit + 499}`, 'error', { n: limit + 499 }],
      ]);
      assert.equal(last?.timelineOmitted, 498);
      assert.deepEqual(last?.tasks, { queued: 0, pending: 0, processing: 0, success: limit + 498, error: 2, stopped: 0, skipped: 0, total: limit + 500 });
      let price = 0;
      for (let n = 0; n < limit + 500; n++) price += 0.001;
      assert.equal(last?.metrics?.cost, formatCost(price, 'USD'), 'every execution’s price, once');
    });

    it('counts executions without an entry while they run, and a replayed node_finished (re-attached stream) once', () => {
      const tracker = new DifyRunTracker({ workflowId: 'app' });
      tracker.apply(started);
      for (let n = 0; n < limit; n++) tracker.apply(nodeFinished(n));
      tracker.apply(nodeStarted(limit));
      tracker.apply(nodeStarted(limit + 1));
      assert.equal(tracker.current.tasks.processing, 2);
      assert.equal(tracker.current.tasks.total, limit + 2);
      assert.equal(tracker.current.timelineOmitted, 2);
      const cost = () => tracker.current.metrics?.cost;
      tracker.apply(nodeFinished(limit));
      const afterFirst = cost();
      tracker.apply(nodeFinished(limit));
      tracker.apply(nodeFinished(3));
      assert.equal(cost(), afterFirst, 'a replayed node_finished adds no price');
      assert.deepEqual([tracker.current.tasks.processing, tracker.current.tasks.success, tracker.current.tasks.total], [1, limit + 1, limit + 2]);
      // The run ends with one of them still running: it is stopped, as an entry would be.
      const last = tracker.apply(event('workflow_finished', { id: runId, status: 'stopped' }));
      assert.deepEqual([last?.tasks.processing, last?.tasks.stopped, last?.timelineOmitted], [0, 1, 2]);
    });

    it('holds a bounded state however many executions come (120,000, past the ids it remembers): counts exact, memory flat', () => {
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc') as () => void;
      gc();
      const before = process.memoryUsage().heapUsed;
      const tracker = new DifyRunTracker({ workflowId: 'app' });
      tracker.apply(started);
      const count = 120_000;
      for (let n = 0; n < count; n++) {
        tracker.applyAll([nodeStarted(n), nodeFinished(n, n % 10_000 === 5 ? 'failed' : 'succeeded')]);
      }
      const last = tracker.apply(event('workflow_finished', { id: runId, status: 'failed', total_steps: count }));
      gc();
      const held = process.memoryUsage().heapUsed - before;
      assert.deepEqual(last?.tasks, { queued: 0, pending: 0, processing: 0, success: count - 12, error: 12, stopped: 0, skipped: 0, total: count });
      assert.equal(last?.timeline?.length, limit + 11, 'the first 1,000 and the failed ones after them');
      assert.equal(last?.timelineOmitted, count - limit - 11);
      // 1,000 entries and 50,000 remembered ids: a few MB; an entry per execution was well over 100 MB.
      assert.ok(held < 20 * 1024 * 1024, `${(held / 1024 / 1024).toFixed(1)} MB held`);
    });

    it('follows the rounds of at most 1,000 iteration containers: a stream naming ever new ones does not grow a map without end', () => {
      const tracker = new DifyRunTracker({ workflowId: 'app' });
      tracker.apply(started);
      for (let n = 0; n < 1_500; n++) {
        tracker.applyAll([
          event('iteration_started', { id: `it-exec-${n}`, node_id: `it-${n}`, title: `Loop ${n}` }),
          event('iteration_next', { id: `it-exec-${n}`, node_id: `it-${n}`, index: 1 }),
          event('node_finished', { id: `inner-${n}`, node_id: 'inner', title: 'Inner', status: 'succeeded', iteration_id: `it-${n}` }),
        ]);
      }
      const rounds = (tracker as unknown as { nodes: { rounds: Record<'iteration', Map<string, unknown>> } }).nodes.rounds.iteration;
      assert.equal(rounds.size, 1_000);
      const timeline = tracker.current.timeline!;
      const inner = (n: number) => timeline.find((entry) => entry.id === `inner-${n}`);
      assert.deepEqual(inner(3)?.iteration, { parentId: 'it-exec-3', index: 1 }, 'a followed container: its entry and round');
      assert.equal(tracker.current.tasks.total, 3_000, 'every execution counted');
    });

    it('the store keeps the failed ones first and counts everything it holds no entry for', () => {
      const events: SseEvent[] = [started];
      for (let n = 0; n < 3 * limit; n++) events.push(nodeFinished(n, n % 100 === 99 ? 'failed' : 'succeeded'));
      const { last } = feed(events);
      const stored = boundSnapshot(last!);
      assert.equal(stored.timeline?.length, limit);
      assert.equal(stored.timeline?.filter((entry) => entry.state === 'error').length, 30);
      assert.equal(stored.timelineOmitted, 2 * limit, 'executions without an entry and entries the store left out, each once');
      assert.equal(boundSnapshot(stored).timelineOmitted, 2 * limit);
    });
  });

  it('a run that ends leaves no node running: the ones still running are stopped, and the counts follow', () => {
    const { last } = feed([started, event('node_started', { id: 'a', title: 'A' }), event('workflow_finished', { id: runId, status: 'stopped' })]);
    assert.equal(last?.timeline?.[0]?.state, 'stopped');
    assert.equal(last?.tasks.stopped, 1);
    assert.equal(last?.tasks.processing, 0);
  });
});
