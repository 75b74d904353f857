// The "Workflow Runs" log (a LogOutputChannel: levels, timestamps, "Set Log Level…").
// Every line passes through redaction: credentials the extension has read are replaced, and so is
// anything shaped like a bearer token or an API key, in case a platform echoes one back.
import * as vscode from 'vscode';
import type { ProviderLogger } from './providers/provider';
import { redact } from './util/redact';

export { redact, registerSecret } from './util/redact';

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
