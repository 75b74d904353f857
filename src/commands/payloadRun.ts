// Running a document as a payload: what is in the editor is what is sent, saved or not. The checks
// are the payload pipeline's (the same the Problems panel runs on every edit): a file that does not
// parse, names no known workflow, or whose $options do not fit the platform is not sent, and the
// error names the line and column and shows in the Problems panel.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkflowRunsError } from '../client/errors';
import { startRun } from '../host/runFeedback';
import { formatPayloadError } from '../payload/parse';
import { checkPayload, type PayloadCheck } from '../payload/pipeline';
import type { RunRecord } from '../runs/record';
import type { RunTarget, Services } from '../services';
import { pickWorkflow } from './pick';

export async function runDocument(services: Services, document: vscode.TextDocument, forcedTarget?: RunTarget): Promise<RunRecord | undefined> {
  const text = document.getText();
  const fileName = document.isUntitled ? document.uri.path : vscode.workspace.asRelativePath(document.uri);
  const { diagnostics, remembered } = services.payload;
  const uri = document.uri.toString();
  const check = (forced?: RunTarget): PayloadCheck & { ok: true } => {
    // `$file` paths are relative to the saved file's folder; an untitled editor has none.
    const folder = document.isUntitled || document.uri.scheme !== 'file' ? undefined : path.dirname(document.uri.fsPath);
    const result = checkPayload(text, { ...services.payload.targetContext(), files: { folder } }, { forced, remembered: remembered.get(uri) });
    if (result.ok) return result;
    diagnostics.reportPayloadProblems(document, result.error);
    throw new WorkflowRunsError(vscode.l10n.t('{0} Nothing was sent.', formatPayloadError(result.error, fileName)), { kind: 'config' });
  };

  let checked = check(forcedTarget);
  if (!checked.target) {
    const picked = await pickWorkflow(services, vscode.l10n.t('Run {0} on which workflow? (remembered for this file)', fileName));
    if (!picked) return undefined;
    await remembered.set(uri, picked);
    checked = check(picked);
  }
  const target = checked.target!;
  diagnostics.reportPayloadProblems(document, undefined, checked.warnings);
  if (!(await confirmUntrustedPayload(fileName, target.connection))) return undefined;
  return startRun(services, target, {
    inputs: checked.parsed.inputs,
    options: checked.options,
    ...(checked.files ? { files: checked.files } : {}),
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

