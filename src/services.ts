// The services the extension host builds once at activation and hands to commands, views and the
// webview. Each is created lazily where it is heavy; this file holds only their shapes.
import type * as vscode from 'vscode';
import type { Connection } from './connections/schema';
import type { PlatformDescriptor, WorkflowProvider } from './providers/provider';
import type { Page, RunSnapshot, WorkflowSummary } from './providers/model';
import type { RunStore } from './runs/store';
import type { RunRecord, RunRequest, RunTarget } from './runs/record';
import type { Event } from './util/emitter';
import type { PayloadCodeLensProvider } from './payload/codelens';
import type { WorkflowRefCompletionProvider } from './payload/completion';
import type { PayloadDiagnostics } from './payload/diagnostics';
import type { RememberedTargets, TargetContext } from './payload/target';

// Where a run is aimed is a run's own fact (payload files remember it too); re-exported for callers.
export type { RunTarget } from './runs/record';

export interface ConnectionService {
  /** Connections from settings, in order; invalid entries are reported in `problems`. */
  list(): Connection[];
  get(name: string): Connection | undefined;
  /** Settings entries that failed validation, as plain sentences (shown as error items). */
  problems(): string[];
  readonly onDidChange: Event<void>;
  platformOf(connection: Connection): PlatformDescriptor | undefined;
  add(connection: Connection, credential: string | undefined): Promise<void>;
  remove(name: string): Promise<void>;
  setCredential(name: string, credential: string): Promise<void>;
  hasCredential(connection: Connection): Promise<boolean>;
}

export interface ProviderService {
  /** The adapter for a connection, loaded and created on first use and cached until settings change. */
  get(connectionName: string): Promise<WorkflowProvider>;
  /** Lists workflows; a single-workflow connection (Dify) yields its one workflow. */
  listWorkflows(connectionName: string, cursor?: string, signal?: AbortSignal): Promise<Page<WorkflowSummary>>;
}

/**
 * How a caller shows a run being started (the run service itself shows nothing): the editor's
 * commands pass a cancellable progress notification and open the details panel (see
 * src/host/runFeedback.ts); tests and other callers may pass nothing.
 */
/** The run a hook is told about while it is sent: what the progress says, and which workflow it runs. */
export interface RunBeingSent {
  workflowLabel: string;
  connection: string;
  workflowId: string;
}

export interface RunStartHooks {
  /** Wraps sending the run; calling `cancel` aborts it (and the run's watch, later on). */
  whileSending?<T>(what: RunBeingSent, cancel: () => void, send: () => Promise<T>): Promise<T>;
  /** The run is recorded (as queued at least) and about to be watched. */
  recorded?(record: RunRecord): void;
}

export interface RunService {
  /** Sends a run, records it as queued at once and watches it to its end. */
  trigger(target: RunTarget, request: RunRequest, hooks?: RunStartHooks): Promise<RunRecord | undefined>;
  /** The same workflow with the same payload, as a new run; a second call while one starts is ignored. */
  rerun(record: RunRecord, hooks?: RunStartHooks): Promise<RunRecord | undefined>;
  /** A failed run retried by the platform as a new run (B3OS), recorded and watched like a triggered one. */
  retry(record: RunRecord, hooks?: RunStartHooks): Promise<RunRecord | undefined>;
  /** One task of an ended run re-run by the platform (Zuora); the run is watched again until it ends. */
  rerunTask(record: RunRecord, taskId: string, hooks?: RunStartHooks): Promise<RunRecord | undefined>;
  stop(record: RunRecord): Promise<void>;
  /** Fetches a run by id (Open Run by ID…), records it and watches it if still in flight. */
  open(connection: string, runId: string, workflowId?: string): Promise<RunRecord>;
  /**
   * Adds a workflow's recent runs as the platform lists them (runs started elsewhere too), where
   * the platform can list runs; returns how many were new. Runs in flight among them are watched.
   */
  importRecent(connection: string, workflowId: string, signal?: AbortSignal): Promise<number>;
  /** Adds runs a platform listed (a followed workflow's newest page); those already known are left alone. */
  importSnapshots(connection: string, workflowId: string, snapshots: readonly RunSnapshot[]): number;
  /** One page of a workflow's runs as the platform lists them ("Load more" under a workflow); `next` when there are older ones. */
  importRunsPage(connection: string, workflowId: string, cursor: string | undefined, signal?: AbortSignal): Promise<{ added: number; next?: string }>;
  /** Re-reads a run once (Refresh). */
  refresh(record: RunRecord): Promise<void>;
}

export interface RunDetailsService {
  /** `taskId`: a task/node whose detail the panel opens (a task row of the trees was clicked). */
  show(record: RunRecord, options?: { preserveFocus?: boolean; taskId?: string }): void;
  /** Opens the panel of a run about to start, before the platform names it, so its page loads meanwhile. */
  /** `workflow`: the run's workflow; only a panel of that workflow's ended run is taken over (reuseDetailsPanel). */
  starting(title: string, options?: { preserveFocus?: boolean; workflow?: { connection: string; workflowId: string } }): StartingRunDetails;
}

/** The panel of a run being started: `show` gives it the recorded run, `discard` closes it when none came. */
export interface StartingRunDetails {
  show(record: RunRecord): void;
  discard(): void;
}

/** What commands need from the tree views (created with the services, rendered lazily). */
export interface ViewsControl {
  refreshWorkflows(node?: unknown): void;
  loadMore(node: unknown): Promise<void>;
  setRunsFilter(): Promise<void>;
}

/** Payload-file state that lives as long as the extension. */
export interface PayloadServices {
  remembered: RememberedTargets;
  diagnostics: PayloadDiagnostics;
  codeLens: PayloadCodeLensProvider;
  completion: WorkflowRefCompletionProvider;
  targetContext(): TargetContext;
}

export interface Services {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  connections: ConnectionService;
  providers: ProviderService;
  store: RunStore;
  runs: RunService;
  details: RunDetailsService;
  views: ViewsControl;
  payload: PayloadServices;
  /** The real tree providers behind the lazily registered views. */
  trees: {
    workflows: vscode.TreeDataProvider<unknown>;
    runs: vscode.TreeDataProvider<unknown>;
    attach(workflowsView: vscode.TreeView<unknown>, runsView: vscode.TreeView<unknown>): void;
  };
  /** Serves the read-only `workflow-run:` documents (compared runs, workflow definitions). */
  documents(): vscode.TextDocumentContentProvider;
  /** Re-attaches a run details panel restored after a window reload. */
  restorePanel(panel: vscode.WebviewPanel, state: unknown): void;
  /** Checks a connection that is not saved yet with one call; returns what was verified. */
  probe(connection: Connection, credential: string, signal?: AbortSignal): Promise<string>;
}
