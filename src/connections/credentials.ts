// Where a connection's credential lives: VS Code SecretStorage under the connection's name, or an
// environment variable the user names in `credentialEnv`. Never in settings, never in logs.
import type * as vscode from 'vscode';
import { WorkflowRunsError } from '../client/errors';
import { registerSecret } from '../log';
import { Emitter } from '../util/emitter';
import type { Connection } from './schema';

const secretKey = (name: string) => `workflowRuns.credential.${name}`;

export class Credentials {
  private readonly changed = new Emitter<string>();

  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(connection: Connection): Promise<string> {
    if (connection.credentialEnv) {
      const value = process.env[connection.credentialEnv];
      if (!value) {
        throw new WorkflowRunsError(
          `The environment variable ${connection.credentialEnv} named by connection “${connection.name}” is not set.`,
          { kind: 'config', connection: connection.name },
        );
      }
      registerSecret(value);
      return value;
    }
    const value = await this.secrets.get(secretKey(connection.name));
    if (!value) {
      throw new WorkflowRunsError(`Connection “${connection.name}” has no credential yet. Set it with “Set Credentials…”.`, {
        kind: 'auth',
        connection: connection.name,
      });
    }
    registerSecret(value);
    return value;
  }

  async has(connection: Connection): Promise<boolean> {
    if (connection.credentialEnv) return Boolean(process.env[connection.credentialEnv]);
    return Boolean(await this.secrets.get(secretKey(connection.name)));
  }

  async set(name: string, credential: string): Promise<void> {
    registerSecret(credential);
    await this.secrets.store(secretKey(name), credential);
    this.changed.fire(name);
  }

  async delete(name: string): Promise<void> {
    await this.secrets.delete(secretKey(name));
    this.changed.fire(name);
  }

  /**
   * A connection's credential changed: here (fired before set/delete resolve, so the next call
   * uses the new one) or in another window (SecretStorage's own event).
   */
  onDidChange(listener: (connectionName: string) => void): vscode.Disposable {
    const local = this.changed.event(listener);
    const remote = this.secrets.onDidChange((event) => {
      if (event.key.startsWith('workflowRuns.credential.')) listener(event.key.slice('workflowRuns.credential.'.length));
    });
    return { dispose: () => (local.dispose(), remote.dispose()) };
  }
}
