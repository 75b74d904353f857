import * as vscode from 'vscode';
import type { Services } from '../services';
import { runFromArg } from './args';
import { pickRun } from './pick';

export async function run(services: Services, arg?: unknown): Promise<void> {
  const record = runFromArg(services, arg) ?? (await pickRun(services, vscode.l10n.t('Choose a run to show')));
  // A task row of the trees passes {kind: 'task', record, taskId}: the panel opens on that task.
  const taskId = typeof arg === 'object' && arg !== null && (arg as { kind?: unknown }).kind === 'task' ? (arg as { taskId?: unknown }).taskId : undefined;
  if (record) services.details.show(record, { preserveFocus: false, ...(typeof taskId === 'string' ? { taskId } : {}) });
}
