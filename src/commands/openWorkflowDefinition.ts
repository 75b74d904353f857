import * as vscode from 'vscode';
import type { Services } from '../services';
import { workflowFromArg } from './args';
import { definitionDocumentUri } from './compareEditor';
import { pickWorkflow } from './pick';

/**
 * Open Workflow Definition: the workflow as its platform describes it, as read-only JSON (Zuora
 * `GET /workflows/{id}`, B3OS `GET /v1/workflows/{id}`, Dify `/info` and `/parameters`).
 */
export async function run(services: Services, arg?: unknown): Promise<vscode.TextEditor | undefined> {
  const target = workflowFromArg(services, arg) ?? (arg === undefined ? await pickWorkflow(services, vscode.l10n.t('Open the definition of which workflow?')) : undefined);
  if (!target) {
    if (arg !== undefined) void vscode.window.showErrorMessage(vscode.l10n.t('Open Workflow Definition takes a workflow of a connection; nothing was opened.'));
    return undefined;
  }
  const uri = definitionDocumentUri(target.connection, target.workflowId);
  const document = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading the definition of “{0}”…', target.workflowName ?? target.workflowId) },
    async () => vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'json'),
  );
  return vscode.window.showTextDocument(document, { preview: false });
}
