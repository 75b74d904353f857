// Pure display rules of the run details page: the bar's proportions, labels, glyphs, durations and
// JSON text. Kept out of the DOM code so they are unit-tested in Node, and shared with the host
// (Copy Outputs copies exactly the text the page shows).
import type { RunMetrics, RunStatus, TaskCounts, TaskState, TimelineEntry } from '../providers/model';
import { runDurationMs } from '../util/format';
import { displayDurationMs as runDurationOf, statusWord } from '../runs/wording';
import type { RunView } from './protocol';
import * as l10n from '@vscode/l10n';

/** Left to right in the bar: finished work first, then what is still to come. */
export const barOrder: readonly TaskState[] = ['success', 'error', 'stopped', 'skipped', 'processing', 'pending', 'queued'];

export interface BarSegment {
  state: TaskState;
  count: number;
  /** Width in percent of the whole bar, to 0.01. */
  percent: number;
}

/**
 * The stacked bar: one segment per state with tasks, in `barOrder`, proportional to
 * max(total, sum of states) — a platform may announce more tasks than it has reported, and the
 * unreported rest stays empty track. Widths come from rounded cumulative sums, so they never add
 * up to more than 100 and add up to exactly 100 when every task is accounted for.
 */
export function barSegments(tasks: TaskCounts): BarSegment[] {
  const sum = barOrder.reduce((acc, state) => acc + Math.max(0, tasks[state]), 0);
  const whole = Math.max(sum, tasks.total);
  if (whole <= 0) return [];
  const segments: BarSegment[] = [];
  let cumulative = 0;
  let drawn = 0;
  for (const state of barOrder) {
    const count = Math.max(0, tasks[state]);
    if (count === 0) continue;
    cumulative += count;
    const edge = Math.round((cumulative / whole) * 10000) / 100;
    segments.push({ state, count, percent: Math.round((edge - drawn) * 100) / 100 });
    drawn = edge;
  }
  return segments;
}

// Getters, not values: the page's modules load before it configures l10n from its bundle.
export const taskStateLabels: Readonly<Record<TaskState | 'total', string>> = {
  get queued() { return l10n.t('Queued'); },
  get pending() { return l10n.t('Pending'); },
  get processing() { return l10n.t('Processing'); },
  get success() { return l10n.t('Succeeded'); },
  get error() { return l10n.t('Failed'); },
  get stopped() { return l10n.t('Stopped'); },
  get skipped() { return l10n.t('Skipped'); },
  get total() { return l10n.t('Total'); },
};

/**
 * "3 succeeded": a count of tasks in one state, as one phrase per state so a language can order,
 * inflect and capitalise it (a lower-cased label would not do for German nouns, say).
 */
export function taskStateCount(state: TaskState, count: number): string {
  const comment = ['{0} is a number of tasks (or Dify nodes) of a run that are in this state.'];
  switch (state) {
    case 'queued':
      return l10n.t({ message: '{0} queued', args: [count], comment });
    case 'pending':
      return l10n.t({ message: '{0} pending', args: [count], comment });
    case 'processing':
      return l10n.t({ message: '{0} processing', args: [count], comment });
    case 'success':
      return l10n.t({ message: '{0} succeeded', args: [count], comment });
    case 'error':
      return l10n.t({ message: '{0} failed', args: [count], comment });
    case 'stopped':
      return l10n.t({ message: '{0} stopped', args: [count], comment });
    case 'skipped':
      return l10n.t({ message: '{0} skipped', args: [count], comment });
  }
}

/** "3 succeeded, 1 failed of 10 tasks": the bar's accessible name. */
export function barDescription(tasks: TaskCounts): string {
  const parts = barSegments(tasks).map((segment) => taskStateCount(segment.state, segment.count));
  const total = tasks.total === 1 ? l10n.t('1 task') : l10n.t('{0} tasks', tasks.total);
  return parts.length > 0 ? l10n.t('{0} of {1}', parts.join(', '), total) : l10n.t('No tasks reported ({0})', total);
}

export interface StatusLook {
  label: string;
  /** A text glyph (the page loads no icon font). */
  glyph: string;
  /** CSS tone class suffix: colour comes from the theme's chart/testing colours. */
  tone: 'pending' | 'running' | 'waiting' | 'success' | 'warning' | 'error' | 'muted';
}

export const statusLooks: Readonly<Record<RunStatus, StatusLook>> = {
  queued: { get label() { return statusWord('queued', l10n); }, glyph: '◷', tone: 'pending' },
  running: { get label() { return statusWord('running', l10n); }, glyph: '⟳', tone: 'running' },
  waiting: { get label() { return statusWord('waiting', l10n); }, glyph: '‖', tone: 'waiting' },
  stopping: { get label() { return statusWord('stopping', l10n); }, glyph: '◼', tone: 'waiting' },
  succeeded: { get label() { return statusWord('succeeded', l10n); }, glyph: '✓', tone: 'success' },
  partial: { get label() { return statusWord('partial', l10n); }, glyph: '◑', tone: 'warning' },
  failed: { get label() { return statusWord('failed', l10n); }, glyph: '✕', tone: 'error' },
  stopped: { get label() { return statusWord('stopped', l10n); }, glyph: '■', tone: 'muted' },
};

export const taskStateGlyphs: Readonly<Record<TaskState, string>> = {
  queued: '◷',
  pending: '○',
  processing: '⟳',
  success: '✓',
  error: '✕',
  stopped: '■',
  skipped: '↷',
};

/** The run's duration at `now` (host clock): the one rule of runs/wording.ts, as the trees show it. */
export function displayDurationMs(run: RunView, now: number): number | undefined {
  return runDurationOf(run, now);
}

/** A timeline entry's duration: the platform's, else finished − started; only a running one counts up to `now`. */
export function entryDurationMs(entry: TimelineEntry, now: number): number | undefined {
  if (entry.durationMs !== undefined) return entry.durationMs;
  if (entry.finishedAt === undefined && entry.state !== 'processing') return undefined;
  return runDurationMs(entry.startedAt, entry.finishedAt, now);
}

/** JSON for a <pre> and the clipboard: strings as they are (multi-line text stays readable). */
export function formatJson(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The metrics a platform gave, as label/value pairs in a fixed order. */
export function metricRows(metrics: RunMetrics | undefined): Array<[string, string]> {
  if (!metrics) return [];
  const rows: Array<[string, string]> = [];
  if (metrics.cpuTime) rows.push([l10n.t('CPU time'), metrics.cpuTime]);
  if (metrics.tokens !== undefined) rows.push([l10n.t('Tokens'), metrics.tokens.toLocaleString('en-US')]);
  if (metrics.cost) rows.push([l10n.t('Cost'), metrics.cost]);
  if (metrics.steps !== undefined) rows.push([l10n.t('Steps'), String(metrics.steps)]);
  if (metrics.computeUnits !== undefined) rows.push([l10n.t('Compute units'), String(metrics.computeUnits)]);
  return rows;
}
