// The size of a value's JSON text in UTF-8 bytes, counted without writing the text. A Dify run's
// every node field is measured against the run's budget as it streams in (./bound.ts); writing
// each one out with JSON.stringify only to count its bytes made a copy of every output, to be
// thrown away at once. The count is exact: what JSON.stringify would write, byte for byte, for
// plain JSON data (what JSON.parse gives). Anything else (a class instance, a toJSON method, a
// BigInt, a value nested more than 64 deep, so also a cycle) is left to JSON.stringify.
// Pure and without vscode: the run details page bundles ./bound.ts, and so this file.

/** Nesting deeper than this is left to JSON.stringify (which throws on a cycle). */
const maxDepth = 64;

/** A character JSON.stringify writes otherwise than as one byte: a quote, a backslash, a control or non-ASCII character. */
// eslint-disable-next-line no-control-regex -- the control characters JSON escapes are among what this looks for
const notOneByte = /["\\\u0000-\u001f\u0080-\uffff]/;

/**
 * The UTF-8 bytes of `JSON.stringify(value)`; undefined when the value is not plain JSON data
 * (including undefined itself, which has no JSON text): then only JSON.stringify can say.
 */
export function jsonSize(value: unknown): number | undefined {
  try {
    return sizeOf(value, 0);
  } catch {
    // A getter that throws: JSON.stringify meets it too, and its caller words the failure.
    return undefined;
  }
}

function sizeOf(value: unknown, depth: number): number | undefined {
  switch (typeof value) {
    case 'string':
      return stringSize(value);
    case 'number':
      // NaN and the infinities are written as null.
      return Number.isFinite(value) ? String(value).length : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'object': {
      if (value === null) return 4;
      if (depth >= maxDepth || typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined;
      if (Array.isArray(value)) return arraySize(value, depth);
      const prototype: unknown = Object.getPrototypeOf(value);
      return prototype === Object.prototype || prototype === null ? objectSize(value as Record<string, unknown>, depth) : undefined;
    }
    default:
      // undefined, a function or a symbol (no JSON text of their own), a BigInt (JSON.stringify throws).
      return undefined;
  }
}

/** What JSON.stringify leaves out of an object and writes as null in an array. */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function arraySize(items: readonly unknown[], depth: number): number | undefined {
  // The brackets and the commas between the items.
  let size = items.length > 0 ? items.length + 1 : 2;
  for (let at = 0; at < items.length; at += 1) {
    const item = items[at];
    const itemSize = omitted(item) ? 4 : sizeOf(item, depth + 1);
    if (itemSize === undefined) return undefined;
    size += itemSize;
  }
  return size;
}

function objectSize(fields: Record<string, unknown>, depth: number): number | undefined {
  let size = 2;
  let written = 0;
  // Object.keys: the own enumerable string keys, in the order JSON.stringify writes them.
  for (const key of Object.keys(fields)) {
    const field = fields[key];
    if (omitted(field)) continue;
    const fieldSize = sizeOf(field, depth + 1);
    if (fieldSize === undefined) return undefined;
    // "key":value
    size += stringSize(key) + 1 + fieldSize;
    written += 1;
  }
  return written > 1 ? size + written - 1 : size;
}

/** A string as JSON writes it: quoted, with its escapes, in UTF-8. */
function stringSize(text: string): number {
  // Most strings need no look at each character: one native scan says so.
  if (!notOneByte.test(text)) return text.length + 2;
  let size = 2;
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (code < 0x80) size += code >= 0x20 ? (code === 0x22 || code === 0x5c ? 2 : 1) : shortEscape(code) ? 2 : 6;
    else if (code < 0x800) size += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(at + 1))) {
      size += 4;
      at += 1;
    }
    // A surrogate without its other half is written as \uXXXX.
    else if (code >= 0xd800 && code <= 0xdfff) size += 6;
    else size += 3;
  }
  return size;
}

/** \b \t \n \f \r: the controls JSON writes with one letter; the others are \u00XX. */
function shortEscape(code: number): boolean {
  return code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
