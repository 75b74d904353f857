// The elements of the two trees. Commands receive these as their first argument when invoked from
// a tree (context menu, inline button, click), so they are plain data with a `kind` to switch on,
// and the guards below let a command accept "a node, or anything else" safely.
// No vscode import: unit tests load this module.
import type { TimelineEntry, WorkflowSummary } from '../providers/model';
import type { RunRecord } from '../runs/record';

export interface ConnectionNode {
  readonly kind: 'connection';
  /** The connection's name, as in settings. */
  readonly connection: string;
}

export interface WorkflowNode {
  readonly kind: 'workflow';
  readonly connection: string;
  /** Replaced in place when a page is reloaded, so the tree keeps one element per workflow. */
  workflow: WorkflowSummary;
}

export interface RunNode {
  readonly kind: 'run';
  /** The latest record; replaced in place on store changes so the tree keeps one element per run. */
  record: RunRecord;
  /** Which tree shows this node (ids must differ between the two trees' items). */
  readonly view: 'workflows' | 'runs';
}

/** One task/node of a run, under its run in either tree. */
export interface TaskNode {
  readonly kind: 'task';
  /** The run's latest record (as on its run node); commands on a task get the run from here. */
  record: RunRecord;
  /** The timeline entry's id (Zuora task id, Dify node execution id, B3OS node id). */
  readonly taskId: string;
  readonly view: RunNode['view'];
}

/**
 * The last row under a run whose timeline holds fewer tasks/nodes than the run had (a run too big
 * to keep whole: providers/bound.ts): it says how many are not shown, so 1,000 rows are not taken
 * for all of them.
 */
export interface TasksOmittedNode {
  readonly kind: 'tasksOmitted';
  record: RunRecord;
  readonly view: RunNode['view'];
}

export interface LoadMoreNode {
  readonly kind: 'loadMore';
  readonly connection: string;
  /** Set on the row under a workflow: it loads that workflow's older runs from the platform. */
  readonly workflowId?: string;
  /** True while the next page is being fetched (shown as a spinner, a second click is ignored). */
  loading: boolean;
}

export interface ErrorNode {
  readonly kind: 'error';
  /** The connection whose workflows failed to load; absent for a settings problem. */
  readonly connection?: string;
  readonly message: string;
  /** New credentials are the likely cure (the item offers Set Credentials…). */
  readonly credentialProblem: boolean;
  readonly source: 'load' | 'settings';
  /** Position among settings problems (their stable id). */
  readonly index?: number;
}

/** Shown in the Runs view when runs exist but the status filter hides them all. */
export interface FilterEmptyNode {
  readonly kind: 'filterEmpty';
}

export type WorkflowsNode = ConnectionNode | WorkflowNode | RunNode | TaskNode | TasksOmittedNode | LoadMoreNode | ErrorNode;
export type RunsNode = RunNode | TaskNode | TasksOmittedNode | FilterEmptyNode;
/** What a run row expands to. */
export type RunChildNode = TaskNode | TasksOmittedNode;
export type ViewNode = WorkflowsNode | RunsNode;

// Stable ids: VS Code keeps expansion and selection across refreshes by TreeItem.id.
const part = encodeURIComponent;
export const nodeIds = {
  connection: (name: string) => `connection/${part(name)}`,
  workflow: (connection: string, workflowId: string) => `workflow/${part(connection)}/${part(workflowId)}`,
  run: (view: RunNode['view'], connection: string, runId: string) => `run/${view}/${part(connection)}/${part(runId)}`,
  task: (view: RunNode['view'], connection: string, runId: string, taskId: string) => `task/${view}/${part(connection)}/${part(runId)}/${part(taskId)}`,
  tasksOmitted: (view: RunNode['view'], connection: string, runId: string) => `tasksOmitted/${view}/${part(connection)}/${part(runId)}`,
  loadMore: (connection: string, workflowId?: string) => (workflowId === undefined ? `loadMore/${part(connection)}` : `loadMoreRuns/${part(connection)}/${part(workflowId)}`),
  loadError: (connection: string) => `error/${part(connection)}`,
  settingsProblem: (index: number) => `settingsProblem/${index}`,
  filterEmpty: () => 'filterEmpty',
};

function hasKind(value: unknown): value is { kind: unknown } {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

export function isViewNode(value: unknown): value is ViewNode {
  return (
    hasKind(value) &&
    (value.kind === 'connection' ||
      value.kind === 'workflow' ||
      value.kind === 'run' ||
      value.kind === 'task' ||
      value.kind === 'tasksOmitted' ||
      value.kind === 'loadMore' ||
      value.kind === 'error' ||
      value.kind === 'filterEmpty')
  );
}

/** The connection a node belongs to (connection, workflow, run, load more, load error), if any. */
export function connectionOfNode(value: unknown): string | undefined {
  if (!isViewNode(value)) return undefined;
  switch (value.kind) {
    case 'run':
    case 'task':
    case 'tasksOmitted':
      return value.record.connection;
    case 'connection':
    case 'workflow':
    case 'loadMore':
    case 'error':
      return value.connection;
    default:
      return undefined;
  }
}

/** The run a node shows, if it is a run node. */
export function runOfNode(value: unknown): RunRecord | undefined {
  return isViewNode(value) && value.kind === 'run' ? value.record : undefined;
}

/** The workflow a node stands for: a workflow node, or a run node's workflow. */
export function workflowOfNode(value: unknown): { connection: string; workflowId: string; workflowName?: string } | undefined {
  if (!isViewNode(value)) return undefined;
  if (value.kind === 'workflow') {
    return { connection: value.connection, workflowId: value.workflow.id, workflowName: value.workflow.name };
  }
  if (value.kind === 'run') {
    const { record } = value;
    return {
      connection: record.connection,
      workflowId: record.snapshot.workflowId,
      workflowName: record.workflowName || record.snapshot.workflowName || undefined,
    };
  }
  return undefined;
}

/**
 * The tasks of run nodes, reusing the nodes already made for a run (VS Code finds rows by
 * identity). Held weakly by run node: a run node the tree forgets takes its tasks with it.
 */
export class TaskNodes {
  private readonly byRun = new WeakMap<RunNode, { tasks: Map<string, TaskNode>; omitted?: TasksOmittedNode }>();

  /**
   * One node per timeline entry of the run, in the timeline's order, then a row saying how many
   * tasks the run had that its timeline does not hold, when there are any.
   */
  childrenOf(run: RunNode): RunChildNode[] {
    const timeline = run.record.snapshot.timeline ?? [];
    const known = this.byRun.get(run);
    const tasks = new Map<string, TaskNode>();
    for (const entry of timeline) {
      let node = known?.tasks.get(entry.id);
      if (node) node.record = run.record;
      else node = { kind: 'task', record: run.record, taskId: entry.id, view: run.view };
      tasks.set(entry.id, node);
    }
    let omitted: TasksOmittedNode | undefined;
    if ((run.record.snapshot.timelineOmitted ?? 0) > 0) {
      omitted = known?.omitted ?? { kind: 'tasksOmitted', record: run.record, view: run.view };
      omitted.record = run.record;
    }
    this.byRun.set(run, { tasks, omitted });
    return omitted ? [...tasks.values(), omitted] : [...tasks.values()];
  }
}

/** The timeline entry a task node shows, from its run's latest record. */
export function taskEntryOf(node: TaskNode): TimelineEntry | undefined {
  return node.record.snapshot.timeline?.find((entry) => entry.id === node.taskId);
}
