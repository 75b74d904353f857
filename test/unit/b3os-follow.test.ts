// changes and followRun: stream events trigger fetches (coalesced), polling takes over when the
// stream ends.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { SseEvent } from '../../src/client/types';
import { changes, isKeepAlive } from '../../src/providers/b3os/changes';
import { followRun } from '../../src/providers/b3os/follow';
import { emptyTaskCounts, type RunSnapshot, type RunStatus } from '../../src/providers/model';
import { runSnapshot } from '../helpers/runs';

/** A stream the test pushes events into; events pushed together are read as one batch, as a chunk's are. */
function controllableStream() {
  const queue: Array<SseEvent | Error | null> = [];
  let wake: (() => void) | undefined;
  const push = (...items: Array<SseEvent | Error | null>) => {
    queue.push(...items);
    wake?.();
  };
  async function* iterate(): AsyncGenerator<readonly SseEvent[]> {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const batch: SseEvent[] = [];
      while (queue.length > 0 && queue[0] !== null && !(queue[0] instanceof Error)) batch.push(queue.shift() as SseEvent);
      if (batch.length > 0) {
        yield batch;
        continue;
      }
      const end = queue.shift();
      if (end instanceof Error) throw end;
      return;
    }
  }
  return { push, events: iterate() };
}

const snap = (status: RunStatus, success = 0): RunSnapshot => runSnapshot('run_1', status, { tasks: { ...emptyTaskCounts(), success, total: success } });
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('followRun', () => {
  it('fetches on events, skips keep-alives, ends at a terminal state', async () => {
    const stream = controllableStream();
    const states = [snap('running'), snap('running', 1), snap('succeeded', 2)];
    let fetches = 0;
    const seen: RunSnapshot[] = [];
    const done = (async () => {
      for await (const snapshot of followRun({
        events: stream.events,
        fetchRun: async () => states[Math.min(fetches++, states.length - 1)]!,
        onError: () => false,
        poll: { baseMs: 5 },
        signal: new AbortController().signal,
      })) {
        seen.push(snapshot);
      }
    })();
    stream.push({ event: 'ping', data: '' });
    await tick();
    assert.equal(fetches, 0, 'a keep-alive is no news');
    stream.push({ event: 'run_started', data: '{}' });
    await tick();
    stream.push({ event: 'node_updated', data: '{}' });
    await tick();
    stream.push({ event: 'run_finished', data: '{}' });
    await done;
    assert.deepEqual(seen.map((item) => item.status), ['running', 'running', 'succeeded']);
    assert.equal(fetches, 3);
  });

  it('coalesces a burst of events into few fetches', async () => {
    const stream = controllableStream();
    let fetches = 0;
    let release: (() => void) | undefined;
    const done = (async () => {
      const seen: RunSnapshot[] = [];
      for await (const snapshot of followRun({
        events: stream.events,
        fetchRun: async () => {
          fetches += 1;
          if (fetches === 1) await new Promise<void>((resolve) => (release = resolve));
          return fetches >= 2 ? snap('succeeded') : snap('running');
        },
        onError: () => false,
        poll: { baseMs: 5 },
        signal: new AbortController().signal,
      })) {
        seen.push(snapshot);
      }
      return seen;
    })();
    stream.push({ event: 'a', data: '1' });
    await tick();
    for (let i = 0; i < 20; i++) stream.push({ event: 'b', data: String(i) });
    await tick();
    release?.();
    const seen = await done;
    assert.equal(fetches, 2, '20 events during one fetch cost one more fetch');
    assert.equal(seen.at(-1)?.status, 'succeeded');
  });

  it('polls when the stream fails before the run ends', async () => {
    const stream = controllableStream();
    let fetches = 0;
    const ends: unknown[] = [];
    const done = (async () => {
      const seen: RunSnapshot[] = [];
      for await (const snapshot of followRun({
        events: stream.events,
        fetchRun: async () => (++fetches >= 3 ? snap('failed') : snap('running')),
        onError: () => false,
        poll: { baseMs: 5 },
        signal: new AbortController().signal,
        onStreamEnd: (error) => ends.push(error),
      })) {
        seen.push(snapshot);
      }
      return seen;
    })();
    stream.push({ event: 'run_started', data: '{}' });
    await tick();
    stream.push(new Error('cut'));
    const seen = await done;
    assert.equal(seen.at(-1)?.status, 'failed');
    assert.ok(fetches >= 3);
    assert.equal((ends[0] as Error).message, 'cut');
  });

  it('polls from the start without a stream, and survives errors the caller accepts', async () => {
    let fetches = 0;
    const seen: RunSnapshot[] = [];
    for await (const snapshot of followRun({
      events: undefined,
      fetchRun: async () => {
        fetches += 1;
        if (fetches === 1) throw new Error('404 not yet');
        return fetches >= 3 ? snap('stopped') : snap('running');
      },
      onError: (_error, attempt) => attempt < 3,
      poll: { baseMs: 5 },
      signal: new AbortController().signal,
    })) {
      seen.push(snapshot);
    }
    assert.deepEqual(seen.map((item) => item.status), ['running', 'stopped']);
  });

  it('stops when aborted', async () => {
    const stream = controllableStream();
    const controller = new AbortController();
    const done = (async () => {
      for await (const _ of followRun({ events: stream.events, fetchRun: async () => snap('running'), onError: () => false, poll: { baseMs: 5 }, signal: controller.signal })) {
        // keep listening
      }
    })();
    stream.push({ event: 'x', data: '{}' });
    await tick();
    controller.abort(new Error('bye'));
    await assert.rejects(done, /bye/);
  });

  it('knows keep-alives', () => {
    assert.equal(isKeepAlive({ event: 'ping', data: '' }), true);
    assert.equal(isKeepAlive({ event: 'message', data: '' }), true);
    assert.equal(isKeepAlive({ event: 'message', data: '{"status":"running"}' }), false);
  });
});

