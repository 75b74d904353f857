// Pure rules of the timeline waterfall and of a task's detail: the one time axis, each entry's
// bar on it, the words a screen reader hears, and how a kept value is described. No DOM here, so
// it is unit-tested in Node.
import type { TimelineEntry } from '../../providers/model';
import { isTruncatedValue } from '../../providers/bound';
import { formatDuration } from '../../util/format';
import { entryDurationMs, formatJson, taskStateLabels } from '../display';
import * as l10n from '@vscode/l10n';

/** The waterfall's time axis, in epoch milliseconds of the host's clock. */
export interface Axis {
  origin: number;
  /** Never 0, so positions can always be divided by it. */
  span: number;
}

/** Where the run starts on the axis when it says so (else its first entry's start). */
export interface AxisRun {
  startedAt?: number;
  createdAt?: number;
  finishedAt?: number;
  inFlight: boolean;
}

/** The end of an entry on the axis: finished, else started + duration, else `now` while running. */
function entryEnd(entry: TimelineEntry, now: number): number | undefined {
  if (entry.finishedAt !== undefined) return entry.finishedAt;
  if (entry.startedAt === undefined) return undefined;
  const duration = entryDurationMs(entry, now);
  return duration === undefined ? entry.startedAt : entry.startedAt + duration;
}

/**
 * From the earliest start (the run's or an entry's) to the latest end (an entry's, the run's
 * finish, or `now` while the run is in flight). Undefined when nothing has a start time.
 */
export function timelineAxis(entries: readonly TimelineEntry[], run: AxisRun, now: number): Axis | undefined {
  let origin = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const entry of entries) {
    if (entry.startedAt !== undefined) origin = Math.min(origin, entry.startedAt);
    const last = entryEnd(entry, now);
    if (last !== undefined) end = Math.max(end, last);
  }
  if (origin === Number.POSITIVE_INFINITY) return undefined;
  const runStart = run.startedAt ?? run.createdAt;
  // A run start far before its first node (queued for an hour) would squash every bar: only a
  // start within the entries' own range moves the origin.
  if (runStart !== undefined && runStart <= origin && end > runStart && origin - runStart <= end - origin) origin = runStart;
  if (run.finishedAt !== undefined) end = Math.max(end, run.finishedAt);
  else if (run.inFlight) end = Math.max(end, now);
  return { origin, span: Math.max(1, end - origin) };
}

export interface BarGeometry {
  /** Milliseconds from the axis origin. */
  offsetMs: number;
  durationMs: number;
}

/** The entry's bar, or undefined for an entry that has not started. */
export function barGeometry(entry: TimelineEntry, axis: Axis | undefined, now: number): BarGeometry | undefined {
  if (axis === undefined || entry.startedAt === undefined) return undefined;
  return { offsetMs: Math.max(0, entry.startedAt - axis.origin), durationMs: Math.max(0, entryDurationMs(entry, now) ?? 0) };
}

