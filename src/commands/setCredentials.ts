import * as vscode from 'vscode';
import type { Services } from '../services';
import { connectionFromArg } from './args';
import { pickConnection } from './pick';
import { noSuchConnection } from '../connections/errors';

export async function run(services: Services, arg?: unknown, credentialArg?: unknown): Promise<void> {
  const name = connectionFromArg(arg) ?? (await pickConnection(services, vscode.l10n.t('Set the credential of which connection?')));
  if (!name) return;
  const connection = services.connections.get(name);
  if (!connection) {
    void vscode.window.showErrorMessage(noSuchConnection(name).message);
    return;
  }
  if (connection.credentialEnv) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Connection “{0}” reads its credential from the environment variable {1}. Change that variable, or remove credentialEnv from its settings to use secret storage.', name, connection.credentialEnv),
    );
    return;
  }
  const platform = services.connections.platformOf(connection);
  const mode = platform?.authModes.find((candidate) => candidate.id === connection.auth) ?? platform?.authModes[0];
  const credential =
    typeof credentialArg === 'string'
      ? credentialArg
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('Set Credentials: {0}', name),
          prompt: mode?.credentialPrompt ?? vscode.l10n.t('The credential'),
          password: true,
          ignoreFocusOut: true,
          validateInput: (text) => (text.trim() ? undefined : vscode.l10n.t('The credential is required')),
        });
  if (!credential?.trim()) return;
  await services.connections.setCredential(name, credential.trim());
  services.views.refreshWorkflows({ kind: 'connection', connection: name });
  vscode.window.setStatusBarMessage(vscode.l10n.t('Saved the credential of “{0}”.', name), 3000);
}
