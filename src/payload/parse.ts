// Reads a payload file (docs/contract.md, "Payload files"): a JSON/JSONC document whose
// top-level `$` keys steer the run and whose other keys are the run's input. Pure: no vscode
// import, so the command, the CodeLens, diagnostics and unit tests all share one reading.
import { parseTree, printParseErrorCode, stripComments } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { checkOptions, typeWithArticle, type OptionsIssue } from '../providers/options';
import type { ReservedInputs } from '../providers/provider';
import * as l10n from '@vscode/l10n';

export { checkOptions, type OptionsIssue } from '../providers/options';

/** A span of the document text, in UTF-16 offsets (what vscode's `positionAt` takes). */
export interface OffsetRange {
  offset: number;
  length: number;
}

/** Why a payload cannot be sent, with where: 1-based line/column for messages, offsets for diagnostics. */
export interface PayloadError extends OffsetRange {
  ok: false;
  /** Plain words, without the location (see `formatPayloadError`). */
  message: string;
  line: number;
  column: number;
}

/** Something worth a look that does not stop the run (a reserved input name, a misspelt `$` key). */
export interface PayloadWarning extends OffsetRange {
  message: string;
}

export interface PayloadPositions {
  /** The whole root object. */
  root: OffsetRange;
  /** The `$workflow` value. */
  workflow?: OffsetRange;
  /** The `$options` value. */
  options?: OffsetRange;
  /** Each `$options` property's key, so an options problem can point at the offending key. */
  optionKeys: Record<string, OffsetRange>;
  /** Each top-level property's key (inputs and `$` keys alike). */
  keys: Record<string, OffsetRange>;
}

export interface ParsedPayload {
  ok: true;
  /** The document without its top-level `$` keys: what is sent as the run's input. */
  inputs: Record<string, unknown>;
  /** `$workflow` as written (trimmed); resolve it with ./target.ts. */
  workflowRef?: string;
  /** `$options`, or `{}` when absent. */
  options: Record<string, unknown>;
  /** `$schema` when it is a string. */
  schema?: string;
  positions: PayloadPositions;
}

export type PayloadParseResult = ParsedPayload | PayloadError;

export function isPayloadError(value: ParsedPayload | PayloadError): value is PayloadError {
  return !value.ok;
}

/** Top-level keys with a meaning; any other `$` key is still stripped, but flagged as a likely typo. */
export const knownDollarKeys: readonly string[] = ['$schema', '$workflow', '$options', '$expect'];

// jsonc-parser's codes are const-enum names; users get short sentences instead.
// Getters: translated when shown (the exporter sees each literal).
const parseErrorMessages: Record<string, string> = {
  get InvalidSymbol() { return l10n.t('unexpected character'); },
  get InvalidNumberFormat() { return l10n.t('invalid number'); },
  get PropertyNameExpected() { return l10n.t('expected a property name in double quotes'); },
  get ValueExpected() { return l10n.t('expected a value'); },
  get ColonExpected() { return l10n.t("expected ':' after the property name"); },
  get CommaExpected() { return l10n.t("expected ',' between entries"); },
  get CloseBraceExpected() { return l10n.t("expected '}' to close the object"); },
  get CloseBracketExpected() { return l10n.t("expected ']' to close the array"); },
  get EndOfFileExpected() { return l10n.t('unexpected text after the end of the document'); },
  get InvalidCommentToken() { return l10n.t('invalid comment'); },
  get UnexpectedEndOfComment() { return l10n.t('a /* comment is not closed'); },
  get UnexpectedEndOfString() { return l10n.t('a string is not closed'); },
  get UnexpectedEndOfNumber() { return l10n.t('a number is cut off'); },
  get InvalidUnicode() { return l10n.t('invalid \\u escape in a string'); },
  get InvalidEscapeCharacter() { return l10n.t('invalid escape character in a string'); },
  get InvalidCharacter() { return l10n.t('a control character (such as a line break) inside a string'); },
};

