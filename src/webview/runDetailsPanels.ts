// The run details panels: one per run (shown again, it is revealed, not duplicated), fed from the
// run store, and re-attached after a window reload (the serializer that extension.ts registers at
// activation calls `restore`). A run being started takes over the latest panel whose run has
// ended, unless `workflowRuns.reuseDetailsPanel` is off: no new webview to create and load (in
// code-server a new webview waits about a second for its service worker), and no pile of tabs
// while a payload is edited and run again. Each panel's own work is ./boundRunPanel.ts.
import * as vscode from 'vscode';
import { runKey, type RunRecord } from '../runs/record';
import type { RunChange, RunStore } from '../runs/store';
import type { RunDetailsService, StartingRunDetails } from '../services';
import type { RunCommand } from './protocol';
import { parsePanelState } from './protocolSchemas';
import { BoundRunPanel, runDetailsViewType, webviewOptions, type RunDetailsLog } from './boundRunPanel';
import { StartingRunPanel, type LoadedRunPage } from './startingRunPanel';

export { runDetailsViewType, type RunDetailsLog } from './boundRunPanel';

export interface RunDetailsDeps {
  extensionUri: vscode.Uri;
  store: RunStore;
  /** "zuora" → "Zuora Workflow": the registry's display name of a platform id. */
  platformLabel(platform: string): string;
  /** Re-run, Stop, Show Log and Refresh pressed in a panel (copying is handled here). Errors are logged and shown. */
  onCommand(command: RunCommand, record: RunRecord): void | Promise<void>;
  /** `workflowRuns.reuseDetailsPanel`: a run being started shows in the latest panel whose run has ended. */
  reusePanel(): boolean;
  log?: RunDetailsLog;
}

export class RunDetailsPanels implements RunDetailsService, vscode.Disposable {
  private readonly panels = new Map<string, BoundRunPanel>();
  private readonly storeSubscription: { dispose(): void };

  constructor(private readonly deps: RunDetailsDeps) {
    this.storeSubscription = deps.store.onDidChange((changes) => this.onStoreChange(changes));
  }

  show(record: RunRecord, options: { preserveFocus?: boolean; taskId?: string } = {}): void {
    const preserveFocus = options.preserveFocus ?? false;
    const key = keyOf(record);
    const fresh = this.deps.store.get(key.connection, key.runId) ?? record;
    const open = this.panels.get(runKey(key.connection, key.runId));
    if (open) {
      open.update(fresh);
      if (options.taskId !== undefined) open.revealTask(options.taskId);
      open.reveal(preserveFocus);
      return;
    }
    // Titled at once by BoundRunPanel with the workflow's name.
    const attached = this.attach(this.createPanel(key.runId, preserveFocus), key, fresh);
    if (options.taskId !== undefined) attached.revealTask(options.taskId);
  }

  /**
   * The panel of a run about to be started: the latest panel whose run has ended, which keeps
   * showing that run until the new one is recorded, or else a new panel, opened now so its page
   * loads while the trigger is in flight (./startingRunPanel.ts). `show` binds the run once it is
   * recorded; `discard` (no run came) leaves a reused panel as it was and closes a new one. A
   * panel the user closed meanwhile is not opened again.
   */
  starting(title: string, options: { preserveFocus?: boolean; workflow?: { connection: string; workflowId: string } } = {}): StartingRunDetails {
    const preserveFocus = options.preserveFocus ?? false;
    const reused = this.deps.reusePanel() && options.workflow ? this.latestReusable(options.workflow) : undefined;
    if (reused) return this.reusing(reused, preserveFocus);
    const starting = new StartingRunPanel(this.createPanel(title, preserveFocus), this.deps.extensionUri);
    return {
      show: (record) => {
        if (this.isOpen(record.connection, record.snapshot.runId)) {
          // The run has its panel already (a run re-opened under the same id): that one is shown.
          starting.discard();
          this.show(record, { preserveFocus });
          return;
        }
        const page = starting.handOver();
        if (page) this.adopt(page, record);
      },
      discard: () => starting.discard(),
    };
  }

