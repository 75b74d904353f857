// How a run looks in the trees and the status bar: icon, colour, label, description, tooltip
// content. Pure (no vscode import) so it is unit-tested; ./runItem.ts turns it into TreeItems and
// MarkdownStrings. Localisation is injected: the host passes `vscode.l10n`, tests a plain formatter.
import { isTerminal, taskStates, type RunStatus, type TaskCounts, type TaskState } from '../providers/model';
import { isInFlight, type RunRecord, type WatchNote } from '../runs/record';
import { displayDurationMs as timingDurationMs, plainL10n, runIdLabel, runStartTime as timingStart, runTiming, statusWord, workflowLabel, type L10n } from '../runs/wording';
import { formatDuration, formatRelativeTime } from '../util/format';
// Type only: lets `npm run l10n` see this file's `l10n.t(…)` calls (see runs/wording.ts).
import type * as l10n from '@vscode/l10n';

export { plainL10n, runIdLabel, statusWord, type L10n } from '../runs/wording';
/** What a `{0}` placeholder takes. */
export type L10nReplacement = l10n.L10nReplacement;

/** A run's workflow name (see runs/wording.ts). */
export const workflowDisplayName = workflowLabel;

/** When the run began, for "5 min ago" (see runs/wording.ts). */
export function runStartTime(record: RunRecord): number {
  return timingStart(runTiming(record));
}

/** The duration to show for a run, or undefined (the one rule lives in runs/wording.ts). */
export function displayDurationMs(record: RunRecord, now = Date.now()): number | undefined {
  return timingDurationMs(runTiming(record), now);
}

export interface StatusLook {
  /** Codicon id, e.g. "pass", "loading~spin". */
  icon: string;
  /** Theme colour id for the icon; undefined keeps the default foreground. */
  color?: string;
}

// Colours come from ids every theme defines, so icons stay readable in high-contrast themes too.
const looks: Record<RunStatus, StatusLook> = {
  queued: { icon: 'clock', color: 'charts.yellow' },
  running: { icon: 'loading~spin', color: 'charts.blue' },
  waiting: { icon: 'debug-pause', color: 'charts.yellow' },
  stopping: { icon: 'loading~spin', color: 'charts.orange' },
  succeeded: { icon: 'pass', color: 'testing.iconPassed' },
  partial: { icon: 'warning', color: 'list.warningForeground' },
  failed: { icon: 'error', color: 'testing.iconFailed' },
  stopped: { icon: 'circle-slash', color: 'disabledForeground' },
};

export function statusLook(status: RunStatus): StatusLook {
  return looks[status] ?? { icon: 'question' };
}

export function taskStateWord(state: TaskState, l10n: L10n = plainL10n): string {
  switch (state) {
    case 'queued':
      return l10n.t('queued');
    case 'pending':
      return l10n.t('pending');
    case 'processing':
      return l10n.t('processing');
    case 'success':
      return l10n.t('success');
    case 'error':
      return l10n.t('error');
    case 'stopped':
      return l10n.t('stopped');
    case 'skipped':
      return l10n.t('skipped');
    default:
      return String(state);
  }
}

/** Menus match these exactly (package.json `view/item/context`). */
/** What a platform can do to a run after it ends (its descriptor's `runActions`). */
export interface RunActions {
  rerunTask?: boolean;
  retryFailedRun?: boolean;
}

/**
 * The run row's context value: `run.inFlight` or `run.ended`, the latter with `.retryable` when
 * the platform retries failed runs and this one failed (menus test the suffix, never a platform).
 */
export function runContextValue(record: RunRecord, actions?: RunActions): 'run.inFlight' | 'run.ended' | 'run.ended.retryable' {
  if (isInFlight(record)) return 'run.inFlight';
  return actions?.retryFailedRun === true && record.snapshot.status === 'failed' ? 'run.ended.retryable' : 'run.ended';
}

/** A task row's context value: `task.rerunnable` when the platform re-runs single tasks and the run has ended. */
export function taskContextValue(record: RunRecord, actions?: RunActions): 'task' | 'task.rerunnable' {
  return actions?.rerunTask === true && !isInFlight(record) ? 'task.rerunnable' : 'task';
}

export interface DescriptionOptions {
  now?: number;
  l10n?: L10n;
  /** Adds the connection's name (the Runs view, when runs come from more than one connection). */
  includeConnection?: boolean;
}

/** "Running · 5 min ago · 1 min 05 s" (+ " · <connection>", + a note when watching broke). */
export function runDescription(record: RunRecord, options: DescriptionOptions = {}): string {
  const now = options.now ?? Date.now();
  const l10n = options.l10n ?? plainL10n;
  const parts = [
    statusWord(record.snapshot.status, l10n),
    formatRelativeTime(runStartTime(record), now),
    formatDuration(displayDurationMs(record, now)),
  ];
  if (options.includeConnection) parts.push(record.connection);
  // Only while in flight: an ended run's state is final whatever went wrong while watching it.
  const inFlight = !isTerminal(record.snapshot.status);
  const note = inFlight ? record.watchNote : undefined;
  if (note?.reason === 'serverAsked') parts.push(l10n.t('waiting on the platform until {0}', formatClock(note.nextCheckAt)));
  else if (note?.reason === 'slowPoll') parts.push(l10n.t('not updating, checking every {0}', formatWait(note.waitMs, l10n)));
  else if (record.watchError && inFlight) parts.push(l10n.t('not updating'));
  return parts.filter((part) => part !== '').join(' · ');
}

