// The debugging loop in a real extension host: a run's inputs back into an editor and run again
// from there, two runs in the diff editor, and the run search finding a run by an input value.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually } from '../../helpers/eventually';
import { runDocumentScheme } from '../../../src/commands/compareEditor';
import { buildRunSearchIndex, searchRuns } from '../../../src/runs/search';
import { parsePayload } from '../../../src/payload/parse';
import type { RunRecord } from '../../../src/runs/record';
import { hostFixture, names, newestRun, runUntil, writePayload, type HostFixture } from './fixture';

suite('debugging loop', function () {
  this.timeout(60_000);
  let f: HostFixture;
  /** A value no other suite sends, so the search below finds only these runs. */
  const topic = `debug-loop-${Date.now().toString(36)}`;
  let first: RunRecord;
  let second: RunRecord;

  suiteSetup(async () => {
    f = await hostFixture();
  });

  function diffTabs(): vscode.TabInputTextDiff[] {
    return vscode.window.tabGroups.all.flatMap((group) => group.tabs).map((tab) => tab.input).filter((input): input is vscode.TabInputTextDiff => input instanceof vscode.TabInputTextDiff);
  }

  test('Dify: Open Inputs as Payload File, then running that untitled editor sends the same inputs', async () => {
    const uri = await writePayload(f.dir, 'debug-loop.payload.json', { $workflow: 'dify-host', topic, detail: { depth: 2, tags: ['a', 'b'] } });
    const since = Date.now();
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', uri);
    first = await runUntil(f.services, newestRun(f.services, names.dify, 'default', since)!, ['succeeded', 'failed', 'partial']);

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('workflowRuns.openInputsAsPayload', { connection: first.connection, runId: first.snapshot.runId });
    assert.ok(editor, 'the command returns the new editor');
    assert.equal(vscode.window.activeTextEditor?.document, editor.document, 'the new editor is in front');
    assert.ok(editor.document.isUntitled);
    assert.equal(editor.document.languageId, 'jsonc');
    const parsed = parsePayload(editor.document.getText());
    assert.ok(parsed.ok, 'the text is a valid payload');
    assert.equal(parsed.workflowRef, 'dify-host', 'a Dify app is written as its connection name');
    assert.deepEqual(parsed.inputs, { topic, detail: { depth: 2, tags: ['a', 'b'] } });

    const before = Date.now();
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile');
    const rerun = newestRun(f.services, names.dify, 'default', before);
    assert.ok(rerun && rerun.snapshot.runId !== first.snapshot.runId, 'running the untitled editor started a new run');
    assert.deepEqual(rerun.request?.inputs, first.request?.inputs);
    const post = f.emulator.requests.filter((r) => r.platform === 'dify' && r.path === '/v1/workflows/run').pop();
    assert.deepEqual(JSON.parse(post!.body).inputs, { topic, detail: { depth: 2, tags: ['a', 'b'] } });
    second = await runUntil(f.services, rerun, ['succeeded', 'failed', 'partial']);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('B3OS: the run\'s $options and "<connection>/<workflow id>" are in the payload', async () => {
    const uri = await writePayload(f.dir, 'debug-loop-b3os.payload.json', { $workflow: 'b3os-host/wf_9k2m4x7q1b3n', $options: { simulate: true }, threshold: 0.3 });
    const since = Date.now();
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', uri);
    const started = newestRun(f.services, names.b3os, 'wf_9k2m4x7q1b3n', since)!;
    // From a tree row: the node the views pass.
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('workflowRuns.openInputsAsPayload', { kind: 'run', view: 'runs', record: started });
    const parsed = parsePayload(editor.document.getText());
    assert.ok(parsed.ok);
    assert.equal(parsed.workflowRef, 'b3os-host/wf_9k2m4x7q1b3n');
    assert.deepEqual(parsed.options, { simulate: true });
    assert.deepEqual(parsed.inputs, { threshold: 0.3 });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await runUntil(f.services, started, ['succeeded', 'failed', 'partial']);
  });

  test('Compare Runs with two run arguments opens the diff editor on both runs', async () => {
    assert.ok(first && second, 'the first test left two runs');
    await vscode.commands.executeCommand('workflowRuns.compareRuns', first, { connection: second.connection, runId: second.snapshot.runId });
    const diff = await eventually(() => diffTabs().find((input) => input.original.scheme === runDocumentScheme), { until: Boolean, what: 'a diff tab on workflow-run documents' });
    assert.ok(diff);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'the diff editor is in front');
    assert.match(tab.label, new RegExp(`${first.snapshot.runId}.*↔.*${second.snapshot.runId}`));
    const left = JSON.parse((await vscode.workspace.openTextDocument(diff.original)).getText());
    const right = JSON.parse((await vscode.workspace.openTextDocument(diff.modified)).getText());
    assert.equal(left.run, first.snapshot.runId);
    assert.equal(right.run, second.snapshot.runId);
    assert.deepEqual(left.inputs, right.inputs, 'the same inputs on both sides');
    assert.equal(left.status, first.snapshot.status);
    assert.ok(Array.isArray(left.tasks) && left.tasks.length > 0, 'per-node status');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a compared run still in flight: its side follows the run to its end', async () => {
    const uri = await writePayload(f.dir, 'debug-loop-zuora.payload.json', { $workflow: 'zuora-host/19027', accountNumber: 'A-7' });
    const since = Date.now();
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', uri);
    const live = newestRun(f.services, names.zuora, '19027', since)!;
    assert.notEqual(live.snapshot.status, 'succeeded', 'compared before it ends');
    await vscode.commands.executeCommand('workflowRuns.compareRuns', first, live);
    const diff = await eventually(() => vscode.window.tabGroups.activeTabGroup.activeTab?.input, {
      until: (input) => input instanceof vscode.TabInputTextDiff && input.modified.path.includes(live.snapshot.runId),
      what: 'the diff editor on the live run',
    });
    assert.ok(diff instanceof vscode.TabInputTextDiff);
    const document = await vscode.workspace.openTextDocument(diff.modified);
    await runUntil(f.services, live, ['succeeded', 'failed']);
    await eventually(() => JSON.parse(document.getText()).status as string, { until: (status) => status === 'succeeded', what: 'the document to show the end' });
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Select for Compare, then Compare with Selected, as in the explorer', async () => {
    await vscode.commands.executeCommand('workflowRuns.selectForCompare', { kind: 'run', view: 'workflows', record: second });
    await vscode.commands.executeCommand('workflowRuns.compareWithSelected', { kind: 'run', view: 'workflows', record: first });
    const diff = await eventually(() => vscode.window.tabGroups.activeTabGroup.activeTab?.input, {
      until: (input) => input instanceof vscode.TabInputTextDiff && input.original.scheme === runDocumentScheme,
      what: 'the diff editor in front',
    });
    assert.ok(diff instanceof vscode.TabInputTextDiff);
    assert.ok(diff.original.path.endsWith(`/${encodeURIComponent(second.snapshot.runId)}.json`), 'the selected run is the original side');
    assert.ok(diff.modified.path.endsWith(`/${encodeURIComponent(first.snapshot.runId)}.json`));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('the Search Runs matcher finds both runs by an input value, and by id', () => {
    const index = buildRunSearchIndex(f.services.store.all());
    const found = searchRuns(index, topic).map((entry) => entry.record.snapshot.runId);
    assert.deepEqual(new Set(found), new Set([first.snapshot.runId, second.snapshot.runId]));
    assert.deepEqual(searchRuns(index, `${first.snapshot.runId} dify-host`).map((entry) => entry.record.snapshot.runId), [first.snapshot.runId]);
  });
});
