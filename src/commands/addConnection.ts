import * as vscode from 'vscode';
import { describeError } from '../client/errors';
import type { Connection } from '../connections/schema';
import { platforms } from '../providers/registry';
import type { AuthModeDescriptor, PlatformDescriptor } from '../providers/provider';
import type { Services } from '../services';
import { forNotification } from '../util/redact';

/**
 * Platform → base URL → auth mode → (client id / user name) → credential → name, then one call to
 * the platform to check it all before anything is saved. Escape at any step saves nothing.
 */
export async function run(services: Services): Promise<void> {
  const title = vscode.l10n.t('Add Connection');
  const platform = await pickPlatform(title);
  if (!platform) return;
  const baseUrl = await pickBaseUrl(title, platform);
  if (!baseUrl) return;
  const auth = await pickAuthMode(title, platform);
  if (!auth) return;
  const connection: Record<string, unknown> = { platform: platform.id, baseUrl, ...(auth.settings ?? {}), ...platform.settingsForBaseUrl?.(baseUrl) };
  if (platform.authModes.length > 1) connection.auth = auth.id;
  if (auth.settingsField) {
    const value = await vscode.window.showInputBox({
      title,
      prompt: auth.settingsField.prompt,
      placeHolder: auth.settingsField.placeholder,
      ignoreFocusOut: true,
      validateInput: (text) => (text.trim() ? undefined : vscode.l10n.t('This field is required')),
    });
    if (!value) return;
    connection[auth.settingsField.key] = value.trim();
  }
  const credential = await vscode.window.showInputBox({
    title,
    prompt: auth.credentialPrompt,
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() ? undefined : vscode.l10n.t('The credential is required')),
  });
  if (!credential) return;
  const name = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('A name for this connection (used in $workflow references of payload files)'),
    value: suggestName(services, platform),
    ignoreFocusOut: true,
    validateInput: (text) => {
      const trimmed = text.trim();
      if (!trimmed) return vscode.l10n.t('A name is required');
      if (services.connections.get(trimmed)) return vscode.l10n.t('A connection named “{0}” already exists', trimmed);
      return undefined;
    },
  });
  if (!name) return;
  connection.name = name.trim();

  const settingsCheck = platform.settingsSchema.safeParse(connection);
  if (!settingsCheck.success) {
    void vscode.window.showErrorMessage(settingsCheck.error.issues[0].message);
    return;
  }
  try {
    const verified = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking {0}…', baseUrl), cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return services.probe(connection as Connection, credential.trim(), abort.signal);
      },
    );
    await services.connections.add(connection as Connection, credential.trim());
    void vscode.window.showInformationMessage(vscode.l10n.t('Connected “{0}”: {1}', connection.name as string, verified));
  } catch (error) {
    const retry = vscode.l10n.t('Try Again');
    const choice = await vscode.window.showErrorMessage(
      // Server text may hold `[label](command:…)`: neutralised like every other error notification.
      vscode.l10n.t('Could not connect to {0}: {1} Nothing was saved.', baseUrl, forNotification(describeError(error))),
      retry,
    );
    if (choice === retry) await run(services);
  }
}

async function pickPlatform(title: string): Promise<PlatformDescriptor | undefined> {
  const picked = await vscode.window.showQuickPick(
    platforms.map((platform) => ({ label: platform.label, iconPath: new vscode.ThemeIcon(platform.icon), platform })),
    { title, placeHolder: vscode.l10n.t('Which platform?'), ignoreFocusOut: true },
  );
  return picked?.platform;
}

async function pickBaseUrl(title: string, platform: PlatformDescriptor): Promise<string | undefined> {
  const custom = vscode.l10n.t('Custom URL…');
  const picked = await vscode.window.showQuickPick(
    [
      ...platform.baseUrls.map((entry) => ({ label: entry.label, description: entry.url, detail: entry.detail, url: entry.url })),
      { label: custom, description: vscode.l10n.t('self-hosted, a proxy or a local emulator'), url: undefined },
    ],
    { title, placeHolder: vscode.l10n.t('API base URL'), matchOnDescription: true, ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  if (picked.url) return picked.url;
  const typed = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('API base URL'),
    placeHolder: platform.baseUrls[0]?.url,
    ignoreFocusOut: true,
    validateInput: (text) => {
      try {
        const url = new URL(text.trim());
        return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : vscode.l10n.t('Use an http(s) URL');
      } catch {
        return vscode.l10n.t('Enter an absolute URL such as {0}', platform.baseUrls[0]?.url ?? 'https://example.com');
      }
    },
  });
  return typed?.trim().replace(/\/+$/, '');
}

async function pickAuthMode(title: string, platform: PlatformDescriptor): Promise<AuthModeDescriptor | undefined> {
  if (platform.authModes.length === 1) return platform.authModes[0];
  const picked = await vscode.window.showQuickPick(
    platform.authModes.map((mode) => ({ label: mode.label, detail: mode.detail, mode })),
    { title, placeHolder: vscode.l10n.t('How to authenticate?'), ignoreFocusOut: true },
  );
  return picked?.mode;
}

function suggestName(services: Services, platform: PlatformDescriptor): string {
  let name: string = platform.id;
  for (let index = 2; services.connections.get(name); index += 1) name = `${platform.id}-${index}`;
  return name;
}
