import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../src/util/emitter';
import { InFlightTicker } from '../../src/views/ticker';

function fakeStore() {
  const changed = new Emitter<unknown>();
  const state = { inFlight: [] as unknown[] };
  return {
    state,
    inFlight: () => state.inFlight,
    onDidChange: changed.event,
    set(count: number) {
      state.inFlight = Array.from({ length: count }, (_, i) => i);
      changed.fire(undefined);
    },
  };
}

test('no timer while nothing is in flight; ticks every interval while something is', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const store = fakeStore();
    const ticker = new InFlightTicker(store, 5000);
    let ticks = 0;
    ticker.onDidTick(() => ticks++);
    assert.equal(ticker.running, false);
    mock.timers.tick(20_000);
    assert.equal(ticks, 0);

    store.set(2);
    assert.equal(ticker.running, true);
    mock.timers.tick(4999);
    assert.equal(ticks, 0);
    mock.timers.tick(1);
    assert.equal(ticks, 1);
    mock.timers.tick(10_000);
    assert.equal(ticks, 3);

    store.set(0);
    assert.equal(ticker.running, false);
    mock.timers.tick(20_000);
    assert.equal(ticks, 3);
    ticker.dispose();
  } finally {
    mock.timers.reset();
  }
});

test('a ticker stops by itself when runs ended without an event, and on dispose', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const store = fakeStore();
    store.set(1);
    const ticker = new InFlightTicker(store, 1000);
    let ticks = 0;
    ticker.onDidTick(() => ticks++);
    assert.equal(ticker.running, true);
    store.state.inFlight = [];
    mock.timers.tick(1000);
    assert.equal(ticks, 0);
    assert.equal(ticker.running, false);

    store.set(1);
    assert.equal(ticker.running, true);
    ticker.dispose();
    assert.equal(ticker.running, false);
    store.set(3);
    assert.equal(ticker.running, false);
  } finally {
    mock.timers.reset();
  }
});
