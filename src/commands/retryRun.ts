import * as vscode from 'vscode';
import { retryRun } from '../host/runFeedback';
import { findPlatform } from '../providers/registry';
import type { RunRecord } from '../runs/record';
import type { Services } from '../services';
import { runFromArg } from './args';
import { pickRun } from './pick';

/**
 * Retry Run: the platform retries a failed run as a new run (B3OS), which is recorded, watched and
 * shown like a run just started. From a failed run's row, the panel, or the palette.
 */
export async function run(services: Services, arg?: unknown): Promise<RunRecord | undefined> {
  const record = runFromArg(services, arg) ?? (arg === undefined ? await pickRun(services, vscode.l10n.t('Retry which failed run?'), retriable) : undefined);
  if (!record) {
    if (arg !== undefined) void vscode.window.showErrorMessage(vscode.l10n.t('Retry Run takes a run that is in the run history; nothing was retried.'));
    return undefined;
  }
  if (!retriable(record)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Run {0} cannot be retried: only failed runs on platforms that retry runs can. Use Re-run instead.', record.snapshot.runId));
    return undefined;
  }
  return retryRun(services, record);
}

function retriable(record: RunRecord): boolean {
  return findPlatform(record.platform)?.runActions?.retryFailedRun === true && record.snapshot.status === 'failed';
}
