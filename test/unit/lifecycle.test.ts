import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Disposable, disposeAll } from '../../src/util/lifecycle';
import { linkedController } from '../../src/client/abort';

test('disposeAll disposes last first, once, and keeps going past a failure', () => {
  const order: string[] = [];
  const items = ['a', 'b', 'c'].map((name) => ({
    dispose() {
      order.push(name);
      if (name === 'b') throw new Error('b failed');
    },
  }));
  assert.throws(() => disposeAll(items), /b failed/);
  assert.deepEqual(order, ['c', 'b', 'a']);
  assert.equal(items.length, 0, 'emptied, so a second call does nothing');
  disposeAll(items);
  assert.deepEqual(order, ['c', 'b', 'a']);
});

test('a Disposable disposes what it registered once, and at once what comes after', () => {
  const disposed: string[] = [];
  class Owner extends Disposable {
    add(name: string) {
      return this.register({ dispose: () => disposed.push(name) });
    }
  }
  const owner = new Owner();
  owner.add('first');
  owner.add('second');
  owner.dispose();
  owner.dispose();
  assert.deepEqual(disposed, ['second', 'first']);
  owner.add('late');
  assert.deepEqual(disposed, ['second', 'first', 'late']);
});

test('linkedController follows its parent signal, but not the other way round', () => {
  const parent = new AbortController();
  const child = linkedController(parent.signal);
  const sibling = linkedController(parent.signal);
  sibling.abort();
  assert.equal(parent.signal.aborted, false);
  parent.abort('bye');
  assert.equal(child.signal.aborted, true);
  assert.equal(child.signal.reason, 'bye');
  const late = linkedController(parent.signal);
  assert.equal(late.signal.aborted, true, 'an already aborted parent aborts at once');
  assert.equal(linkedController(undefined).signal.aborted, false);
});
