import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  checkOptions,
  checkPayloadOptions,
  formatPayloadError,
  isPayloadError,
  lineColumnAt,
  parsePayload,
  payloadWarnings,
  readWorkflowRef,
} from '../../src/payload/parse';
import type { ParsedPayload, PayloadError } from '../../src/payload/parse';
import { b3osDescriptor } from '../../src/providers/b3os/descriptor';
import { zuoraDescriptor } from '../../src/providers/zuora/descriptor';

function ok(text: string): ParsedPayload {
  const result = parsePayload(text);
  if (isPayloadError(result)) assert.fail(`unexpected error: ${formatPayloadError(result)}`);
  return result;
}

function fail(text: string): PayloadError {
  const result = parsePayload(text);
  if (!isPayloadError(result)) assert.fail('expected a parse error');
  return result;
}

// Shaped like the B3OS descriptor's options, without depending on it.
const b3osOptions = z
  .object({ simulate: z.boolean().optional(), dustTest: z.boolean().optional(), version: z.number().int().optional() })
  .strict()
  .refine((o) => !(o.simulate && o.dustTest), { message: '$options.simulate and $options.dustTest cannot both be true', path: ['dustTest'] });

test('a missing comma is reported at its 1-based line and column', () => {
  const error = fail('{\n  "a": 1,\n    "b": 2\n    "c": 3\n}');
  assert.equal(error.line, 4);
  assert.equal(error.column, 5);
  assert.match(error.message, /expected ','/);
  assert.equal(formatPayloadError(error), "Line 4, column 5: expected ',' between entries");
  assert.equal(formatPayloadError(error, 'a.payload.json'), "a.payload.json, line 4, column 5: expected ',' between entries");
});

test('missing comma on line 3, column 5', () => {
  const error = fail('{\n    "a": 1\n    "b": 2\n}');
  assert.deepEqual([error.line, error.column], [3, 5]);
  assert.equal(error.offset, '{\n    "a": 1\n    '.length);
  assert.equal(error.length, 3);
});

test('CRLF line endings count one line per break', () => {
  const error = fail('{\r\n  "a": 1\r\n  "b": 2\r\n}');
  assert.deepEqual([error.line, error.column], [3, 3]);
  assert.deepEqual(lineColumnAt('a\rb', 2), { line: 2, column: 1 });
});

test('an unclosed string and an empty file are errors with plain messages', () => {
  const unclosed = fail('{ "a": "x }');
  assert.match(unclosed.message, /string is not closed/);
  assert.deepEqual([unclosed.line, unclosed.column], [1, 8]);
  const empty = fail('   ');
  assert.match(empty.message, /empty/);
});

test('comments and trailing commas are accepted; $ keys are stripped from the inputs', () => {
  const parsed = ok(`// header
{
  "$schema": "./payload.schema.json",
  "$workflow": " prod/wf_1 ", /* target */
  "$options": { "simulate": true, },
  "$note": "ignored",
  "name": "Ada", // the name
  "nested": { "$keep": 1, "list": [1, 2,], },
}`);
  assert.deepEqual(parsed.inputs, { name: 'Ada', nested: { $keep: 1, list: [1, 2] } });
  assert.equal(parsed.workflowRef, 'prod/wf_1');
  assert.deepEqual(parsed.options, { simulate: true });
  assert.equal(parsed.schema, './payload.schema.json');
  assert.ok(parsed.positions.workflow);
  assert.ok(parsed.positions.optionKeys.simulate);
});

test('no $workflow and no $options: empty options, no ref', () => {
  const parsed = ok('{"a": [1]}');
  assert.equal(parsed.workflowRef, undefined);
  assert.deepEqual(parsed.options, {});
  assert.deepEqual(parsed.inputs, { a: [1] });
});

test('the root must be an object', () => {
  const error = fail('\n[1, 2]');
  assert.match(error.message, /JSON object/);
  assert.match(error.message, /an array/);
  assert.deepEqual([error.line, error.column], [2, 1]);
});

test('a non-string $workflow is an error at its value', () => {
  const text = '{\n  "$workflow": 42\n}';
  const error = fail(text);
  assert.match(error.message, /\$workflow must be a string/);
  assert.deepEqual([error.line, error.column], [2, 16]);
  assert.equal(text.slice(error.offset, error.offset + error.length), '42');
  assert.match(fail('{"$workflow": "  "}').message, /empty/);
});

