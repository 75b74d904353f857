import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from '../../src/connections/schema';
import { WorkflowRunsError } from '../../src/client/errors';
import {
  RememberedTargets,
  formatWorkflowRef,
  rememberedTargetsKey,
  resolveWorkflowRef,
  tryResolveWorkflowRef,
} from '../../src/payload/target';
import type { TargetContext } from '../../src/payload/target';
import { MemoryMemento } from '../helpers/memento';

const connection = (name: string, platform: string, extra: Record<string, unknown> = {}): Connection => ({
  name,
  platform,
  baseUrl: 'https://example.test',
  ...extra,
});

const context: TargetContext = {
  connections: [
    connection('prod', 'b3os'),
    connection('prod eu', 'zuora'),
    connection('team/prod', 'zuora'),
    connection('team', 'b3os'),
    connection('My App', 'dify'),
    connection('pinned', 'dify', { workflowId: 'v-123' }),
  ],
  // Shaped like the Dify descriptor's rule, without depending on it.
  singleWorkflowOf: (c) => (c.platform === 'dify' ? (typeof c.workflowId === 'string' ? c.workflowId : 'default') : undefined),
};

test('connection/workflow resolves; names may contain spaces', () => {
  assert.deepEqual(resolveWorkflowRef('prod/wf_1', context), { connection: 'prod', workflowId: 'wf_1' });
  assert.deepEqual(resolveWorkflowRef('prod eu/123', context), { connection: 'prod eu', workflowId: '123' });
  assert.deepEqual(resolveWorkflowRef('  prod/wf_1 ', context), { connection: 'prod', workflowId: 'wf_1' });
});

test('the longest matching connection name wins; workflow ids may contain slashes', () => {
  assert.deepEqual(resolveWorkflowRef('team/prod/42', context), { connection: 'team/prod', workflowId: '42' });
  assert.deepEqual(resolveWorkflowRef('team/other/42', context), { connection: 'team', workflowId: 'other/42' });
  assert.deepEqual(resolveWorkflowRef('team/prod', context), { connection: 'team', workflowId: 'prod' });
});

test('a single-workflow connection: bare name, /default and its own id', () => {
  assert.deepEqual(resolveWorkflowRef('My App', context), { connection: 'My App', workflowId: 'default' });
  assert.deepEqual(resolveWorkflowRef('My App/default', context), { connection: 'My App', workflowId: 'default' });
  assert.deepEqual(resolveWorkflowRef('pinned', context), { connection: 'pinned', workflowId: 'v-123' });
  assert.deepEqual(resolveWorkflowRef('pinned/default', context), { connection: 'pinned', workflowId: 'v-123' });
  assert.deepEqual(resolveWorkflowRef('pinned/v-123', context), { connection: 'pinned', workflowId: 'v-123' });
});

test('a single-workflow connection refuses any other workflow id before anything is sent', () => {
  const other = tryResolveWorkflowRef('My App/wf-published-9', context);
  assert.equal(other.ok, false);
  assert.equal(
    !other.ok ? other.message : '',
    '$workflow "My App/wf-published-9": the connection "My App" runs one workflow ("default"), not "wf-published-9". Write "My App" or "My App/default"; to run another workflow, add a connection for it.',
  );
  const pinned = tryResolveWorkflowRef('pinned/v-999', context);
  assert.match(!pinned.ok ? pinned.message : '', /runs one workflow \("v-123"\), not "v-999"\. Write "pinned" or "pinned\/default", "pinned\/v-123"/);
  assert.throws(() => resolveWorkflowRef('pinned/v-999', context), (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'config');
});

test('a bare name of a multi-workflow connection asks for the workflow id', () => {
  const result = tryResolveWorkflowRef('prod', context);
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.message : '', /no workflow: write "prod\/<workflow id>"/);
  assert.equal(tryResolveWorkflowRef('prod/', context).ok, false);
});

test('an unknown connection is a config error listing the known names', () => {
  assert.throws(
    () => resolveWorkflowRef('staging/wf_1', context),
    (error: unknown) =>
      error instanceof WorkflowRunsError &&
      error.kind === 'config' &&
      error.message ===
        '$workflow refers to an unknown connection "staging". Known connections: "prod", "prod eu", "team/prod", "team", "My App", "pinned".',
  );
  const nearMiss = tryResolveWorkflowRef('my app', context);
  assert.match(!nearMiss.ok ? nearMiss.message : '', /Did you mean "My App"\?/);
  const none = tryResolveWorkflowRef('x/y', { connections: [] });
  assert.match(!none.ok ? none.message : '', /Add Connection/);
});

test('formatWorkflowRef writes refs that resolve back', () => {
  assert.equal(formatWorkflowRef({ connection: 'prod', workflowId: 'wf_1' }), 'prod/wf_1');
  assert.equal(formatWorkflowRef({ connection: 'My App', workflowId: 'default' }, context), 'My App');
  assert.equal(formatWorkflowRef({ connection: 'My App', workflowId: 'default' }), 'My App/default');
  for (const target of [
    { connection: 'team/prod', workflowId: 'a/b' },
    { connection: 'prod eu', workflowId: '9' },
    { connection: 'pinned', workflowId: 'v-123' },
  ]) {
    assert.deepEqual(resolveWorkflowRef(formatWorkflowRef(target, context), context), target);
  }
});

test('RememberedTargets stores, forgets and announces per-file targets', async () => {
  const memento = new MemoryMemento();
  const remembered = new RememberedTargets(memento);
  const changes: string[] = [];
  remembered.onDidChange((uri) => changes.push(uri));

  assert.equal(remembered.get('file:///a.json'), undefined);
  await remembered.set('file:///a.json', { connection: 'prod', workflowId: 'wf_1', workflowName: 'Sync' });
  await remembered.set('file:///b.json', { connection: 'team', workflowId: 'x' });
  assert.deepEqual(remembered.get('file:///a.json'), { connection: 'prod', workflowId: 'wf_1', workflowName: 'Sync' });
  assert.deepEqual(new RememberedTargets(memento).get('file:///b.json'), { connection: 'team', workflowId: 'x' });

  await remembered.set('file:///a.json', undefined);
  assert.equal(remembered.has('file:///a.json'), false);
  await remembered.forgetConnection('team');
  assert.equal(remembered.get('file:///b.json'), undefined);
  assert.deepEqual(changes, ['file:///a.json', 'file:///b.json', 'file:///a.json', 'file:///b.json']);
});

test('RememberedTargets ignores corrupt workspace state', () => {
  const memento = new MemoryMemento();
  memento.data.set(rememberedTargetsKey, { 'file:///a.json': { connection: 1 } });
  assert.equal(new RememberedTargets(memento).get('file:///a.json'), undefined);
  memento.data.set(rememberedTargetsKey, 'nonsense');
  assert.equal(new RememberedTargets(memento).get('file:///a.json'), undefined);
});
