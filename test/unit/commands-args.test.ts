// Commands take what tree rows, CodeLens, the webview and other extensions pass them.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { connectionFromArg, runFromArg, workflowFromArg } from '../../src/commands/args';
import { emptyTaskCounts } from '../../src/providers/model';
import { RunStore } from '../../src/runs/store';
import type { Services } from '../../src/services';

const memento = { data: new Map<string, unknown>(), get(key: string) { return this.data.get(key) as never; }, async update(key: string, value: unknown) { this.data.set(key, value); } };
const store = new RunStore(memento, () => 50, 60_000);
const record = store.upsert('prod', 'b3os', { runId: 'run_1', workflowId: 'wf_1', status: 'running', tasks: emptyTaskCounts() });
const connections = [
  { name: 'prod', platform: 'b3os', baseUrl: 'https://api.b3os.org' },
  { name: 'app', platform: 'dify', baseUrl: 'https://api.dify.ai/v1' },
];
const services = {
  store,
  connections: {
    get: (name: string) => connections.find((connection) => connection.name === name),
    platformOf: (connection: { platform: string }) => (connection.platform === 'dify' ? { singleWorkflow: () => 'default' } : {}),
  },
} as unknown as Services;

describe('command arguments', () => {
  it('finds the connection in a name, a connection or error node, a workflow node and a run node', () => {
    assert.equal(connectionFromArg('prod'), 'prod');
    assert.equal(connectionFromArg({ kind: 'connection', connection: 'prod' }), 'prod');
    assert.equal(connectionFromArg({ kind: 'error', connection: 'prod', message: 'x' }), 'prod');
    assert.equal(connectionFromArg({ kind: 'run', record }), 'prod');
    assert.equal(connectionFromArg(42), undefined);
    assert.equal(connectionFromArg(undefined), undefined);
  });

  it('finds the stored run from a run node, a record or {connection, runId}; unknown runs are undefined', () => {
    assert.equal(runFromArg(services, { kind: 'run', record }), record);
    assert.equal(runFromArg(services, record), record);
    assert.equal(runFromArg(services, { connection: 'prod', runId: 'run_1' }), record);
    assert.equal(runFromArg(services, { connection: 'prod', runId: 'run_2' }), undefined);
    assert.equal(runFromArg(services, { connection: 'other', runId: 'run_1' }), undefined);
    assert.equal(runFromArg(services, 'run_1'), undefined);
  });

  it('finds a workflow from a workflow node or {connection, workflowId}; a one-workflow connection node is its workflow', () => {
    assert.deepEqual(workflowFromArg(services, { kind: 'workflow', connection: 'prod', workflow: { id: 'wf_1', name: 'Alert' } }), {
      connection: 'prod',
      workflowId: 'wf_1',
      workflowName: 'Alert',
    });
    assert.deepEqual(workflowFromArg(services, { connection: 'prod', workflowId: 'wf_2' }), { connection: 'prod', workflowId: 'wf_2', workflowName: undefined });
    assert.deepEqual(workflowFromArg(services, { kind: 'connection', connection: 'app' }), { connection: 'app', workflowId: 'default' });
    assert.equal(workflowFromArg(services, { kind: 'connection', connection: 'prod' }), undefined, 'a connection of many workflows is not one');
  });

  it('settles the store', async () => {
    await store.flush();
  });
});
