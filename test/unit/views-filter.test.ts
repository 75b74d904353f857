import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runStatuses } from '../../src/providers/model';
import type { RunRecord } from '../../src/runs/record';
import { describeFilter, matchesFilter, normalizeFilter } from '../../src/views/runFilter';
import { connectionOfNode, isViewNode, nodeIds, runOfNode, workflowOfNode } from '../../src/views/nodes';
import { runRecord } from '../helpers/runs';

const run = (status: RunRecord['snapshot']['status']): RunRecord =>
  runRecord({ runId: 'r 1', workflowId: 'default', status }, { connection: 'c/1', platform: 'dify', workflowName: 'App', triggeredAt: 1, updatedAt: 1 });

test('a filter has one spelling: model order, no duplicates, none or all = no filter', () => {
  assert.deepEqual(normalizeFilter(['stopped', 'failed', 'failed', 'bogus']), ['failed', 'stopped']);
  assert.equal(normalizeFilter([]), undefined);
  assert.equal(normalizeFilter(undefined), undefined);
  assert.equal(normalizeFilter([...runStatuses]), undefined);
});

test('matching and describing a filter', () => {
  const filter = normalizeFilter(['failed', 'partial']);
  assert.equal(matchesFilter(run('failed'), filter), true);
  assert.equal(matchesFilter(run('succeeded'), filter), false);
  assert.equal(matchesFilter(run('succeeded'), undefined), true);
  assert.equal(describeFilter(filter), 'Partially succeeded, Failed');
  assert.equal(describeFilter(undefined), undefined);
});

test('node guards accept our nodes and refuse anything else', () => {
  const record = run('running');
  const runNode = { kind: 'run' as const, record, view: 'runs' as const };
  assert.equal(runOfNode(runNode), record);
  assert.equal(connectionOfNode(runNode), 'c/1');
  assert.deepEqual(workflowOfNode(runNode), { connection: 'c/1', workflowId: 'default', workflowName: 'App' });
  assert.deepEqual(workflowOfNode({ kind: 'workflow', connection: 'z', workflow: { id: 'w', name: 'W' } }), {
    connection: 'z',
    workflowId: 'w',
    workflowName: 'W',
  });
  assert.equal(connectionOfNode({ kind: 'error', connection: 'z', message: 'm', credentialProblem: true, source: 'load' }), 'z');
  assert.equal(connectionOfNode({ kind: 'filterEmpty' }), undefined);
  for (const value of [undefined, null, 'prod', 3, {}, { kind: 'other', connection: 'x' }]) {
    assert.equal(isViewNode(value), false);
    assert.equal(connectionOfNode(value), undefined);
    assert.equal(runOfNode(value), undefined);
    assert.equal(workflowOfNode(value), undefined);
  }
});

test('ids are stable and cannot collide through separators', () => {
  assert.equal(nodeIds.workflow('a/b', 'c'), nodeIds.workflow('a/b', 'c'));
  assert.notEqual(nodeIds.workflow('a/b', 'c'), nodeIds.workflow('a', 'b/c'));
  assert.notEqual(nodeIds.run('runs', 'p', '1'), nodeIds.run('workflows', 'p', '1'));
  assert.notEqual(nodeIds.connection('x'), nodeIds.loadError('x'));
});
