import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { emptyTaskCounts, type RunSnapshot } from '../../src/providers/model';
import { nextPollDelay, pollRun, snapshotFingerprint } from '../../src/providers/polling';
import { delay } from '../../src/util/delay';
import { collect } from '../helpers/collect';
import { runSnapshot } from '../helpers/runs';

/** A getRun that answers from a script: a snapshot, or an error to throw. */
function scripted(steps: Array<RunSnapshot | Error>): { getRun: (signal?: AbortSignal) => Promise<RunSnapshot>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    getRun: async () => {
      const step = steps[Math.min(calls, steps.length - 1)]!;
      calls += 1;
      if (step instanceof Error) throw step;
      return step;
    },
  };
}

describe('nextPollDelay', () => {
  it('starts at the base and grows by the backoff', () => {
    const options = { baseMs: 100, maxMs: 10_000, backoff: 2 };
    assert.deepEqual([0, 1, 2, 3, 4].map((n) => nextPollDelay(n, options)), [100, 200, 400, 800, 1600]);
  });

  it('caps at maxMs', () => {
    const options = { baseMs: 100, maxMs: 500, backoff: 2 };
    assert.equal(nextPollDelay(2, options), 400);
    assert.equal(nextPollDelay(3, options), 500);
    assert.equal(nextPollDelay(50, options), 500);
  });

  it('defaults to a 1.5 backoff capped at 15 s (or the base, if larger)', () => {
    assert.equal(nextPollDelay(1, { baseMs: 1000 }), 1500);
    assert.equal(nextPollDelay(2, { baseMs: 1000 }), 2250);
    assert.equal(nextPollDelay(100, { baseMs: 1000 }), 15_000);
    assert.equal(nextPollDelay(5, { baseMs: 20_000 }), 20_000);
  });

  it('rounds to whole milliseconds', () => {
    assert.equal(nextPollDelay(1, { baseMs: 3, backoff: 1.5 }), 5);
    assert.ok(Number.isInteger(nextPollDelay(3, { baseMs: 7, backoff: 1.3 })));
  });
});

describe('snapshotFingerprint', () => {
  it('changes with what users see and ignores the rest', () => {
    const base = runSnapshot('r1', 'running');
    assert.equal(snapshotFingerprint(base), snapshotFingerprint({ ...base, liveText: 'x', metrics: { tokens: 3 } }));
    assert.notEqual(snapshotFingerprint(base), snapshotFingerprint(runSnapshot('r1', 'succeeded')));
    assert.notEqual(snapshotFingerprint(base), snapshotFingerprint({ ...base, tasks: { ...emptyTaskCounts(), processing: 1, total: 1 } }));
    assert.notEqual(
      snapshotFingerprint({ ...base, timeline: [{ id: 'a', name: 'A', state: 'processing' }] }),
      snapshotFingerprint({ ...base, timeline: [{ id: 'a', name: 'A', state: 'success' }] }),
    );
  });
});

