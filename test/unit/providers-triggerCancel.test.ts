// What a caller's cancel does to a trigger's requests, phase by phase (src/providers/triggerCancel.ts).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TriggerCancel } from '../../src/providers/triggerCancel';

describe('TriggerCancel', () => {
  it('before the run request starts: aborts at once, nothing is sent', () => {
    const caller = new AbortController();
    const cancel = new TriggerCancel(caller.signal, 10_000);
    caller.abort(new Error('cancelled'));
    assert.equal(cancel.controller.signal.aborted, true);
    assert.equal((cancel.controller.signal.reason as Error).message, 'cancelled', "the caller's reason");
  });

  it('while the platform answers: waits for the name, at most the grace', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const caller = new AbortController();
    const cancel = new TriggerCancel(caller.signal, 5_000);
    cancel.sent();
    caller.abort();
    t.mock.timers.tick(4_999);
    assert.equal(cancel.controller.signal.aborted, false, 'still waiting for the answer');
    t.mock.timers.tick(1);
    assert.equal(cancel.controller.signal.aborted, true, 'given up after the grace');
  });

  it('named during the wait: says the caller cancelled, and the grace timer is gone', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const caller = new AbortController();
    const cancel = new TriggerCancel(caller.signal, 5_000);
    cancel.sent();
    caller.abort();
    assert.equal(cancel.named(), true);
    t.mock.timers.tick(10_000);
    assert.equal(cancel.controller.signal.aborted, false, 'the adapter decides what to let go of');
  });

  it('once named: a later cancel (the run being followed) aborts at once', () => {
    const caller = new AbortController();
    const cancel = new TriggerCancel(caller.signal, 5_000);
    cancel.sent();
    assert.equal(cancel.named(), false, 'not cancelled');
    caller.abort();
    assert.equal(cancel.controller.signal.aborted, true);
  });

  it('a signal aborted already, or none', () => {
    assert.equal(new TriggerCancel(AbortSignal.abort()).controller.signal.aborted, true);
    const free = new TriggerCancel(undefined);
    free.sent();
    assert.equal(free.named(), false);
    assert.equal(free.controller.signal.aborted, false);
  });
});
