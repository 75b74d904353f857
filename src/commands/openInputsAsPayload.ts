import * as vscode from 'vscode';
import { payloadFromRun } from '../payload/fromRun';
import type { RunRecord } from '../runs/record';
import type { Services } from '../services';
import { runFromArg } from './args';
import { pickRun } from './pick';

/**
 * Open Inputs as Payload File: a run's inputs (and options) as a new, unsaved JSONC payload with
 * `$workflow` set. Running that editor as it is (Run Payload File works on untitled editors)
 * sends the same inputs again.
 */
export async function run(services: Services, arg?: unknown): Promise<vscode.TextEditor | undefined> {
  const record = runFromArg(services, arg) ?? (arg === undefined ? await pickRun(services, vscode.l10n.t('Open the inputs of which run?')) : undefined);
  if (!record) {
    if (arg !== undefined) void vscode.window.showErrorMessage(vscode.l10n.t('Open Inputs as Payload File takes a run that is in the run history; nothing was opened.'));
    return undefined;
  }
  return openInputsAsPayload(services, record);
}

export async function openInputsAsPayload(services: Services, record: RunRecord): Promise<vscode.TextEditor> {
  const connection = services.connections.get(record.connection);
  const singleWorkflowId = connection ? services.connections.platformOf(connection)?.singleWorkflow?.(connection) : undefined;
  const payload = payloadFromRun(record, { singleWorkflowId });
  const document = await vscode.workspace.openTextDocument({ language: 'jsonc', content: payload.text });
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  // A value the history kept only in part must not be sent by accident: say which, every time.
  if (payload.truncatedPaths.length > 0) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'The run history kept only the start of {0} of run {1}: the payload holds a "$truncated" marker there. Replace it before running, or the marker is sent instead of the value.',
        payload.truncatedPaths.join(', '),
        record.snapshot.runId,
      ),
    );
  }
  if (payload.droppedInputs.length > 0) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('The inputs {0} of run {1} start with $ and cannot be sent from a payload file: they were left out.', payload.droppedInputs.join(', '), record.snapshot.runId),
    );
  }
  if (payload.inputsSource === 'unknown') {
    void vscode.window.showInformationMessage(vscode.l10n.t('The platform did not report the inputs of run {0}: the payload has only $workflow.', record.snapshot.runId));
  }
  return editor;
}
