// Builds every service once, on first use (see LazyServices). Owns their lifetimes: one dispose
// releases watchers, panels, views' timers, adapters and the HTTP pools.
import * as vscode from 'vscode';
import { Credentials } from '../connections/credentials';
import { ConfiguredConnections } from '../connections/service';
import type { Log } from '../log';
import { PayloadCodeLensProvider } from '../payload/codelens';
import { WorkflowRefCompletionProvider } from '../payload/completion';
import type { WorkflowSummary } from '../providers/model';
import { PayloadDiagnostics, pipelineValidator } from '../payload/diagnostics';
import { RememberedTargets, formatWorkflowRef, tryResolveWorkflowRef, type TargetContext } from '../payload/target';
import { findPlatform } from '../providers/registry';
import { RunController } from '../runs/service';
import { EditorProviderPool } from './providerPool';
import { rerunRun } from './runFeedback';
import { registerRunEndNotifications } from '../runs/notifier';
import { registerRunDocuments } from '../commands/compareEditor';
import { FsHistoryPersistence } from '../runs/fsPersistence';
import { endAbandonedPendingRuns } from '../runs/pendingRun';
import { RunStore } from '../runs/store';
import { RunWatchers } from '../runs/watcher';
import type { Services } from '../services';
import { createPlainHttpGuard } from './plainHttpConsent';
import { RunDetailsPanels } from '../webview/runDetailsPanels';
import { createTrees } from '../views/trees';
import { disposeAll } from '../util/lifecycle';

/** `credentialEnv` counts unless the connections come from an untrusted workspace's own settings. */
function credentialEnvAllowed(): boolean {
  if (vscode.workspace.isTrusted) return true;
  // Restricted Mode already drops workspace values of this setting; when the value in effect is
  // still not the user's own, it came from the workspace and its credentialEnv is not honoured.
  const configuration = vscode.workspace.getConfiguration('workflowRuns');
  const inspected = configuration.inspect('connections');
  const users = inspected?.globalValue ?? inspected?.defaultValue;
  return JSON.stringify(configuration.get('connections')) === JSON.stringify(users);
}

export function createServices(context: vscode.ExtensionContext, log: Log): Services & vscode.Disposable {
  const disposables: vscode.Disposable[] = [];
  const settings = () => vscode.workspace.getConfiguration('workflowRuns');
  const credentials = new Credentials(context.secrets, credentialEnvAllowed);
  const connections = new ConfiguredConnections(credentials);
  const providers = new EditorProviderPool(connections, credentials, log, createPlainHttpGuard(context.globalState));
  // History lives in files under the global storage (one small entry per changed run), not in
  // the Memento: see runs/historyFiles.ts. The Memento keeps only the in-flight count read at activation.
  const store = new RunStore(context.globalState, () => settings().get<number>('history.maxRunsPerWorkflow', 50), 250, {
    persistence: new FsHistoryPersistence(vscode.Uri.joinPath(context.globalStorageUri, 'history').fsPath),
    log: (message) => log.info(message),
  });
  const watchers = new RunWatchers(store, providers, log);
  disposables.push(credentials, connections, providers, { dispose: () => watchers.dispose() }, { dispose: () => store.dispose() });

  const targetContext = (): TargetContext => ({
    connections: connections.list(),
    singleWorkflowOf: (connection) => findPlatform(connection.platform)?.singleWorkflow?.(connection),
  });
  const remembered = new RememberedTargets(context.workspaceState);
  // Edits re-check everything running would check (one pipeline), so a fixed problem clears at once.
  const diagnostics = new PayloadDiagnostics(pipelineValidator(targetContext, (uri) => remembered.get(uri)));
  const codeLens = new PayloadCodeLensProvider({
    remembered,
    resolveRef: (ref) => {
      const resolution = tryResolveWorkflowRef(ref, targetContext());
      return resolution.ok ? resolution.target : undefined;
    },
    formatTarget: (target) => formatWorkflowRef(target, targetContext()),
  });
  disposables.push(diagnostics, codeLens, connections.onDidChange(() => codeLens.refresh()) as vscode.Disposable);
  // Workflow lists for `$workflow` completion: one request per connection a minute, not per keystroke.
  const workflowLists = new Map<string, { at: number; list: Promise<WorkflowSummary[]> }>();
  const completion = new WorkflowRefCompletionProvider({
    targetContext,
    platformLabel: (connection) => findPlatform(connection.platform)?.label ?? connection.platform,
    listWorkflows: (name, signal) => {
      const cached = workflowLists.get(name);
      if (cached && Date.now() - cached.at < 60_000) return cached.list;
      const list = providers.listWorkflows(name, undefined, signal).then((page) => page.items);
      list.catch(() => workflowLists.delete(name));
      workflowLists.set(name, { at: Date.now(), list });
      return list;
    },
  });

  // The panels' Re-run starts a run the way the commands do (progress, then this or a new panel).
  const runs = new RunController(store, connections, providers, watchers);
  const details = new RunDetailsPanels({
    extensionUri: context.extensionUri,
    store,
    platformLabel: (platform) => findPlatform(platform)?.label ?? platform,
    reusePanel: () => vscode.workspace.getConfiguration('workflowRuns').get<boolean>('reuseDetailsPanel', true),
    log,
    onCommand: async (command, record) => {
      switch (command) {
        case 'rerun':
          await rerunRun({ runs, details }, record);
          break;
        case 'stop':
          await runs.stop(record);
          break;
        case 'refresh':
          await runs.refresh(record);
          break;
        case 'openLog':
          log.show();
          break;
      }
    },
  });
  disposables.push(details);
  disposables.push(
    registerRunEndNotifications(store, {
      showDetails: (record) => details.show(record),
      isPanelVisible: (record) => details.isVisible(record.connection, record.snapshot.runId),
    }),
  );
  const trees = createTrees({ connections, providers, store, runs, log: log.channel });
  disposables.push(trees);

  const services: Services & vscode.Disposable = {
    context,
    log: log.channel,
    connections,
    providers,
    store,
    runs,
    details,
    payload: { remembered, diagnostics, codeLens, completion, targetContext },
    views: trees.control,
    trees,
    documents: () => registerRunDocuments(services),
    restorePanel: (panel, state) => void details.restore(panel, state),
    probe: async (connection, credential, signal) => {
      const platform = findPlatform(connection.platform);
      if (!platform) throw new Error(vscode.l10n.t('Unknown platform {0}', connection.platform));
      const factory = await platform.load();
      const provider = factory(await providers.contextFor(connection, async () => credential));
      try {
        return await provider.verify(signal);
      } finally {
        provider.dispose?.();
      }
    },
    dispose: () => {
      disposeAll(disposables);
    },
  };

  const abandoned = endAbandonedPendingRuns(store);
  if (abandoned > 0) log.info(`Ended ${abandoned} run(s) whose trigger's answer was awaited by a window that closed.`);
  const resumed = watchers.resumeAll();
  if (resumed > 0) log.info(`Watching ${resumed} run(s) that were in flight before the reload.`);
  return services;
}
