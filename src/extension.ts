// Activation registers only what is cheap: commands, the two views, the CodeLens and the
// welcome-view context key. Everything else is built by LazyServices on first use.
import * as vscode from 'vscode';
import { commandModules } from './commands/index';
import { showError } from './host/showError';
import { LazyServices } from './host/lazyServices';
import { hasRunsInFlight } from './runs/inFlightFlag';
import { createLog } from './log';
import { LazyTreeDataProvider } from './views/lazyTree';
import type { Services } from './services';

let services: LazyServices | undefined;

/** What activate() returns: other extensions and the extension-host tests reach the services here. */
export interface WorkflowRunsApi {
  /** Builds the services if needed; resolves once they are ready. */
  services(): Promise<Services>;
}

export function activate(context: vscode.ExtensionContext): WorkflowRunsApi {
  const log = createLog();
  services = new LazyServices(context, log);
  context.subscriptions.push(log.channel, services);

  for (const [name, load] of Object.entries(commandModules)) {
    context.subscriptions.push(
      vscode.commands.registerCommand(`workflowRuns.${name}`, async (...args: unknown[]) => {
        try {
          const [module, ready] = await Promise.all([load(), services!.get()]);
          return await module.run(ready, ...args);
        } catch (error) {
          // Not awaited: the notification stays until dismissed, the command is over now.
          void showError(error, log);
          return undefined;
        }
      }),
    );
  }

  const workflows = new LazyTreeDataProvider<unknown>(async () => (await services!.get()).trees.workflows);
  const runs = new LazyTreeDataProvider<unknown>(async () => (await services!.get()).trees.runs);
  const workflowsView = vscode.window.createTreeView('workflowRuns.workflows', { treeDataProvider: workflows, showCollapseAll: true });
  const runsView = vscode.window.createTreeView('workflowRuns.runs', { treeDataProvider: runs });
  context.subscriptions.push(workflows, runs, workflowsView, runsView);
  // The views show their titles and descriptions through services once built.
  void services.get().then((ready) => ready.trees.attach(workflowsView, runsView), () => undefined);

  context.subscriptions.push(registerLazyCodeLens(services), registerLazyCompletion(services));
  registerWebviewRestore(context, services);

  // The welcome view needs to know whether any connection exists, without loading anything.
  const updateConnectionCount = () => {
    const entries = vscode.workspace.getConfiguration('workflowRuns').get<unknown[]>('connections');
    void vscode.commands.executeCommand('setContext', 'workflowRuns.connectionCount', Array.isArray(entries) ? entries.length : 0);
  };
  updateConnectionCount();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('workflowRuns.connections')) updateConnectionCount();
    }),
  );

  // Runs that were in flight when the window closed are watched again at once.
  // A count the store keeps in the Memento (zod-free, no history read): see runs/inFlightFlag.ts.
  if (hasRunsInFlight(context.globalState)) void services.get();
  const lazy = services;
  return { services: () => lazy.get() };
}

export async function deactivate(): Promise<void> {
  await services?.loaded?.store.flush();
}

/**
 * CodeLens for payload files: a cheap text test decides whether a document can be one before the
 * real provider (and the services behind it) is loaded.
 */
function registerLazyCodeLens(lazy: LazyServices): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  let forwarding: vscode.Disposable | undefined;
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    async provideCodeLenses(document) {
      const loaded = lazy.loaded;
      if (!loaded && !document.getText().includes('"$workflow"') && !/\.payload\.jsonc?$/i.test(document.uri.path)) return [];
      const ready = await lazy.get();
      forwarding ??= ready.payload.codeLens.onDidChangeCodeLenses(() => changed.fire());
      return ready.payload.codeLens.provideCodeLenses(document);
    },
  };
  const registration = vscode.languages.registerCodeLensProvider([{ language: 'json' }, { language: 'jsonc' }], provider);
  return { dispose: () => (registration.dispose(), forwarding?.dispose(), changed.dispose()) };
}

/** `$workflow` value completion; only files that have a `$workflow` key wake the services. */
function registerLazyCompletion(lazy: LazyServices): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider(
    [{ language: 'json' }, { language: 'jsonc' }],
    {
      async provideCompletionItems(document, position, token) {
        if (!document.getText().includes('"$workflow"')) return [];
        const ready = await lazy.get();
        return ready.payload.completion.provideCompletionItems(document, position, token);
      },
    },
    '"',
    '/',
  );
}

/** Run details panels come back after a reload; the serializer must exist from activation on. */
function registerWebviewRestore(context: vscode.ExtensionContext, lazy: LazyServices): void {
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer('workflowRuns.runDetails', {
      async deserializeWebviewPanel(panel, state) {
        const ready = await lazy.get();
        ready.restorePanel(panel, state);
      },
    }),
  );
}
