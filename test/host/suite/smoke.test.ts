import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'workflow-runs.workflow-runs';

// The command ids users, keybindings and other extensions rely on: renaming one breaks them.
const CONTRACT_COMMANDS = [
  'workflowRuns.addConnection',
  'workflowRuns.removeConnection',
  'workflowRuns.setCredentials',
  'workflowRuns.refresh',
  'workflowRuns.runWorkflow',
  'workflowRuns.runPayloadFile',
  'workflowRuns.newPayloadFile',
  'workflowRuns.rerun',
  'workflowRuns.stopRun',
  'workflowRuns.showRunDetails',
  'workflowRuns.openRunById',
  'workflowRuns.showLog',
];

suite('smoke', () => {
  test('the extension is present and activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    await extension.activate();
    assert.equal(extension.isActive, true);
    assert.equal(extension.packageJSON.displayName, 'Workflow Runs');
  });

  test('every contract command is registered', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = CONTRACT_COMMANDS.filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  });

  test('contract settings have their defaults', () => {
    const configuration = vscode.workspace.getConfiguration('workflowRuns');
    assert.equal(configuration.inspect('history.maxRunsPerWorkflow')?.defaultValue, 50);
    assert.equal(configuration.inspect('openDetailsOnRun')?.defaultValue, true);
    assert.deepEqual(configuration.inspect('connections')?.defaultValue, []);
  });
});