/** 1-based line and column of an offset; columns count UTF-16 code units, as the editor does. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    const ch = text.charCodeAt(i);
    // \r\n counts once (at the \n); a lone \r is a line break too, as in the editor.
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Builds a PayloadError at a span of `text`. */
export function payloadErrorAt(text: string, message: string, range: OffsetRange): PayloadError {
  return { ok: false, message, ...lineColumnAt(text, range.offset), offset: range.offset, length: range.length };
}

/** "Line 3, column 5: expected ',' between entries" — optionally prefixed with the file name. */
export function formatPayloadError(error: PayloadError, fileName?: string): string {
  return fileName ? l10n.t('{0}, line {1}, column {2}: {3}', fileName, error.line, error.column, error.message) : l10n.t('Line {0}, column {1}: {2}', error.line, error.column, error.message);
}

function rangeOf(node: Node): OffsetRange {
  return { offset: node.offset, length: node.length };
}

function propertyKeys(object: Node): Array<{ key: string; keyNode: Node; valueNode?: Node }> {
  const result: Array<{ key: string; keyNode: Node; valueNode?: Node }> = [];
  for (const property of object.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (keyNode && typeof keyNode.value === 'string') result.push({ key: keyNode.value, keyNode, valueNode });
  }
  return result;
}

/** The value of an object's key; with duplicates the last one wins, as in JSON.parse (jsonc-parser's lookup takes the first). */
function lastValue(object: Node, key: string): Node | undefined {
  let found: Node | undefined;
  for (const property of propertyKeys(object)) if (property.key === key) found = property.valueNode;
  return found;
}

