import * as vscode from 'vscode';
import type { Services } from '../services';
import { runDocument } from './payloadRun';

/** From the editor title ▶, the explorer menu (a file URI), a CodeLens (the document URI) or the palette. */
export async function run(services: Services, arg?: unknown): Promise<void> {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
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
