// Where `$expect` and each expectation in it are written in a payload file, as 0-based
// line/character ranges (what vscode.Range and LSP take), so a failed expectation or a problem in
// `$expect` is shown on its own line. Also reads `$expect` from the file text for discovery and
// diagnostics. Pure: no vscode import.
import { parseTree } from 'jsonc-parser';
import type { Node } from 'jsonc-parser';

import { nodeValue } from '../payload/parse';
import { parseExpect } from './expect';
import type { ExpectProblem, ParseExpectResult } from './expect';
import { formatPath } from './paths';
import type { PathSegment } from './paths';

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 code unit within the line, as the editor counts. */
  character: number;
}

export interface LineRange {
  start: Position;
  end: Position;
}

export interface ExpectLocation {
  /** The `"$expect"` key: where a test's result and a whole-`$expect` problem are placed. */
  key: LineRange;
  /** The whole `"$expect": { … }` property. */
  property: LineRange;
  /**
   * Each place inside `$expect` under the name the checker gives it (`status`, `outputs.total`,
   * `outputs.items[0].name`, `tasks.success`, `maxSeconds`): the key of a property, or an array item.
   */
  entries: Record<string, LineRange>;
}

/** Cheap test for discovery: does the document hold a top-level `$expect`? */
export function hasExpect(text: string): boolean {
  return findExpectNode(text) !== undefined;
}

/** Where `$expect` is written, or undefined when the document has no top-level `$expect`. */
export function locateExpect(text: string): ExpectLocation | undefined {
  const found = findExpectNode(text);
  if (!found) return undefined;
  const lines = lineStarts(text);
  const toRange = (node: Node) => rangeOf(lines, node.offset, node.length);
  const entries: Record<string, LineRange> = {};
  const walk = (node: Node, path: PathSegment[]) => {
    if (node.type === 'object') {
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || typeof keyNode.value !== 'string') continue;
        const childPath = [...path, keyNode.value];
        // With duplicate keys the last wins, as in JSON.parse: its line is the one that counts.
        entries[formatPath(childPath)] = toRange(keyNode);
        if (valueNode) walk(valueNode, childPath);
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((item, index) => {
        const childPath = [...path, index];
        entries[formatPath(childPath)] = toRange(item);
        walk(item, childPath);
      });
    }
  };
  if (found.valueNode) walk(found.valueNode, []);
  return { key: toRange(found.keyNode), property: toRange(found.property), entries };
}

/**
 * The range to show a mismatch on: its own entry, else the nearest enclosing one that is written
 * (an extra output key is not in `$expect`: its parent is), else the `$expect` key.
 */
export function rangeForExpectation(location: ExpectLocation, expectation: string): LineRange {
  let name = expectation;
  while (name !== '') {
    const range = location.entries[name];
    if (range) return range;
    const shorter = name.replace(lastSegment, '');
    if (shorter === name) break;
    name = shorter;
  }
  return location.key;
}

/** The range of a problem from `parseExpect` (its path is relative to `$expect`). */
export function rangeForProblem(location: ExpectLocation, problem: Pick<ExpectProblem, 'path'>): LineRange {
  return problem.path.length === 0 ? location.key : rangeForExpectation(location, formatPath(problem.path));
}

const lastSegment = /(\.[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/;

export interface ExpectProblemAt extends ExpectProblem {
  range: LineRange;
}

export type ReadExpectResult =
  | { present: false }
  | { present: true; location: ExpectLocation; result: ParseExpectResult; problems: ExpectProblemAt[] };

/**
 * Reads and checks the `$expect` of a payload file's text. A document that does not parse is
 * "not present" here: the payload's own diagnostics already report its syntax error.
 */
export function readExpect(text: string): ReadExpectResult {
  const found = findExpectNode(text);
  const location = found && locateExpect(text);
  if (!found || !location) return { present: false };
  const result = parseExpect(found.valueNode ? nodeValue(found.valueNode) : undefined);
  // In the order they are written, as people read a file (zod reports unknown keys last).
  const problems = result.ok ? [] : result.problems.map((problem) => ({ ...problem, range: rangeForProblem(location, problem) })).sort((a, b) => comparePositions(a.range.start, b.range.start));
  return { present: true, location, result, problems };
}

/** A line range back as document offsets (for the payload pipeline's errors, which carry offsets). */
export function offsetRangeOf(text: string, range: LineRange): { offset: number; length: number } {
  const starts = lineStarts(text);
  const offsetOf = (position: Position) => Math.min(text.length, (starts[position.line] ?? text.length) + position.character);
  const offset = offsetOf(range.start);
  return { offset, length: Math.max(0, offsetOf(range.end) - offset) };
}

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

function findExpectNode(text: string): { property: Node; keyNode: Node; valueNode?: Node } | undefined {
  // Most JSON files in a workspace are not tests: skip the parse when the key is not even in the text.
  if (!text.includes('"$expect"')) return undefined;
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root || root.type !== 'object') return undefined;
  let found: { property: Node; keyNode: Node; valueNode?: Node } | undefined;
  for (const property of root.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (keyNode?.value === '$expect') found = { property, keyNode, valueNode };
  }
  return found;
}

/** Offsets at which each line starts; `\r\n`, `\n` and a lone `\r` all end a line, as in the editor. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 13 && text.charCodeAt(i + 1) === 10) continue;
    if (ch === 10 || ch === 13) starts.push(i + 1);
  }
  return starts;
}

function positionAt(starts: readonly number[], offset: number): Position {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low, character: offset - starts[low] };
}

function rangeOf(starts: readonly number[], offset: number, length: number): LineRange {
  return { start: positionAt(starts, offset), end: positionAt(starts, offset + length) };
}
