// Failures as plain-worded error notifications, with the action that helps: new credentials for
// a rejected credential, the run's inputs as a payload file for a re-run refused because the
// history shortened them, the log otherwise. Host-level, so commands and the run details panel both
// use it. Never a stack trace, never a secret (messages come from WorkflowRunsError, which is built
// without either, and pass through redaction).
import * as vscode from 'vscode';
import { describeError, isWorkflowRunsError } from '../client/errors';
import { forNotification } from '../util/redact';
import { isTruncatedInputsError } from '../runs/truncatedInputs';

export async function showError(error: unknown, log?: { error(message: string): void }): Promise<void> {
  if (isWorkflowRunsError(error) && error.kind === 'aborted') return;
  if (error instanceof vscode.CancellationError) return;
  const message = forNotification(describeError(error));
  log?.error(message);
  const setCredentials = vscode.l10n.t('Set Credentials…');
  const showLog = vscode.l10n.t('Show Log');
  if (isWorkflowRunsError(error) && error.isCredentialProblem && error.connection) {
    const choice = await vscode.window.showErrorMessage(message, setCredentials);
    if (choice === setCredentials) await vscode.commands.executeCommand('workflowRuns.setCredentials', error.connection);
    return;
  }
  if (isTruncatedInputsError(error)) {
    // The way on: the inputs as a payload file, markers shown where values must be restored.
    const openInputs = vscode.l10n.t('Open Inputs as Payload File');
    const choice = await vscode.window.showWarningMessage(message, openInputs);
    if (choice === openInputs) await vscode.commands.executeCommand('workflowRuns.openInputsAsPayload', error.run);
    return;
  }
  const choice = await vscode.window.showErrorMessage(message, showLog);
  if (choice === showLog) await vscode.commands.executeCommand('workflowRuns.showLog');
}