test('a non-object $options is an error at its value', () => {
  const text = '{\n  "$options": [true]\n}';
  const error = fail(text);
  assert.match(error.message, /\$options must be an object/);
  assert.equal(text.slice(error.offset, error.offset + error.length), '[true]');
});

test('checkOptions: valid options pass', () => {
  assert.equal(checkOptions({ simulate: true, version: 2 }, b3osOptions), undefined);
  assert.equal(checkOptions({}, b3osOptions), undefined);
});

test('checkOptions: simulate and dustTest together are rejected with the refinement message', () => {
  const issue = checkOptions({ simulate: true, dustTest: true }, b3osOptions);
  assert.equal(issue?.message, '$options.simulate and $options.dustTest cannot both be true');
  assert.deepEqual(issue?.path, ['dustTest']);
});

test('checkOptions: wrong types, unknown keys and enums are named with their path', () => {
  assert.equal(checkOptions({ simulate: 'yes' }, b3osOptions)?.message, '$options.simulate: must be a boolean, not a string');
  assert.equal(checkOptions({ turbo: true }, b3osOptions)?.message, '$options: unknown option "turbo"');
  const dify = z.object({ response_mode: z.enum(['streaming', 'blocking']).optional() }).strict();
  assert.equal(checkOptions({ response_mode: 'fast' }, dify)?.message, '$options.response_mode: must be one of "streaming", "blocking"');
});

test('checkPayloadOptions points at the offending key', () => {
  const text = '{\n  "$options": {\n    "simulate": true,\n    "dustTest": true\n  }\n}';
  const parsed = ok(text);
  const error = checkPayloadOptions(text, parsed, b3osOptions);
  assert.ok(error);
  assert.deepEqual([error.line, error.column], [4, 5]);
  assert.equal(text.slice(error.offset, error.offset + error.length), '"dustTest"');

  const unknown = '{ "$options": { "turbo": 1 } }';
  const unknownError = checkPayloadOptions(unknown, ok(unknown), b3osOptions);
  assert.equal(unknown.slice(unknownError!.offset, unknownError!.offset + unknownError!.length), '"turbo"');
  assert.equal(checkPayloadOptions('{}', ok('{}'), b3osOptions), undefined);
});

test('warnings: Zuora reserved names (Zuora only) and unknown $ keys', () => {
  const text = '{ "id": 1, "format": "x", "name": "n", "$workfow": "a/b" }';
  const parsed = ok(text);
  const zuora = payloadWarnings(parsed, zuoraDescriptor);
  assert.deepEqual(
    zuora.map((w) => text.slice(w.offset, w.offset + w.length)),
    ['"id"', '"format"', '"$workfow"'],
  );
  assert.match(zuora[0].message, /reserved/);
  assert.match(zuora[2].message, /did you mean \$workflow/);
  assert.equal(payloadWarnings(parsed, b3osDescriptor).length, 1);
});

test('values are plain objects, and a "__proto__" key stays data', () => {
  const parsed = ok('{ "a": { "b": 1 }, "__proto__": { "polluted": true } }');
  assert.equal(Object.getPrototypeOf(parsed.inputs.a), Object.prototype);
  assert.deepEqual(parsed.inputs, JSON.parse('{ "a": { "b": 1 }, "__proto__": { "polluted": true } }'));
  assert.equal((parsed.inputs as { polluted?: boolean }).polluted, undefined);
});

test('a duplicate key keeps its last value, as JSON.parse does', () => {
  assert.deepEqual(ok('{ "a": 1, "a": 2, "$workflow": "x/1", "$workflow": "y/2" }'), {
    ...ok('{ "a": 2, "$workflow": "y/2" }'),
    positions: ok('{ "a": 1, "a": 2, "$workflow": "x/1", "$workflow": "y/2" }').positions,
  });
});

test('readWorkflowRef finds $workflow cheaply, even in a half-typed file', () => {
  assert.equal(readWorkflowRef('{ "name": 1 }'), undefined);
  assert.equal(readWorkflowRef('// c\n{ "$workflow": " prod/wf_1 ", "a": }'), 'prod/wf_1');
  assert.equal(readWorkflowRef('{ "nested": { "$workflow": "x/1" } }'), undefined);
  assert.equal(readWorkflowRef('["$workflow"]'), undefined);
  assert.equal(readWorkflowRef('{ "$workflow": 1 }'), undefined);
});
