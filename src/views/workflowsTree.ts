// The Workflows view: connection → workflows (loaded lazily, page by page) → that workflow's
// recent runs from the store. A connection that fails to load shows one error item under itself;
// nothing here opens a dialog, and one broken connection never hides the others.
import * as vscode from 'vscode';
import type { WorkflowSummary } from '../providers/model';
import { isInFlight, runKey, type RunRecord } from '../runs/record';
import type { RunChange } from '../runs/store';
import type { Services } from '../services';
import {
  connectionOfNode,
  taskEntryOf,
  TaskNodes,
  type ConnectionNode,
  type LoadMoreNode,
  type RunNode,
  type WorkflowNode,
  type WorkflowsNode,
} from './nodes';
import { runTooltipMarkdown, runTreeItem } from './runItem';
import { taskTooltipMarkdown, taskTreeItem, tasksOmittedTreeItem } from './taskItem';
import { connectionItem, errorItem, loadMoreItem, workflowItem } from './workflowItems';
import { WorkflowPages, workflowKey } from './workflowPages';
import { WorkflowRunsFollower, type WorkflowRunsFollowerOptions } from './workflowRunsFollower';
import { disposeAll } from '../util/lifecycle';
import { workflowLabel } from '../runs/wording';

export type WorkflowsTreeServices = Pick<Services, 'connections' | 'providers' | 'store'> & Partial<Pick<Services, 'log' | 'runs'>>;

export interface WorkflowsTreeOptions {
  /** Runs listed under one workflow (the Runs view lists them all). */
  maxRunsPerWorkflow?: number;
  /** Store changes within this window are repainted together (a stream can send many a second). */
  batchMs?: number;
  /** How expanded workflows' runs are followed (./workflowRunsFollower.ts). */
  follower?: WorkflowRunsFollowerOptions;
}

/** Commands pass our nodes, but also `{kind: 'connection', connection}` literals or a bare name. */
function connectionOfArg(arg: unknown): string | undefined {
  return typeof arg === 'string' ? arg : connectionOfNode(arg);
}