describe('changes', () => {
  it('hands out at most one change a minimum interval, and one after the last event of a burst', async () => {
    const stream = controllableStream();
    const at: number[] = [];
    const done = (async () => {
      for await (const _ of changes(stream.events, { signal: new AbortController().signal, first: true, minIntervalMs: 60 })) at.push(Date.now());
    })();
    await tick();
    for (let i = 0; i < 30; i++) {
      stream.push({ event: 'run_started', data: String(i) });
      await tick();
    }
    stream.push({ event: 'ping', data: '' });
    stream.push(null);
    await done;
    assert.ok(at.length >= 2 && at.length <= 6, `${at.length} changes for 30 events over ~${at.at(-1)! - at[0]!} ms`);
    for (let i = 1; i < at.length; i++) assert.ok(at[i]! - at[i - 1]! >= 55, `changes ${i} and ${i + 1} ${at[i]! - at[i - 1]!} ms apart`);
  });

  it('takes a batch of events as news unless it holds keep-alives only', async () => {
    const stream = controllableStream();
    let count = 0;
    const done = (async () => {
      for await (const _ of changes(stream.events, { signal: new AbortController().signal })) count += 1;
    })();
    stream.push({ event: 'ping', data: '' }, { event: 'heartbeat', data: '' }, { event: 'message', data: '' });
    await tick();
    assert.equal(count, 0, 'keep-alives alone are no news');
    stream.push({ event: 'ping', data: '' }, { event: 'run_updated', data: '{}' }, { event: 'ping', data: '' });
    await tick();
    assert.equal(count, 1, 'an event among keep-alives is');
    stream.push(null);
    await done;
    assert.equal(count, 1);
  });

  it('reports a broken stream and ends after the change it left pending', async () => {
    const stream = controllableStream();
    const ends: unknown[] = [];
    let count = 0;
    const done = (async () => {
      for await (const _ of changes(stream.events, { signal: new AbortController().signal, minIntervalMs: 30, onStreamEnd: (error) => ends.push(error) })) count += 1;
    })();
    stream.push({ event: 'a', data: '1' });
    await tick();
    stream.push({ event: 'b', data: '2' });
    stream.push(new Error('cut'));
    await done;
    assert.equal(count, 2, 'the event before the cut is not lost');
    assert.equal((ends[0] as Error).message, 'cut');
  });
});
