import * as vscode from 'vscode';
import { rerunRun } from '../host/runFeedback';
import type { Services } from '../services';
import { runFromArg } from './args';
import { pickRun } from './pick';

/** Re-run: the same workflow with the same payload, as a new run. */
export async function run(services: Services, arg?: unknown): Promise<void> {
  const record = runFromArg(services, arg) ?? (await pickRun(services, vscode.l10n.t('Choose a run to run again')));
  if (record) await rerunRun(services, record);
}
