// The "Workflow Runs" log (a LogOutputChannel: levels, timestamps, "Set Log Level…").
// Every line passes through redaction: credentials the extension has read are replaced, and so is
// anything shaped like a bearer token or an API key, in case a platform echoes one back. The
// channel handed out (`Log.channel`, `services.log`) redacts too, so no caller can reach the raw one.
import * as vscode from 'vscode';
import type { ProviderLogger } from './providers/provider';
import { redact } from './util/redact';

export { redact, registerSecret } from './util/redact';

export interface Log extends ProviderLogger {
  readonly channel: vscode.LogOutputChannel;
  show(): void;
}

export function createLog(): Log {
  const channel = redacting(vscode.window.createOutputChannel('Workflow Runs', { log: true }));
  return {
    channel,
    trace: (message) => channel.trace(message),
    debug: (message) => channel.debug(message),
    info: (message) => channel.info(message),
    warn: (message) => channel.warn(message),
    error: (message) => channel.error(message),
    show: () => channel.show(true),
  };
}

/** Extra log arguments are formatted by the editor: turned into text here so they are redacted too. */
function safeArgs(args: unknown[]): string[] {
  return args.map((arg) => redact(typeof arg === 'string' ? arg : arg instanceof Error ? arg.message : safeStringify(arg)));
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function redacting(raw: vscode.LogOutputChannel): vscode.LogOutputChannel {
  return {
    get name() {
      return raw.name;
    },
    get logLevel() {
      return raw.logLevel;
    },
    onDidChangeLogLevel: raw.onDidChangeLogLevel,
    trace: (message, ...args) => raw.trace(redact(message), ...safeArgs(args)),
    debug: (message, ...args) => raw.debug(redact(message), ...safeArgs(args)),
    info: (message, ...args) => raw.info(redact(message), ...safeArgs(args)),
    warn: (message, ...args) => raw.warn(redact(message), ...safeArgs(args)),
    error: (error, ...args) => raw.error(redact(typeof error === 'string' ? error : error.message), ...safeArgs(args)),
    append: (value) => raw.append(redact(value)),
    appendLine: (value) => raw.appendLine(redact(value)),
    replace: (value) => raw.replace(redact(value)),
    clear: () => raw.clear(),
    show: (...args: unknown[]) => (raw.show as (...rest: unknown[]) => void)(...args),
    hide: () => raw.hide(),
    dispose: () => raw.dispose(),
  };
}
