// A notification when a run the user is following ends: information for success, a warning for
// anything else, each with "Show Details". Runs that were already over when first seen (opened by
// id, loaded from a list) never notify, nor do runs found in a platform's run list (the user did
// not start them, even when they were still running when found).
import * as vscode from 'vscode';
import { formatDuration } from '../util/format';
import { displayDurationMs, endWord, runTiming, workflowLabel } from './wording';
import type { RunRecord } from './record';
import { announcesEnd } from './runEnd';
import type { RunStore } from './store';
import { forNotification } from '../util/redact';

export type NotifyMode = 'always' | 'failures' | 'never';

export function registerRunEndNotifications(store: RunStore, showDetails: (record: RunRecord) => void): vscode.Disposable {
  return store.onDidChange((changes) => {
    for (const change of changes) if (announcesEnd(change)) void notify(change.record, showDetails);
  });
}

async function notify(record: RunRecord, showDetails: (record: RunRecord) => void): Promise<void> {
  const mode = vscode.workspace.getConfiguration('workflowRuns').get<NotifyMode>('notifyOnRunEnd', 'always');
  const { snapshot } = record;
  const succeeded = snapshot.status === 'succeeded';
  if (mode === 'never' || (mode === 'failures' && succeeded)) return;
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
