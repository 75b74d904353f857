// How one task/node of a run looks as a row of the trees: icon and colour by state, description,
// tooltip rows. Pure (no vscode import), like ./runPresentation.ts, which it follows.
import type { TaskState, TimelineEntry } from '../providers/model';
import { formatDuration } from '../util/format';
import { plainL10n, taskStateWord, type L10n, type StatusLook, type RunTooltip, type TooltipRow } from './runPresentation';
// Type only: lets `npm run l10n` see this file's `l10n.t(…)` calls (see runs/wording.ts).
import type * as l10n from '@vscode/l10n';

/** What a `{0}` placeholder of a task row's words takes. */
export type TaskWordReplacement = l10n.L10nReplacement;

// Theme colour ids every theme defines, matching the run icons of the same meaning.
const looks: Record<TaskState, StatusLook> = {
  queued: { icon: 'clock', color: 'charts.yellow' },
  pending: { icon: 'debug-pause', color: 'charts.yellow' },
  processing: { icon: 'loading~spin', color: 'charts.blue' },
  success: { icon: 'pass', color: 'testing.iconPassed' },
  error: { icon: 'error', color: 'testing.iconFailed' },
  stopped: { icon: 'circle-slash', color: 'disabledForeground' },
  skipped: { icon: 'debug-step-over', color: 'disabledForeground' },
};

export function taskLook(state: TaskState): StatusLook {
  return looks[state] ?? { icon: 'question' };
}

/** "iteration round 2", "loop round 1", "retry 1": where a repeated execution ran (rounds from 1). */
export function taskRound(entry: TimelineEntry, l10n: L10n = plainL10n): string | undefined {
  if (entry.iteration) return l10n.t('iteration round {0}', entry.iteration.index + 1);
  if (entry.loop) return l10n.t('loop round {0}', entry.loop.index + 1);
  if (entry.retry) return l10n.t('retry {0}', entry.retry.index);
  return undefined;
}

/** The row's description: its state word, then its round when it ran in one. */
export function taskDescription(entry: TimelineEntry, l10n: L10n = plainL10n): string {
  const round = taskRound(entry, l10n);
  const word = taskStateWord(entry.state, l10n);
  return round ? `${word} · ${round}` : word;
}

/** The task's duration: as given, else from its times; undefined while unknown. */
export function taskDurationMs(entry: TimelineEntry): number | undefined {
  if (entry.durationMs !== undefined) return entry.durationMs;
  return entry.startedAt !== undefined && entry.finishedAt !== undefined ? Math.max(0, entry.finishedAt - entry.startedAt) : undefined;
}

const maxErrorLength = 500;

export function taskTooltip(entry: TimelineEntry, l10n: L10n = plainL10n): RunTooltip {
  const rows: TooltipRow[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') rows.push({ label, value });
  };
  const word = taskStateWord(entry.state, l10n);
  add(l10n.t('State'), entry.platformState && entry.platformState !== word ? `${word} (${entry.platformState})` : word);
  add(l10n.t('Type'), entry.type);
  add(l10n.t('Duration'), formatDuration(taskDurationMs(entry)));
  add(l10n.t('Round'), taskRound(entry, l10n));
  if (entry.metrics?.tokens !== undefined) add(l10n.t('Tokens'), String(entry.metrics.tokens));
  add(l10n.t('Cost'), entry.metrics?.cost);
  if (entry.metrics?.computeUnits !== undefined) add(l10n.t('Compute units'), String(entry.metrics.computeUnits));
  add(l10n.t('ID'), entry.id);
  const error = entry.error && entry.error.length > maxErrorLength ? `${entry.error.slice(0, maxErrorLength - 1)}…` : entry.error;
  return { icon: taskLook(entry.state).icon, title: entry.name, rows, error: error || undefined };
}
