import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { RunSnapshot } from '../../src/providers/model';
import { mergeIncoming } from '../../src/runs/mergeSnapshot';
import { SnapshotPace, type PaceClock } from '../../src/runs/snapshotPace';
import { runSnapshot as snap } from '../helpers/runs';

/** A clock the test moves by hand; timers fire when it passes them. */
class ManualClock implements PaceClock {
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
    this.time += ms;
    for (const timer of this.timers.filter((t) => t.at <= this.time)) {
      this.clearTimeout(timer);
      timer.callback();
    }
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

  it('holds a burst with the same status and hands over only the latest when the interval is up', () => {
    const { clock, applied, pace } = setUp();
    for (let done = 1; done <= 1000; done += 1) pace.push(withDone(done));
    assert.equal(applied.length, 1, 'only the first of the burst at once');
    clock.advance(199);
    assert.equal(applied.length, 1);
    clock.advance(1);
    assert.equal(applied.length, 2);
    assert.equal(applied[1].tasks.success, 1000);
    assert.equal(clock.pending, 0, 'no timer left once nothing is held');
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
