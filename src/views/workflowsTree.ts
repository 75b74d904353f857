// The Workflows view: connection → workflows (loaded lazily, page by page) → that workflow's
// recent runs from the store. A connection that fails to load shows one error item under itself;
// nothing here opens a dialog, and one broken connection never hides the others.
import * as vscode from 'vscode';
import { WorkflowRunsError, describeError } from '../client/errors';
import type { WorkflowSummary } from '../providers/model';
import { isInFlight, runKey, type RunRecord } from '../runs/record';
import type { RunChange } from '../runs/store';
import type { Services } from '../services';
import {
  connectionOfNode,
  nodeIds,
  type ConnectionNode,
  type ErrorNode,
  type LoadMoreNode,
  type RunNode,
  type WorkflowNode,
  type WorkflowsNode,
} from './nodes';
import { appendHeading, appendRows, runTooltipMarkdown, runTreeItem, statusIcon, untrustedMarkdown } from './runItem';
import { disposeAll } from '../util/lifecycle';

export type WorkflowsTreeServices = Pick<Services, 'connections' | 'providers' | 'store'> & Partial<Pick<Services, 'log' | 'runs'>>;

export interface WorkflowsTreeOptions {
  /** Runs listed under one workflow (the Runs view lists them all). */
  maxRunsPerWorkflow?: number;
  /** Store changes within this window are repainted together (a stream can send many a second). */
  batchMs?: number;
}

/** What is known of one connection's workflows. Replaced (not mutated) by a refresh. */
interface ConnectionState {
  readonly abort: AbortController;
  /** Undefined until the first page has been asked for and answered. */
  workflows?: WorkflowNode[];
  next?: string;
  error?: ErrorNode;
  loading?: Promise<void>;
  readonly loadMore: LoadMoreNode;
}

/** Commands pass our nodes, but also `{kind: 'connection', connection}` literals or a bare name. */
function connectionOfArg(arg: unknown): string | undefined {
  return typeof arg === 'string' ? arg : connectionOfNode(arg);
}

const workflowKey = (connection: string, workflowId: string) => runKey(connection, workflowId);

