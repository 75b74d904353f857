import * as vscode from 'vscode';
import { payloadFromRun } from '../payload/fromRun';
import { truncatedValueError } from '../payload/truncated';
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
  // A value the history kept only in part must not be sent by accident: say which, every time, and
  // mark the first marker in the editor (the mark follows edits until no marker is left).
  if (payload.truncatedPaths.length > 0) {
    services.payload.diagnostics.reportPayloadProblems(document, truncatedValueError(payload.text));
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'The run history kept only the start of {0} of run {1}: the payload holds a "$truncated" marker there, marked in the Problems panel. Replace it with the full value; the file is not run while a marker is in it.',
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
