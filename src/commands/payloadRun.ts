// Running a document as a payload: what is in the editor is what is sent, saved or not. A file
// that does not parse, or whose $options do not fit the platform, is not sent: the error names the
// line and column and shows in the Problems panel.
import * as vscode from 'vscode';
import { WorkflowRunsError } from '../client/errors';
import { checkPayloadOptions, formatPayloadError, isPayloadError, parsePayload, payloadWarnings } from '../payload/parse';
import { resolveWorkflowRef } from '../payload/target';
import { startRun } from '../host/runFeedback';
import type { RunRecord } from '../runs/record';
import type { RunTarget, Services } from '../services';
import { pickWorkflow } from './pick';

export async function runDocument(services: Services, document: vscode.TextDocument, forcedTarget?: RunTarget): Promise<RunRecord | undefined> {
  const text = document.getText();
  const fileName = document.isUntitled ? document.uri.path : vscode.workspace.asRelativePath(document.uri);
  const { diagnostics, remembered } = services.payload;
  const parsed = parsePayload(text);
  if (isPayloadError(parsed)) {
    diagnostics.reportPayloadProblems(document, parsed);
    throw new WorkflowRunsError(vscode.l10n.t('{0} Nothing was sent.', formatPayloadError(parsed, fileName)), { kind: 'config' });
  }

  const uri = document.uri.toString();
  let target = forcedTarget;
  if (!target && parsed.workflowRef !== undefined) {
    try {
      target = resolveWorkflowRef(parsed.workflowRef, services.payload.targetContext());
    } catch (error) {
      const range = parsed.positions.workflow ?? parsed.positions.root;
      const located = { ok: false as const, message: (error as Error).message, offset: range.offset, length: range.length, ...lineColumn(document, range.offset) };
      diagnostics.reportPayloadProblems(document, located);
      throw new WorkflowRunsError(vscode.l10n.t('{0} Nothing was sent.', formatPayloadError(located, fileName)), { kind: 'config' });
    }
  }
  if (!target) target = remembered.get(uri);
  if (!target) {
    target = await pickWorkflow(services, vscode.l10n.t('Run {0} on which workflow? (remembered for this file)', fileName));
    if (!target) return undefined;
    await remembered.set(uri, target);
  }

  const connection = services.connections.get(target.connection);
  const platform = connection && services.connections.platformOf(connection);
  if (platform) {
    const optionsError = checkPayloadOptions(text, parsed, platform.optionsSchema);
    if (optionsError) {
      diagnostics.reportPayloadProblems(document, optionsError);
      throw new WorkflowRunsError(vscode.l10n.t('{0} Nothing was sent.', formatPayloadError(optionsError, fileName)), { kind: 'config' });
    }
  }
  diagnostics.reportPayloadProblems(document, undefined, payloadWarnings(parsed, connection?.platform));
  if (!(await confirmUntrustedPayload(fileName, target.connection))) return undefined;
  return startRun(services, target, {
    inputs: parsed.inputs,
    options: parsed.options,
    payloadUri: document.isUntitled ? undefined : uri,
  });
}

/**
 * A file from a workspace the user has not trusted may have been written by anyone: its inputs go
 * to the user's own platform with the user's credential, so the user confirms each run of it.
 */
async function confirmUntrustedPayload(fileName: string, connection: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const run = vscode.l10n.t('Run');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Run {0} from a workspace you have not trusted?', fileName),
    { modal: true, detail: vscode.l10n.t('Its contents will be sent to connection “{0}” with your credential. Check the file first if you did not write it.', connection) },
    run,
  );
  return choice === run;
}

function lineColumn(document: vscode.TextDocument, offset: number): { line: number; column: number } {
  const position = document.positionAt(offset);
  return { line: position.line + 1, column: position.character + 1 };
}
