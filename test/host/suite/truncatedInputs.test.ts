// A run whose stored inputs the run history shortened (what is left of a large input after a
// reload) is never re-sent as if whole: Re-run sends nothing to the platform and says why, with
// "Open Inputs as Payload File" as the way on; the payload it opens marks the shortened value in
// the editor and is not sent either while the marker is in it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { emptyTaskCounts } from '../../../src/providers/model';
import { boundValue } from '../../../src/runs/bound';
import { eventually } from '../../helpers/eventually';
import { hostFixture, names, type HostFixture } from './fixture';

suite('re-running a run whose stored inputs were shortened', function () {
  this.timeout(60_000);
  let f: HostFixture;
  const shown: Array<{ message: string; items: string[] }> = [];
  const original = vscode.window.showWarningMessage;
  const openAction = 'Open Inputs as Payload File';

  suiteSetup(async () => {
    f = await hostFixture();
    // The user's answer to the refusal: open the inputs. Other warnings are only recorded.
    vscode.window.showWarningMessage = (async (message: string, ...rest: unknown[]) => {
      const items = rest.filter((item): item is string => typeof item === 'string');
      shown.push({ message, items });
      return items.includes(openAction) ? openAction : undefined;
    }) as typeof vscode.window.showWarningMessage;
  });

  suiteTeardown(() => {
    vscode.window.showWarningMessage = original;
  });

  test('Re-run sends nothing and says the inputs were shortened; the payload it offers marks where, and is not sent either', async () => {
    // What the history holds for a run with a large input once the window was reloaded.
    const document = { text: 'y'.repeat(4000) };
    const record = f.services.store.upsert(
      names.dify,
      'dify',
      { runId: 'truncated-host-1', workflowId: 'default', status: 'succeeded', tasks: emptyTaskCounts() },
      { request: { inputs: { topic: 'kept', document: boundValue(document, 1000) as Record<string, unknown> }, options: {} } },
    );
    const requestsBefore = f.emulator.requests.filter((request) => request.platform === 'dify' && request.method === 'POST').length;

    await vscode.commands.executeCommand('workflowRuns.rerun', { connection: record.connection, runId: record.snapshot.runId });
    const refusal = await eventually(() => shown.find((entry) => entry.items.includes(openAction)), { until: Boolean, what: 'the refusal to be shown' });
    assert.match(refusal!.message, /Run truncated-host-1 was not re-run: the run history shortened its inputs \(document\) to fit its size limit/);

    // The action opens the inputs as a payload, the shortened value marked in the editor.
    const editor = await eventually(() => vscode.window.activeTextEditor, {
      until: (active) => active?.document.isUntitled === true && active.document.getText().includes('"$truncated"'),
      what: 'the inputs to open as a payload',
    });
    const text = editor!.document.getText();
    assert.match(text, /WARNING: the run history kept only the start of document/);
    const problems = vscode.languages.getDiagnostics(editor!.document.uri).filter((diagnostic) => diagnostic.source === 'Workflow Runs');
    assert.equal(problems.length, 1, 'the marker is a Problems entry');
    assert.match(problems[0].message, /kept only the start of document \(\d+ bytes\).*Nothing is sent while it is here/);
    assert.match(editor!.document.lineAt(problems[0].range.start.line).text, /"\$truncated": true/);

    // Running that editor as it is sends nothing.
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const requestsAfter = f.emulator.requests.filter((request) => request.platform === 'dify' && request.method === 'POST').length;
    assert.equal(requestsAfter, requestsBefore, 'the emulator received nothing');
    assert.equal(f.services.store.forWorkflow(names.dify, 'default').filter((run) => run.triggeredAt > record.triggeredAt).length, 0, 'no run was recorded');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
