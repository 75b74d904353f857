import * as vscode from 'vscode';
import type { Services } from '../services';
import { runFromArg } from './args';
import { pickRun } from './pick';

export async function run(services: Services, arg?: unknown): Promise<void> {
  const record = runFromArg(services, arg) ?? (await pickRun(services, vscode.l10n.t('Choose a run whose id to copy')));
  if (!record) return;
  await vscode.env.clipboard.writeText(record.snapshot.runId);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied run id {0}', record.snapshot.runId), 3000);
}
