import * as vscode from 'vscode';
import { isInFlight } from '../runs/record';
import type { Services } from '../services';
import { runFromArg } from './args';
import { pickRun } from './pick';

export async function run(services: Services, arg?: unknown): Promise<void> {
  const record = runFromArg(services, arg) ?? (await pickRun(services, vscode.l10n.t('Choose a run to stop'), isInFlight));
  if (!record) return;
  if (!isInFlight(record)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Run {0} has already ended ({1}).', record.snapshot.runId, record.snapshot.status));
    return;
  }
  await services.runs.stop(record);
}
