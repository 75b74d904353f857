// Temporary activation while the product is assembled: every contributed command says plainly
// that it is not built yet.
import * as vscode from 'vscode';

const commandIds = [
  'addConnection', 'removeConnection', 'setCredentials', 'refresh', 'runWorkflow', 'runPayloadFile',
  'newPayloadFile', 'rerun', 'stopRun', 'showRunDetails', 'openRunById', 'showLog', 'copyRunId',
  'filterRuns', 'loadMore', 'clearHistory',
];

export function activate(context: vscode.ExtensionContext): void {
  for (const id of commandIds) {
    context.subscriptions.push(
      vscode.commands.registerCommand(`workflowRuns.${id}`, () =>
        vscode.window.showWarningMessage(vscode.l10n.t('Workflow Runs: "{0}" is not built yet.', id)),
      ),
    );
  }
  void vscode.commands.executeCommand('setContext', 'workflowRuns.connectionCount', 0);
}

export function deactivate(): void {}
