import * as vscode from 'vscode';
import type { Services } from '../services';
import { connectionFromArg } from './args';
import { pickConnection } from './pick';

/** Removes the settings entry, its secret and its runs from history, after a confirmation. */
export async function run(services: Services, arg?: unknown): Promise<void> {
  const name = connectionFromArg(arg) ?? (await pickConnection(services, vscode.l10n.t('Choose a connection to remove')));
  if (!name) return;
  const remove = vscode.l10n.t('Remove');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Remove connection “{0}”? Its stored credential and run history are deleted too.', name),
    { modal: true },
    remove,
  );
  if (choice !== remove) return;
  await services.connections.remove(name);
  services.store.removeConnection(name);
  // Payload files that were pointed at it ask again next time.
  await services.payload.remembered.forgetConnection(name);
}