describe('pollRun', () => {
  it('yields only changed snapshots and stops after a terminal one', async () => {
    const one = { ...emptyTaskCounts(), processing: 1, total: 2 };
    const two = { ...emptyTaskCounts(), success: 1, processing: 1, total: 2 };
    const source = scripted([
      runSnapshot('r1', 'queued'),
      runSnapshot('r1', 'queued'),
      runSnapshot('r1', 'running', { tasks: one }),
      runSnapshot('r1', 'running', { tasks: one }),
      runSnapshot('r1', 'running', { tasks: one }),
      runSnapshot('r1', 'running', { tasks: two }),
      runSnapshot('r1', 'succeeded', { tasks: two, finishedAt: 5 }),
      runSnapshot('r1', 'running'),
    ]);
    const seen = await collect(pollRun(source.getRun, { baseMs: 1, maxMs: 2 }));
    assert.deepEqual(
      seen.map((s) => [s.status, s.tasks.success]),
      [
        ['queued', 0],
        ['running', 0],
        ['running', 1],
        ['succeeded', 1],
      ],
    );
    assert.equal(source.calls(), 7, 'no poll after the terminal snapshot');
  });

  it('polls at once and ends at once for a run that has already ended', async () => {
    const source = scripted([runSnapshot('r1', 'failed', { error: 'bad' })]);
    const seen = await collect(pollRun(source.getRun, { baseMs: 10_000 }));
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.error, 'bad');
    assert.equal(source.calls(), 1);
  });

  it('survives errors while onError says so, and tells it the attempt number', async () => {
    const attempts: number[] = [];
    const source = scripted([new Error('503'), new Error('503'), runSnapshot('r1', 'running'), new Error('reset'), runSnapshot('r1', 'stopped')]);
    const seen = await collect(
      pollRun(source.getRun, {
        baseMs: 1,
        maxMs: 2,
        onError: (_error, attempt) => {
          attempts.push(attempt);
          return true;
        },
      }),
    );
    assert.deepEqual(seen.map((s) => s.status), ['running', 'stopped']);
    assert.deepEqual(attempts, [1, 2, 1], 'the attempt count restarts after a success');
  });

  it('rethrows when onError gives up, or when there is no onError', async () => {
    const failure = new Error('HTTP 500');
    const source = scripted([runSnapshot('r1', 'running'), failure, failure, failure]);
    const seen: RunSnapshot[] = [];
    await assert.rejects(async () => {
      for await (const snapshot of pollRun(source.getRun, { baseMs: 1, onError: (_error, attempt) => attempt < 2 })) seen.push(snapshot);
    }, failure);
    assert.equal(seen.length, 1);
    assert.equal(source.calls(), 3, 'one survived failure, then the second rethrown');

    const bare = scripted([failure]);
    await assert.rejects(collect(pollRun(bare.getRun, { baseMs: 1 })), failure);
  });

  it('stops when aborted while waiting between polls', async () => {
    const controller = new AbortController();
    const source = scripted([runSnapshot('r1', 'running')]);
    const seen: RunSnapshot[] = [];
    const started = Date.now();
    const done = (async () => {
      for await (const snapshot of pollRun(source.getRun, { baseMs: 10_000, signal: controller.signal })) seen.push(snapshot);
    })();
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort(new Error('user stopped'));
    await assert.rejects(done, /user stopped/);
    assert.ok(Date.now() - started < 2000, 'the 10 s wait is cut short');
    assert.equal(seen.length, 1);
    assert.equal(source.calls(), 1);
  });

  it('does not poll at all with an aborted signal, nor survive an error caused by the abort', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    const source = scripted([runSnapshot('r1', 'running')]);
    await assert.rejects(collect(pollRun(source.getRun, { baseMs: 1, signal: controller.signal })), /gone/);
    assert.equal(source.calls(), 0);

    const late = new AbortController();
    let onErrorCalls = 0;
    const getRun = async () => {
      late.abort(new Error('aborted mid-request'));
      throw new Error('request aborted');
    };
    await assert.rejects(
      collect(
        pollRun(getRun, {
          baseMs: 1,
          signal: late.signal,
          onError: () => {
            onErrorCalls += 1;
            return true;
          },
        }),
      ),
      /request aborted/,
    );
    assert.equal(onErrorCalls, 0);
  });

  it('backs off while quiet: each unchanged poll waits longer', async () => {
    const times: number[] = [];
    const getRun = async () => {
      times.push(Date.now());
      return runSnapshot('r1', 'running');
    };
    const controller = new AbortController();
    const iterator = pollRun(getRun, { baseMs: 2, maxMs: 1000, backoff: 3, signal: controller.signal })[Symbol.asyncIterator]();
    assert.equal((await iterator.next()).value?.status, 'running');
    // Quiet polls yield nothing: this next() keeps polling until the abort.
    const pending = iterator.next();
    const deadline = Date.now() + 3000;
    while (times.length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    assert.ok(times.length >= 4, `${times.length} polls`);
    const gaps = times.slice(1, 4).map((time, index) => time - times[index]!);
    // Waits of 2, 6 and 18 ms (timers never fire early; 1 ms of clock granularity allowed).
    assert.ok(gaps[0]! >= 1 && gaps[1]! >= 5 && gaps[2]! >= 17, `gaps ${gaps.join(', ')} ms`);
    await assert.rejects(pending);
  });
});

describe('pollRun with a live interval (the setting, read at each wait)', () => {
  it('a wait already begun is cut short when the interval is lowered', async () => {
    let intervalMs = 60_000;
    const times: number[] = [];
    const steps = [runSnapshot('r1', 'running'), runSnapshot('r1', 'succeeded', { finishedAt: 1 })];
    const getRun = async () => {
      times.push(Date.now());
      return steps[Math.min(times.length - 1, steps.length - 1)]!;
    };
    const polling = collect(pollRun(getRun, { baseMs: () => intervalMs, signal: AbortSignal.timeout(5000) }));
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(times.length, 1, 'waiting out the minute');
    intervalMs = 10;
    const seen = await polling;
    assert.deepEqual(seen.map((s) => s.status), ['running', 'succeeded']);
    assert.ok(times[1]! - times[0]! < 2000, `second poll after ${times[1]! - times[0]!} ms`);
  });

  it('a raised interval makes the next wait longer', async () => {
    let intervalMs = 5;
    const times: number[] = [];
    const controller = new AbortController();
    const getRun = async () => {
      times.push(Date.now());
      // Every poll changes something, so each wait is the base interval.
      return runSnapshot('r1', 'running', { error: String(times.length) });
    };
    const polling = collect(pollRun(getRun, { baseMs: () => intervalMs, signal: controller.signal }));
    while (times.length < 3) await new Promise((resolve) => setTimeout(resolve, 2));
    intervalMs = 60_000;
    const count = times.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    await assert.rejects(polling);
    assert.ok(times.length <= count + 1, `${times.length - count} polls after the interval was raised`);
  });
});

describe('delay', () => {
  it('resolves after the time, or rejects with the abort reason', async () => {
    await delay(1);
    const controller = new AbortController();
    const pending = delay(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(pending, /stop/);
    await assert.rejects(delay(1, controller.signal), /stop/);
  });
});
