import * as vscode from 'vscode';
import { rerunTask } from '../host/runFeedback';
import { findPlatform } from '../providers/registry';
import { isInFlight, type RunRecord } from '../runs/record';
import type { Services } from '../services';
import { taskFromArg } from './args';
import { pickRun } from './pick';

/**
 * Re-run Task: the platform runs one task of an ended run again (Zuora), and the run is followed
 * again until it ends. From a task row, the panel's task detail, or the palette (a run, then a task).
 */
export async function run(services: Services, arg?: unknown): Promise<RunRecord | undefined> {
  const target = taskFromArg(services, arg) ?? (arg === undefined ? await pickTask(services) : undefined);
  if (!target) {
    if (arg !== undefined) void vscode.window.showErrorMessage(vscode.l10n.t('Re-run Task takes a task of a run in the run history; nothing was re-run.'));
    return undefined;
  }
  if (isInFlight(target.record)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Run {0} is still in flight: a task can be re-run once the run has ended.', target.record.snapshot.runId));
    return undefined;
  }
  return rerunTask(services, target.record, target.taskId);
}

/** Whether a run listed without its large fields has a task to re-run (taskRowsOf counts them unread). */
function rerunsTasks(services: Services, record: RunRecord): boolean {
  return findPlatform(record.platform)?.runActions?.rerunTask === true && !isInFlight(record) && services.store.taskRowsOf(record) > 0;
}

async function pickTask(services: Services): Promise<{ record: RunRecord; taskId: string } | undefined> {
  const record = await pickRun(services, vscode.l10n.t('Re-run a task of which run?'), (record) => rerunsTasks(services, record));
  if (!record) return undefined;
  const picked = await vscode.window.showQuickPick(
    (record.snapshot.timeline ?? []).map((entry) => ({
      label: entry.name,
      description: `${entry.id} · ${entry.platformState ?? entry.state}`,
      detail: entry.error,
      taskId: entry.id,
    })),
    { placeHolder: vscode.l10n.t('Which task of run {0}?', record.snapshot.runId), matchOnDescription: true },
  );
  return picked ? { record, taskId: picked.taskId } : undefined;
}