export class WorkflowsTreeProvider implements vscode.TreeDataProvider<WorkflowsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<WorkflowsNode | WorkflowsNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  // Nodes are cached and reused: VS Code finds the element to repaint by identity, so the object
  // handed out once must be the one passed to onDidChangeTreeData later.
  private readonly connectionNodes = new Map<string, ConnectionNode>();
  private readonly workflowNodes = new Map<string, WorkflowNode>();
  private readonly runNodes = new Map<string, RunNode>();
  private readonly states = new Map<string, ConnectionState>();
  /** Workflows whose platform run list was imported since the last refresh. */
  private readonly imported = new Set<string>();
  /** Connections whose platform can list a workflow's runs. */
  private readonly listsRuns = new Set<string>();

  private readonly pending = new Set<WorkflowsNode>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: Array<{ dispose(): void }> = [];
  private readonly maxRuns: number;
  private readonly batchMs: number;

  constructor(
    private readonly services: WorkflowsTreeServices,
    options: WorkflowsTreeOptions = {},
  ) {
    this.maxRuns = options.maxRunsPerWorkflow ?? 20;
    this.batchMs = options.batchMs ?? 100;
    this.subscriptions.push(
      services.store.onDidChange((changes) => this.onRunsChanged(changes)),
      services.connections.onDidChange(() => this.refresh()),
    );
  }

  // ---- public API (commands) ----

  /**
   * Reloads workflows: of the node's connection when given a node that belongs to one, else of
   * every connection. Cached pages are dropped; the next expansion fetches them again.
   */
  refresh(node?: unknown): void {
    const name = connectionOfArg(node);
    const connectionNode = name === undefined ? undefined : this.connectionNodes.get(name);
    if (name === undefined || !connectionNode) {
      this.resetAll();
      this.changed.fire(undefined);
      return;
    }
    this.dropState(name);
    this.changed.fire(connectionNode);
  }

  /** The `workflowRuns.loadMore` command: fetches the next page of the node's connection. */
  async loadMore(node?: unknown): Promise<void> {
    const name = connectionOfArg(node);
    const state = name === undefined ? undefined : this.states.get(name);
    if (name === undefined || !state || state.next === undefined || state.loadMore.loading) return;
    state.loadMore.loading = true;
    this.changed.fire(state.loadMore);
    try {
      await this.loadPage(name, state, state.next);
    } finally {
      state.loadMore.loading = false;
      const connectionNode = this.connectionNodes.get(name);
      if (connectionNode && this.states.get(name) === state) this.changed.fire(connectionNode);
    }
  }

  /** Repaints run rows in flight so their durations count up (called by the ticker while visible). */
  tick(): void {
    const inFlight = [...this.runNodes.values()].filter((node) => isInFlight(node.record));
    if (inFlight.length > 0) this.changed.fire(inFlight);
  }

  /** The node for a run (for `TreeView.reveal`); its parent workflow node is made on demand. */
  nodeFor(record: RunRecord): RunNode {
    return this.runNode(record);
  }

  // ---- TreeDataProvider ----

  getTreeItem(node: WorkflowsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'connection':
        return this.connectionItem(node);
      case 'workflow':
        return this.workflowItem(node);
      case 'run':
        return runTreeItem(node);
      case 'loadMore':
        return loadMoreItem(node);
      case 'error':
        return errorItem(node);
    }
  }

  async getChildren(node?: WorkflowsNode): Promise<WorkflowsNode[]> {
    if (!node) return this.rootChildren();
    switch (node.kind) {
      case 'connection':
        return this.connectionChildren(node.connection);
      case 'workflow':
        await this.importRecentRuns(node);
        return this.services.store
          .forWorkflow(node.connection, node.workflow.id)
          .slice(0, this.maxRuns)
          .map((record) => this.runNode(record));
      default:
        return [];
    }
  }

  getParent(node: WorkflowsNode): WorkflowsNode | undefined {
    switch (node.kind) {
      case 'connection':
        return undefined;
      case 'workflow':
      case 'loadMore':
        return this.connectionNode(node.connection);
      case 'error':
        return node.connection === undefined ? undefined : this.connectionNode(node.connection);
      case 'run': {
        const { record } = node;
        const known = this.workflowNodes.get(workflowKey(record.connection, record.snapshot.workflowId));
        return known ?? this.workflowNode(record.connection, { id: record.snapshot.workflowId, name: record.workflowName || record.snapshot.workflowName || record.snapshot.workflowId });
      }
    }
  }

  /** Tooltips of runs are made on hover, so they show the duration as of that moment. */
  resolveTreeItem(item: vscode.TreeItem, node: WorkflowsNode): vscode.TreeItem {
    if (node.kind === 'run') item.tooltip = runTooltipMarkdown(node.record);
    return item;
  }

  dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    disposeAll(this.subscriptions);
    this.resetAll();
    this.changed.dispose();
  }

  // ---- children ----

  private rootChildren(): WorkflowsNode[] {
    const problems: WorkflowsNode[] = this.services.connections.problems().map((message, index) => ({
      kind: 'error',
      message,
      credentialProblem: false,
      source: 'settings',
      index,
    }));
    const connections = this.services.connections.list();
    const names = new Set(connections.map((connection) => connection.name));
    for (const name of [...this.connectionNodes.keys()]) {
      if (!names.has(name)) this.forgetConnection(name);
    }
    return [...problems, ...connections.map((connection) => this.connectionNode(connection.name))];
  }

  private async connectionChildren(name: string): Promise<WorkflowsNode[]> {
    let state = this.states.get(name);
    if (!state) {
      state = { abort: new AbortController(), loadMore: { kind: 'loadMore', connection: name, loading: false } };
      this.states.set(name, state);
    }
    if (!state.workflows && !state.loading) {
      const loading = this.loadPage(name, state, undefined);
      state.loading = loading;
      void loading.finally(() => {
        if (state.loading === loading) state.loading = undefined;
      });
    }
    if (state.loading) await state.loading;
    const children: WorkflowsNode[] = [...(state.workflows ?? [])];
    if (state.error) children.push(state.error);
    if (state.next !== undefined) children.push(state.loadMore);
    return children;
  }

  /** Fetches one page into `state`; failures become the connection's error item, never a throw. */
  private async loadPage(name: string, state: ConnectionState, cursor: string | undefined): Promise<void> {
    try {
      const page = await this.services.providers.listWorkflows(name, cursor, state.abort.signal);
      if (state.abort.signal.aborted) return;
      if ((await this.services.providers.get(name)).listRuns) this.listsRuns.add(name);
      const nodes = state.workflows ?? [];
      const seen = new Set(nodes.map((node) => node.workflow.id));
      for (const workflow of page.items) {
        // A workflow listed twice (pages shifting under us) would be two items with one id,
        // which VS Code refuses for the whole tree.
        if (seen.has(workflow.id)) continue;
        seen.add(workflow.id);
        nodes.push(this.workflowNode(name, workflow));
      }
      state.workflows = nodes;
      state.next = page.next || undefined;
      state.error = undefined;
    } catch (error) {
      if (state.abort.signal.aborted) return;
      const message = describeError(error);
      this.services.log?.warn(`Workflows of connection "${name}" could not be listed: ${message}`);
      state.workflows ??= [];
      state.error = {
        kind: 'error',
        connection: name,
        message,
        credentialProblem: await this.isCredentialProblem(name, error),
        source: 'load',
      };
    }
  }

  /** Rejected credentials, or none stored at all: either way "Set Credentials…" is the cure. */
  private async isCredentialProblem(name: string, error: unknown): Promise<boolean> {
    if (error instanceof WorkflowRunsError && error.isCredentialProblem) return true;
    const connection = this.services.connections.get(name);
    if (!connection) return false;
    try {
      return !(await this.services.connections.hasCredential(connection));
    } catch {
      return false;
    }
  }

  // ---- node cache ----

  private connectionNode(name: string): ConnectionNode {
    let node = this.connectionNodes.get(name);
    if (!node) {
      node = { kind: 'connection', connection: name };
      this.connectionNodes.set(name, node);
    }
    return node;
  }

  private workflowNode(connection: string, workflow: WorkflowSummary): WorkflowNode {
    const key = workflowKey(connection, workflow.id);
    let node = this.workflowNodes.get(key);
    if (!node) {
      node = { kind: 'workflow', connection, workflow };
      this.workflowNodes.set(key, node);
    } else {
      node.workflow = workflow;
    }
    return node;
  }

  private runNode(record: RunRecord): RunNode {
    const key = runKey(record.connection, record.snapshot.runId);
    let node = this.runNodes.get(key);
    if (!node) {
      node = { kind: 'run', record, view: 'workflows' };
      this.runNodes.set(key, node);
    } else {
      node.record = record;
    }
    return node;
  }

  private dropState(name: string): void {
    this.states.get(name)?.abort.abort();
    this.states.delete(name);
    // A refreshed connection lists its workflows' runs again when they are next expanded.
    const prefix = workflowKey(name, '');
    for (const key of [...this.imported]) if (key.startsWith(prefix)) this.imported.delete(key);
  }

  private forgetConnection(name: string): void {
    this.dropState(name);
    this.connectionNodes.delete(name);
    for (const [key, node] of this.workflowNodes) if (node.connection === name) this.workflowNodes.delete(key);
    for (const [key, node] of this.runNodes) if (node.record.connection === name) this.runNodes.delete(key);
  }

  /** Settings changed (or a full refresh): a connection's URL or platform may differ now. */
  private resetAll(): void {
    for (const name of [...this.connectionNodes.keys()]) this.forgetConnection(name);
    for (const name of [...this.states.keys()]) this.dropState(name);
    this.pending.clear();
  }

  // ---- store events ----

  private onRunsChanged(changes: readonly RunChange[]): void {
    for (const change of changes) {
      const { record } = change;
      const key = runKey(record.connection, record.snapshot.runId);
      if (change.removed) this.runNodes.delete(key);
      else {
        const node = this.runNodes.get(key);
        if (node) node.record = record;
      }
      // Only workflows the tree has shown can need a repaint; the rest read the store when expanded.
      const workflow = this.workflowNodes.get(workflowKey(record.connection, record.snapshot.workflowId));
      if (workflow) this.pending.add(workflow);
    }
    if (this.pending.size > 0 && !this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flush(), this.batchMs);
    }
  }

  private flush(): void {
    this.flushTimer = undefined;
    const nodes = [...this.pending];
    this.pending.clear();
    if (nodes.length > 0) this.changed.fire(nodes);
  }

  // ---- items ----

  private connectionItem(node: ConnectionNode): vscode.TreeItem {
    const connection = this.services.connections.get(node.connection);
    const platform = connection ? this.services.connections.platformOf(connection) : undefined;
    // The label is the connection's name exactly (the contract): a plain string, no decoration.
    const item = new vscode.TreeItem(node.connection, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = nodeIds.connection(node.connection);
    item.description = platform?.label ?? connection?.platform;
    item.iconPath = new vscode.ThemeIcon(platform?.icon ?? 'plug');
    item.contextValue = 'connection';
    const tooltip = untrustedMarkdown();
    appendHeading(tooltip, node.connection, platform?.icon ?? 'plug');
    appendRows(tooltip, [
      { label: vscode.l10n.t('Platform'), value: platform?.label ?? connection?.platform ?? '' },
      { label: vscode.l10n.t('Base URL'), value: connection?.baseUrl ?? '' },
    ].filter((row) => row.value !== ''));
    item.tooltip = tooltip;
    return item;
  }

  /**
   * The first time a workflow is expanded (and after a refresh), its recent runs on the platform
   * join the ones the extension started; a failure leaves the known runs shown and is logged.
   */
  private async importRecentRuns(node: WorkflowNode): Promise<void> {
    const key = workflowKey(node.connection, node.workflow.id);
    if (!this.services.runs || this.imported.has(key)) return;
    this.imported.add(key);
    try {
      await this.services.runs.importRecent(node.connection, node.workflow.id, this.states.get(node.connection)?.abort.signal);
    } catch (error) {
      this.services.log?.warn(`Recent runs of ${node.connection}/${node.workflow.id} could not be listed: ${describeError(error)}`);
    }
  }

  private workflowItem(node: WorkflowNode): vscode.TreeItem {
    const { workflow } = node;
    const latest = this.services.store.forWorkflow(node.connection, workflow.id)[0];
    // Platforms that list runs (Dify, B3OS) may have runs to show even when none was started here.
    const mayHaveRuns = latest !== undefined || (this.services.runs !== undefined && this.listsRuns.has(node.connection));
    const item = new vscode.TreeItem(
      workflow.name || workflow.id,
      mayHaveRuns ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = nodeIds.workflow(node.connection, workflow.id);
    const details = [workflow.status, workflow.version].filter((part): part is string => Boolean(part));
    if (workflow.runnable === false) details.push(vscode.l10n.t('cannot be run'));
    item.description = details.join(' · ') || undefined;
    // The newest run's status at a glance, as the collapsed row is all most users see.
    item.iconPath = latest ? statusIcon(latest) : new vscode.ThemeIcon('symbol-event');
    item.contextValue = 'workflow';
    const tooltip = untrustedMarkdown();
    appendHeading(tooltip, workflow.name || workflow.id);
    appendRows(tooltip, [
      { label: vscode.l10n.t('ID'), value: workflow.id },
      { label: vscode.l10n.t('Status'), value: workflow.status ?? '' },
      { label: vscode.l10n.t('Version'), value: workflow.version ?? '' },
    ].filter((row) => row.value !== ''));
    if (workflow.description) {
      tooltip.appendMarkdown('\n\n');
      tooltip.appendText(workflow.description);
    }
    item.tooltip = tooltip;
    return item;
  }
}

function loadMoreItem(node: LoadMoreNode): vscode.TreeItem {
  const item = new vscode.TreeItem(
    node.loading ? vscode.l10n.t('Loading…') : vscode.l10n.t('Load more…'),
    vscode.TreeItemCollapsibleState.None,
  );
  item.id = nodeIds.loadMore(node.connection);
  item.iconPath = new vscode.ThemeIcon(node.loading ? 'loading~spin' : 'more');
  item.contextValue = 'loadMore';
  item.command = { command: 'workflowRuns.loadMore', title: vscode.l10n.t('Load More'), arguments: [node] };
  return item;
}

function errorItem(node: ErrorNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
  item.id = node.source === 'settings' ? nodeIds.settingsProblem(node.index ?? 0) : nodeIds.loadError(node.connection ?? '');
  item.iconPath = new vscode.ThemeIcon(node.credentialProblem ? 'key' : 'error', new vscode.ThemeColor('errorForeground'));
  item.contextValue = node.credentialProblem ? 'connectionError.auth' : 'connectionError.other';
  let hint: string;
  if (node.source === 'settings') {
    hint = vscode.l10n.t('Fix the entry in the workflowRuns.connections setting.');
    item.command = {
      command: 'workbench.action.openSettings',
      title: vscode.l10n.t('Open Settings'),
      arguments: ['workflowRuns.connections'],
    };
  } else if (node.credentialProblem) {
    hint = vscode.l10n.t('Click to set the credentials of this connection.');
    item.command = { command: 'workflowRuns.setCredentials', title: vscode.l10n.t('Set Credentials…'), arguments: [node] };
  } else {
    hint = vscode.l10n.t('Click to try again.');
    item.command = { command: 'workflowRuns.refresh', title: vscode.l10n.t('Refresh'), arguments: [node] };
  }
  const tooltip = untrustedMarkdown();
  tooltip.appendText(node.message);
  tooltip.appendMarkdown('\n\n');
  tooltip.appendText(hint);
  item.tooltip = tooltip;
  item.accessibilityInformation = { label: vscode.l10n.t('Error: {0}', node.message), role: 'button' };
  return item;
}
