// The Testing view's "Workflow Runs" controller: payload files with `$expect` in the workspace are
// found, run through the run service against the emulator and reported. What VS Code was told
// is read back from the extension's own record of its TestRun calls (the API has no way to read
// the Testing view's results); the runs themselves are checked in the store and at the emulator.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { eventually } from '../../helpers/eventually';
import type { WorkflowRunsApi } from '../../../src/extension';
import type { ReportedResult } from '../../../src/host/testing';
import { hostFixture, names, postsTo, type HostFixture } from './fixture';

suite('payload files as tests (Testing view)', function () {
  this.timeout(90_000);
  let f: HostFixture;
  let api: WorkflowRunsApi;
  let folder: string;
  const uriOf = (name: string) => vscode.Uri.file(path.join(folder, name)).toString();
  const write = (name: string, content: string) => fs.writeFileSync(path.join(folder, name), content);

  suiteSetup(async () => {
    f = await hostFixture();
    api = await vscode.extensions.getExtension<WorkflowRunsApi>('workflow-runs.workflow-runs')!.activate();
    const root = vscode.workspace.workspaceFolders?.[0];
    assert.ok(root, 'the host tests open a workspace folder');
    folder = path.join(root.uri.fsPath, 'regression');
    fs.mkdirSync(folder, { recursive: true });
    write('pass.payload.json', `{\n  "$workflow": "${names.zuora}/19027",\n  "accountNumber": "A-1",\n  "$expect": { "status": "succeeded", "tasks": { "success": 5 } }\n}\n`);
    write('fail.payload.json', `{\n  "$workflow": "${names.zuora}/19027",\n  "accountNumber": "A-2",\n  "$expect": {\n    "status": "succeeded",\n    "tasks": {\n      "success": 4\n    }\n  }\n}\n`);
    write('malformed.payload.jsonc', `{\n  "$workflow": "${names.zuora}/19027",\n  "$expect": { "status": "sucess" }\n}\n`);
    write('plain.payload.json', `{ "$workflow": "${names.zuora}/19027" }\n`);
  });

  test('discovers the payload files holding $expect, grouped by folder, and follows changes', async () => {
    const tests = await api.payloadTests();
    await tests.resolveAll();
    const found = await eventually(() => tests.items(), { until: (items) => items.has(uriOf('pass.payload.json')) && items.has(uriOf('malformed.payload.jsonc')), what: 'the payload tests to be found' });
    assert.ok(found.has(uriOf('fail.payload.json')));
    assert.ok(!found.has(uriOf('plain.payload.json')), 'a payload file without $expect is not a test');
    // A new file is picked up by the watcher; removing $expect removes the test.
    write('later.payload.json', `{ "$workflow": "${names.zuora}/19027", "$expect": { "status": "succeeded" } }\n`);
    await eventually(() => tests.items().has(uriOf('later.payload.json')), { until: Boolean, what: 'a created test to appear' });
    write('later.payload.json', `{ "$workflow": "${names.zuora}/19027" }\n`);
    await eventually(() => tests.items().has(uriOf('later.payload.json')), { until: (has) => !has, what: 'a test without $expect to go' });
    fs.rmSync(path.join(folder, 'later.payload.json'));
  });

  test('Run All: the passing file passes, the failing one names the mismatch on its line, a malformed $expect sends nothing', async () => {
    const tests = await api.payloadTests();
    await tests.resolveAll();
    const postsBefore = postsTo(f.emulator, 'zuora', /\/workflows\/19027\/run$/);
    const finished = new Promise<ReportedResult[]>((resolve) => {
      const listening = tests.onDidFinishRun((results) => {
        listening.dispose();
        resolve(results);
      });
    });
    await vscode.commands.executeCommand('testing.runAll');
    const results = await finished;
    const byId = new Map(results.map((result) => [result.id, result]));

    const passed = byId.get(uriOf('pass.payload.json'));
    assert.equal(passed?.state, 'passed');
    assert.ok(passed.runId, 'the run id is reported');
    assert.ok((passed.durationMs ?? 0) > 0, 'with a duration');
    const record = f.services.store.get(names.zuora, passed.runId);
    assert.ok(record, 'the run is in the run store (history, Runs view)');
    assert.equal(record.request?.payloadUri, uriOf('pass.payload.json'));
    assert.equal(record.snapshot.status, 'succeeded');
    assert.deepEqual(record.request?.inputs, { accountNumber: 'A-1' }, '$expect and $workflow are not sent');

    const failed = byId.get(uriOf('fail.payload.json'));
    assert.equal(failed?.state, 'failed');
    assert.equal(failed.messages.length, 1);
    assert.match(failed.messages[0], /tasks\.success: expected 4, got 5/);
    assert.equal(failed.lines[0], 6, 'placed on the "success": 4 line (0-based 6)');

    const malformed = byId.get(uriOf('malformed.payload.jsonc'));
    assert.equal(malformed?.state, 'errored');
    assert.match(malformed.messages[0], /\$expect\.status must be one of .*not "sucess"\. Nothing was sent\./);
    assert.ok(!byId.has(uriOf('plain.payload.json')));
    // Two runs were posted: the passing and the failing file; the malformed one sent nothing.
    assert.equal(postsTo(f.emulator, 'zuora', /\/workflows\/19027\/run$/) - postsBefore, 2);
    const diagnostics = vscode.languages.getDiagnostics(vscode.Uri.parse(uriOf('malformed.payload.jsonc'))).filter((d) => d.source === 'Workflow Runs');
    assert.equal(diagnostics.length, 1, 'the malformed $expect is a Problems entry');
    assert.equal(diagnostics[0].range.start.line, 2);
  });

  test('cancelling a test stops its run on the platform', async () => {
    const tests = await api.payloadTests();
    await tests.resolveAll();
    // Written after Run All above: a new file is picked up by the watcher.
    write('long.payload.json', `{\n  "$workflow": "${names.zuora}/19030",\n  "$expect": { "status": "succeeded" }\n}\n`);
    const item = await eventually(() => tests.testItem(uriOf('long.payload.json')), { what: 'the long test item' });
    const cancel = new vscode.CancellationTokenSource();
    const since = Date.now();
    const finished = new Promise<ReportedResult[]>((resolve) => {
      const listening = tests.onDidFinishRun((results) => {
        listening.dispose();
        resolve(results);
      });
    });
    const running = tests.run(new vscode.TestRunRequest([item]), cancel.token, true);
    const record = await eventually(() => f.services.store.forWorkflow(names.zuora, '19030').find((run) => run.triggeredAt >= since && run.snapshot.status === 'running'), { what: 'the long run to be running' });
    cancel.cancel();
    await running;
    const [result] = await finished;
    assert.equal(result.state, 'skipped', 'a cancelled test is neither passed nor failed');
    assert.equal(result.runId, record.snapshot.runId);
    assert.ok(f.emulator.requests.some((r) => r.method === 'PUT' && r.path === `/workflows/workflow_runs/${record.snapshot.runId}/stop`), 'the run was stopped on the platform');
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    assert.ok(tabs.some((tab) => tab.input instanceof vscode.TabInputWebview && tab.label.includes(record.snapshot.runId)), 'Run (show details) opened its panel');
    cancel.dispose();
  });

  test('Run Payload File refuses a malformed $expect too', async () => {
    const before = postsTo(f.emulator, 'zuora', /\/workflows\/19027\/run$/);
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', vscode.Uri.parse(uriOf('malformed.payload.jsonc')));
    assert.equal(postsTo(f.emulator, 'zuora', /\/workflows\/19027\/run$/), before, 'nothing was sent');
  });
});
