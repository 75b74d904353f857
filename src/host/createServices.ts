// Builds every service once, on first use (see LazyServices). Owns their lifetimes: one dispose
// releases watchers, panels, views' timers, adapters and the HTTP pools.
import * as vscode from 'vscode';
import { Credentials } from '../connections/credentials';
import { ConfiguredConnections } from '../connections/service';
import type { Log } from '../log';
import { PayloadCodeLensProvider } from '../payload/codelens';
import { WorkflowRefCompletionProvider } from '../payload/completion';
import type { WorkflowSummary } from '../providers/model';
import { PayloadDiagnostics } from '../payload/diagnostics';
import { checkPayloadOptions, isPayloadError, parsePayload, payloadErrorAt, payloadWarnings } from '../payload/parse';
import { RememberedTargets, formatWorkflowRef, tryResolveWorkflowRef, type TargetContext } from '../payload/target';
import { findPlatform } from '../providers/registry';
import { RunController } from '../runs/service';
import { EditorProviderPool } from './providerPool';
import { rerunRun } from './runFeedback';
import { registerRunEndNotifications } from '../runs/notifier';
import { RunStore } from '../runs/store';
import { RunWatchers } from '../runs/watcher';
import type { Services } from '../services';
import { createPlainHttpGuard } from './plainHttpConsent';
import { RunDetailsPanels } from '../webview/runDetailsPanels';
import { createTrees } from '../views/trees';

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
  const store = new RunStore(context.globalState, () => settings().get<number>('history.maxRunsPerWorkflow', 50));
  const watchers = new RunWatchers(store, providers, log);
  disposables.push(connections, providers, { dispose: () => watchers.dispose() }, { dispose: () => store.dispose() });

  const targetContext = (): TargetContext => ({
    connections: connections.list(),
    singleWorkflowOf: (connection) => findPlatform(connection.platform)?.singleWorkflow?.(connection),
  });
  const remembered = new RememberedTargets(context.workspaceState);
  // Edits re-check everything running would check, so a fixed $options problem clears at once.
  const diagnostics = new PayloadDiagnostics((document) => {
    const text = document.getText();
    const parsed = parsePayload(text);
    if (isPayloadError(parsed)) return { error: parsed };
    const resolution = parsed.workflowRef ? tryResolveWorkflowRef(parsed.workflowRef, targetContext()) : undefined;
    if (resolution && !resolution.ok) {
      // A $workflow that still names nothing stays reported while the user edits elsewhere.
      return { error: payloadErrorAt(text, resolution.message, parsed.positions.workflow ?? parsed.positions.root) };
    }
    const target = resolution?.ok ? resolution.target : remembered.get(document.uri.toString());
    const connection = target && connections.get(target.connection);
    const platform = connection && findPlatform(connection.platform);
    const error = platform ? checkPayloadOptions(text, parsed, platform.optionsSchema) : undefined;
    return { error, warnings: payloadWarnings(parsed, connection?.platform) };
  });
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
  disposables.push(registerRunEndNotifications(store, (record) => details.show(record)));
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
    restorePanel: (panel, state) => void details.restore(panel, state),
    probe: async (connection, credential, signal) => {
      const platform = findPlatform(connection.platform);
      if (!platform) throw new Error(`Unknown platform ${connection.platform}`);
      await providers.ensureCredentialMayTravel(connection);
      const factory = await platform.load();
      const provider = factory({
        connection,
        getCredential: async () => credential,
        http: await providers.sharedHttp(),
        log,
        machineId: providers.machineId,
        pollIntervalMs: 2000,
      });
      try {
        return await provider.verify(signal);
      } finally {
        provider.dispose?.();
      }
    },
    dispose: () => {
      for (const disposable of disposables.reverse()) disposable.dispose();
    },
  };

  const resumed = watchers.resumeAll();
  if (resumed > 0) log.info(`Watching ${resumed} run(s) that were in flight before the reload.`);
  return services;
}
