// A Zuora callout `/sync` call holds its request until the run ends. The run is in history from
// the moment the request is sent (a stand-in, "waiting for Zuora's answer"), gives way to the real
// run when /sync answers, and a stand-in left behind by a closed window ends in a clear state.
import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { createHttpClient } from '../../src/client/http';
import type { Connection } from '../../src/connections/schema';
import type { RunSnapshot } from '../../src/providers/model';
import { createZuoraProvider } from '../../src/providers/zuora/adapter';
import { MemoryHistoryPersistence } from '../../src/runs/persistence';
import { PendingRun, endAbandonedPendingRuns } from '../../src/runs/pendingRun';
import { isInFlight } from '../../src/runs/record';
import { RunStore } from '../../src/runs/store';
import { useEmulator } from '../helpers/emulator';
import { silentLog } from '../helpers/log';
import { MemoryMemento } from '../helpers/memento';

const emulator = useEmulator({ beforeEachTest: 'reset' });
const http = createHttpClient({ log: silentLog, requestTimeoutMs: 30_000, retry: { baseDelayMs: 10, maxDelayMs: 50 } });
after(() => http.dispose());

function tokenProvider() {
  const connection: Connection = { name: 'zuora-callout', platform: 'zuora', baseUrl: emulator.urls.zuora, auth: 'apiToken' };
  return createZuoraProvider({ connection, getCredential: async () => 'demo-token', http, log: silentLog, machineId: 't', pollIntervalMs: 40 });
}

describe('Zuora /sync: recorded while the answer is awaited', () => {
  it('the stand-in is in history as soon as the request is sent, and the real run replaces it', async () => {
    const store = new RunStore(new MemoryMemento(), () => 50, 60_000);
    const pending = new PendingRun(store, 'zuora-callout', 'zuora', { inputs: { a: 1 }, options: {} }, undefined);
    const seenWhileWaiting: RunSnapshot[] = [];
    let answered = false;
    const trigger = tokenProvider().trigger({
      workflowId: '19027',
      inputs: { a: 1 },
      options: {},
      onSent: (snapshot) => {
        pending.onSent(snapshot);
        seenWhileWaiting.push(...store.all().map((record) => record.snapshot));
      },
    });
    void trigger.then(() => (answered = true), () => undefined);
    // The emulator's run takes a while (5 tasks): the stand-in is there before the answer.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(answered, false, 'still waiting for /sync');
    assert.equal(seenWhileWaiting.length, 1);
    const standIn = store.all()[0]!;
    assert.match(standIn.snapshot.runId, /^sync-/);
    assert.equal(standIn.snapshot.status, 'running');
    assert.match(standIn.watchError ?? '', /Waiting for Zuora's answer/);
    assert.equal(isInFlight(standIn), false, 'not polled: callout credentials cannot read runs back');
    assert.notEqual(store.leaseHolder('zuora-callout', standIn.snapshot.runId), undefined, 'this window holds it while it waits');

    const { snapshot } = await trigger;
    pending.answered();
    store.upsert('zuora-callout', 'zuora', snapshot);
    assert.deepEqual(store.all().map((record) => [record.snapshot.runId, record.snapshot.status]), [[snapshot.runId, 'succeeded']]);
    assert.match(snapshot.runId, /^\d+$/);
    assert.equal(emulator.triggers('zuora').length, 1, 'one run started');
    store.dispose();
  });

  it('a server without /sync (404): the run is started once with /run, and the stand-in gives way to it', async () => {
    emulator.injectFault({ platform: 'zuora', method: 'POST', path: /\/api\/v1\/workflows\/19027\/sync$/, kind: 'status', status: 404, times: 'always' });
    const store = new RunStore(new MemoryMemento(), () => 50, 60_000);
    const pending = new PendingRun(store, 'zuora-callout', 'zuora', { inputs: { a: 1 }, options: {} }, undefined);
    const created = emulator.runsCreated('zuora');
    const { snapshot } = await tokenProvider().trigger({ workflowId: '19027', inputs: { a: 1 }, options: {}, onSent: pending.onSent });
    pending.answered();
    store.upsert('zuora-callout', 'zuora', snapshot);
    assert.match(snapshot.runId, /^\d+$/, 'the run /run started');
    assert.match(snapshot.untracked ?? '', /cannot read runs back/, 'said: callout credentials cannot follow it');
    assert.equal(emulator.runsCreated('zuora') - created, 1, 'one run');
    const posts = emulator.requests.filter((r) => r.platform === 'zuora' && r.method === 'POST').map((r) => r.path.replace(/\?.*/, ''));
    assert.deepEqual(posts, ['/api/v1/workflows/19027/sync', '/api/v1/workflows/19027/run']);
    assert.deepEqual(store.all().map((record) => record.snapshot.runId), [snapshot.runId], 'the stand-in is gone');
    store.dispose();
  });

  it('a failed /sync leaves the stand-in in history as failed, with the error', async () => {
    const store = new RunStore(new MemoryMemento(), () => 50, 60_000);
    const pending = new PendingRun(store, 'zuora-callout', 'zuora', { inputs: {}, options: {} }, undefined);
    const error = await tokenProvider()
      .trigger({ workflowId: '19032', inputs: {}, options: {}, onSent: pending.onSent })
      .then(() => undefined, (thrown: unknown) => thrown);
    assert.ok(error instanceof Error);
    pending.failed(error);
    const [record] = store.all();
    assert.equal(record?.snapshot.status, 'failed');
    assert.match(record?.snapshot.error ?? '', /Callout trigger/);
    assert.equal(record?.watchError, undefined);
    store.dispose();
  });

  it('a stand-in left behind by a closed window ends with the provider\'s explanation after a reload', async () => {
    const memento = new MemoryMemento();
    const persistence = new MemoryHistoryPersistence();
    const closing = new RunStore(memento, () => 50, 0, { persistence });
    const pending = new PendingRun(closing, 'zuora-callout', 'zuora', { inputs: {}, options: {} }, undefined);
    const controller = new AbortController();
    const trigger = tokenProvider().trigger({ workflowId: '19027', inputs: {}, options: {}, signal: controller.signal, onSent: pending.onSent });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const runId = closing.all()[0]!.snapshot.runId;

    // A second window that opens meanwhile leaves it alone: the first still waits.
    const other = new RunStore(memento, () => 50, 0, { persistence });
    await closing.flush();
    other.refreshFromStorage();
    assert.equal(endAbandonedPendingRuns(other), 0);
    assert.equal(other.get('zuora-callout', runId)?.snapshot.status, 'running');

    // The window closes: its request and its lease go with it.
    controller.abort();
    await trigger.catch(() => undefined);
    await closing.flush();
    closing.dispose();

    const reloaded = new RunStore(memento, () => 50, 0, { persistence });
    assert.equal(endAbandonedPendingRuns(reloaded), 1);
    const record = reloaded.get('zuora-callout', runId)!;
    assert.equal(record.snapshot.status, 'failed');
    assert.equal(record.snapshot.platformStatus, 'Answer lost');
    assert.match(record.snapshot.error ?? '', /lost when the window closed.*check Zuora/);
    assert.equal(endAbandonedPendingRuns(reloaded), 0, 'once');
    other.dispose();
    reloaded.dispose();
  });
});
