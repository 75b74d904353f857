import * as vscode from 'vscode';
import type { Services } from '../services';
import { runFromArg } from './args';
import { pickRun } from './pick';

export async function run(services: Services, arg?: unknown): Promise<void> {
  const record = runFromArg(services, arg) ?? (await pickRun(services, vscode.l10n.t('Choose a run to show')));
  if (record) services.details.show(record, { preserveFocus: false });
}
