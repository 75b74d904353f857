// Cancelling a run while it is being started (the progress notification's Cancel, or a test run
// cancelled in the Testing view): when the platform had the run all the same and the trigger still
// names it (Dify, see TriggerRequest.signal), the run service records it, stops it and follows it
// until the platform says it stopped, instead of leaving it running unseen.
import '../helpers/fake-vscode';
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Connection } from '../../src/connections/schema';
import type { RunRef, RunSnapshot } from '../../src/providers/model';
import type { TriggerRequest, WorkflowProvider } from '../../src/providers/provider';
import { findPlatform } from '../../src/providers/registry';
import { RunController } from '../../src/runs/service';
import { RunStore } from '../../src/runs/store';
import type { RunWatchers } from '../../src/runs/watcher';
import type { ConnectionService, ProviderService } from '../../src/services';
import { eventually } from '../helpers/eventually';
import { MemoryMemento } from '../helpers/memento';
import { runSnapshot } from '../helpers/runs';

const connection = { name: 'dify-prod', platform: 'dify', baseUrl: 'https://dify.example.com/v1' } as Connection;

function controller(options: { stopFails?: boolean } = {}) {
  const store = new RunStore(new MemoryMemento(), () => 50, 60_000);
  const stops: RunRef[] = [];
  const watched: Array<{ runId: string; aborted: boolean }> = [];
  const provider = {
    // Named only after the cancel, as when Dify's workflow_started comes after it.
    trigger: (request: TriggerRequest) =>
      new Promise<{ snapshot: RunSnapshot }>((resolve) => {
        request.signal!.addEventListener('abort', () => resolve({ snapshot: runSnapshot('run-1', 'running', { handle: { taskId: 'task-1' } }) }), { once: true });
      }),
    stop: async (ref: RunRef) => {
      stops.push(ref);
      if (options.stopFails) throw new Error('Dify answered 500');
    },
    getRun: async (ref: RunRef) => runSnapshot(ref.runId, options.stopFails ? 'running' : 'stopped'),
  } as unknown as WorkflowProvider;
  const connections = { get: (name: string) => (name === connection.name ? connection : undefined), platformOf: (c: Connection) => findPlatform(c.platform) } as unknown as ConnectionService;
  const providers = { get: async () => provider } as unknown as ProviderService;
  const watchers = { watch: (record: { snapshot: RunSnapshot }, _updates: unknown, lifetime: AbortController) => watched.push({ runId: record.snapshot.runId, aborted: lifetime.signal.aborted }) } as unknown as RunWatchers;
  return { runs: new RunController(store, connections, providers, watchers), store, stops, watched };
}

/** Starts a run and cancels it as soon as its request is being sent. */
function triggerThenCancel(runs: RunController) {
  return runs.trigger({ connection: connection.name, workflowId: 'default' }, { inputs: {}, options: {} }, {
    whileSending: async (_what, cancel, send) => {
      const sending = send();
      cancel();
      return sending;
    },
  });
}

describe('a run cancelled while it was being started', () => {
  it('is recorded, stopped on the platform and followed until it stopped', async () => {
    const { runs, store, stops, watched } = controller();
    const record = await triggerThenCancel(runs);
    assert.equal(record?.snapshot.runId, 'run-1', 'the run is in history, not forgotten');
    assert.equal(record?.snapshot.status, 'stopping', 'shown stopping at once (a payload test then stops it no second time)');
    assert.deepEqual(watched, [{ runId: 'run-1', aborted: false }], 'followed with a lifetime of its own, not the cancelled one');
    await eventually(() => (store.get(connection.name, 'run-1')?.snapshot.status === 'stopped' ? true : undefined));
    assert.deepEqual(stops.map((ref) => [ref.runId, ref.handle?.taskId]), [['run-1', 'task-1']], 'stopped once, with the task id Dify needs');
  });

  it('a stop that fails is said on the run, which is still followed', async () => {
    const { runs, store, stops } = controller({ stopFails: true });
    await triggerThenCancel(runs);
    const noted = await eventually(() => store.get(connection.name, 'run-1')?.watchError);
    assert.equal(stops.length, 1);
    assert.match(noted, /Cancelled while it was being started, but it could not be stopped: .*Dify answered 500/);
  });
});
