// The Workflows view's model of each connection's workflow list: pages loaded on demand and kept
// until a refresh, one error instead of a throw, and which workflows' platform runs were imported.
// No rendering here (./workflowItems.ts) and no tree plumbing (./workflowsTree.ts).
import { WorkflowRunsError, describeError } from '../client/errors';
import type { WorkflowSummary } from '../providers/model';
import { runKey } from '../runs/record';
import type { Services } from '../services';
import type { ErrorNode, LoadMoreNode, WorkflowNode, WorkflowsNode } from './nodes';

export type WorkflowPagesServices = Pick<Services, 'connections' | 'providers'> & Partial<Pick<Services, 'log' | 'runs'>>;

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

export const workflowKey = (connection: string, workflowId: string) => runKey(connection, workflowId);

export class WorkflowPages {
  private readonly states = new Map<string, ConnectionState>();
  /** Workflows whose platform run list was imported since the last refresh. */
  private readonly imported = new Set<string>();
  /** The cursor of each imported workflow's next (older) page of platform runs, while there is one. */
  private readonly olderRuns = new Map<string, LoadMoreNode>();
  private readonly olderCursors = new Map<string, string>();
  /** Workflows whose older runs were asked for: all their known runs are shown, not only the newest. */
  private readonly expandedRuns = new Set<string>();
  /** Connections whose platform can list a workflow's runs. */
  private readonly listsRuns = new Set<string>();

  constructor(
    private readonly services: WorkflowPagesServices,
    /** The tree's cached node for a workflow (nodes are reused by identity). */
    private readonly workflowNode: (connection: string, workflow: WorkflowSummary) => WorkflowNode,
  ) {}

  /** True when the connection's platform can list a workflow's runs (known once a page loaded). */
  canListRuns(name: string): boolean {
    return this.listsRuns.has(name);
  }

  /** Fetches the next page; true when it landed in the current state (no refresh meanwhile). */
  async loadMore(name: string, repaint: (node: LoadMoreNode) => void): Promise<boolean> {
    const state = this.states.get(name);
    if (!state || state.next === undefined || state.loadMore.loading) return false;
    state.loadMore.loading = true;
    repaint(state.loadMore);
    try {
      await this.loadPage(name, state, state.next);
    } finally {
      state.loadMore.loading = false;
    }
    return this.states.get(name) === state;
  }

  /** A connection's children: its workflows so far, its error, "Load more…" while there is more. */
  async children(name: string): Promise<WorkflowsNode[]> {
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

  /**
   * The first time a workflow is expanded (and after a refresh), its recent runs on the platform
   * join the ones the extension started; a failure leaves the known runs shown and is logged.
   */
  async importRecentRuns(node: WorkflowNode): Promise<void> {
    const key = workflowKey(node.connection, node.workflow.id);
    if (!this.services.runs || this.imported.has(key)) return;
    this.imported.add(key);
    try {
      const page = await this.services.runs.importRunsPage(node.connection, node.workflow.id, undefined, this.states.get(node.connection)?.abort.signal);
      if (page.next !== undefined) this.olderCursors.set(key, page.next);
    } catch (error) {
      this.services.log?.warn(`Recent runs of ${node.connection}/${node.workflow.id} could not be listed: ${describeError(error)}`);
    }
  }

  /** The "Load more…" row under a workflow while the platform has older runs of it. */
  olderRunsNode(connection: string, workflowId: string): LoadMoreNode | undefined {
    const key = workflowKey(connection, workflowId);
    if (!this.olderCursors.has(key)) return undefined;
    let node = this.olderRuns.get(key);
    if (!node) {
      node = { kind: 'loadMore', connection, workflowId, loading: false };
      this.olderRuns.set(key, node);
    }
    return node;
  }

  /** True once the user asked for a workflow's older runs: the tree then lists all it knows. */
  showsAllRuns(connection: string, workflowId: string): boolean {
    return this.expandedRuns.has(workflowKey(connection, workflowId));
  }

  /** Imports the next older page of a workflow's runs; failures are logged and leave the row. */
  async loadOlderRuns(node: LoadMoreNode, repaint: (node: LoadMoreNode) => void): Promise<void> {
    if (node.workflowId === undefined || node.loading || !this.services.runs) return;
    const key = workflowKey(node.connection, node.workflowId);
    const cursor = this.olderCursors.get(key);
    if (cursor === undefined) return;
    node.loading = true;
    repaint(node);
    try {
      const page = await this.services.runs.importRunsPage(node.connection, node.workflowId, cursor, this.states.get(node.connection)?.abort.signal);
      this.expandedRuns.add(key);
      if (page.next !== undefined) this.olderCursors.set(key, page.next);
      else this.olderCursors.delete(key);
    } catch (error) {
      this.services.log?.warn(`Older runs of ${node.connection}/${node.workflowId} could not be listed: ${describeError(error)}`);
    } finally {
      node.loading = false;
    }
  }

  /** Forgets a connection's pages (aborting their requests) and which of its runs were imported. */
  drop(name: string): void {
    this.states.get(name)?.abort.abort();
    this.states.delete(name);
    // A refreshed connection lists its workflows' runs again when they are next expanded.
    const prefix = workflowKey(name, '');
    for (const key of [...this.imported]) if (key.startsWith(prefix)) this.imported.delete(key);
    for (const map of [this.olderRuns, this.olderCursors]) for (const key of [...map.keys()]) if (key.startsWith(prefix)) map.delete(key);
    for (const key of [...this.expandedRuns]) if (key.startsWith(prefix)) this.expandedRuns.delete(key);
  }

  dropAll(): void {
    for (const name of [...this.states.keys()]) this.drop(name);
  }
}
