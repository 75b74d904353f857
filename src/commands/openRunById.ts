import * as vscode from 'vscode';
import type { Services } from '../services';
import { runRefFromArg } from './args';
import { pickConnection } from './pick';

/**
 * Opens any run of a connection by its platform id, records it and watches it if in flight.
 * Called as `(connection, runId)` or with `{connection, runId[, workflowId]}`; only what is
 * missing is asked for, so a caller that gives both never sees a prompt.
 */
export async function run(services: Services, arg?: unknown, runIdArg?: unknown): Promise<void> {
  const given = runRefFromArg(arg, runIdArg);
  const connection = given.connection ?? (await pickConnection(services, vscode.l10n.t('Which connection is the run on?')));
  if (!connection) return;
  const runId = given.runId ?? (await askRunId(connection))?.trim();
  if (!runId) return;
  const record = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Opening run {0}…', runId) },
    () => services.runs.open(connection, runId, given.workflowId),
  );
  services.details.show(record, { preserveFocus: false });
}

function askRunId(connection: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Open Run by ID'),
    prompt: vscode.l10n.t('The run id on {0} (Zuora run id, Dify workflow_run_id, B3OS run_… id)', connection),
    validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter a run id')),
    ignoreFocusOut: true,
  });
}
