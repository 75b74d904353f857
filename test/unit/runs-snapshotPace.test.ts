import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { RunSnapshot } from '../../src/providers/model';
import { mergeIncoming } from '../../src/runs/mergeSnapshot';
import { SnapshotPace } from '../../src/runs/snapshotPace';
import type { ThrottleTimers } from '../../src/util/throttle';
import { runSnapshot as snap } from '../helpers/runs';

/** A clock the test moves by hand; timers fire when it passes them. */
class ManualClock implements ThrottleTimers {
  private time = 0;
  private timers: Array<{ at: number; callback: () => void }> = [];
  now = (): number => this.time;
  setTimeout = (callback: () => void, ms: number): unknown => {
    const timer = { at: this.time + ms, callback };
    this.timers.push(timer);
    return timer;
  };
  clearTimeout = (handle: unknown): void => {
    this.timers = this.timers.filter((timer) => timer !== handle);
  };
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.clearTimeout(due);
      this.time = due.at;
      due.callback();
    }
    this.time = until;
  }
  get pending(): number {
    return this.timers.length;
  }
}

function setUp(intervalMs = 200) {
  const clock = new ManualClock();
  const applied: RunSnapshot[] = [];
  const pace = new SnapshotPace((snapshot) => applied.push(snapshot), intervalMs, clock);
  return { clock, applied, pace };
}

const withDone = (done: number, extra: Partial<RunSnapshot> = {}) => snap('r1', 'running', { tasks: { queued: 0, pending: 0, processing: 0, success: done, error: 0, stopped: 0, skipped: 0, total: 100 }, ...extra });

describe('SnapshotPace: a stream of snapshots reaches the store at a bounded pace', () => {
  it('hands the first snapshot over at once, so the first live state is not delayed', () => {
    const { applied, pace } = setUp();
    pace.push(withDone(1));
    assert.equal(applied.length, 1);
  });

  it('while a burst with one status goes on, hands over at most one snapshot per interval, the latest each time', () => {
    const { clock, applied, pace } = setUp();
    // A snapshot every 5 ms for one second.
    for (let done = 1; done <= 200; done += 1) {
      pace.push(withDone(done));
      clock.advance(5);
    }
    assert.ok(applied.length >= 5 && applied.length <= 6, `${applied.length} handed over in 1 s`);
    for (let i = 1; i < applied.length; i += 1) assert.ok(applied[i].tasks.success > applied[i - 1].tasks.success);
    clock.advance(1000);
    assert.equal(applied.at(-1)?.tasks.success, 200, 'the last one is always handed over');
    assert.equal(clock.pending, 0, 'no timer left once nothing is held');
  });

  it('hands over the end of a burst once snapshots pause, not at the interval end', () => {
    const { clock, applied, pace } = setUp();
    pace.push(withDone(1));
    clock.advance(60);
    // A burst after a pause: a snapshot every 2 ms from 60 to 156 ms.
    for (let done = 2; done <= 50; done += 1) {
      pace.push(withDone(done));
      if (done < 50) clock.advance(2);
    }
    assert.equal(applied.length, 2, 'the first snapshot after a pause goes at once, as the very first did');
    assert.equal(applied[1].tasks.success, 2);
    clock.advance(15);
    assert.equal(applied.length, 2, 'the rest of the burst not before the snapshots pause');
    clock.advance(1);
    assert.equal(applied.length, 3, '16 ms after the last one, well before the 200 ms interval ends');
    assert.equal(applied[2].tasks.success, 50);
  });

  it('never hands over two snapshots closer than 50 ms while the status stays', () => {
    const { clock, applied, pace } = setUp();
    const at: number[] = [];
    const timed = new SnapshotPace((snapshot) => (applied.push(snapshot), at.push(clock.now())), 200, clock);
    for (let i = 0; i < 100; i += 1) {
      timed.push(withDone(i));
      clock.advance(i % 3 === 0 ? 30 : 1);
    }
    clock.advance(500);
    for (let i = 1; i < at.length; i += 1) assert.ok(at[i] - at[i - 1] >= 50, `gap ${at[i] - at[i - 1]} ms`);
    void pace;
  });

  it('never holds back a change of status or an end, and hands over what was held with it', () => {
    const { applied, pace } = setUp();
    pace.push(withDone(1));
    pace.push(withDone(2, { outputs: { partial: true } }));
    pace.push(snap('r1', 'succeeded', { tasks: withDone(100).tasks }));
    assert.deepEqual(applied.map((s) => s.status), ['running', 'succeeded']);
    assert.deepEqual(applied[1].outputs, { partial: true }, 'a field only the held snapshot had is kept');
  });

  it('combines held snapshots exactly as the store would have merged them one by one', () => {
    const { clock, applied, pace } = setUp();
    const stored = withDone(0, { inputs: { a: 1 }, timeline: [{ id: 'n1', name: 'start', state: 'success' }] as RunSnapshot['timeline'] });
    const burst = [withDone(1, { outputs: { x: 1 } }), withDone(2, { timeline: [] }), withDone(3, { handle: { taskId: 't' } }), withDone(4)];
    const oneByOne = burst.reduce((previous, next) => mergeIncoming(previous, next), stored);
    pace.push(stored);
    for (const snapshot of burst) pace.push(snapshot);
    clock.advance(200);
    const paced = applied.reduce<RunSnapshot | undefined>((previous, next) => mergeIncoming(previous, next), undefined);
    assert.deepEqual(paced, oneByOne);
  });

  it('hands over a snapshot that comes after a quiet interval at once (polling is not slowed)', () => {
    const { clock, applied, pace } = setUp();
    pace.push(withDone(1));
    clock.advance(5000);
    pace.push(withDone(2));
    assert.equal(applied.length, 2);
  });

  it('flush hands over what is held; dispose drops it and leaves no timer', () => {
    const first = setUp();
    first.pace.push(withDone(1));
    first.pace.push(withDone(2));
    first.pace.flush();
    assert.equal(first.applied.at(-1)?.tasks.success, 2);
    const second = setUp();
    second.pace.push(withDone(1));
    second.pace.push(withDone(2));
    second.pace.dispose();
    second.clock.advance(1000);
    assert.equal(second.applied.length, 1);
    assert.equal(second.clock.pending, 0);
  });
});