/** "iteration round 3", "loop round 1", "retry 2": where a repeated entry ran (rounds counted from 1). */
export function roundLabel(entry: TimelineEntry): string | undefined {
  const parts: string[] = [];
  if (entry.iteration) parts.push(l10n.t('iteration round {0}', entry.iteration.index + 1));
  if (entry.loop) parts.push(l10n.t('loop round {0}', entry.loop.index + 1));
  if (entry.retry) parts.push(l10n.t('retry {0}', entry.retry.index));
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** What a screen reader hears for a row: name, state, start offset, duration (and round). */
export function rowLabel(entry: TimelineEntry, geometry: BarGeometry | undefined): string {
  const parts = [entry.name || entry.id, taskStateLabels[entry.state]];
  if (geometry) {
    parts.push(l10n.t('starts at +{0}', formatDuration(geometry.offsetMs)));
    parts.push(entry.state === 'processing' ? l10n.t('running for {0}', formatDuration(geometry.durationMs)) : l10n.t('took {0}', formatDuration(geometry.durationMs)));
  } else {
    parts.push(l10n.t('not started'));
  }
  const round = roundLabel(entry);
  if (round) parts.push(round);
  return parts.join(', ');
}

/** Axis labels at 0, ¼, ½, ¾ and the end, as "+1.2 s". */
export function axisTicks(axis: Axis): Array<{ percent: number; label: string }> {
  return [0, 25, 50, 75, 100].map((percent) => ({ percent, label: percent === 0 ? '0' : `+${formatDuration((axis.span * percent) / 100)}` }));
}

/** Above this much text (or these many lines) a value is shown folded. */
export const foldChars = 2000;
export const foldLines = 40;

export interface ShownValue {
  /** The JSON text shown (for a truncated value: the start that was kept). */
  text: string;
  /** Fold it into a closed <details>. */
  folded: boolean;
  /** "12.3 KB, 340 lines" — shown on the fold. */
  size: string;
  /** In words, when the value was too big to keep whole. */
  truncatedNote?: string;
}

/** "850 B", "12.3 KB", "4.1 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return l10n.t('{0} B', bytes);
  if (bytes < 1024 * 1024) return l10n.t('{0} KB', (bytes / 1024).toFixed(1));
  return l10n.t('{0} MB', (bytes / 1024 / 1024).toFixed(1));
}

function lineCount(text: string): number {
  let lines = 1;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lines += 1;
  return lines;
}

/** How one of a task's values is shown: pretty JSON, folded when big, truncation said in words. */
export function shownValue(value: unknown): ShownValue {
  if (isTruncatedValue(value)) {
    return {
      text: value.preview,
      folded: value.preview.length > foldChars,
      size: formatBytes(value.bytes),
      truncatedNote: l10n.t('Too big to keep ({0}): only the first {1} characters of its JSON text are shown.', formatBytes(value.bytes), value.preview.length.toLocaleString('en-US')),
    };
  }
  const text = formatJson(value);
  const lines = lineCount(text);
  return {
    text,
    folded: text.length > foldChars || lines > foldLines,
    size: lines === 1 ? l10n.t('{0}, 1 line', formatBytes(text.length)) : l10n.t('{0}, {1} lines', formatBytes(text.length), lines),
  };
}

/** The detail's facts: type, platform state, times, cost and round, as label/value pairs. */
export function detailFacts(entry: TimelineEntry, axis: Axis | undefined, now: number): Array<[string, string]> {
  const facts: Array<[string, string]> = [[l10n.t('State'), entry.platformState ? l10n.t({ message: '{0} ({1})', args: [taskStateLabels[entry.state], entry.platformState], comment: ['{0} is a status in the extension\'s words, {1} the platform\'s own word for it.'] }) : taskStateLabels[entry.state]]];
  if (entry.type) facts.push([l10n.t('Type'), entry.type]);
  facts.push([l10n.t('ID'), entry.id]);
  const geometry = barGeometry(entry, axis, now);
  if (entry.startedAt !== undefined) facts.push([l10n.t('Started'), `${new Date(entry.startedAt).toISOString()}${geometry ? ` (+${formatDuration(geometry.offsetMs)})` : ''}`]);
  if (entry.finishedAt !== undefined) facts.push([l10n.t('Finished'), new Date(entry.finishedAt).toISOString()]);
  const duration = entryDurationMs(entry, now);
  if (duration !== undefined) facts.push([l10n.t('Duration'), formatDuration(duration)]);
  if (entry.metrics?.tokens !== undefined) facts.push([l10n.t('Tokens'), entry.metrics.tokens.toLocaleString('en-US')]);
  if (entry.metrics?.cost) facts.push([l10n.t('Cost'), entry.metrics.cost]);
  if (entry.metrics?.computeUnits !== undefined) facts.push([l10n.t('Compute units'), String(entry.metrics.computeUnits)]);
  if (entry.iteration) facts.push([l10n.t('Iteration'), l10n.t('round {0} of {1}', entry.iteration.index + 1, entry.iteration.parentId)]);
  if (entry.loop) facts.push([l10n.t('Loop'), l10n.t('round {0} of {1}', entry.loop.index + 1, entry.loop.parentId)]);
  if (entry.retry) facts.push([l10n.t('Retry'), String(entry.retry.index)]);
  return facts;
}

/** What changes a row's header (not its detail): compared to update only rows that changed. */
export function rowSignature(entry: TimelineEntry): string {
  return [entry.name, entry.type ?? '', entry.state, entry.platformState ?? '', entry.startedAt ?? '', entry.finishedAt ?? '', entry.durationMs ?? '', roundLabel(entry) ?? '', entry.error ? 'e' : ''].join('\u0000');
}