  private reusing(reused: BoundRunPanel, preserveFocus: boolean): StartingRunDetails {
    return {
      show: (record) => {
        const reusedKey = runKey(reused.key.connection, reused.key.runId);
        // Checked again: meanwhile the panel may have closed, or its run come back to life (a task re-run).
        if (this.isOpen(record.connection, record.snapshot.runId) || !reused.reusable || this.panels.get(reusedKey) !== reused) {
          this.show(record, { preserveFocus });
          return;
        }
        this.panels.delete(reusedKey);
        const page = reused.handOver();
        this.adopt(page, record);
        page.panel.reveal(undefined, preserveFocus);
      },
      discard: () => {
        // The panel still shows its own run: nothing to undo.
      },
    };
  }

  /**
   * The panel a run being started takes over: of the panels of the same workflow whose run has
   * ended, the one in front, else the one last active. Another workflow's run keeps its panel:
   * taking it over would only suit running one payload again and again, which is what reuse is for.
   */
  private latestReusable(workflow: { connection: string; workflowId: string }): BoundRunPanel | undefined {
    let latest: BoundRunPanel | undefined;
    for (const panel of this.panels.values()) {
      if (!panel.reusable || !panel.runs(workflow)) continue;
      if (!latest || inFrontOf(panel, latest)) latest = panel;
    }
    return latest;
  }

  /** Binds a run being started to a page that is loaded already (a new panel's, or a reused one's). */
  private adopt(page: LoadedRunPage, record: RunRecord): void {
    this.attach(page.panel, keyOf(record), this.deps.store.get(record.connection, record.snapshot.runId) ?? record, { pageReady: page.pageReady });
  }

  /** Re-attaches a panel VS Code restored after a reload; `state` is what the page saved. */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const parsed = parsePanelState(state);
    if (!parsed.ok) {
      // Saved by no page of ours (or before the page learned its run): nothing to show in it.
      this.deps.log?.warn(`Run details: closed a restored panel without a run (${parsed.error}).`);
      panel.dispose();
      return;
    }
    const key = parsed.value;
    if (this.panels.has(runKey(key.connection, key.runId))) {
      panel.dispose();
      return;
    }
    // Undefined when the run left the history: the page then says so.
    this.attach(panel, key, this.deps.store.get(key.connection, key.runId));
  }

  /** Whether a panel is open for the run (tests, and callers deciding what to focus). */
  isOpen(connection: string, runId: string): boolean {
    return this.panels.has(runKey(connection, runId));
  }

  /** Whether the run's panel is open and visible (an editor tab in front in its group). */
  isVisible(connection: string, runId: string): boolean {
    return this.panels.get(runKey(connection, runId))?.panel.visible === true;
  }

  /**
   * Stops listening. Open panels are left to the workbench, which closes them with the extension
   * host or keeps them for the serializer across a reload.
   */
  dispose(): void {
    this.storeSubscription.dispose();
    for (const panel of this.panels.values()) panel.detach();
    this.panels.clear();
  }

  private createPanel(title: string, preserveFocus: boolean): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(
      runDetailsViewType,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { ...webviewOptions(this.deps.extensionUri), retainContextWhenHidden: false, enableFindWidget: true },
    );
  }

  private attach(
    panel: vscode.WebviewPanel,
    key: { connection: string; runId: string },
    record: RunRecord | undefined,
    adopted?: { pageReady: boolean },
  ): BoundRunPanel {
    const id = runKey(key.connection, key.runId);
    const runPanel = new BoundRunPanel(
      panel,
      key,
      record,
      {
        extensionUri: this.deps.extensionUri,
        platformLabel: this.deps.platformLabel,
        onCommand: this.deps.onCommand,
        current: (connection, runId) => this.deps.store.get(connection, runId),
        log: this.deps.log,
      },
      (closed) => {
        if (this.panels.get(id) === closed) this.panels.delete(id);
      },
      adopted,
    );
    this.panels.set(id, runPanel);
    return runPanel;
  }

  private onStoreChange(changes: RunChange[]): void {
    for (const change of changes) {
      const panel = this.panels.get(runKey(change.record.connection, change.record.snapshot.runId));
      panel?.update(change.removed ? undefined : change.record);
    }
  }
}

function keyOf(record: RunRecord): { connection: string; runId: string } {
  return { connection: record.connection, runId: record.snapshot.runId };
}

/** A visible panel (an editor tab in front in its group) before a hidden one, then the most recently active. */
function inFrontOf(panel: BoundRunPanel, other: BoundRunPanel): boolean {
  if (panel.panel.visible !== other.panel.visible) return panel.panel.visible;
  return panel.lastActiveAt > other.lastActiveAt;
}