/** "6 tasks: 3 success, 1 error, 2 processing" — states the run never reached are left out. */
export function taskSummary(tasks: TaskCounts, l10n: L10n = plainL10n): string | undefined {
  if (tasks.total <= 0) return undefined;
  const parts = taskStates.filter((state) => tasks[state] > 0).map((state) => `${tasks[state]} ${taskStateWord(state, l10n)}`);
  const head = tasks.total === 1 ? l10n.t('1 task') : l10n.t('{0} tasks', tasks.total);
  return parts.length > 0 ? `${head}: ${parts.join(', ')}` : head;
}

export interface TooltipRow {
  label: string;
  value: string;
}

/**
 * What a run's tooltip says. Everything here may come from a platform or the user (names, ids,
 * error text), so the renderer must treat every string as untrusted text, never as Markdown.
 */
export interface RunTooltip {
  icon: string;
  title: string;
  rows: TooltipRow[];
  error?: string;
  watchError?: string;
  /** Why watching waits on the platform (a sentence); the run is not failed. */
  watchNote?: string;
}

export interface TooltipOptions {
  now?: number;
  l10n?: L10n;
  /** "zuora" → "Zuora Workflow"; the platform id is shown when absent. */
  platformLabel?: string;
  /** Formats an absolute time; defaults to the host's locale. */
  formatTime?: (epochMs: number) => string;
}

const maxErrorLength = 500;

export function runTooltip(record: RunRecord, options: TooltipOptions = {}): RunTooltip {
  const now = options.now ?? Date.now();
  const l10n = options.l10n ?? plainL10n;
  const formatTime = options.formatTime ?? ((epochMs: number) => new Date(epochMs).toLocaleString());
  const { snapshot } = record;
  const rows: TooltipRow[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') rows.push({ label, value });
  };
  const workflowName = workflowDisplayName(record);
  add(l10n.t('Workflow'), workflowName === snapshot.workflowId ? workflowName : `${workflowName} (${snapshot.workflowId})`);
  add(l10n.t('Run ID'), snapshot.runId);
  add(l10n.t('Connection'), record.connection);
  add(l10n.t('Platform'), options.platformLabel || record.platform);
  const word = statusWord(snapshot.status, l10n);
  add(l10n.t('Status'), snapshot.platformStatus && snapshot.platformStatus !== word ? `${word} (${snapshot.platformStatus})` : word);
  const started = runStartTime(record);
  add(l10n.t('Started'), `${formatTime(started)} (${formatRelativeTime(started, now)})`);
  if (snapshot.finishedAt !== undefined) add(l10n.t('Finished'), formatTime(snapshot.finishedAt));
  const duration = formatDuration(displayDurationMs(record, now));
  add(l10n.t('Duration'), duration && !isTerminal(snapshot.status) ? l10n.t('{0} so far', duration) : duration);
  add(l10n.t('Tasks'), taskSummary(snapshot.tasks, l10n));
  return {
    icon: statusLook(snapshot.status).icon,
    title: `${workflowName} ${runIdLabel(snapshot.runId)}`,
    rows,
    error: truncate(snapshot.error),
    watchError: truncate(record.watchError),
    watchNote: watchNoteText(record, { l10n, platformLabel: options.platformLabel }),
  };
}

export interface WatchNoteOptions {
  l10n?: L10n;
  platformLabel?: string;
  /** Formats the time of the next check; defaults to HH:MM:SS on the host's clock. */
  formatTime?: (epochMs: number) => string;
}

/**
 * "Zuora Workflow asked to wait 120 s (rate limited); checking again at 15:02:10." — or, after
 * failures in a row, that watching slowed down and how often it asks. Undefined when watching is
 * not waiting on anything, or the run has ended (its state is final).
 */
export function watchNoteText(record: RunRecord, options: WatchNoteOptions = {}): string | undefined {
  const note = record.watchNote;
  if (!note || isTerminal(record.snapshot.status)) return undefined;
  const l10n = options.l10n ?? plainL10n;
  const platform = options.platformLabel || record.platform;
  const at = (options.formatTime ?? formatClock)(note.nextCheckAt);
  if (note.reason === 'serverAsked') {
    const why = waitReason(note, l10n);
    return why
      ? l10n.t('{0} asked to wait {1} ({2}); checking again at {3}. The run is not failed: its state is shown as soon as {0} answers.', platform, formatWait(note.waitMs, l10n), why, at)
      : l10n.t('{0} asked to wait {1}; checking again at {2}. The run is not failed: its state is shown as soon as {0} answers.', platform, formatWait(note.waitMs, l10n), at);
  }
  return l10n.t(
    'Watching failed {0} times in a row, so it now checks every {1} (next at {2}) and goes back to its normal pace once {3} answers. The run is not failed.',
    note.failures ?? 0,
    formatWait(note.waitMs, l10n),
    at,
    platform,
  );
}

function waitReason(note: WatchNote, l10n: L10n): string | undefined {
  if (note.status === 429) return l10n.t('rate limited');
  if (note.status === 503) return l10n.t('temporarily unavailable');
  return note.status !== undefined ? l10n.t('HTTP {0}', note.status) : undefined;
}

/** "45 s", "2 min", "2 min 30 s". */
function formatWait(ms: number, l10n: L10n): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return l10n.t('{0} s', seconds);
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? l10n.t('{0} min', minutes) : l10n.t('{0} min {1} s', minutes, rest);
}

/** HH:MM:SS on the local clock: a wait is minutes at most, the date adds nothing. */
function formatClock(epochMs: number): string {
  const date = new Date(epochMs);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
}


function truncate(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return text.length > maxErrorLength ? `${text.slice(0, maxErrorLength - 1)}…` : text;
}
