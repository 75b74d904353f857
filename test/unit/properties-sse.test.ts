// Property tests of the stream reduction: the SSE reader (client/sse.ts) with the Dify tracker
// (dify/events.ts) and the B3OS follower (b3os/follow.ts). However a stream is cut into chunks,
// and its events into batches, the result is the same; whatever bytes arrive, nothing throws past
// the boundary but a WorkflowRunsError, and nothing hangs.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { WorkflowRunsError } from '../../src/client/errors';
import { readSseBatches } from '../../src/client/sse';
import { readSse } from '../helpers/collect';
import type { SseEvent } from '../../src/client/types';
import { DifyRunTracker } from '../../src/providers/dify/events';
import { followRun } from '../../src/providers/b3os/follow';
import type { RunSnapshot } from '../../src/providers/model';
import { emptyTaskCounts } from '../../src/providers/model';

const encoder = new TextEncoder();

/** The bytes cut at the given positions (sorted, deduplicated, inside the array). */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    if (point > from) parts.push(bytes.slice(from, point));
    from = Math.max(from, point);
  }
  if (from < bytes.length) parts.push(bytes.slice(from));
  return parts;
}

async function* body(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    await Promise.resolve();
    yield part;
  }
}

/** Runs `work` or fails after `ms`: "never hangs" made checkable. */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`hung for ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

type Outcome = { events: SseEvent[]; error?: string };

async function read(parts: Uint8Array[], maxEventChars?: number): Promise<Outcome> {
  const events: SseEvent[] = [];
  try {
    for await (const event of readSse(body(parts), { endpoint: 'GET /s', maxEventChars })) events.push(event);
    return { events };
  } catch (error) {
    assert.ok(error instanceof WorkflowRunsError, `only a WorkflowRunsError may escape, got ${String(error)}`);
    assert.equal(error.kind, 'stream');
    return { events, error: error.message };
  }
}

const eol = fc.constantFrom('\n', '\r\n', '\r');
const text = fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀', ' ', ':', '{', '"', 'x'), maxLength: 30 });
/** One well-formed event: optional name and id, one or more data lines (no line breaks inside). */
const sseEvent = fc.record({
  event: fc.option(fc.constantFrom('ping', 'message', 'node_started', 'workflow_finished', 'run_completed'), { nil: undefined }),
  id: fc.option(fc.stringMatching(/^[0-9]{1,4}$/), { nil: undefined }),
  data: fc.array(text, { minLength: 1, maxLength: 3 }),
  eol,
});
const streamText = fc.array(sseEvent, { maxLength: 12 }).map((events) =>
  events
    .map(({ event, id, data, eol: end }) => `${event ? `event: ${event}${end}` : ''}${id ? `id: ${id}${end}` : ''}${data.map((line) => `data: ${line}${end}`).join('')}${end}`)
    .join(''),
);
const cuts = fc.array(fc.nat(), { maxLength: 20 });

describe('SSE reduction properties', () => {
  it('any chunk split gives the events of the stream in one chunk', async () => {
    await fc.assert(
      fc.asyncProperty(streamText, cuts, async (stream, at) => {
        const bytes = encoder.encode(stream);
        const whole = await read([bytes]);
        const pieces = await within(2_000, read(split(bytes, at)));
        assert.deepEqual(pieces, whole);
      }),
      { numRuns: 200 },
    );
  });

  it('any chunk split, read in batches, gives the same events: one batch at most per chunk (and one at the end), none empty', async () => {
    await fc.assert(
      fc.asyncProperty(streamText, cuts, async (stream, at) => {
        const bytes = encoder.encode(stream);
        const whole = await read([bytes]);
        const parts = split(bytes, at);
        const batches: Array<readonly SseEvent[]> = [];
        await within(
          2_000,
          (async () => {
            for await (const batch of readSseBatches(body(parts), { endpoint: 'GET /s' })) batches.push(batch);
          })(),
        );
        assert.deepEqual(batches.flat(), whole.events);
        assert.ok(batches.every((batch) => batch.length > 0), 'no empty batch');
        assert.ok(batches.length <= parts.length + 1, `${batches.length} batches from ${parts.length} chunks`);
      }),
      { numRuns: 200 },
    );
  });

  it('arbitrary bytes, arbitrarily split: events or a stream error, never a crash or a hang', async () => {
    const noise = fc.uint8Array({ maxLength: 600 });
    const linesAndNoise = fc.array(fc.oneof(noise, streamText.map((t) => encoder.encode(t))), { maxLength: 4 }).map((list) => {
      const joined = new Uint8Array(list.reduce((n, item) => n + item.length, 0));
      let at = 0;
      for (const item of list) {
        joined.set(item, at);
        at += item.length;
      }
      return joined;
    });
    await fc.assert(
      fc.asyncProperty(linesAndNoise, cuts, fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }), async (bytes, at, limit) => {
        const outcome = await within(2_000, read(split(bytes, at), limit));
        if (outcome.error) assert.match(outcome.error, /larger than/);
        // The limit is checked per 64 KiB slice fed to the parser: no event grows past limit + one slice.
        for (const event of outcome.events) if (limit !== undefined) assert.ok(event.data.length <= limit + 64 * 1024);
      }),
      { numRuns: 300 },
    );
  });

  it('keep-alives without data (dropped by the parser) never add up to the limit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('event: ping\n\n', 'event: ping\r\n\r\n', ': keep-alive\n\n', 'event: ping\r\r'), cuts, async (ping, at) => {
        const bytes = encoder.encode(`${ping.repeat(2_000)}data: done\n\n`);
        const outcome = await within(2_000, read(split(bytes, at), 200));
        assert.deepEqual(outcome, { events: [{ event: 'message', data: 'done' }] });
      }),
      { numRuns: 50 },
    );
  });

  it('a line that never ends is refused at the limit, whatever the chunk sizes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 100, max: 4_000 }), async (chunkSize, limit) => {
        let sent = 0;
        async function* endless(): AsyncGenerator<Uint8Array> {
          yield encoder.encode('data: ');
          for (;;) {
            await Promise.resolve();
            sent += chunkSize;
            yield encoder.encode('x'.repeat(chunkSize));
          }
        }
        await within(
          2_000,
          assert.rejects(async () => {
            for await (const event of readSse(endless(), { endpoint: 'GET /s', maxEventChars: limit })) void event;
          }, /larger than/),
        );
        // Stopped within one chunk (and one 64 KiB slice) of the limit.
        assert.ok(sent <= limit + chunkSize + 64 * 1024);
      }),
      { numRuns: 50 },
    );
  });
});

// ---- Dify: the tracker over split streams ------------------------------------------------------

const runId = '6c1f1f5e-6f7a-4f39-9d0b-2f3c1d7e8a90';
const node = (n: number) => ({ id: `exec-${n}`, node_id: `node-${n}`, node_type: n === 0 ? 'start' : 'llm', title: `Node ${n}` });
const difyRun = fc
  .record({
    nodes: fc.integer({ min: 0, max: 5 }),
    chunks: fc.array(text, { maxLength: 5 }),
    end: fc.constantFrom('succeeded', 'failed', 'stopped', 'partial-succeeded', 'paused', 'error', 'none'),
    pings: fc.array(fc.nat({ max: 12 }), { maxLength: 4 }),
    totalSteps: fc.oneof(fc.constant(undefined), fc.nat({ max: 10 }), fc.constantFrom(86_000_000, 5e9, 1e308, Number.MAX_SAFE_INTEGER)),
  })
  .map(({ nodes, chunks, end, pings, totalSteps }) => {
    const events: unknown[] = [{ event: 'workflow_started', task_id: 't1', workflow_run_id: runId, data: { id: runId, created_at: 1_700_000_000 } }];
    for (let n = 0; n < nodes; n++) {
      events.push({ event: 'node_started', workflow_run_id: runId, data: { ...node(n), created_at: 1_700_000_001 + n } });
      if (n === 1) for (const chunk of chunks) events.push({ event: 'text_chunk', workflow_run_id: runId, data: { text: chunk } });
      events.push({ event: 'node_finished', workflow_run_id: runId, data: { ...node(n), status: 'succeeded', elapsed_time: 0.5, execution_metadata: { total_price: '0.0001', currency: 'USD' } } });
    }
    if (end === 'error') events.push({ event: 'error', workflow_run_id: runId, status: 500, code: 'internal', message: 'boom' });
    else if (end === 'paused') events.push({ event: 'workflow_paused', workflow_run_id: runId, data: { status: 'paused', elapsed_time: 1 } });
    else if (end !== 'none') events.push({ event: 'workflow_finished', workflow_run_id: runId, data: { status: end, total_steps: totalSteps, elapsed_time: 2, created_at: 1_700_000_000, finished_at: 1_700_000_002 } });
    const lines = events.map((event) => `data: ${JSON.stringify(event)}\n\n`);
    for (const at of pings) lines.splice(Math.min(at, lines.length), 0, 'event: ping\n\n');
    return lines.join('');
  });

async function reduceDify(parts: Uint8Array[]): Promise<{ snapshots: RunSnapshot[]; phase: string }> {
  const tracker = new DifyRunTracker({ workflowId: 'default', handle: { user: 'u' } });
  const snapshots: RunSnapshot[] = [];
  for await (const event of readSse(body(parts), { endpoint: 'POST /workflows/run' })) {
    const snapshot = tracker.apply(event);
    // The tracker's timeline is its live list: keep each snapshot's as it was when emitted.
    if (snapshot) snapshots.push(snapshot.timeline ? { ...snapshot, timeline: [...snapshot.timeline] } : snapshot);
  }
  return { snapshots, phase: tracker.phase };
}

/**
 * Any sequence of Dify stream events: node executions (some repeated, some priced, some in an
 * iteration or loop, some retried), text, pings, noise, events of another run, and the events that
 * pause or end a run anywhere in it, not only last. The task id comes with some events only.
 */
const anyDifyEvents = (() => {
  const withTask = fc.boolean();
  const envelope = (name: string, data: unknown, task: boolean, run = runId) => ({ event: 'message', data: JSON.stringify({ event: name, workflow_run_id: run, ...(task ? { task_id: 't1' } : {}), data }) });
  const execution = fc.record({
    n: fc.nat({ max: 4 }),
    status: fc.constantFrom('succeeded', 'failed', 'exception', 'stopped'),
    price: fc.constantFrom(undefined, '0.001', 0.25, '-0.5', 'x'),
    round: fc.constantFrom(undefined, 'iteration', 'loop'),
    outputs: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
  });
  const nodeData = (e: { n: number; status: string; price: unknown; round: string | undefined; outputs: string | undefined }) => ({
    ...node(e.n),
    created_at: 1_700_000_001 + e.n,
    ...(e.round ? { [`${e.round}_id`]: `${e.round}-node`, execution_metadata: { [`${e.round}_index`]: e.n % 2 } } : {}),
    ...(e.outputs === undefined ? {} : { outputs: { text: e.outputs } }),
  });
  const event = fc.oneof(
    fc.tuple(withTask, fc.nat({ max: 9 })).map(([task, t]) => envelope('workflow_started', { id: runId, created_at: 1_700_000_000 + t, inputs: { t } }, task)),
    fc.tuple(withTask, execution).map(([task, e]) => envelope('node_started', nodeData(e), task)),
    fc.tuple(withTask, execution).map(([task, e]) =>
      envelope('node_finished', { ...nodeData(e), status: e.status, elapsed_time: 0.5, finished_at: 1_700_000_009, execution_metadata: { total_price: e.price, currency: 'USD', total_tokens: e.n } }, task),
    ),
    fc.tuple(withTask, execution).map(([task, e]) => envelope('node_retry', { ...nodeData(e), retry_index: e.n % 2, error: 'flaky' }, task)),
    fc.tuple(withTask, fc.constantFrom('iteration', 'loop'), fc.constantFrom('started', 'next', 'completed'), fc.nat({ max: 3 })).map(([task, kind, phase, index]) =>
      envelope(`${kind}_${phase}`, { id: `${kind}-exec`, node_id: `${kind}-node`, title: kind, index, status: phase === 'completed' ? 'succeeded' : undefined }, task),
    ),
    fc.tuple(withTask, text).map(([task, chunk]) => envelope('text_chunk', { text: chunk }, task)),
    fc.tuple(withTask, text).map(([task, chunk]) => envelope('text_chunk', { text: chunk }, task, 'another-run')),
    fc.tuple(withTask, fc.constantFrom('succeeded', 'failed', 'stopped', 'running'), fc.option(fc.nat({ max: 9 }), { nil: undefined })).map(([task, status, steps]) =>
      envelope('workflow_finished', { id: runId, status, total_steps: steps, elapsed_time: 2, created_at: 1_700_000_000, finished_at: 1_700_000_002, outputs: { status } }, task),
    ),
    withTask.map((task) => envelope('workflow_paused', { status: 'paused', elapsed_time: 1 }, task)),
    withTask.map((task) => ({ event: 'message', data: JSON.stringify({ event: 'error', status: 500, code: 'internal', message: 'boom', ...(task ? { task_id: 't1' } : {}) }) })),
    withTask.map((task) => envelope('agent_log', { id: 'log' }, task)),
    fc.constantFrom<SseEvent>({ event: 'ping', data: '' }, { event: 'message', data: 'not json' }),
  );
  return fc.array(event, { maxLength: 40 });
})();

/** The events cut into batches at the given positions (each batch one or more events). */
function batchesOf(events: SseEvent[], cuts: number[]): SseEvent[][] {
  const points = [...new Set(cuts.map((cut) => cut % (events.length + 1)))].sort((a, b) => a - b);
  const batches: SseEvent[][] = [];
  let from = 0;
  for (const point of [...points, events.length]) {
    if (point > from) batches.push(events.slice(from, point));
    from = Math.max(from, point);
  }
  return batches;
}

/** A snapshot as it stands now: its timeline is the tracker's live list, so that is copied. */
const asItStands = (snapshot: RunSnapshot): RunSnapshot => (snapshot.timeline ? { ...snapshot, timeline: [...snapshot.timeline] } : { ...snapshot });

describe('Dify reduction properties', () => {
  it('a batch at a time gives the snapshots one event at a time gives, and stops where the run does', () => {
    fc.assert(
      fc.property(anyDifyEvents, cuts, fc.boolean(), (events, at, watching) => {
        // Watching a run (re-attached) starts from a snapshot, as the adapter's watch does.
        const tracker = () =>
          new DifyRunTracker({ workflowId: 'default', handle: { user: 'u' } }, watching ? { runId, workflowId: 'default', status: 'running', tasks: emptyTaskCounts(), handle: { user: 'u' } } : undefined);
        // One at a time, read no further than the event that pauses or ends the run (as the adapter reads).
        const single = tracker();
        const changed: boolean[] = [];
        const after: RunSnapshot[] = [];
        for (const event of events) {
          changed.push(single.apply(event) !== undefined);
          after.push(asItStands(single.current));
          if (single.phase === 'paused' || single.phase === 'ended') break;
        }
        const applied = changed.length;
        // A batch at a time, read while the run goes on.
        const batched = tracker();
        const given: Array<{ snapshot: RunSnapshot; then: unknown }> = [];
        let from = 0;
        for (const batch of batchesOf(events, at)) {
          if (from >= applied) break;
          const snapshot = batched.applyAll(batch);
          const last = Math.min(from + batch.length, applied) - 1;
          const expected = changed.slice(from, last + 1).some(Boolean) ? after[last] : undefined;
          assert.deepEqual(snapshot && asItStands(snapshot), expected, `batch of events ${from}–${from + batch.length - 1}`);
          if (snapshot) {
            const { timeline: _live, ...rest } = snapshot;
            given.push({ snapshot, then: structuredClone(rest) });
          }
          from += batch.length;
        }
        assert.equal(batched.phase, single.phase);
        assert.deepEqual(asItStands(batched.current), asItStands(single.current));
        // Snapshots given out are never changed afterwards (but for the timeline, live on purpose).
        for (const { snapshot, then } of given) {
          const { timeline: _live, ...now } = snapshot;
          assert.deepEqual(now, then);
        }
      }),
      { numRuns: 500 },
    );
  });


  it('any chunk split gives the same snapshots, and a server step count sizes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(difyRun, cuts, async (stream, at) => {
        const bytes = encoder.encode(stream);
        const whole = await reduceDify([bytes]);
        const pieces = await within(2_000, reduceDify(split(bytes, at)));
        assert.deepEqual(pieces, whole);
        for (const snapshot of whole.snapshots) assert.ok(snapshot.tasks.total <= Number.MAX_SAFE_INTEGER);
      }),
      { numRuns: 150 },
    );
  });

  it('arbitrary event data (any JSON, any text) never throws out of the tracker', () => {
    const data = fc.oneof(
      fc.string(),
      fc.json(),
      fc.record({ event: fc.constantFrom('workflow_started', 'node_started', 'node_finished', 'text_chunk', 'workflow_finished', 'workflow_paused', 'error', 'ping'), workflow_run_id: fc.option(fc.string()), data: fc.anything() }).map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(fc.array(fc.record({ event: fc.constantFrom('message', 'ping', 'error'), data }), { maxLength: 15 }), (events) => {
        const tracker = new DifyRunTracker({ workflowId: 'default' });
        for (const event of events) tracker.apply(event);
        assert.ok(['starting', 'running', 'paused', 'ended'].includes(tracker.phase));
      }),
      { numRuns: 400 },
    );
  });
});

// ---- B3OS: the follower over split and broken streams -----------------------------------------

describe('B3OS follow properties', () => {
  it('whatever the stream does (events, noise, a cut, an early end), the run is followed to its end', async () => {
    const streamKinds = fc.record({ stream: streamText, noise: fc.uint8Array({ maxLength: 200 }), cut: fc.boolean(), at: cuts, fetchesToEnd: fc.integer({ min: 1, max: 6 }) });
    await fc.assert(
      fc.asyncProperty(streamKinds, async ({ stream, noise, cut, at, fetchesToEnd }) => {
        const bytes = new Uint8Array([...encoder.encode(stream), ...noise]);
        async function* events(): AsyncGenerator<Uint8Array> {
          yield* body(split(bytes, at));
          if (cut) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        }
        let fetches = 0;
        const fetchRun = async (): Promise<RunSnapshot> => {
          fetches += 1;
          const done = fetches >= fetchesToEnd;
          return { runId: 'run_1', workflowId: 'wf', status: done ? 'succeeded' : 'running', tasks: { ...emptyTaskCounts(), total: fetches } };
        };
        const controller = new AbortController();
        const seen: RunSnapshot[] = [];
        await within(
          3_000,
          (async () => {
            for await (const snapshot of followRun({
              events: readSseBatches(events(), { endpoint: 'GET /v1/runs/{id}/stream', maxEventChars: 100 }),
              fetchRun,
              onError: () => true,
              poll: { baseMs: 1, maxMs: 2 },
              signal: controller.signal,
              quietFetchMs: 20,
            }))
              seen.push(snapshot);
          })(),
        );
        assert.equal(seen.at(-1)?.status, 'succeeded');
      }),
      { numRuns: 100 },
    );
  });
});
