// One run details panel bound to one run (the set of them is ./runDetailsPanels.ts, which may
// hand a panel whose run has ended to a new run: a new BoundRunPanel then adopts its loaded page).
// It feeds the page the run's state
// (after the page's `ready`, batched) and turns the page's button presses into host actions.
import * as vscode from 'vscode';
import { isInFlight, type RunRecord } from '../runs/record';
import { formatJson } from './display';
import { createNonce, renderShell } from './html';
import { bundleForPage } from '../util/l10n';
import { workbenchCommands, type CopyableTaskField, type HostMessage, type PageCommand, type RunCommand, type WorkbenchCommand } from './protocol';
import { parsePageMessage } from './protocolSchemas';
import { runPagePostIntervalMs as postIntervalMs, Throttle } from '../util/throttle';
import { showError } from '../host/showError';
import { redact } from '../util/redact';
import { toRunView, workflowLabel } from './viewModel';

export const runDetailsViewType = 'workflowRuns.runDetails';

/** The part of vscode.LogOutputChannel the panels use. */
export interface RunDetailsLog {
  warn(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
}

export interface BoundRunPanelDeps {
  extensionUri: vscode.Uri;
  platformLabel(platform: string): string;
  onCommand(command: RunCommand, record: RunRecord): void | Promise<void>;
  /** The freshest record of the run (the store), for commands pressed between two posts. */
  current(connection: string, runId: string): RunRecord | undefined;
  log?: RunDetailsLog;
}

/** Which run a panel shows; also what the page saves for the serializer. */
export interface RunPanelKey {
  connection: string;
  runId: string;
}


export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    // Only our bundle and stylesheet: the page loads nothing else.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** Gives a panel's webview the run page: the strict shell, which loads dist/webview.js and then says `ready`. */
export function loadRunPage(webview: vscode.Webview, extensionUri: vscode.Uri): void {
  webview.options = webviewOptions(extensionUri);
  webview.html = renderShell({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css')).toString(),
    nonce: createNonce(),
    l10nBundle: bundleForPage(vscode.l10n.bundle),
    language: vscode.env.language,
  });
}

export class BoundRunPanel {
  private record: RunRecord | undefined;
  /** The page has said `ready` since its last load, so a post reaches its listener. */
  private pageReady = false;
  /** A change arrived while it could not be posted (hidden, or before `ready`). */
  private dirty = true;
  /** A task the page should open with the next state it gets (a task row of the trees was clicked). */
  private pendingReveal: string | undefined;
  private readonly throttle = new Throttle(() => this.post(), postIntervalMs);
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  /** When the panel was last the active editor (or created): the panel a new run reuses is the latest. */
  private activeAt = Date.now();

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly key: RunPanelKey,
    record: RunRecord | undefined,
    private readonly deps: BoundRunPanelDeps,
    private readonly onDisposed: (panel: BoundRunPanel) => void,
    /** The panel's page was loaded already (./startingRunPanel.ts), and whether it said `ready`. */
    adopted?: { pageReady: boolean },
  ) {
    this.record = record;
    const webview = panel.webview;
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(() => {
        if (panel.active) this.activeAt = Date.now();
        // A hidden page is unloaded (retainContextWhenHidden: false) and says `ready` again when
        // shown; posting here as well covers a page that was kept.
        if (panel.visible && this.dirty) this.throttle.schedule();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    this.updateTitle();
    if (adopted) {
      // Reloading the page would throw away the load the starting panel paid for: post to it now.
      this.pageReady = adopted.pageReady;
      this.throttle.schedule();
    } else {
      loadRunPage(panel.webview, deps.extensionUri);
    }
  }

  /** A newer record from the store, or undefined when the run left the history. */
  update(record: RunRecord | undefined): void {
    this.record = record;
    this.dirty = true;
    this.updateTitle();
    this.throttle.schedule();
  }

  /**
   * Whether a new run may take this panel over (`workflowRuns.reuseDetailsPanel`): its run has
   * ended or left the history. A panel following a run in flight is never taken.
   */
  get reusable(): boolean {
    return !this.disposed && (this.record === undefined || !isInFlight(this.record));
  }

  /** Whether this panel shows a run of that workflow. */
  runs(workflow: { connection: string; workflowId: string }): boolean {
    return this.key.connection === workflow.connection && this.record?.snapshot.workflowId === workflow.workflowId;
  }

  get lastActiveAt(): number {
    return this.activeAt;
  }

  /** Stops feeding this panel and gives its loaded page to the panel's next run (./runDetailsPanels.ts). */
  handOver(): { panel: vscode.WebviewPanel; pageReady: boolean } {
    this.detach();
    return { panel: this.panel, pageReady: this.pageReady };
  }

  reveal(preserveFocus: boolean): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  /** Opens one task's detail in the page with the next state it gets (posted now if it can be). */
  revealTask(taskId: string): void {
    this.pendingReveal = taskId;
    this.dirty = true;
    this.throttle.schedule();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.throttle.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.onDisposed(this);
  }

  /** Stops listening without closing the panel (extension deactivation: the workbench keeps and restores it). */
  detach(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.throttle.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private receive(raw: unknown): void {
    const parsed = parsePageMessage(raw);
    if (!parsed.ok) {
      this.deps.log?.warn(`Run details: ignored a message from the page that does not fit the protocol (${parsed.error}).`);
      return;
    }
    const message = parsed.value;
    if (message.type === 'ready') {
      this.pageReady = true;
      this.dirty = true;
      this.throttle.flush();
      return;
    }
    if (message.type === 'copyTaskField') {
      void this.guarded(message.field, () => this.copyTaskField(message.taskId, message.field));
      return;
    }
    if (message.type === 'taskCommand') {
      // The argument a task row of the trees would give: the run's record and the task's id.
      void this.guarded(message.command, () => this.runWorkbenchCommand(message.command, (record) => ({ kind: 'task', record, taskId: message.taskId })));
      return;
    }
    void this.runCommand(message.command);
  }

  /** Runs the extension's own command for a page button, with the run as a tree row would pass it. */
  private async runWorkbenchCommand(command: WorkbenchCommand, argument: (record: RunRecord) => unknown = (record) => record): Promise<void> {
    const record = this.deps.current(this.key.connection, this.key.runId) ?? this.record;
    if (!record) {
      this.deps.log?.debug(`Run details: "${command}" ignored, the run is no longer in the history.`);
      return;
    }
    await vscode.commands.executeCommand(workbenchCommands[command], argument(record));
  }

  private async copyTaskField(taskId: string, field: CopyableTaskField): Promise<void> {
    const record = this.deps.current(this.key.connection, this.key.runId) ?? this.record;
    const value = record?.snapshot.timeline?.find((entry) => entry.id === taskId)?.[field];
    if (value === undefined || value === null) {
      vscode.window.setStatusBarMessage(vscode.l10n.t('Nothing to copy.'), 3000);
      return;
    }
    await vscode.env.clipboard.writeText(formatJson(value));
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied'), 3000);
  }

  private async guarded(what: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.deps.log?.warn(`Run details: "${what}" failed: ${redact(reason)}`);
      void showError(error);
    }
  }

  private post(): void {
    if (this.disposed || !this.pageReady || !this.panel.visible) return;
    const reveal = this.pendingReveal;
    const message: HostMessage = this.record
      ? {
          type: 'state',
          run: toRunView(this.record, { platformLabel: this.deps.platformLabel }),
          now: Date.now(),
          ...(reveal !== undefined ? { revealTask: reveal } : {}),
        }
      : { type: 'missing', connection: this.key.connection, runId: this.key.runId };
    this.dirty = false;
    this.pendingReveal = undefined;
    this.panel.webview.postMessage(message).then(
      (delivered) => {
        if (delivered) return;
        this.dirty = true;
        this.pendingReveal ??= reveal;
      },
      () => {
        // The panel went away meanwhile; nothing to deliver to.
      },
    );
  }

  private updateTitle(): void {
    const workflow = this.record ? workflowLabel(this.record) : this.key.connection;
    const title = vscode.l10n.t('{0} · run {1}', workflow, this.key.runId);
    if (this.panel.title !== title) this.panel.title = title;
  }

  private async runCommand(command: PageCommand): Promise<void> {
    const record = this.deps.current(this.key.connection, this.key.runId) ?? this.record;
    try {
      switch (command) {
        case 'copyRunId':
          await vscode.env.clipboard.writeText(this.key.runId);
          vscode.window.setStatusBarMessage(vscode.l10n.t('Copied run ID {0}', this.key.runId), 3000);
          return;
        case 'copyOutputs': {
          const outputs = record?.snapshot.outputs;
          if (outputs === undefined || outputs === null) {
            vscode.window.setStatusBarMessage(vscode.l10n.t('This run has no outputs to copy.'), 3000);
            return;
          }
          await vscode.env.clipboard.writeText(formatJson(outputs));
          vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the run outputs'), 3000);
          return;
        }
        case 'openInputsAsPayload':
        case 'compareWith':
        case 'retryRun':
          await this.runWorkbenchCommand(command);
          return;
        default:
          if (!record) {
            this.deps.log?.debug(`Run details: "${command}" ignored, the run is no longer in the history.`);
            return;
          }
          await this.deps.onCommand(command, record);
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.deps.log?.warn(`Run details: "${command}" failed: ${redact(reason)}`);
      // The same plain words and actions ("Set Credentials…") as every other entry point.
      void showError(error);
    }
  }
}
