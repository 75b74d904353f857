import * as vscode from 'vscode';
import type { Services } from '../services';
import { connectionFromArg } from './args';
import { pickConnection } from './pick';

/** Opens any run of a connection by its platform id, records it and watches it if in flight. */
export async function run(services: Services, arg?: unknown, runIdArg?: unknown): Promise<void> {
  const connection = connectionFromArg(arg) ?? (await pickConnection(services, vscode.l10n.t('Which connection is the run on?')));
  if (!connection) return;
  const runId =
    typeof runIdArg === 'string' || typeof runIdArg === 'number'
      ? String(runIdArg)
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('Open Run by ID'),
          prompt: vscode.l10n.t('The run id on {0} (Zuora run id, Dify workflow_run_id, B3OS run_… id)', connection),
          validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter a run id')),
          ignoreFocusOut: true,
        });
  if (!runId?.trim()) return;
  const record = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Opening run {0}…', runId.trim()) },
    () => services.runs.open(connection, runId.trim()),
  );
  services.details.show(record, { preserveFocus: false });
}
