import * as vscode from 'vscode';
import { buildPayloadTemplate } from '../payload/template';
import { formatWorkflowRef } from '../payload/target';
import type { RunTarget, Services } from '../services';
import { workflowFromArg } from './args';
import { pickWorkflow } from './pick';
import { targetLabel } from '../runs/wording';

export async function run(services: Services, arg?: unknown): Promise<void> {
  const target = workflowFromArg(services, arg) ?? (await pickWorkflow(services, vscode.l10n.t('New payload file for which workflow?')));
  if (target) await openPayloadTemplate(services, target);
}

/** A new, unsaved JSONC editor with `$workflow` filled in and one line per declared input. */
export async function openPayloadTemplate(services: Services, target: RunTarget): Promise<vscode.TextEditor> {
  const connection = services.connections.get(target.connection);
  const provider = await services.providers.get(target.connection);
  const fields = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading the inputs of {0}…', targetLabel(target)) },
    () => provider.describeInputs(target.workflowId),
  );
  const content = buildPayloadTemplate({
    workflowRef: formatWorkflowRef(target, services.payload.targetContext()),
    fields,
    platform: connection?.platform ?? '',
  });
  const document = await vscode.workspace.openTextDocument({ language: 'jsonc', content });
  return vscode.window.showTextDocument(document, { preview: false });
}
