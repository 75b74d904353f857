import * as vscode from 'vscode';
import type { Services } from '../services';
import { runDocument } from './payloadRun';

/** From the editor title ▶, the explorer menu (a file URI), a CodeLens (the document URI) or the palette. */
export async function run(services: Services, arg?: unknown): Promise<void> {
  const uri = arg === undefined ? vscode.window.activeTextEditor?.document.uri : uriFromArg(arg);
  if (arg !== undefined && !uri) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Run Payload File takes a file URI or path; nothing was run.'));
    return;
  }
  if (!uri) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a JSON payload file to run it.'));
    return;
  }
  // openTextDocument returns the open editor's document when there is one: its unsaved text counts.
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.languageId !== 'json' && document.languageId !== 'jsonc' && !/\.jsonc?$/i.test(uri.path)) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} is not a JSON file.', vscode.workspace.asRelativePath(uri)));
    return;
  }
  await runDocument(services, document);
}

/** A Uri, a URI string, an absolute path, or `{uri}` (as other extensions pass them). */
function uriFromArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return /^[a-z][\w+.-]*:/i.test(arg) && !/^[a-z]:[\\/]/i.test(arg) ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  if (typeof arg === 'object' && arg !== null && 'uri' in arg) return uriFromArg((arg as { uri: unknown }).uri);
  return undefined;
}
