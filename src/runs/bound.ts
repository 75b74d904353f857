// Bounds for values kept on disk: a value too large to store is replaced by a visible marker that
// says so (its size and the start of its JSON), so a reader of history knows something was cut
// and by how much. Generic on purpose: nothing here knows what a run is. The marker has the
// shape of providers/bound.ts's TruncatedValue (per-node data); this module bounds the run-level
// values (inputs, outputs, live text) and walks a value only as far as its limit, so a run that
// streams with a 20 MB input does not serialize it on every write.
import { textCutNote } from '../providers/bound';

/** What stands in for a value that was too large to keep. */
export interface TruncatedMarker {
  $truncated: true;
  /** The size of the full value as JSON, in bytes (UTF-8). */
  bytes: number;
  /** The start of the full value's JSON (or of the text itself for a string). */
  preview: string;
}

export function isTruncatedMarker(value: unknown): value is TruncatedMarker {
  return typeof value === 'object' && value !== null && (value as { $truncated?: unknown }).$truncated === true;
}

/** True when the value is a marker or holds one anywhere inside (a re-run must not send one). */
export function containsTruncation(value: unknown, depth = 0): boolean {
  if (isTruncatedMarker(value)) return true;
  if (depth > 32 || typeof value !== 'object' || value === null) return false;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    if (containsTruncation(item, depth + 1)) return true;
  }
  return false;
}

const previewChars = 200;

/**
 * The value itself when its JSON fits in maxBytes, else a marker. The size walk stops as soon as
 * the limit is passed, so a small value costs little and a huge one is serialized once (to give
 * its full size), and that result is remembered per object so a run that streams does not pay it
 * on every write.
 */
export function boundValue(value: unknown, maxBytes: number): unknown {
  if (value === undefined || value === null) return value;
  if (isTruncatedMarker(value)) return value;
  if (jsonSizeWithin(value, maxBytes) !== undefined) return value;
  return markerFor(value);
}

/** A string cut to maxBytes (roughly: counted in UTF-16 units) with a note saying so at the end. */
export function boundText(text: string | undefined, maxChars: number): string | undefined {
  if (text === undefined || text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}\n${textCutNote(Buffer.byteLength(text))}`;
}

const markers = new WeakMap<object, TruncatedMarker>();

function markerFor(value: unknown): TruncatedMarker {
  if (typeof value === 'object' && value !== null) {
    const known = markers.get(value);
    if (known) return known;
  }
  const json = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  const marker: TruncatedMarker = { $truncated: true, bytes: Buffer.byteLength(json), preview: json.slice(0, previewChars) };
  if (typeof value === 'object' && value !== null) markers.set(value, marker);
  return marker;
}

/**
 * The JSON size of a value (an estimate for strings: one byte per UTF-16 unit, quotes included)
 * when it is at most `limit`, else undefined — found without building the JSON and without
 * walking further than the limit.
 */
export function jsonSizeWithin(value: unknown, limit: number): number | undefined {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === null || item === undefined) total += 4;
    else if (typeof item === 'string') total += item.length + 2;
    else if (typeof item === 'number' || typeof item === 'boolean') total += String(item).length;
    else if (Array.isArray(item)) {
      total += 2 + item.length;
      for (const entry of item) stack.push(entry);
    } else if (typeof item === 'object') {
      const entries = Object.entries(item);
      total += 2 + entries.length;
      for (const [key, entry] of entries) {
        total += key.length + 3;
        stack.push(entry);
      }
    }
    if (total > limit) return undefined;
  }
  return total;
}
