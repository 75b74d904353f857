// Pure display rules of the run details page: the bar's proportions, labels, glyphs, durations and
// JSON text. Kept out of the DOM code so they are unit-tested in Node, and shared with the host
// (Copy Outputs copies exactly the text the page shows).
import type { RunMetrics, RunStatus, TaskCounts, TaskState, TimelineEntry } from '../providers/model';
import { runDurationMs } from '../util/format';
import { displayDurationMs as runDurationOf, statusWord } from '../runs/wording';
import type { RunView } from './protocol';

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

export const taskStateLabels: Readonly<Record<TaskState | 'total', string>> = {
  queued: 'Queued',
  pending: 'Pending',
  processing: 'Processing',
  success: 'Succeeded',
  error: 'Failed',
  stopped: 'Stopped',
  skipped: 'Skipped',
  total: 'Total',
};

/** "3 succeeded, 1 failed of 10 tasks": the bar's accessible name. */
export function barDescription(tasks: TaskCounts): string {
  const parts = barSegments(tasks).map((segment) => `${segment.count} ${taskStateLabels[segment.state].toLowerCase()}`);
  const total = `${tasks.total} task${tasks.total === 1 ? '' : 's'}`;
  return parts.length > 0 ? `${parts.join(', ')} of ${total}` : `No tasks reported (${total})`;
}

export interface StatusLook {
  label: string;
  /** A text glyph (the page loads no icon font). */
  glyph: string;
  /** CSS tone class suffix: colour comes from the theme's chart/testing colours. */
  tone: 'pending' | 'running' | 'waiting' | 'success' | 'warning' | 'error' | 'muted';
}

export const statusLooks: Readonly<Record<RunStatus, StatusLook>> = {
  queued: { label: statusWord('queued'), glyph: '◷', tone: 'pending' },
  running: { label: statusWord('running'), glyph: '⟳', tone: 'running' },
  waiting: { label: statusWord('waiting'), glyph: '‖', tone: 'waiting' },
  stopping: { label: statusWord('stopping'), glyph: '◼', tone: 'waiting' },
  succeeded: { label: statusWord('succeeded'), glyph: '✓', tone: 'success' },
  partial: { label: statusWord('partial'), glyph: '◑', tone: 'warning' },
  failed: { label: statusWord('failed'), glyph: '✕', tone: 'error' },
  stopped: { label: statusWord('stopped'), glyph: '■', tone: 'muted' },
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
  if (metrics.cpuTime) rows.push(['CPU time', metrics.cpuTime]);
  if (metrics.tokens !== undefined) rows.push(['Tokens', metrics.tokens.toLocaleString('en-US')]);
  if (metrics.cost) rows.push(['Cost', metrics.cost]);
  if (metrics.steps !== undefined) rows.push(['Steps', String(metrics.steps)]);
  if (metrics.computeUnits !== undefined) rows.push(['Compute units', String(metrics.computeUnits)]);
  return rows;
}
