// The one error for a connection name that is not (or no longer) in the settings.
import * as vscode from 'vscode';
import { WorkflowRunsError } from '../client/errors';

/** A config error: nothing was sent, and "Set up connections" is what fixes it. */
export function noSuchConnection(name: string): WorkflowRunsError {
  return new WorkflowRunsError(vscode.l10n.t('There is no connection named “{0}” in the settings.', name), { kind: 'config', connection: name });
}
