// "$(loading~spin) 2 runs" in the status bar while runs are in flight; hidden otherwise. A click
// opens the Workflow Runs container.
import * as vscode from 'vscode';
import { formatDuration } from '../util/format';
import type { RunStore } from '../runs/store';
import type { Event } from '../util/emitter';
import { platformLabel } from './runItem';
import { displayDurationMs, statusLook, statusWord, workflowDisplayName } from './runPresentation';
import { disposeAll } from '../util/lifecycle';

export type StatusBarStore = Pick<RunStore, 'inFlight' | 'onDidChange'>;

/** Runs listed in the tooltip; more would make a hover taller than the window. */
const maxListed = 10;

export class RunsStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: Array<{ dispose(): void }> = [];

  /** `tick`: optional event (the in-flight ticker) that refreshes the tooltip's durations. */
  constructor(
    private readonly store: StatusBarStore,
    tick?: Event<void> | vscode.Event<void>,
  ) {
    this.item = vscode.window.createStatusBarItem('workflowRuns.inFlight', vscode.StatusBarAlignment.Left, 0);
    this.item.name = vscode.l10n.t('Workflow Runs');
    // The Runs view itself (its container opens with it).
    this.item.command = 'workflowRuns.runs.focus';
    this.subscriptions.push(store.onDidChange(() => this.update()));
    if (tick) this.subscriptions.push(tick(() => this.update()));
    this.update();
  }

  private update(): void {
    const runs = this.store.inFlight();
    if (runs.length === 0) {
      this.item.hide();
      return;
    }
    this.item.text = runs.length === 1 ? vscode.l10n.t('$(loading~spin) 1 run') : vscode.l10n.t('$(loading~spin) {0} runs', runs.length);
    this.item.accessibilityInformation = {
      label: runs.length === 1 ? vscode.l10n.t('1 workflow run in progress') : vscode.l10n.t('{0} workflow runs in progress', runs.length),
    };
    const tooltip = new vscode.MarkdownString('', true);
    tooltip.isTrusted = false;
    tooltip.appendMarkdown('**');
    tooltip.appendText(vscode.l10n.t('Workflow runs in progress'));
    tooltip.appendMarkdown('**\n\n');
    const now = Date.now();
    for (const record of runs.slice(0, maxListed)) {
      const parts = [statusWord(record.snapshot.status, vscode.l10n), formatDuration(displayDurationMs(record, now)), `${record.connection} (${platformLabel(record.platform)})`];
      tooltip.appendMarkdown(`$(${statusLook(record.snapshot.status).icon}) `);
      tooltip.appendText(`${workflowDisplayName(record)} — ${parts.filter(Boolean).join(' · ')}`);
      tooltip.appendMarkdown('  \n');
    }
    if (runs.length > maxListed) tooltip.appendText(vscode.l10n.t('and {0} more', runs.length - maxListed));
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    disposeAll(this.subscriptions);
    this.item.dispose();
  }
}
