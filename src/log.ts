// The "Workflow Runs" log (a LogOutputChannel: levels, timestamps, "Set Log Level…").
// Every line passes through redaction: credentials the extension has read are replaced, and so is
// anything shaped like a bearer token or an API key, in case a platform echoes one back.
import * as vscode from 'vscode';
import type { ProviderLogger } from './providers/provider';

const knownSecrets = new Set<string>();

/** Registers a credential so that it never reaches the log, even inside an error text. */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 4) knownSecrets.add(secret);
}

const secretPatterns: RegExp[] = [
  /(bearer\s+)[A-Za-z0-9._~+/=-]{6,}/gi,
  /(api-token[:=]\s*)\S+/gi,
  /(client_secret=)[^&\s]+/gi,
  /(basic\s+)[A-Za-z0-9+/=]{6,}/gi,
  /\b(app-|b3sk_)[A-Za-z0-9_-]{4,}/g,
];

export function redact(text: string): string {
  let result = text;
  for (const secret of knownSecrets) result = result.split(secret).join('***');
  for (const pattern of secretPatterns) result = result.replace(pattern, (_match, prefix: string) => `${prefix}***`);
  return result;
}

export interface Log extends ProviderLogger {
  readonly channel: vscode.LogOutputChannel;
  show(): void;
}

export function createLog(): Log {
  const channel = vscode.window.createOutputChannel('Workflow Runs', { log: true });
  return {
    channel,
    trace: (message) => channel.trace(redact(message)),
    debug: (message) => channel.debug(redact(message)),
    info: (message) => channel.info(redact(message)),
    warn: (message) => channel.warn(redact(message)),
    error: (message) => channel.error(redact(message)),
    show: () => channel.show(true),
  };
}
