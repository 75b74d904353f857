// Dify file inputs and runs started elsewhere, in a real extension host: a payload's
// `{"$file": "./fixture.pdf"}` is uploaded and reaches the run; a run another client starts on
// B3OS appears in the Workflows view model without a refresh, and ends without a notification.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { eventually } from '../../helpers/eventually';
import { announcesEnd } from '../../../src/runs/runEnd';
import type { RunChange } from '../../../src/runs/store';
import { hostFixture, names, newestRun, runUntil, writePayload, type HostFixture } from './fixture';

type Node = { kind: string; connection?: string; workflow?: { id: string }; record?: { snapshot: { runId: string } } };

suite('runs elsewhere and file inputs', function () {
  this.timeout(60_000);
  let f: HostFixture;

  suiteSetup(async () => {
    f = await hostFixture();
  });

  test('Dify: a payload with {"$file": "./fixture.pdf"} uploads the file and the run receives it', async () => {
    fs.writeFileSync(path.join(f.dir, 'fixture.pdf'), '%PDF-1.4\n% host fixture\n%%EOF\n');
    const uri = await writePayload(f.dir, 'with-file.payload.json', { $workflow: names.dify, topic: 'host file', attachment: { $file: './fixture.pdf' } });
    const uploadsBefore = f.emulator.requests.filter((r) => r.platform === 'dify' && r.path === '/v1/files/upload').length;
    const since = Date.now();
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', uri);
    const run = await runUntil(f.services, newestRun(f.services, names.dify, 'default', since)!, ['succeeded']);
    const uploads = f.emulator.requests.filter((r) => r.platform === 'dify' && r.path === '/v1/files/upload');
    assert.equal(uploads.length, uploadsBefore + 1, 'the emulator received the upload');
    assert.match(uploads.at(-1)!.body, /filename="fixture\.pdf"/);
    const sent = JSON.parse(f.emulator.requests.filter((r) => r.platform === 'dify' && r.path === '/v1/workflows/run').at(-1)!.body) as { inputs: { attachment: { upload_file_id: string; type: string } } };
    assert.equal(sent.inputs.attachment.type, 'document');
    assert.deepEqual((run.snapshot.outputs as { files?: unknown }).files, { attachment: [sent.inputs.attachment.upload_file_id] });
    assert.deepEqual(run.request?.inputs.attachment, { $file: './fixture.pdf' }, 'the run keeps the payload as written');
  });

  test('B3OS: a run started elsewhere appears in the Workflows view model without a refresh, silently', async () => {
    await vscode.commands.executeCommand('workflowRuns.workflows.focus');
    const tree = f.services.trees.workflows as vscode.TreeDataProvider<Node>;
    const connection = ((await tree.getChildren()) ?? []).find((node) => node.kind === 'connection' && node.connection === names.b3os)!;
    const workflow = ((await tree.getChildren(connection)) ?? []).find((node) => node.kind === 'workflow' && node.workflow?.id === 'wf_9k2m4x7q1b3n')!;
    assert.ok(workflow, 'the workflow is listed');
    await tree.getChildren(workflow); // expanded: followed from now on
    await eventually(() => f.emulator.requests.some((r) => r.platform === 'b3os' && r.path === '/v1/workflows/wf_9k2m4x7q1b3n/runs/stream'), { what: 'the workflow runs stream opened' });

    const changes: RunChange[] = [];
    const subscription = f.services.store.onDidChange((batch) => changes.push(...batch));
    try {
      const { runId } = f.emulator.startRunElsewhere('b3os', { workflowId: 'wf_9k2m4x7q1b3n' });
      await eventually(async () => ((await tree.getChildren(workflow)) ?? []).some((node) => node.record?.snapshot.runId === runId), { what: 'the run in the view model' });
      const record = f.services.store.get(names.b3os, runId)!;
      await runUntil(f.services, record, ['succeeded', 'failed']);
      const own = changes.filter((change) => change.record.snapshot.runId === runId);
      assert.ok(own.length > 0);
      assert.equal(own.filter(announcesEnd).length, 0, 'a run started elsewhere never notifies');
    } finally {
      subscription.dispose();
    }
  });
});
