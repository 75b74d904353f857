// Where a connection's credential lives: VS Code SecretStorage under the connection's name and
// the origin of its base URL, or an environment variable the user names in `credentialEnv`.
// Never in settings, never in logs.
import type * as vscode from 'vscode';
import { WorkflowRunsError } from '../client/errors';
import { registerSecret } from '../util/redact';
import { Emitter } from '../util/emitter';
import type { Connection } from './schema';
import * as l10n from '@vscode/l10n';

const keyPrefix = 'workflowRuns.credential.';

/**
 * The origin is part of the key: settings that point a known connection name at another host
 * (a workspace's .vscode/settings.json, say) find no secret to send there.
 */
function secretKey(connection: Pick<Connection, 'name' | 'baseUrl'>): string {
  let origin: string;
  try {
    origin = new URL(connection.baseUrl).origin;
  } catch {
    origin = connection.baseUrl;
  }
  return `${keyPrefix}${connection.name}@${origin}`;
}

/** The connection name inside a secret key (names may hold "@": the origin follows the last one). */
function nameOfKey(key: string): string {
  const rest = key.slice(keyPrefix.length);
  const at = rest.lastIndexOf('@');
  return at === -1 ? rest : rest.slice(0, at);
}

export class Credentials implements vscode.Disposable {
  private readonly changed = new Emitter<string>();
  /**
   * Stored credentials as read, by secret key. SecretStorage.get is a round trip out of the
   * extension host (in desktop VS Code the main process decrypts the value), and adapters ask for
   * the credential with every request: every poll of every run in flight. A key is read again once
   * its secret changes, here or in another window.
   */
  private readonly stored = new Map<string, Promise<string | undefined>>();
  private readonly forgetChanged: vscode.Disposable;

  /**
   * `envAllowed` says whether `credentialEnv` may be honoured now: a workspace's own settings must
   * not pick which environment variable (an unrelated token, say) is sent to which host unless the
   * workspace is trusted. (The manifest already restricts the setting; this holds even without it.)
   */
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly envAllowed: () => boolean = () => true,
  ) {
    this.forgetChanged = secrets.onDidChange((event) => this.stored.delete(event.key));
  }

  async get(connection: Connection): Promise<string> {
    if (connection.credentialEnv) {
      if (!this.envAllowed()) {
        throw new WorkflowRunsError(
          l10n.t("Connection “{0}” takes its credential from the environment variable named in this workspace's settings; that is honoured only in a trusted workspace.", connection.name),
          { kind: 'config', connection: connection.name },
        );
      }
      const value = process.env[connection.credentialEnv];
      if (!value) {
        throw new WorkflowRunsError(
          l10n.t('The environment variable {0} named by connection “{1}” is not set.', connection.credentialEnv, connection.name),
          { kind: 'config', connection: connection.name },
        );
      }
      registerSecret(value);
      return value;
    }
    const value = await this.read(connection);
    if (!value) {
      throw new WorkflowRunsError(l10n.t('Connection “{0}” has no credential yet. Set it with “Set Credentials…”.', connection.name), {
        kind: 'auth',
        connection: connection.name,
      });
    }
    registerSecret(value);
    return value;
  }

  async has(connection: Connection): Promise<boolean> {
    if (connection.credentialEnv) return this.envAllowed() && Boolean(process.env[connection.credentialEnv]);
    return Boolean(await this.read(connection));
  }

  async set(connection: Pick<Connection, 'name' | 'baseUrl'>, credential: string): Promise<void> {
    registerSecret(credential);
    const key = secretKey(connection);
    this.stored.delete(key);
    await this.secrets.store(key, credential);
    // Again: a read that started while storing may have kept the old value.
    this.stored.delete(key);
    this.changed.fire(connection.name);
  }

  async delete(connection: Pick<Connection, 'name' | 'baseUrl'>): Promise<void> {
    const key = secretKey(connection);
    this.stored.delete(key);
    await this.secrets.delete(key);
    this.stored.delete(key);
    this.changed.fire(connection.name);
  }

  dispose(): void {
    this.forgetChanged.dispose();
    this.stored.clear();
  }

  private read(connection: Pick<Connection, 'name' | 'baseUrl'>): Promise<string | undefined> {
    const key = secretKey(connection);
    const known = this.stored.get(key);
    if (known) return known;
    const reading = Promise.resolve(this.secrets.get(key));
    this.stored.set(key, reading);
    // A failed read is not kept: the next request asks SecretStorage again.
    reading.catch(() => {
      if (this.stored.get(key) === reading) this.stored.delete(key);
    });
    return reading;
  }

  /**
   * A connection's credential changed: here (fired before set/delete resolve, so the next call
   * uses the new one) or in another window (SecretStorage's own event).
   */
  onDidChange(listener: (connectionName: string) => void): vscode.Disposable {
    const local = this.changed.event(listener);
    const remote = this.secrets.onDidChange((event) => {
      if (event.key.startsWith(keyPrefix)) listener(nameOfKey(event.key));
    });
    return { dispose: () => (local.dispose(), remote.dispose()) };
  }
}
