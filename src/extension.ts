// Activation registers only what is cheap: commands, the two views, the CodeLens, the panel
// serializer and the welcome-view context key. Everything else lives in the second bundle
// (dist/services.js), which LazyServices loads and builds on first need: a visible Workflow Runs
// view, a command, a payload file's CodeLens or completion, a restored panel, or runs in flight.
import * as vscode from 'vscode';
import { commandNames } from './commands/names';
import { LazyServices } from './host/lazyServices';
import { createLog, type Log } from './log';
import { forNotification } from './util/redact';
import { configureFromHost } from './util/l10n';
import { LazyTreeDataProvider } from './views/lazyTree';
import type { Services } from './services';
import { hasRunsInFlight } from './runs/inFlightFlag';
import { runDocumentScheme } from './host/runDocumentScheme';
import { registerTestController } from './testController';
import type { PayloadTestsApi } from './host/testing';

let services: LazyServices | undefined;

/** What activate() returns: other extensions and the extension-host tests reach the services here. */
export interface WorkflowRunsApi {
  /** Builds the services if needed; resolves once they are ready. */
  services(): Promise<Services>;
  /** The Testing view's payload tests (loads them if needed). */
  payloadTests(): Promise<PayloadTestsApi>;
}

export function activate(context: vscode.ExtensionContext): WorkflowRunsApi {
  // Before anything can translate: code without `vscode` (client, providers) reads @vscode/l10n.
  configureFromHost(vscode.l10n.bundle);
  const log = createLog();
  services = new LazyServices(context, log);
  context.subscriptions.push(log.channel, services);
  log.info('Activated; the services load when something needs them');

  for (const name of commandNames) {
    context.subscriptions.push(
      vscode.commands.registerCommand(`workflowRuns.${name}`, async (...args: unknown[]) => {
        try {
          // The services bundle shows the command's own failures (see host/servicesBundle.ts).
          return await services!.runCommand(name, args);
        } catch (error) {
          showLoadFailure(error, log);
          return undefined;
        }
      }),
    );
  }

  const workflows = new LazyTreeDataProvider<unknown>(async () => (await services!.get('the Workflows view')).trees.workflows);
  const runs = new LazyTreeDataProvider<unknown>(async () => (await services!.get('the Runs view')).trees.runs);
  // Many rows at once: "Compare Runs…" takes the two selected runs.
  const workflowsView = vscode.window.createTreeView('workflowRuns.workflows', { treeDataProvider: workflows, showCollapseAll: true, canSelectMany: true });
  const runsView = vscode.window.createTreeView('workflowRuns.runs', { treeDataProvider: runs, canSelectMany: true });
  context.subscriptions.push(workflows, runs, workflowsView, runsView);
  // The views show their titles and descriptions through the services once something built them;
  // a view that becomes visible is such a thing (it will ask for rows at once anyway).
  services.whenReady((ready) => ready.trees.attach(workflowsView, runsView));
  const lazy = services;
  const buildIfVisible = () => {
    if (workflowsView.visible || runsView.visible) void lazy.get('a visible Workflow Runs view').catch(() => undefined);
  };
  buildIfVisible();
  context.subscriptions.push(workflowsView.onDidChangeVisibility(buildIfVisible), runsView.onDidChangeVisibility(buildIfVisible));

  context.subscriptions.push(registerLazyCodeLens(services), registerLazyCompletion(services), registerLazyDocuments(services));
  registerWebviewRestore(context, services);
  const testController = registerTestController(services);
  context.subscriptions.push(testController);

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

  // Runs that were in flight when the window closed are watched again at once: a count the store
  // keeps in the Memento (no schema, no history read; see runs/inFlightFlag.ts).
  if (hasRunsInFlight(context.globalState)) void services.get('runs in flight when the window closed').catch((error) => showLoadFailure(error, log));
  return { services: () => lazy.get('the extension API'), payloadTests: () => testController.tests('the extension API') };
}

export async function deactivate(): Promise<void> {
  await services?.loaded?.store.flush();
}

/** The services bundle could not be loaded or built: nothing else can explain it, so say it plainly. */
function showLoadFailure(error: unknown, log: Log): void {
  const message = forNotification(error instanceof Error ? error.message : String(error));
  log.error(`Workflow Runs could not start its services: ${message}`);
  void vscode.window.showErrorMessage(vscode.l10n.t('Workflow Runs could not start: {0}', message));
}

/** A cheap test of whether a document may be a payload file, made before anything is loaded. */
function looksLikePayload(document: vscode.TextDocument): boolean {
  return /\.payload\.jsonc?$/i.test(document.uri.path) || document.getText().includes('"$workflow"');
}

/**
 * CodeLens for payload files: looksLikePayload decides whether a document can be one before the
 * real provider (and the services behind it) is loaded.
 */
function registerLazyCodeLens(lazy: LazyServices): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  let forwarding: vscode.Disposable | undefined;
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    async provideCodeLenses(document) {
      const loaded = lazy.loaded;
      if (!loaded && !looksLikePayload(document)) return [];
      const ready = await lazy.get(`the CodeLens of ${document.uri.path.split('/').pop() ?? 'a payload file'}`);
      forwarding ??= ready.payload.codeLens.onDidChangeCodeLenses(() => changed.fire());
      return ready.payload.codeLens.provideCodeLenses(document);
    },
  };
  const registration = vscode.languages.registerCodeLensProvider([{ language: 'json' }, { language: 'jsonc' }], provider);
  return { dispose: () => (registration.dispose(), forwarding?.dispose(), changed.dispose()) };
}

/** `$workflow` value completion; only documents that look like payload files wake the services. */
function registerLazyCompletion(lazy: LazyServices): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider(
    [{ language: 'json' }, { language: 'jsonc' }],
    {
      async provideCompletionItems(document, position, token) {
        if (!looksLikePayload(document)) return [];
        const ready = await lazy.get('completion in a payload file');
        return ready.payload.completion.provideCompletionItems(document, position, token);
      },
    },
    '"',
    '/',
  );
}

/**
 * The `workflow-run:` scheme (compared runs, workflow definitions) from activation on: a diff
 * editor restored after a reload asks for its text before anything else woke the services.
 */
function registerLazyDocuments(lazy: LazyServices): vscode.Disposable {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  let forwarding: vscode.Disposable | undefined;
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    async provideTextDocumentContent(uri, token) {
      const real = (await lazy.get(`a ${runDocumentScheme}: document`)).documents();
      forwarding ??= real.onDidChange?.((changedUri) => changed.fire(changedUri));
      return real.provideTextDocumentContent(uri, token);
    },
  };
  const registration = vscode.workspace.registerTextDocumentContentProvider(runDocumentScheme, provider);
  return { dispose: () => (registration.dispose(), forwarding?.dispose(), changed.dispose()) };
}

/** Run details panels come back after a reload; the serializer must exist from activation on. */
function registerWebviewRestore(context: vscode.ExtensionContext, lazy: LazyServices): void {
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer('workflowRuns.runDetails', {
      async deserializeWebviewPanel(panel, state) {
        const ready = await lazy.get('a run details panel restored');
        ready.restorePanel(panel, state);
      },
    }),
  );
}
