// Entry of the second bundle (dist/services.js, see esbuild.mjs): everything activation does not
// need — the services, the command modules, undici, zod, the adapters. The entry bundle loads it
// with require() on first need and passes in what it owns, so that no module state is duplicated
// between the two files: the log channel and the registry of secrets to redact.
import * as vscode from 'vscode';
import { showError } from './showError';
import { commandModules } from '../commands/index';
import type { Log } from '../log';
import type { Services } from '../services';
import { adoptSecretRegistry } from '../util/redact';
import { createServices } from './createServices';
import { configureFromHost } from '../util/l10n';
import type { CommandName } from '../commands/names';
import { PayloadTests } from './testing';

export type LoadedTests = PayloadTests;

/** What the entry bundle owns and shares with this one. */
export interface EntryState {
  log: Log;
  /** The entry's redaction registry (util/redact.ts): one set for both bundles. */
  secrets: Set<string>;
}

export interface LoadedServices {
  services: Services & vscode.Disposable;
  /** Runs a command's module; a failure becomes an error notification and the result undefined. */
  runCommand(name: CommandName, args: unknown[]): Promise<unknown>;
  /** The Testing view's payload tests, driving the controller the entry created. */
  attachTests(controller: vscode.TestController): PayloadTests;
}

export function startServices(context: vscode.ExtensionContext, entry: EntryState): LoadedServices {
  adoptSecretRegistry(entry.secrets);
  // This bundle has its own copy of @vscode/l10n (the client's and providers' messages): it needs the bundle too.
  configureFromHost(vscode.l10n.bundle);
  const services = createServices(context, entry.log);
  return {
    services,
    attachTests: (controller) => new PayloadTests(controller, services),
    // Errors are judged here, not in the entry: `instanceof WorkflowRunsError` only holds for the
    // class of this bundle, where the errors are made.
    runCommand: async (name, args) => {
      try {
        return await (await commandModules[name]()).run(services, ...args);
      } catch (error) {
        // Not awaited: the notification stays until dismissed, the command is over now.
        void showError(error, entry.log);
        return undefined;
      }
    },
  };
}
