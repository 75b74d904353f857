// Keeps a run's per-task data (inputs, outputs, process data, error) within fixed sizes before it
// is stored and posted to the page: a run is kept in the editor's global state and sent whole to
// its details panel, so one node that returned a 10 MB document must not make either unusable.
// Nothing is dropped silently: a value too big is replaced by a marker saying how big it was,
// with the start of its JSON text; entries left out are counted.
//
// The limits, in words:
//   - each field of an entry keeps at most 64 KiB of JSON text (UTF-8 bytes); a bigger one becomes
//     a marker `{ "$truncated": true, "bytes": <its size>, "preview": <its first 2,000 characters> }`;
//   - an error message keeps at most 8 KiB, then says how many characters were cut;
//   - all the fields of all the entries of one run keep at most 1 MiB together; once that is spent,
//     every further field over 1 KiB becomes a marker with a 200-character preview;
//   - a run keeps at most 1,000 entries (failed ones first, then the others in their order); the
//     number left out is the snapshot's `timelineOmitted`; a Dify run followed live makes entries
//     for only the executions this can keep (dify/nodeTimeline.ts) and counts the others;
//   - a run's live text keeps at most 64 Ki characters, note included (./liveText.ts).
// A provider that builds a timeline as events come (Dify) bounds each field as it fills it, with
// `boundTaskField` and a budget of its own, so what it holds meanwhile is bounded too.
// Pure and without vscode: providers, the store and the page may all use it.
import { textStart } from '../util/text';
import { jsonSize } from './jsonSize';
import type { BoundedTaskField, RunSnapshot, TimelineEntry } from './model';
import * as l10n from '@vscode/l10n';

export const taskDataLimits = {
  fieldBytes: 64 * 1024,
  errorChars: 8 * 1024,
  runBytes: 1024 * 1024,
  /** Once the run's budget is spent, values up to this size are still kept whole. */
  smallFieldBytes: 1024,
  previewChars: 2000,
  spentPreviewChars: 200,
  entries: 1000,
} as const;

export type TaskDataLimits = { -readonly [K in keyof typeof taskDataLimits]: number };

/** Characters of a run's live text kept, while it streams and in history (runs/storedRun.ts). */
export const runTextChars = 64 * 1024;

/** The words that end a text cut short: how big the whole text was. */
export function textCutNote(totalBytes: number): string {
  return l10n.t('… [truncated: {0} bytes in all]', totalBytes);
}

/** What stands in for a value too big to keep. */
export interface TruncatedValue {
  $truncated: true;
  /** Size of the value's JSON text in UTF-8 bytes. */
  bytes: number;
  /** The first characters of that JSON text. */
  preview: string;
}

/**
 * Whether a value is such a marker. Checked by hand, not with zod: the run details page asks this
 * of every value it shows, and zod would be two thirds of the page's bundle.
 */
export function isTruncatedValue(value: unknown): value is TruncatedValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { $truncated, bytes, preview } = value as Record<string, unknown>;
  return $truncated === true && typeof bytes === 'number' && Number.isInteger(bytes) && bytes >= 0 && typeof preview === 'string';
}

const nonAscii = /[\u0080-\uffff]/;

