// Templates from declared inputs, connections added and removed, platform statuses that are
// neither success nor failure, and refusals that must leave nothing behind.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { isPayloadError, parsePayload } from '../../../src/payload/parse';
import { hostFixture, names, runUntil, type HostFixture } from './fixture';

suite('more flows', function () {
  this.timeout(60_000);
  let f: HostFixture;
  suiteSetup(async () => {
    f = await hostFixture();
  });

  test('New Payload File… writes the Dify app inputs with $workflow and required markers', async () => {
    await vscode.commands.executeCommand('workflowRuns.newPayloadFile', { kind: 'workflow', connection: names.dify, workflow: { id: 'default', name: 'Release notes writer' } });
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor is open');
    assert.equal(editor.document.languageId, 'jsonc');
    assert.ok(editor.document.isUntitled);
    const text = editor.document.getText();
    const parsed = parsePayload(text);
    assert.ok(!isPayloadError(parsed), 'the template parses');
    assert.equal(parsed.workflowRef, names.dify);
    assert.deepEqual(Object.keys(parsed.inputs), ['topic', 'notes', 'tone', 'max_items', 'include_summary', 'metadata', 'scenario', 'attachment', 'attachments']);
    assert.equal(parsed.inputs.tone, 'neutral', 'declared defaults are kept');
    // The app's file inputs are written in the form the extension uploads.
    assert.deepEqual(parsed.inputs.attachment, { $file: './file.pdf' });
    assert.deepEqual(parsed.inputs.attachments, [{ $file: './file.pdf' }]);
    assert.match(text, /required.*Topic|Topic.*required/i);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a template-made payload runs as it is', async () => {
    await vscode.commands.executeCommand('workflowRuns.newPayloadFile', { kind: 'workflow', connection: names.b3os, workflow: { id: 'wf_9k2m4x7q1b3n', name: 'Treasury rebalance alert' } });
    const document = vscode.window.activeTextEditor!.document;
    const before = f.services.store.forWorkflow(names.b3os, 'wf_9k2m4x7q1b3n').length;
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', document.uri);
    const runs = f.services.store.forWorkflow(names.b3os, 'wf_9k2m4x7q1b3n');
    assert.equal(runs.length, before + 1);
    assert.equal(runs[0].request?.payloadUri, undefined, 'an untitled document is not remembered as a file');
    await runUntil(f.services, runs[0], ['succeeded', 'failed']);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('Dify partial-succeeded is "partial"; a B3OS run that waits is "waiting" until stopped', async () => {
    const partial = await f.services.runs.trigger({ connection: names.dify, workflowId: 'default' }, { inputs: { topic: 't', scenario: 'partial' }, options: {} });
    assert.equal((await runUntil(f.services, partial!, ['partial', 'succeeded', 'failed'])).snapshot.status, 'partial');

    const waiting = await f.services.runs.trigger({ connection: names.b3os, workflowId: 'wf_1q6w3e8r5t2y' }, { inputs: {}, options: {} });
    const waited = await runUntil(f.services, waiting!, ['waiting']);
    assert.ok(waited.snapshot.tasks.pending >= 1, 'the waiting node counts as pending');
    await vscode.commands.executeCommand('workflowRuns.stopRun', { connection: names.b3os, runId: waiting!.snapshot.runId });
    assert.equal((await runUntil(f.services, waiting!, ['stopped'])).snapshot.status, 'stopped');
  });

  test('Zuora 406 names the missing parameter and records no run', async () => {
    const before = f.services.store.forWorkflow(names.zuora, '19029').length;
    await assert.rejects(
      f.services.runs.trigger({ connection: names.zuora, workflowId: '19029' }, { inputs: {}, options: {} }),
      (error: Error) => /accountNumber/.test(error.message),
    );
    assert.equal(f.services.store.forWorkflow(names.zuora, '19029').length, before);
  });

  test('a connection added with its secret, then removed: settings entry, secret and runs go', async () => {
    const connection = { name: 'b3os-extra', platform: 'b3os', baseUrl: f.emulator.urls.b3os };
    assert.match(await f.services.probe(connection, 'b3sk_demo'), /\S/);
    await assert.rejects(f.services.probe(connection, 'b3sk_nope'), (error: Error & { kind?: string }) => error.kind === 'auth');
    await f.services.connections.add(connection, 'b3sk_demo');
    assert.ok(f.services.connections.get('b3os-extra'));
    const record = await f.services.runs.trigger({ connection: 'b3os-extra', workflowId: 'wf_9k2m4x7q1b3n' }, { inputs: {}, options: {} });
    await runUntil(f.services, record!, ['succeeded', 'failed']);
    // The command, as from the Workflows view: the modal is answered by the test.
    const original = vscode.window.showWarningMessage;
    const answers: Array<string | undefined> = [undefined, 'Remove'];
    const asked: string[] = [];
    vscode.window.showWarningMessage = (async (message: string) => {
      asked.push(message);
      return answers.shift();
    }) as typeof vscode.window.showWarningMessage;
    try {
      await vscode.commands.executeCommand('workflowRuns.removeConnection', 'b3os-extra');
      assert.ok(f.services.connections.get('b3os-extra'), 'dismissed: nothing is removed');
      assert.equal(f.services.store.summaries().filter((r) => r.connection === 'b3os-extra').length, 1);
      await vscode.commands.executeCommand('workflowRuns.removeConnection', 'b3os-extra');
    } finally {
      vscode.window.showWarningMessage = original;
    }
    assert.match(asked[0] ?? '', /Remove connection “b3os-extra”\? Its stored credential and run history are deleted too\./);
    assert.equal(f.services.connections.get('b3os-extra'), undefined);
    assert.equal(await f.services.connections.hasCredential(connection), false, 'the secret is deleted');
    assert.equal(f.services.store.summaries().filter((r) => r.connection === 'b3os-extra').length, 0, 'its runs are gone');
  });

  test('the Runs view filters by status', async () => {
    const runsTree = f.services.trees.runs;
    const all = (await runsTree.getChildren()) as Array<{ kind: string; record?: { snapshot: { status: string } } }>;
    assert.ok(all.length > 3);
    (runsTree as unknown as { setFilter(statuses: string[] | undefined): void }).setFilter(['failed']);
    try {
      const failed = (await runsTree.getChildren()) as typeof all;
      assert.ok(failed.length > 0 && failed.length < all.length);
      assert.ok(failed.every((node) => node.record?.snapshot.status === 'failed'));
    } finally {
      (runsTree as unknown as { setFilter(statuses: string[] | undefined): void }).setFilter(undefined);
    }
  });
});
