// The Runs view: every run the store knows, newest first, in one flat list, optionally filtered by
// status. Rows are the same run items as in the Workflows view, labelled by workflow instead.
import * as vscode from 'vscode';
import { runStatuses, type RunStatus } from '../providers/model';
import { isInFlight, runKey, type RunRecord } from '../runs/record';
import type { RunStore } from '../runs/store';
import { nodeIds, taskEntryOf, TaskNodes, type FilterEmptyNode, type RunNode, type RunsNode } from './nodes';
import { describeFilter, matchesFilter, normalizeFilter, type StatusFilter } from './runFilter';
import { runTooltipMarkdown, runTreeItem } from './runItem';
import { taskTooltipMarkdown, taskTreeItem, tasksOmittedTreeItem } from './taskItem';
import { statusLook, statusWord } from './runPresentation';

export type RunsTreeStore = Pick<RunStore, 'summaries' | 'get' | 'taskRowsOf' | 'onDidChange'>;

export interface RunsTreeOptions {
  /** Store changes within this window are repainted together. */
  batchMs?: number;
}

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | RunsNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly filterChanged = new vscode.EventEmitter<StatusFilter>();
  /** Fires after `setFilter`; `bindView` uses it to keep the view's description current. */
  readonly onDidChangeFilter = this.filterChanged.event;

  // Reused node objects: VS Code repaints an element found by identity (see `tick`).
  private readonly nodes = new Map<string, RunNode>();
  private readonly emptyNode: FilterEmptyNode = { kind: 'filterEmpty' };
  private readonly tasks = new TaskNodes();
  private filter: StatusFilter;
  private includeConnection = false;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscription: { dispose(): void };
  private readonly batchMs: number;

  constructor(
    private readonly store: RunsTreeStore,
    options: RunsTreeOptions = {},
  ) {
    this.batchMs = options.batchMs ?? 100;
    // The list's order and membership change with runs added or dropped: repaint it whole, batched.
    this.subscription = store.onDidChange(() => this.scheduleRefresh());
  }

  // ---- filter ----

  /** Shows only runs with these statuses; undefined, none or all of them shows every run. */
  setFilter(statuses: readonly RunStatus[] | undefined): void {
    this.filter = normalizeFilter(statuses);
    this.filterChanged.fire(this.filter);
    this.changed.fire(undefined);
  }

  getFilter(): StatusFilter {
    return this.filter;
  }

  /** For `TreeView.description`: "Failed, Stopped", or undefined when every run is shown. */
  filterDescription(): string | undefined {
    return describeFilter(this.filter, vscode.l10n);
  }

  /** The `workflowRuns.filterRuns` command: asks, then applies (Escape keeps the filter). */
  async pickFilter(): Promise<void> {
    const picked = await pickStatusFilter(this.filter);
    if (picked) this.setFilter(picked.statuses);
  }

  /** Keeps a view's description (the active filter) in step with the filter. */
  bindView(view: vscode.TreeView<unknown>): vscode.Disposable {
    const update = () => {
      view.description = this.filterDescription();
    };
    update();
    return this.onDidChangeFilter(update);
  }

  // ---- public API ----

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** Repaints run rows in flight so their durations count up (called by the ticker while visible). */
  tick(): void {
    const inFlight = [...this.nodes.values()].filter((node) => isInFlight(node.record));
    if (inFlight.length > 0) this.changed.fire(inFlight);
  }

  /** The node for a run (for `TreeView.reveal`). */
  nodeFor(record: RunRecord): RunNode {
    return this.node(record);
  }

  // ---- TreeDataProvider ----

  getTreeItem(node: RunsNode): vscode.TreeItem {
    if (node.kind === 'filterEmpty') return filterEmptyItem(this.filterDescription() ?? '');
    if (node.kind === 'task') return taskTreeItem(node, taskEntryOf(node));
    if (node.kind === 'tasksOmitted') return tasksOmittedTreeItem(node);
    return runTreeItem(node, { includeConnection: this.includeConnection, taskRows: this.store.taskRowsOf(node.record) });
  }

  getChildren(node?: RunsNode): RunsNode[] {
    if (node?.kind === 'run') {
      // Rows hold summaries (10,000 runs list without reading their details): a run's tasks are read when it expands.
      node.record = this.store.get(node.record.connection, node.record.snapshot.runId) ?? node.record;
      return this.tasks.childrenOf(node);
    }
    if (node) return [];
    const all = this.store.summaries();
    // Two connections often share workflow names (sandbox and production): name the connection
    // on each row only when that can happen.
    this.includeConnection = new Set(all.map((record) => record.connection)).size > 1;
    const shown = all.filter((record) => matchesFilter(record, this.filter));
    const keep = new Set(shown.map((record) => runKey(record.connection, record.snapshot.runId)));
    for (const key of [...this.nodes.keys()]) if (!keep.has(key)) this.nodes.delete(key);
    // Runs exist but the filter hides them all: say so (an empty list would show "No runs yet").
    if (shown.length === 0 && all.length > 0) return [this.emptyNode];
    return shown.map((record) => this.node(record));
  }

  getParent(node: RunsNode): RunsNode | undefined {
    return node.kind === 'task' || node.kind === 'tasksOmitted' ? this.node(node.record) : undefined;
  }

  resolveTreeItem(item: vscode.TreeItem, node: RunsNode): vscode.TreeItem {
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
    this.subscription.dispose();
    this.changed.dispose();
    this.filterChanged.dispose();
  }

  private node(record: RunRecord): RunNode {
    const key = runKey(record.connection, record.snapshot.runId);
    let node = this.nodes.get(key);
    if (!node) {
      node = { kind: 'run', record, view: 'runs' };
      this.nodes.set(key, node);
    } else {
      node.record = record;
    }
    return node;
  }

  private scheduleRefresh(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.changed.fire(undefined);
    }, this.batchMs);
  }
}

function filterEmptyItem(filter: string): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('No runs match the filter'), vscode.TreeItemCollapsibleState.None);
  item.id = nodeIds.filterEmpty();
  item.description = filter;
  item.iconPath = new vscode.ThemeIcon('filter');
  item.contextValue = 'filterEmpty';
  item.command = { command: 'workflowRuns.filterRuns', title: vscode.l10n.t('Filter Runs by Status…') };
  item.tooltip = vscode.l10n.t('Click to change the status filter.');
  return item;
}

/**
 * Asks which statuses to show. Resolves to undefined when the user cancels; otherwise to the
 * chosen filter, where `statuses: undefined` means "show every run" (nothing or everything picked).
 */
export async function pickStatusFilter(
  current: readonly RunStatus[] | undefined,
): Promise<{ statuses: RunStatus[] | undefined } | undefined> {
  type Item = vscode.QuickPickItem & { status: RunStatus };
  const items: Item[] = runStatuses.map((status) => ({
    label: `$(${statusLook(status).icon.replace('~spin', '')}) ${statusWord(status, vscode.l10n)}`,
    status,
    picked: current?.includes(status) ?? false,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: vscode.l10n.t('Filter Runs by Status'),
    placeHolder: vscode.l10n.t('Show runs with these statuses (pick none to show all)'),
  });
  if (!picked) return undefined;
  const statuses = normalizeFilter(picked.map((item) => item.status));
  return { statuses: statuses ? [...statuses] : undefined };
}
