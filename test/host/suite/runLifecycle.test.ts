// Stop, re-run, open by id, history and credentials, driven through the commands with arguments
// (as tree menus and other extensions call them).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { eventually } from '../../helpers/eventually';
import { hostFixture, names, newestRun, postsTo, runUntil, type HostFixture } from './fixture';

suite('run lifecycle', function () {
  this.timeout(60_000);
  let f: HostFixture;
  suiteSetup(async () => {
    f = await hostFixture();
  });

  test('Stop Run stops a long Zuora run', async () => {
    const since = Date.now();
    const record = await f.services.runs.trigger({ connection: names.zuora, workflowId: '19030' }, { inputs: {}, options: {} });
    assert.ok(record);
    await eventually(() => f.services.store.get(names.zuora, record.snapshot.runId)!.snapshot.status, { until: (status) => status === 'running', timeoutMs: 10_000, what: 'running' });
    await vscode.commands.executeCommand('workflowRuns.stopRun', { connection: names.zuora, runId: record.snapshot.runId });
    const stopped = await runUntil(f.services, record, ['stopped'], 20_000);
    assert.equal(stopped.snapshot.status, 'stopped');
    assert.ok(newestRun(f.services, names.zuora, '19030', since));
    assert.ok(f.emulator.requests.some((r) => r.method === 'PUT' && r.path === `/workflows/workflow_runs/${record.snapshot.runId}/stop`));
  });

  test('Stop Run stops a streaming Dify run by its task id', async () => {
    const record = await f.services.runs.trigger({ connection: names.dify, workflowId: 'default' }, { inputs: { topic: 't', scenario: 'slow' }, options: {} });
    assert.ok(record?.snapshot.handle?.taskId, 'the task id is kept to stop the run');
    await vscode.commands.executeCommand('workflowRuns.stopRun', { kind: 'run', record });
    const stopped = await runUntil(f.services, record!, ['stopped'], 20_000);
    assert.equal(stopped.snapshot.status, 'stopped');
    assert.equal(postsTo(f.emulator, 'dify', new RegExp(`/workflows/tasks/${record!.snapshot.handle!.taskId}/stop$`)), 1);
  });

  test('Re-run sends the same payload as a new run', async () => {
    const first = await f.services.runs.trigger({ connection: names.b3os, workflowId: 'wf_9k2m4x7q1b3n' }, { inputs: { amount: 3 }, options: {} });
    await runUntil(f.services, first!, ['succeeded', 'failed']);
    const before = f.services.store.forWorkflow(names.b3os, 'wf_9k2m4x7q1b3n').length;
    await vscode.commands.executeCommand('workflowRuns.rerun', { kind: 'run', record: first });
    const runs = await eventually(() => f.services.store.forWorkflow(names.b3os, 'wf_9k2m4x7q1b3n'), { until: (list) => list.length === before + 1, timeoutMs: 10_000, what: 'a new run' });
    const second = runs[0];
    assert.notEqual(second.snapshot.runId, first!.snapshot.runId);
    assert.deepEqual(second.request?.inputs, { amount: 3 });
    await runUntil(f.services, second, ['succeeded', 'failed']);
  });

  test('Open Run by ID records a run the extension did not start', async () => {
    // A run started behind the extension's back, straight on the platform.
    const response = await fetch(`${f.emulator.urls.b3os}/v1/workflows/wf_3f8d1c6a0e5t/run`, {
      method: 'POST',
      headers: { authorization: 'Bearer b3sk_demo', 'content-type': 'application/json' },
      body: '{}',
    });
    const runId = ((await response.json()) as { data: { runId: string } }).data.runId;
    await vscode.commands.executeCommand('workflowRuns.openRunById', names.b3os, runId);
    const record = f.services.store.get(names.b3os, runId);
    assert.ok(record, 'the run is in the store');
    assert.equal(record.snapshot.workflowId, 'wf_3f8d1c6a0e5t');
    const ended = await runUntil(f.services, record, ['failed', 'succeeded']);
    assert.equal(ended.snapshot.status, 'failed', 'this workflow fails at its swap node');
    assert.ok(ended.snapshot.tasks.error >= 1);
  });

  test('history is persisted and capped per workflow (runs in flight are never dropped)', async () => {
    const configuration = vscode.workspace.getConfiguration('workflowRuns');
    await configuration.update('history.maxRunsPerWorkflow', 2, vscode.ConfigurationTarget.Global);
    try {
      for (let i = 0; i < 3; i += 1) {
        const record = await f.services.runs.trigger({ connection: names.zuora, workflowId: '19031' }, { inputs: { i }, options: {} });
        await runUntil(f.services, record!, ['succeeded', 'failed']);
      }
      assert.equal(f.services.store.forWorkflow(names.zuora, '19031').length, 2);
      await f.services.store.flush();
      // History lives in files under the global storage now (one entry per changed run).
      const historyDir = path.join(f.services.context.globalStorageUri.fsPath, 'history');
      assert.ok(fs.existsSync(historyDir), 'history is stored under the global storage');
      assert.equal(f.services.context.globalState.get('workflowRuns.history.v1'), undefined, 'not in the Memento any more');
      const stored = f.services.store.readStored();
      assert.equal(stored.filter((r) => r.connection === names.zuora && r.snapshot.workflowId === '19031').length, 2);
    } finally {
      await configuration.update('history.maxRunsPerWorkflow', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('credentials live in SecretStorage, never in settings; a wrong one is a credential error', async () => {
    const settingsText = JSON.stringify(vscode.workspace.getConfiguration('workflowRuns').get('connections'));
    assert.ok(!settingsText.includes('demo-secret'), 'the secret is not in settings');
    await vscode.commands.executeCommand('workflowRuns.setCredentials', names.zuora, 'wrong-secret');
    try {
      await assert.rejects(f.services.providers.listWorkflows(names.zuora), (error: Error & { kind?: string }) => {
        assert.equal(error.kind, 'auth');
        assert.ok(!error.message.includes('wrong-secret'), 'the secret is not in the message');
        assert.match(error.message, /zuora-host/);
        return true;
      });
    } finally {
      await vscode.commands.executeCommand('workflowRuns.setCredentials', names.zuora, 'demo-secret');
    }
    const page = await f.services.providers.listWorkflows(names.zuora);
    assert.equal(page.items.length, 50, 'first page of 50');
    assert.ok(page.next, 'a second page exists');
  });

  test('expanding a workflow imports its recent runs from platforms that list them', async () => {
    const known = new Set(f.services.store.forWorkflow(names.b3os, 'wf_9k2m4x7q1b3n').map((r) => r.snapshot.runId));
    const added = await f.services.runs.importRecent(names.b3os, 'wf_9k2m4x7q1b3n');
    const after = f.services.store.forWorkflow(names.b3os, 'wf_9k2m4x7q1b3n');
    assert.equal(after.filter((r) => !known.has(r.snapshot.runId)).length, added);
    assert.ok(added > 0, 'the emulator has seeded history for this workflow');
    for (const record of after.filter((r) => !known.has(r.snapshot.runId))) {
      assert.equal(record.snapshot.fromRunList, true, 'imported runs are marked: their end is not announced');
    }
    assert.equal(await f.services.runs.importRecent(names.b3os, 'wf_9k2m4x7q1b3n'), 0, 'nothing is imported twice');
    assert.equal(await f.services.runs.importRecent(names.zuora, '19027'), 0, 'Zuora cannot list runs');
  });

  test('a 500 while watching is survived: the run still ends', async () => {
    const record = await f.services.runs.trigger({ connection: names.zuora, workflowId: '19027' }, { inputs: {}, options: {} });
    f.emulator.injectFault({ platform: 'zuora', method: 'GET', path: /^\/workflows\/workflow_runs\//, kind: 'html', status: 502, times: 2 });
    const ended = await runUntil(f.services, record!, ['succeeded', 'failed'], 30_000);
    assert.equal(ended.snapshot.status, 'succeeded');
  });
});
