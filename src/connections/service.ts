// Connections as the user configured them in `workflowRuns.connections`, checked, plus their
// credentials. Invalid entries never break the valid ones: they become "problems" the Workflows
// view shows as error items.
import * as vscode from 'vscode';
import { Emitter } from '../util/emitter';
import { findPlatform } from '../providers/registry';
import type { PlatformDescriptor } from '../providers/provider';
import type { ConnectionService } from '../services';
import type { Credentials } from './credentials';
import { connectionsSetting, type Connection } from './schema';
import { isRecord, validateConnections } from './validate';
import { disposeAll } from '../util/lifecycle';
import { noSuchConnection } from './errors';

const section = 'workflowRuns';

export class ConfiguredConnections implements ConnectionService, vscode.Disposable {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private cache: { connections: Connection[]; problems: string[] } | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(readonly credentials: Credentials) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${section}.${connectionsSetting}`)) {
          this.cache = undefined;
          this.changed.fire();
        }
      }),
      credentials.onDidChange(() => this.changed.fire()),
    );
  }

  list(): Connection[] {
    return this.load().connections;
  }

  problems(): string[] {
    return this.load().problems;
  }

  get(name: string): Connection | undefined {
    return this.list().find((connection) => connection.name === name);
  }

  platformOf(connection: Connection): PlatformDescriptor | undefined {
    return findPlatform(connection.platform);
  }

  async add(connection: Connection, credential: string | undefined): Promise<void> {
    if (this.get(connection.name)) throw new Error(vscode.l10n.t('A connection named “{0}” already exists.', connection.name));
    // The secret first: a settings entry without its credential would show as an error at once.
    if (credential !== undefined) await this.credentials.set(connection, credential);
    const current = this.rawEntries();
    await this.writeEntries([...current, connection]);
  }

  async remove(name: string): Promise<void> {
    const removed = this.get(name);
    const remaining = this.rawEntries().filter((entry) => !(isRecord(entry) && entry.name === name));
    await this.writeEntries(remaining);
    if (removed) await this.credentials.delete(removed);
  }

  async setCredential(name: string, credential: string): Promise<void> {
    const connection = this.get(name);
    if (!connection) throw noSuchConnection(name);
    await this.credentials.set(connection, credential);
    this.changed.fire();
  }

  hasCredential(connection: Connection): Promise<boolean> {
    return this.credentials.has(connection);
  }

  dispose(): void {
    disposeAll(this.subscriptions);
    this.changed.dispose();
  }

  private rawEntries(): unknown[] {
    const value = vscode.workspace.getConfiguration(section).get<unknown>(connectionsSetting);
    return Array.isArray(value) ? value : [];
  }

  /** Writes where the user keeps them: the workspace when it defines connections, else user settings. */
  private async writeEntries(entries: unknown[]): Promise<void> {
    const inspected = vscode.workspace.getConfiguration(section).inspect(connectionsSetting);
    const target =
      inspected?.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : inspected?.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(section).update(connectionsSetting, entries, target);
    this.cache = undefined;
    this.changed.fire();
  }

  private load(): { connections: Connection[]; problems: string[] } {
    if (this.cache) return this.cache;
    this.cache = validateConnections(this.rawEntries());
    return this.cache;
  }
}
