import * as vscode from 'vscode';
import { isInFlight } from '../runs/record';
import type { Services } from '../services';

/** Forgets ended runs; runs in flight stay (they are still being watched). */
export async function run(services: Services): Promise<void> {
  // Which runs, not what they hold: their large fields are not read.
  const ended = services.store.summaries().filter((record) => !isInFlight(record));
  if (ended.length === 0) return;
  const clear = vscode.l10n.t('Clear');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Forget {0} ended runs? Runs in flight are kept.', ended.length),
    { modal: true },
    clear,
  );
  if (choice !== clear) return;
  for (const record of ended) services.store.remove(record.connection, record.snapshot.runId);
}
