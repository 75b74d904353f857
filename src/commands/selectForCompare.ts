import * as vscode from 'vscode';
import type { Services } from '../services';
import { runFromArg } from './args';
import { selectForCompare } from './compareEditor';
import { pickRun } from './pick';

/** Select for Compare: remembers a run for "Compare with Selected", as the explorer does for files. */
export async function run(services: Services, arg?: unknown): Promise<void> {
  const record = runFromArg(services, arg) ?? (await pickRun(services, vscode.l10n.t('Choose a run to compare later')));
  if (!record) return;
  await selectForCompare(record);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Run {0} selected for compare', record.snapshot.runId), 3000);
}