/** UTF-8 length without allocating an encoded copy (works in Node and in the page). */
export function utf8Length(text: string): number {
  // Most JSON text is ASCII: one native scan instead of a loop in script (the Dify tracker asks
  // this of every node's fields as they stream in).
  if (!nonAscii.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** JSON text of a value; undefined for what JSON cannot hold (undefined, functions, cycles). */
function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}

/**
 * A copy of a piece of a longer text that does not keep that text alive: V8 makes a slice a view
 * of its parent, so a 200-character preview would hold the whole 20 MB JSON text it came from.
 */
export function detached(piece: string): string {
  return JSON.parse(JSON.stringify(piece)) as string;
}

export interface BoundedValue {
  value: unknown;
  /** UTF-8 bytes of JSON text the kept value costs. */
  bytes: number;
  truncated: boolean;
}

/**
 * The value itself when its JSON text fits `maxBytes`, else a TruncatedValue marker with the first
 * `previewChars` characters. A value JSON cannot hold (a cycle, a BigInt) is kept as a marker too.
 */
export function boundValue(value: unknown, maxBytes: number, previewChars: number = taskDataLimits.previewChars): BoundedValue {
  // Plain data that fits is only counted: its JSON text is written only to cut a preview from it.
  const size = jsonSize(value);
  if (size !== undefined && size <= maxBytes) return { value, bytes: size, truncated: false };
  const text = jsonText(value);
  if (text === undefined) {
    if (value === undefined) return { value, bytes: 0, truncated: false };
    return markerOf(0, textStart(safeString(value), previewChars));
  }
  const bytes = utf8Length(text);
  // A marker is kept as it is: bounding again must not wrap it in another marker.
  if (bytes <= maxBytes || isTruncatedValue(value)) return { value, bytes, truncated: false };
  return markerOf(bytes, textStart(text, previewChars));
}

function markerOf(bytes: number, previewText: string): BoundedValue {
  const marker: TruncatedValue = { $truncated: true, bytes, preview: detached(previewText) };
  return { value: marker, bytes: utf8Length(JSON.stringify(marker)), truncated: true };
}

/** An error message of at most `maxChars`, saying how much was cut. */
export function boundText(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  const kept = detached(textStart(text, maxChars));
  return { text: `${kept}${l10n.t('… ({0} more characters not kept)', (text.length - kept.length).toLocaleString('en-US'))}`, truncated: true };
}

/** model.ts's boundedTaskFields, written out: the page imports this module and must not bundle zod. */
const taskFields = ['inputs', 'outputs', 'processData', 'error'] as const satisfies readonly BoundedTaskField[];

/**
 * One field of an entry (`error` a text, the others JSON values) bounded as the header comment
 * says, given what is `left` of its run's budget; `bytes` is what it then costs that budget.
 */
export function boundTaskField(field: BoundedTaskField, value: unknown, left: number, limits: TaskDataLimits = taskDataLimits): BoundedValue {
  if (field === 'error') {
    const bounded = boundText(String(value), limits.errorChars);
    return { value: bounded.text, bytes: utf8Length(bounded.text), truncated: bounded.truncated };
  }
  const spent = left <= 0;
  const max = spent ? Math.min(limits.smallFieldBytes, limits.fieldBytes) : Math.min(limits.fieldBytes, left);
  return boundValue(value, max, spent ? limits.spentPreviewChars : limits.previewChars);
}

/**
 * Bounds a timeline as the header comment says; `omitted` counts the entries left out. Markers
 * already in place stay as they are, so bounding a bounded timeline again changes nothing.
 */
export function boundTimeline(entries: readonly TimelineEntry[], limits: TaskDataLimits = taskDataLimits): { timeline: TimelineEntry[]; omitted: number } {
  const kept = chooseEntries(entries, limits.entries);
  let budget = limits.runBytes;
  const timeline = kept.map((entry) => {
    const truncated = new Set<BoundedTaskField>(entry.truncated ?? []);
    let next: TimelineEntry = entry;
    for (const field of taskFields) {
      if (entry[field] === undefined) continue;
      const bounded = boundTaskField(field, entry[field], budget, limits);
      budget -= bounded.bytes;
      if (bounded.truncated) {
        truncated.add(field);
        next = { ...next, [field]: bounded.value };
      }
    }
    if (truncated.size > (entry.truncated?.length ?? 0)) next = { ...next, truncated: [...truncated] };
    return next;
  });
  return { timeline, omitted: entries.length - kept.length };
}

/** At most `max` entries, in their order: failed ones first, then the rest from the start. */
function chooseEntries(entries: readonly TimelineEntry[], max: number): TimelineEntry[] {
  if (entries.length <= max) return [...entries];
  const keep = new Set<number>();
  entries.forEach((entry, index) => {
    if (entry.state === 'error' && keep.size < max) keep.add(index);
  });
  for (let index = 0; index < entries.length && keep.size < max; index += 1) keep.add(index);
  return entries.filter((_, index) => keep.has(index));
}

/** The snapshot with its timeline bounded (the same object when it has none). */
export function boundSnapshot(snapshot: RunSnapshot, limits: TaskDataLimits = taskDataLimits): RunSnapshot {
  if (!snapshot.timeline) return snapshot;
  const { timeline, omitted } = boundTimeline(snapshot.timeline, limits);
  // A timeline already within bounds keeps its count of what was left out. A longer one is fresh
  // from the platform (runs/mergeSnapshot.ts gives it no earlier count): what this pass leaves out
  // is added to what the provider itself left out (a Dify run holds entries for only some of its
  // executions), so nothing is counted twice.
  return omitted > 0 ? { ...snapshot, timeline, timelineOmitted: omitted + (snapshot.timelineOmitted ?? 0) } : { ...snapshot, timeline };
}
