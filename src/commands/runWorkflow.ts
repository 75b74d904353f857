import * as vscode from 'vscode';
import { startRun } from '../host/runFeedback';
import type { RunTarget, Services } from '../services';
import { workflowFromArg } from './args';
import { runDocument } from './payloadRun';
import { pickWorkflow } from './pick';
import { openPayloadTemplate } from './newPayloadFile';
import { targetLabel } from '../runs/wording';

type PayloadSource = 'editor' | 'file' | 'empty' | 'template';

/** A workflow (from the tree or a quick pick), then where its input comes from. */
export async function run(services: Services, arg?: unknown): Promise<void> {
  const target = workflowFromArg(services, arg) ?? (await pickWorkflow(services, vscode.l10n.t('Run which workflow?')));
  if (!target) return;
  const editor = vscode.window.activeTextEditor;
  const editorIsJson = editor && (editor.document.languageId === 'json' || editor.document.languageId === 'jsonc');
  const items: Array<vscode.QuickPickItem & { source: PayloadSource }> = [];
  if (editorIsJson) {
    items.push({ label: `$(file-code) ${vscode.l10n.t('Active editor')}`, description: vscode.workspace.asRelativePath(editor.document.uri), source: 'editor' });
  }
  items.push(
    { label: `$(folder-opened) ${vscode.l10n.t('A JSON file…')}`, source: 'file' },
    { label: `$(json) ${vscode.l10n.t('No input ({})')}`, source: 'empty' },
    { label: `$(new-file) ${vscode.l10n.t('New payload from the workflow’s inputs…')}`, description: vscode.l10n.t('opens an editor to fill in'), source: 'template' },
  );
  const choice = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Run {0}', targetLabel(target)),
    placeHolder: vscode.l10n.t('Which input?'),
  });
  if (!choice) return;
  switch (choice.source) {
    case 'editor':
      await runDocument(services, editor!.document, target);
      return;
    case 'file': {
      const [file] =
        (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { JSON: ['json', 'jsonc'] }, openLabel: vscode.l10n.t('Run') })) ?? [];
      if (file) await runDocument(services, await vscode.workspace.openTextDocument(file), target);
      return;
    }
    case 'empty':
      await startRun(services, target, { inputs: {}, options: {} });
      return;
    case 'template':
      await openPayloadTemplate(services, target as RunTarget);
      return;
  }
}
