// linkedController: a child follows its parent's abort, and lets go of the parent once it is done.
import { strict as assert } from 'node:assert';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { linkedController } from '../../src/client/abort';

describe('linkedController', () => {
  it('aborts with the parent, with the same reason', () => {
    const parent = new AbortController();
    const child = linkedController(parent.signal);
    parent.abort('stopped');
    assert.equal(child.signal.aborted, true);
    assert.equal(child.signal.reason, 'stopped');
    assert.equal(linkedController(parent.signal).signal.reason, 'stopped', 'a parent already aborted aborts the child at once');
  });

  it('leaves no listener on a long-lived parent once each child is done (aborted on its own)', () => {
    const parent = new AbortController();
    for (let i = 0; i < 30; i++) linkedController(parent.signal).abort();
    assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
    assert.equal(parent.signal.aborted, false, 'a child never aborts its parent');
  });

  it('works without a parent', () => {
    const child = linkedController(undefined);
    child.abort('done');
    assert.equal(child.signal.reason, 'done');
  });
});
