// Runs ending close together are one notification: the batching window and the counts.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { countEnds, EndBatcher, type BatchTimers } from '../../src/runs/endBatch';

/** A clock that moves only when told to. */
function fakeTimers(): BatchTimers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let timers: Array<{ at: number; callback: () => void; handle: number }> = [];
  let next = 1;
  return {
    setTimeout(callback, ms) {
      const handle = next++;
      timers.push({ at: now + ms, callback, handle });
      return handle;
    },
    clearTimeout(handle) {
      timers = timers.filter((timer) => timer.handle !== handle);
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((timer) => timer.at <= now);
      timers = timers.filter((timer) => timer.at > now);
      for (const timer of due) timer.callback();
    },
    pending: () => timers.length,
  };
}

describe('EndBatcher', () => {
  it('announces one end alone once the window closes', () => {
    const clock = fakeTimers();
    const batches: string[][] = [];
    const batcher = new EndBatcher<string>((items) => batches.push(items), 1500, clock);
    batcher.add('a');
    clock.advance(1499);
    assert.deepEqual(batches, []);
    clock.advance(1);
    assert.deepEqual(batches, [['a']]);
  });

  it('gathers ends within the window into one batch, and starts a new window after it', () => {
    const clock = fakeTimers();
    const batches: string[][] = [];
    const batcher = new EndBatcher<string>((items) => batches.push(items), 1500, clock);
    batcher.add('a');
    clock.advance(500);
    batcher.add('b');
    clock.advance(900);
    batcher.add('c');
    clock.advance(100);
    assert.deepEqual(batches, [['a', 'b', 'c']]);
    batcher.add('d');
    clock.advance(1500);
    assert.deepEqual(batches, [['a', 'b', 'c'], ['d']]);
  });

  it('is not held back by a steady stream of ends (the window is not pushed back)', () => {
    const clock = fakeTimers();
    const batches: string[][] = [];
    const batcher = new EndBatcher<number>((items) => batches.push(items.map(String)), 1500, clock);
    for (let i = 0; i < 10; i += 1) {
      batcher.add(i);
      clock.advance(400);
    }
    assert.ok(batches.length >= 2, `ends were announced while they kept coming (${batches.length} batches)`);
    assert.deepEqual(batches[0], ['0', '1', '2', '3']);
  });

  it('drops what is pending when disposed', () => {
    const clock = fakeTimers();
    const batches: string[][] = [];
    const batcher = new EndBatcher<string>((items) => batches.push(items), 1500, clock);
    batcher.add('a');
    batcher.dispose();
    assert.equal(clock.pending(), 0);
    clock.advance(2000);
    assert.deepEqual(batches, []);
  });
});

describe('countEnds', () => {
  it('counts successes, failures and the rest', () => {
    assert.deepEqual(countEnds(['succeeded', 'failed', 'succeeded']), { total: 3, succeeded: 2, failed: 1, other: 0 });
    assert.deepEqual(countEnds(['stopped', 'partial', 'failed']), { total: 3, succeeded: 0, failed: 1, other: 2 });
  });
});
