// Payload files run on each platform, from the command the editor title, explorer and CodeLens
// call, through the real client to the emulator, and watched to their end.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually } from '../../helpers/eventually';
import { hostFixture, names, newestRun, postsTo, runUntil, writePayload, type HostFixture } from './fixture';

suite('payload files', function () {
  this.timeout(60_000);
  let f: HostFixture;
  suiteSetup(async () => {
    f = await hostFixture();
  });

  test('Zuora: runs the editor text, strips $ keys, watches to Finished and opens details', async () => {
    const uri = await writePayload(f.dir, 'invoice.payload.json', '{\n  // a comment\n  "$workflow": "zuora-host/19027",\n  "accountNumber": "A-42",\n}\n');
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    // An unsaved edit is what gets sent.
    await editor.edit((edit) => edit.insert(document.positionAt(document.getText().indexOf('"accountNumber"')), '"region": "EU",\n  '));
    const since = Date.now();
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', uri);
    const started = newestRun(f.services, names.zuora, '19027', since);
    assert.ok(started, 'the run is in the store as soon as the command returns');
    assert.deepEqual(started.request?.inputs, { region: 'EU', accountNumber: 'A-42' });
    const post = f.emulator.requests.filter((r) => r.platform === 'zuora' && r.path === '/workflows/19027/run').pop();
    assert.ok(post, 'the run was posted');
    assert.deepEqual(JSON.parse(post.body), { region: 'EU', accountNumber: 'A-42' });
    assert.match(post.headers['idempotency-key'] ?? '', /\S{8,}/);
    const ended = await runUntil(f.services, started, ['succeeded', 'failed']);
    assert.equal(ended.snapshot.status, 'succeeded');
    assert.equal(ended.snapshot.tasks.total, 5);
    assert.equal(ended.snapshot.tasks.success, 5);
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    assert.ok(tabs.some((tab) => tab.input instanceof vscode.TabInputWebview && tab.label.includes(started.snapshot.runId)), 'a run details panel is open');
  });

  test('a file that does not parse is not sent: a diagnostic names the place', async () => {
    const uri = await writePayload(f.dir, 'broken.payload.json', '{\n  "$workflow": "zuora-host/19027",\n  "a": 1\n  "b": 2\n}\n');
    const before = postsTo(f.emulator, 'zuora', /\/run$/);
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', uri);
    assert.equal(postsTo(f.emulator, 'zuora', /\/run$/), before, 'nothing was sent');
    const diagnostics = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Workflow Runs');
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].range.start.line, 3, 'the problem is on line 4 (0-based 3)');
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
  });

  test('an unknown connection in $workflow is a diagnostic on $workflow, and nothing is sent', async () => {
    const uri = await writePayload(f.dir, 'unknown.payload.json', { $workflow: 'nowhere/1', x: 1 });
    const before = f.emulator.requests.length;
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', uri);
    assert.equal(f.emulator.requests.length, before);
    const [diagnostic] = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Workflow Runs');
    assert.ok(diagnostic);
    assert.match(diagnostic.message, /unknown connection "nowhere"/);
  });

  test('B3OS: simulate and dustTest together are refused before anything is sent', async () => {
    const uri = await writePayload(f.dir, 'both.payload.json', { $workflow: 'b3os-host/wf_9k2m4x7q1b3n', $options: { simulate: true, dustTest: true } });
    const before = f.emulator.requests.filter((r) => r.platform === 'b3os').length;
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', uri);
    assert.equal(f.emulator.requests.filter((r) => r.platform === 'b3os').length, before);
    const [diagnostic] = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Workflow Runs');
    assert.match(diagnostic?.message ?? '', /simulate.*dustTest|dustTest.*simulate/);
  });

  test('B3OS: the stream opens before the trigger, the run ends with a per-node timeline', async () => {
    const uri = await writePayload(f.dir, 'treasury.payload.json', { $workflow: 'b3os-host/wf_9k2m4x7q1b3n', $options: { simulate: true }, threshold: 0.1 });
    const since = Date.now();
    const firstRequest = f.emulator.requests.length;
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', uri);
    const started = newestRun(f.services, names.b3os, 'wf_9k2m4x7q1b3n', since);
    assert.ok(started);
    const recent = f.emulator.requests.slice(firstRequest);
    const streamAt = recent.findIndex((r) => r.path === `/v1/runs/${started.snapshot.runId}/stream`);
    const postAt = recent.findIndex((r) => r.method === 'POST' && r.path === '/v1/workflows/wf_9k2m4x7q1b3n/run');
    assert.ok(streamAt >= 0 && postAt > streamAt, 'stream subscribed before the run was triggered');
    assert.deepEqual(JSON.parse(recent[postAt].body).payload, { threshold: 0.1 });
    const ended = await runUntil(f.services, started, ['succeeded', 'failed']);
    assert.equal(ended.snapshot.status, 'succeeded');
    assert.ok((ended.snapshot.timeline?.length ?? 0) >= 4, 'per-node timeline');
    assert.equal(ended.snapshot.tasks.skipped, 1);
  });

  test('Dify: streams live text and node counts; "$workflow": "<connection>" is the app', async () => {
    const uri = await writePayload(f.dir, 'notes.payload.json', { $workflow: 'dify-host', topic: 'Release 1.4' });
    const since = Date.now();
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', uri);
    const started = newestRun(f.services, names.dify, 'default', since);
    assert.ok(started, 'a Dify run is recorded under the app');
    const ended = await runUntil(f.services, started, ['succeeded', 'failed', 'partial']);
    assert.equal(ended.snapshot.status, 'succeeded');
    assert.ok((ended.snapshot.liveText ?? '').length > 0, 'text_chunk events became live text');
    assert.equal(ended.snapshot.tasks.success, 5);
    assert.ok(ended.snapshot.outputs, 'outputs are kept');
    const post = f.emulator.requests.filter((r) => r.platform === 'dify' && r.path === '/v1/workflows/run').pop();
    const body = JSON.parse(post!.body);
    assert.equal(body.response_mode, 'streaming');
    assert.match(body.user, /^vscode-[0-9a-f]{16}$/);
  });

  test('a file without $workflow uses the target remembered for it', async () => {
    const uri = await writePayload(f.dir, 'plain.json', { topic: 'Remembered' });
    await f.services.payload.remembered.set(uri.toString(), { connection: names.dify, workflowId: 'default' });
    const since = Date.now();
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', uri);
    const started = newestRun(f.services, names.dify, 'default', since);
    assert.deepEqual(started?.request?.inputs, { topic: 'Remembered' });
    await runUntil(f.services, started!, ['succeeded', 'failed']);
  });

  test('Dify failure: the error is kept on the run', async () => {
    const uri = await writePayload(f.dir, 'fail.payload.json', { $workflow: 'dify-host/default', topic: 'x', scenario: 'fail' });
    const since = Date.now();
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', uri);
    const ended = await runUntil(f.services, newestRun(f.services, names.dify, 'default', since)!, ['failed', 'succeeded']);
    assert.equal(ended.snapshot.status, 'failed');
    assert.ok((ended.snapshot.error ?? '').length > 0);
    assert.ok(ended.snapshot.tasks.error >= 1);
  });

  test('completion inside "$workflow" offers every connection\'s workflows', async () => {
    const uri = await writePayload(f.dir, 'complete.payload.json', '{\n  "$workflow": ""\n}\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(1, 16));
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    assert.ok(labels.includes('zuora-host/19027'), 'Zuora workflows as <connection>/<id>');
    assert.ok(labels.includes('b3os-host/wf_9k2m4x7q1b3n'), 'B3OS workflows');
    assert.ok(labels.includes('dify-host'), 'the Dify app as its connection name');
    const invoice = list.items.find((item) => typeof item.label !== 'string' && item.label.label === 'zuora-host/19027');
    assert.equal(typeof invoice?.label === 'string' ? undefined : invoice?.label.description, 'Invoice sync to NetSuite');
  });

  test('CodeLens offers the run on the resolved target', async () => {
    const uri = await writePayload(f.dir, 'lens.payload.json', { $workflow: 'zuora-host/19027' });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lenses = await eventually(
      async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [],
      { until: (value) => (value ?? []).some((lens) => lens.command?.command === 'workflowRuns.runPayloadFile'), timeoutMs: 10_000, what: 'the payload CodeLens' },
    );
    const lens = lenses.find((candidate) => candidate.command?.command === 'workflowRuns.runPayloadFile')!;
    assert.equal(lens.command?.title, '▶ Run on zuora-host/19027');
    assert.equal(lens.range.start.line, 0);
  });
});