export class WorkflowsTreeProvider implements vscode.TreeDataProvider<WorkflowsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<WorkflowsNode | WorkflowsNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  // Nodes are cached and reused: VS Code finds the element to repaint by identity, so the object
  // handed out once must be the one passed to onDidChangeTreeData later.
  private readonly connectionNodes = new Map<string, ConnectionNode>();
  private readonly workflowNodes = new Map<string, WorkflowNode>();
  private readonly runNodes = new Map<string, RunNode>();
  private readonly tasks = new TaskNodes();
  private readonly pages: WorkflowPages;
  /** Follows expanded workflows' runs while the view is visible (undefined without a run service). */
  readonly follower: WorkflowRunsFollower | undefined;

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
    this.pages = new WorkflowPages(services, (connection, workflow) => this.workflowNode(connection, workflow));
    const runs = services.runs;
    this.follower = runs ? new WorkflowRunsFollower({ providers: services.providers, runs, log: services.log }, options.follower) : undefined;
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
    this.pages.drop(name);
    this.follower?.forgetConnection(name);
    this.changed.fire(connectionNode);
  }

  /** The `workflowRuns.loadMore` command: fetches the next page of the node's connection. */
  async loadMore(node?: unknown): Promise<void> {
    const older = node as Partial<LoadMoreNode> | undefined;
    if (older?.kind === 'loadMore' && older.workflowId !== undefined) {
      // "Load more…" under a workflow: its older runs on the platform.
      await this.pages.loadOlderRuns(older as LoadMoreNode, (loadMore) => this.changed.fire(loadMore));
      const workflow = this.workflowNodes.get(workflowKey(older.connection!, older.workflowId));
      if (workflow) this.changed.fire(workflow);
      return;
    }
    const name = connectionOfArg(node);
    if (name === undefined) return;
    const current = await this.pages.loadMore(name, (loadMore) => this.changed.fire(loadMore));
    const connectionNode = this.connectionNodes.get(name);
    if (current && connectionNode) this.changed.fire(connectionNode);
  }

  /**
   * Gives the tree its view: expanded workflows' runs are followed while it is visible (and, where
   * that means polling, while the window is focused).
   */
  bindView(view: vscode.TreeView<unknown>): vscode.Disposable {
    const follower = this.follower;
    if (!follower) return { dispose: () => undefined };
    follower.setVisible(view.visible);
    follower.setFocused(vscode.window.state.focused);
    const subscriptions = [
      view.onDidChangeVisibility((event) => follower.setVisible(event.visible)),
      vscode.window.onDidChangeWindowState((state) => follower.setFocused(state.focused)),
      view.onDidCollapseElement((event) => {
        const node = event.element as WorkflowsNode;
        if (node.kind === 'workflow') follower.collapse(node.connection, node.workflow.id);
      }),
    ];
    return { dispose: () => disposeAll(subscriptions) };
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
      case 'task':
        return taskTreeItem(node, taskEntryOf(node));
      case 'tasksOmitted':
        return tasksOmittedTreeItem(node);
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
        return this.pages.children(node.connection);
      case 'workflow':
        // Asked for children = expanded: from now on its runs are followed (while the view is visible).
        this.follower?.expand(node.connection, node.workflow.id);
        await this.pages.importRecentRuns(node);
        return this.workflowChildren(node);
      case 'run':
        return this.tasks.childrenOf(node);
      default:
        return [];
    }
  }

  getParent(node: WorkflowsNode): WorkflowsNode | undefined {
    switch (node.kind) {
      case 'connection':
        return undefined;
      case 'workflow':
        return this.connectionNode(node.connection);
      case 'loadMore':
        return node.workflowId === undefined ? this.connectionNode(node.connection) : this.workflowNodes.get(workflowKey(node.connection, node.workflowId));
      case 'error':
        return node.connection === undefined ? undefined : this.connectionNode(node.connection);
      case 'task':
      case 'tasksOmitted':
        return this.runNode(node.record);
      case 'run': {
        const { record } = node;
        const known = this.workflowNodes.get(workflowKey(record.connection, record.snapshot.workflowId));
        return known ?? this.workflowNode(record.connection, { id: record.snapshot.workflowId, name: workflowLabel(record) });
      }
    }
  }

  /** Tooltips of runs are made on hover, so they show the duration as of that moment. */
  resolveTreeItem(item: vscode.TreeItem, node: WorkflowsNode): vscode.TreeItem {
    if (node.kind === 'run') item.tooltip = runTooltipMarkdown(node.record);
    if (node.kind === 'task') {
      const entry = taskEntryOf(node);
      if (entry) item.tooltip = taskTooltipMarkdown(entry);
    }
    return item;
  }

  dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    disposeAll(this.subscriptions);
    this.follower?.dispose();
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

  /** The workflow's newest runs (all it knows once older ones were asked for), then "Load more…". */
  private workflowChildren(node: WorkflowNode): WorkflowsNode[] {
    const records = this.services.store.forWorkflow(node.connection, node.workflow.id);
    const shown = this.pages.showsAllRuns(node.connection, node.workflow.id) ? records : records.slice(0, this.maxRuns);
    const children: WorkflowsNode[] = shown.map((record) => this.runNode(record));
    const older = this.pages.olderRunsNode(node.connection, node.workflow.id);
    if (older) children.push(older);
    return children;
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

  private forgetConnection(name: string): void {
    this.pages.drop(name);
    this.follower?.forgetConnection(name);
    this.connectionNodes.delete(name);
    for (const [key, node] of this.workflowNodes) if (node.connection === name) this.workflowNodes.delete(key);
    for (const [key, node] of this.runNodes) if (node.record.connection === name) this.runNodes.delete(key);
  }

  /** Settings changed (or a full refresh): a connection's URL or platform may differ now. */
  private resetAll(): void {
    for (const name of [...this.connectionNodes.keys()]) this.forgetConnection(name);
    this.pages.dropAll();
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


  // ---- items (rendered by ./workflowItems.ts from what the model knows) ----

  private connectionItem(node: ConnectionNode): vscode.TreeItem {
    const connection = this.services.connections.get(node.connection);
    return connectionItem(node, connection, connection ? this.services.connections.platformOf(connection) : undefined);
  }

  private workflowItem(node: WorkflowNode): vscode.TreeItem {
    const latest = this.services.store.latestOf(node.connection, node.workflow.id);
    const mayHaveRuns = latest !== undefined || (this.services.runs !== undefined && this.pages.canListRuns(node.connection));
    return workflowItem(node, latest, mayHaveRuns);
  }
}
