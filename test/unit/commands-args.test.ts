// Commands take what tree rows, CodeLens, the webview and other extensions pass them.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { connectionFromArg, runFromArg, runRefFromArg, taskFromArg, workflowFromArg } from '../../src/commands/args';
import type { Connection } from '../../src/connections/schema';
import { emptyTaskCounts } from '../../src/providers/model';
import { RunStore } from '../../src/runs/store';
import type { Services } from '../../src/services';

const memento = { data: new Map<string, unknown>(), get(key: string) { return this.data.get(key) as never; }, async update(key: string, value: unknown) { this.data.set(key, value); } };
const store = new RunStore(memento, () => 50, 60_000);
const record = store.upsert('prod', 'b3os', { runId: 'run_1', workflowId: 'wf_1', status: 'running', tasks: emptyTaskCounts() });
const connections = [
  { name: 'prod', platform: 'b3os', baseUrl: 'https://api.b3os.org' },
  { name: 'billing', platform: 'zuora', baseUrl: 'https://rest.test.zuora.com' },
  { name: 'app', platform: 'dify', baseUrl: 'https://api.dify.ai/v1' },
  { name: 'pinned', platform: 'dify', baseUrl: 'https://api.dify.ai/v1', workflowId: 'wf-v7' },
] as Connection[];
// As the extension's: a Dify connection's one workflow is its workflowId, or `default`.
const singleWorkflowOf = (connection: Connection) => (connection.platform === 'dify' ? (connection.workflowId ?? 'default') : undefined);
const services = {
  store,
  payload: { targetContext: () => ({ connections, singleWorkflowOf }) },
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

  it('takes a numeric workflow id (Zuora) as its text, from {connection, workflowId} and from a workflow node', () => {
    assert.deepEqual(workflowFromArg(services, { connection: 'billing', workflowId: 1234 }), { connection: 'billing', workflowId: '1234', workflowName: undefined });
    assert.deepEqual(workflowFromArg(services, { kind: 'workflow', connection: 'billing', workflow: { id: 1234, name: 'Bill run' } }), {
      connection: 'billing',
      workflowId: '1234',
      workflowName: 'Bill run',
    });
  });

  it('reads "<connection>/<workflow id>" and "<connection>" as $workflow does', () => {
    assert.deepEqual(workflowFromArg(services, 'billing/1234'), { connection: 'billing', workflowId: '1234' });
    assert.deepEqual(workflowFromArg(services, 'app'), { connection: 'app', workflowId: 'default' });
    assert.deepEqual(workflowFromArg(services, 'pinned/default'), { connection: 'pinned', workflowId: 'wf-v7' });
    assert.equal(workflowFromArg(services, 'billing'), undefined, 'a connection of many workflows needs the id');
    assert.equal(workflowFromArg(services, 'nowhere/1'), undefined);
  });

  it('takes {connection} alone as the one workflow of a one-workflow connection (its workflowId when configured)', () => {
    assert.deepEqual(workflowFromArg(services, { connection: 'app' }), { connection: 'app', workflowId: 'default' });
    assert.deepEqual(workflowFromArg(services, { connection: 'pinned' }), { connection: 'pinned', workflowId: 'wf-v7' });
    assert.equal(workflowFromArg(services, { connection: 'billing' }), undefined);
    assert.equal(workflowFromArg(services, { connection: 'nowhere' }), undefined);
    assert.equal(workflowFromArg(services, { kind: 'error', connection: 'app', message: 'x' }), undefined, 'an error row is not the workflow');
  });

  it('reads what Open Run by ID is given: (connection, runId), {connection, runId[, workflowId]} or a run node; missing parts stay undefined', () => {
    assert.deepEqual(runRefFromArg('prod', 'run_9'), { connection: 'prod', runId: 'run_9', workflowId: undefined });
    assert.deepEqual(runRefFromArg({ connection: 'prod', runId: 'run_9' }), { connection: 'prod', runId: 'run_9', workflowId: undefined });
    assert.deepEqual(runRefFromArg({ connection: 'billing', runId: 42, workflowId: 7 }), { connection: 'billing', runId: '42', workflowId: '7' });
    assert.deepEqual(runRefFromArg({ kind: 'run', record }), { connection: 'prod', runId: 'run_1', workflowId: 'wf_1' });
    assert.deepEqual(runRefFromArg({ connection: 'prod' }), { connection: 'prod', runId: undefined, workflowId: undefined });
    assert.deepEqual(runRefFromArg({ connection: 'prod', runId: '  ' }), { connection: 'prod', runId: undefined, workflowId: undefined });
    assert.deepEqual(runRefFromArg(undefined), { connection: undefined, runId: undefined, workflowId: undefined });
  });

  it('finds a task by a string or numeric task id', () => {
    assert.deepEqual(taskFromArg(services, { connection: 'prod', runId: 'run_1', taskId: 3 }), { record, taskId: '3' });
    assert.equal(taskFromArg(services, { connection: 'prod', runId: 'run_1' }), undefined);
  });

  it('settles the store', async () => {
    await store.flush();
  });
});
