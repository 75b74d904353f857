// A notification when a run the user is following ends: information for success, a warning for
// anything else, each with "Show Details". Runs that were already over when first seen (opened by
// id, loaded from a list) never notify, nor do runs found in a platform's run list (the user did
// not start them, even when they were still running when found). A run whose details panel is in
// front of the user (visible, window focused) is not announced: the panel already shows the end.
// Runs ending close together are one notification ("3 runs ended: 2 succeeded, 1 failed") with
// "Show Runs" (./endBatch.ts).
import * as vscode from 'vscode';
import { formatDuration } from '../util/format';
import { displayDurationMs, endWord, runTiming, workflowLabel } from './wording';
import type { RunRecord } from './record';
import { announcesEnd } from './runEnd';
import type { RunStore } from './store';
import { forNotification } from '../util/redact';
import { countEnds, EndBatcher, type BatchTimers } from './endBatch';

export type NotifyMode = 'always' | 'failures' | 'never';

export interface RunEndNotificationOptions {
  /** Opens the run's details panel ("Show Details"). */
  showDetails(record: RunRecord): void;
  /** Whether the run's details panel is visible (it then says the end itself when the window is focused). */
  isPanelVisible?(record: RunRecord): boolean;
  /** Tests shorten the batching window or drive it with a fake clock. */
  windowMs?: number;
  timers?: BatchTimers;
}

export function registerRunEndNotifications(store: RunStore, options: RunEndNotificationOptions): vscode.Disposable {
  const batcher = new EndBatcher<RunRecord>((records) => void announce(records, options.showDetails), options.windowMs, options.timers);
  const subscription = store.onDidChange((changes) => {
    for (const change of changes) {
      if (!announcesEnd(change) || !wanted(change.record)) continue;
      if (vscode.window.state.focused && options.isPanelVisible?.(change.record)) continue;
      batcher.add(change.record);
    }
  });
  return { dispose: () => (subscription.dispose(), batcher.dispose()) };
}

function wanted(record: RunRecord): boolean {
  const mode = vscode.workspace.getConfiguration('workflowRuns').get<NotifyMode>('notifyOnRunEnd', 'always');
  return mode === 'always' || (mode === 'failures' && record.snapshot.status !== 'succeeded');
}

async function announce(records: RunRecord[], showDetails: (record: RunRecord) => void): Promise<void> {
  if (records.length === 1) return notifyOne(records[0]!, showDetails);
  const counts = countEnds(records.map((record) => record.snapshot.status));
  const parts: string[] = [];
  if (counts.succeeded > 0) parts.push(vscode.l10n.t('{0} succeeded', counts.succeeded));
  if (counts.failed > 0) parts.push(vscode.l10n.t('{0} failed', counts.failed));
  if (counts.other > 0) parts.push(vscode.l10n.t('{0} stopped or partial', counts.other));
  const message = vscode.l10n.t('{0} runs ended: {1}', counts.total, parts.join(', '));
  const action = vscode.l10n.t('Show Runs');
  const choice = counts.succeeded === counts.total ? await vscode.window.showInformationMessage(message, action) : await vscode.window.showWarningMessage(message, action);
  if (choice === action) await vscode.commands.executeCommand('workflowRuns.runs.focus');
}

async function notifyOne(record: RunRecord, showDetails: (record: RunRecord) => void): Promise<void> {
  const { snapshot } = record;
  const succeeded = snapshot.status === 'succeeded';
  // The run has just ended: without a finish time from the platform, now is its end.
  const duration = formatDuration(displayDurationMs({ ...runTiming(record), finishedAt: snapshot.finishedAt ?? Date.now() }));
  let message = vscode.l10n.t('Run {0} of “{1}” {2}', snapshot.runId, workflowLabel(record), endWord(snapshot.status, vscode.l10n));
  if (duration) message += vscode.l10n.t(' after {0}', duration);
  if (snapshot.status === 'failed' && snapshot.error) message += `: ${truncate(snapshot.error, 200)}`;
  const action = vscode.l10n.t('Show Details');
  const shown = forNotification(message);
  const choice = succeeded
    ? await vscode.window.showInformationMessage(shown, action)
    : await vscode.window.showWarningMessage(shown, action);
  if (choice === action) showDetails(record);
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