export function parsePayload(text: string): PayloadParseResult {
  // Only whitespace and comments: say so, rather than jsonc-parser's "value expected" at 1:1.
  if (stripComments(text).trim() === '') {
    return payloadErrorAt(text, emptyFile(), { offset: 0, length: 0 });
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  // Report the first syntax error only: later ones are usually knock-on effects of it.
  const first = errors[0];
  if (first) {
    const message = parseErrorMessages[printParseErrorCode(first.error)] ?? l10n.t('invalid JSON');
    return payloadErrorAt(text, message, { offset: first.offset, length: first.length });
  }
  if (!root) return payloadErrorAt(text, emptyFile(), { offset: 0, length: 0 });
  if (root.type !== 'object') {
    return payloadErrorAt(text, l10n.t('a payload must be a JSON object ({0}) at the top level, not {1}', '{ … }', describeType(root.type)), rangeOf(root));
  }

  const positions: PayloadPositions = { root: rangeOf(root), optionKeys: {}, keys: {} };
  const inputs: Record<string, unknown> = {};
  for (const { key, keyNode, valueNode } of propertyKeys(root)) {
    setOwn(positions.keys, key, rangeOf(keyNode));
    if (!key.startsWith('$') && valueNode) setOwn(inputs, key, nodeValue(valueNode));
  }

  let workflowRef: string | undefined;
  const workflowNode = lastValue(root, '$workflow');
  if (workflowNode) {
    positions.workflow = rangeOf(workflowNode);
    const value = nodeValue(workflowNode);
    if (typeof value !== 'string') {
      return payloadErrorAt(text, l10n.t('$workflow must be a string such as "my-connection/workflow-id", not {0}', describeType(workflowNode.type)), rangeOf(workflowNode));
    }
    if (value.trim() === '') return payloadErrorAt(text, l10n.t('$workflow is empty: write "<connection>/<workflow id>"'), rangeOf(workflowNode));
    workflowRef = value.trim();
  }

  let options: Record<string, unknown> = {};
  const optionsNode = lastValue(root, '$options');
  if (optionsNode) {
    positions.options = rangeOf(optionsNode);
    if (optionsNode.type !== 'object') {
      return payloadErrorAt(text, l10n.t('$options must be an object such as {0}, not {1}', '{ "async": true }', describeType(optionsNode.type)), rangeOf(optionsNode));
    }
    options = nodeValue(optionsNode) as Record<string, unknown>;
    for (const { key, keyNode } of propertyKeys(optionsNode)) setOwn(positions.optionKeys, key, rangeOf(keyNode));
  }

  const schemaNode = lastValue(root, '$schema');
  const schemaValue = schemaNode ? nodeValue(schemaNode) : undefined;

  return {
    ok: true,
    inputs,
    workflowRef,
    options,
    schema: typeof schemaValue === 'string' ? schemaValue : undefined,
    positions,
  };
}

/**
 * A node's value as JSON.parse would give it. jsonc-parser's getNodeValue builds objects without a
 * prototype, which surprises code downstream (hasOwnProperty, deep equality, structured clone).
 */
export function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const object: Record<string, unknown> = {};
      for (const { key, valueNode } of propertyKeys(node)) {
        if (!valueNode) continue;
        setOwn(object, key, nodeValue(valueNode));
      }
      return object;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

/** Plain assignment, except that a "__proto__" key stays data (as with JSON.parse) instead of swapping the prototype. */
function setOwn<T>(object: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Just the top-level `$workflow` string, for the CodeLens on every JSON file: no `"$workflow"` in
 * the text means no parse at all, and a half-typed document still yields its ref (the parser
 * recovers), so the lens does not flicker while the user edits.
 */
export function readWorkflowRef(text: string): string | undefined {
  if (!text.includes('"$workflow"')) return undefined;
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root || root.type !== 'object') return undefined;
  const node = lastValue(root, '$workflow');
  const value = node ? nodeValue(node) : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function emptyFile(): string {
  return l10n.t('the file is empty: a payload is a JSON object, e.g. {0}', '{}');
}

function describeType(type: Node['type']): string {
  switch (type) {
    case 'property':
      return l10n.t('a property');
    default:
      return typeWithArticle(type);
  }
}

/** `checkOptions` as a PayloadError pointing at the offending `$options` key (or `$options` itself). */
export function checkPayloadOptions(text: string, parsed: ParsedPayload, optionsSchema: z.ZodTypeAny): PayloadError | undefined {
  const issue = checkOptions(parsed.options, optionsSchema);
  return issue ? payloadErrorAt(text, issue.message, optionsIssueRange(parsed, issue)) : undefined;
}

/** Where an options problem is: the offending key, else the key the message names, else `$options`, else the document. */
export function optionsIssueRange(parsed: ParsedPayload, issue: OptionsIssue): OffsetRange {
  const keys = parsed.positions.optionKeys;
  const head = issue.path[0];
  if (typeof head === 'string' && Object.prototype.hasOwnProperty.call(keys, head)) return keys[head];
  // An unknown key has no path: point at the first key zod named, when we know where it is.
  for (const [key, range] of Object.entries(keys)) if (issue.message.includes(`"${key}"`)) return range;
  return parsed.positions.options ?? parsed.positions.root;
}

/** Warnings that do not block a run: the platform's reserved input names, unknown `$` keys. */
export function payloadWarnings(parsed: ParsedPayload, platform?: { reservedInputs?: ReservedInputs }): PayloadWarning[] {
  const warnings: PayloadWarning[] = [];
  const reserved = platform?.reservedInputs;
  for (const [key, range] of Object.entries(parsed.positions.keys)) {
    if (reserved?.names.includes(key)) {
      warnings.push({ ...range, message: l10n.t('"{0}" is a reserved parameter name on {1}: the workflow will not receive it. Rename the input.', key, reserved.by) });
    } else if (key.startsWith('$') && !knownDollarKeys.includes(key)) {
      warnings.push({ ...range, message: l10n.t('"{0}" is not sent (keys starting with $ are removed) and has no meaning: did you mean {1}?', key, suggestDollarKey(key)) });
    }
  }
  return warnings;
}

function suggestDollarKey(key: string): string {
  const lower = key.toLowerCase();
  const match = knownDollarKeys.find((known) => known === lower || known.startsWith(lower.slice(0, 3)));
  return match ?? knownDollarKeys.join(', ');
}
