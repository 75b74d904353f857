// Fix and go on in a real extension host: Re-run Task on a Zuora run (in flight again, then ended),
// Retry Run on a failed B3OS run (a new run recorded and watched), Open Workflow Definition on
// every platform, and run-end notifications (batched, or none while the run's panel is in front).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually } from '../../helpers/eventually';
import { runSnapshot } from '../../helpers/runs';
import { runDocumentScheme } from '../../../src/commands/compareEditor';
import { isInFlight, type RunRecord } from '../../../src/runs/record';
import { hostFixture, names, newestRun, runUntil, writePayload, type HostFixture } from './fixture';

const ended: RunRecord['snapshot']['status'][] = ['succeeded', 'failed', 'partial', 'stopped'];

suite('fix and go on', function () {
  this.timeout(90_000);
  let f: HostFixture;

  suiteSetup(async () => {
    f = await hostFixture();
  });

  function requests(platform: 'zuora' | 'b3os', method: string, path: RegExp): number {
    return f.emulator.requests.filter((r) => r.platform === platform && r.method === method && path.test(r.path)).length;
  }

  test('Zuora: Re-run Task (from the panel\'s task argument, clicked twice) reruns the task once; the run is in flight again, then ends', async () => {
    const uri = await writePayload(f.dir, 'fix-zuora.payload.json', { $workflow: `${names.zuora}/19028` });
    const since = Date.now();
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', uri);
    const first = await runUntil(f.services, newestRun(f.services, names.zuora, '19028', since)!, ended, 40_000);
    const task = first.snapshot.timeline?.find((entry) => entry.state === 'error') ?? first.snapshot.timeline?.[0];
    assert.ok(task, 'the finished run has tasks');
    const before = requests('zuora', 'POST', new RegExp(`^/workflows/tasks/${task.id}/rerun$`));
    const argument = { kind: 'task', record: first, taskId: task.id };
    const [once, twice] = await Promise.all([
      vscode.commands.executeCommand<RunRecord | undefined>('workflowRuns.rerunTask', argument),
      vscode.commands.executeCommand<RunRecord | undefined>('workflowRuns.rerunTask', argument),
    ]);
    assert.equal(requests('zuora', 'POST', new RegExp(`^/workflows/tasks/${task.id}/rerun$`)) - before, 1, 'a double click reruns the task once');
    const reopened = once ?? twice;
    assert.ok(reopened, 'the command returns the run');
    assert.equal(reopened.snapshot.runId, first.snapshot.runId, 'the same run, not a new one');
    assert.ok(isInFlight(reopened), `the run is in flight again (${reopened.snapshot.status})`);
    const again = await runUntil(f.services, reopened, ended, 40_000);
    assert.equal(again.snapshot.timeline?.find((entry) => entry.id === task.id)?.state, 'success', 'the re-run task succeeded');
  });

  test('B3OS: Retry Run on a failed run records and watches a new run (a double click retries once)', async () => {
    const uri = await writePayload(f.dir, 'fix-b3os.payload.json', { $workflow: `${names.b3os}/wf_9k2m4x7q1b3n`, scenario: 'fail' });
    const since = Date.now();
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', uri);
    const failed = await runUntil(f.services, newestRun(f.services, names.b3os, 'wf_9k2m4x7q1b3n', since)!, ended, 40_000);
    assert.equal(failed.snapshot.status, 'failed');
    const before = requests('b3os', 'POST', /\/retry$/);
    const [one, two] = await Promise.all([
      vscode.commands.executeCommand<RunRecord | undefined>('workflowRuns.retryRun', { kind: 'run', view: 'runs', record: failed }),
      vscode.commands.executeCommand<RunRecord | undefined>('workflowRuns.retryRun', failed),
    ]);
    assert.equal(requests('b3os', 'POST', /\/retry$/) - before, 1, 'one retry sent');
    const retried = one ?? two;
    assert.ok(retried && retried.snapshot.runId !== failed.snapshot.runId, 'a new run');
    assert.ok(f.services.store.get(names.b3os, retried.snapshot.runId), 'the new run is in the history');
    await runUntil(f.services, retried, ended, 40_000);
  });

  for (const [platform, connection, workflowId, expected] of [
    ['Zuora', names.zuora, '19027', 'Invoice sync to NetSuite'],
    ['B3OS', names.b3os, 'wf_9k2m4x7q1b3n', 'wf_9k2m4x7q1b3n'],
    ['Dify', names.dify, 'default', 'user_input_form'],
  ] as const) {
    test(`${platform}: Open Workflow Definition opens a read-only JSON document of the workflow`, async () => {
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>('workflowRuns.openWorkflowDefinition', { kind: 'workflow', connection, workflow: { id: workflowId, name: workflowId } });
      assert.ok(editor, 'the command returns the editor');
      const document = editor.document;
      assert.equal(document.uri.scheme, runDocumentScheme, 'served by the extension, not a file');
      assert.equal(document.languageId, 'json');
      assert.ok(document.getText().includes(expected), `the definition names ${expected}`);
      assert.doesNotThrow(() => JSON.parse(document.getText()));
      // Read-only in VS Code's sense of a virtual document: no file system stands behind the
      // scheme, so nothing can write it back anywhere.
      assert.notEqual(vscode.workspace.fs.isWritableFileSystem(runDocumentScheme), true);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });
  }

  test('runs ending together are one notification; one run keeps its own message; none while its panel is in front', async () => {
    const configuration = vscode.workspace.getConfiguration('workflowRuns');
    const previous = configuration.inspect('notifyOnRunEnd')?.globalValue;
    await configuration.update('notifyOnRunEnd', 'always', vscode.ConfigurationTarget.Global);
    const shown: string[] = [];
    const window = vscode.window as unknown as Record<string, unknown>;
    const originals = { info: window.showInformationMessage, warning: window.showWarningMessage };
    window.showInformationMessage = async (message: string) => (shown.push(message), undefined);
    window.showWarningMessage = async (message: string) => (shown.push(message), undefined);
    const store = f.services.store;
    const ids: string[] = [];
    const start = (status: 'succeeded' | 'failed') => {
      const runId = `notify-${Date.now().toString(36)}-${ids.length}`;
      ids.push(runId);
      store.upsert(names.dify, 'dify', runSnapshot(runId, 'running', { workflowId: 'default' }));
      return () => store.upsert(names.dify, 'dify', runSnapshot(runId, status, { workflowId: 'default', finishedAt: Date.now() }));
    };
    try {
      const ends = [start('succeeded'), start('succeeded'), start('failed')];
      for (const end of ends) end();
      await eventually(() => shown.length, { until: (count) => count >= 1, timeoutMs: 5000, what: 'the batched notification' });
      await new Promise((resolve) => setTimeout(resolve, 1800));
      assert.deepEqual(shown, ['3 runs ended: 2 succeeded, 1 failed']);

      shown.length = 0;
      const single = start('failed');
      single();
      await eventually(() => shown.length, { until: (count) => count >= 1, timeoutMs: 5000, what: 'the single notification' });
      assert.match(shown[0]!, new RegExp(`^Run ${ids.at(-1)} of .* failed`));

      if (vscode.window.state.focused) {
        shown.length = 0;
        const watched = start('succeeded');
        f.services.details.show(store.get(names.dify, ids.at(-1)!)!);
        await eventually(() => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputWebview, { until: Boolean, what: 'the panel in front' });
        watched();
        await new Promise((resolve) => setTimeout(resolve, 2500));
        assert.deepEqual(shown, [], 'no toast for a run whose panel is visible in a focused window');
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      } else {
        // Said, not skipped in silence: the UI scenario lifecycle.ui.ts covers it in a focused window.
        console.log('note: the window is not focused, so "no toast for a run whose panel is in front" was not checked here');
      }
    } finally {
      window.showInformationMessage = originals.info;
      window.showWarningMessage = originals.warning;
      for (const runId of ids) store.remove(names.dify, runId);
      await configuration.update('notifyOnRunEnd', previous, vscode.ConfigurationTarget.Global);
    }
  });
});
