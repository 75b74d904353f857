import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import type { InputField } from '../../src/providers/model';
import { buildPayloadTemplate } from '../../src/payload/template';
import { formatPayloadError, isPayloadError, parsePayload } from '../../src/payload/parse';
import type { ParsedPayload } from '../../src/payload/parse';

function parse(text: string): ParsedPayload {
  const result = parsePayload(text);
  if (isPayloadError(result)) assert.fail(`template does not parse: ${formatPayloadError(result)}\n${text}`);
  return result;
}

const fields: InputField[] = [
  { name: 'email', label: 'Customer email', type: 'text-input', required: true },
  { name: 'count', type: 'number', required: false, default: 3 },
  { name: 'ratio', type: 'number', required: false },
  { name: 'dryRun', type: 'boolean', required: false },
  { name: 'plan', label: 'Plan', type: 'select', required: true, options: ['basic', 'pro'] },
  { name: 'meta', type: 'object', required: false, default: { tier: 'gold', tags: ['a', 'b'] } },
  { name: 'items', type: 'array', required: false },
  { name: 'attachment', type: 'file', required: false, description: 'An uploaded file\nspanning lines' },
  { name: 'docs', type: 'file-list', required: false },
  { name: 'note', label: 'Line one\nline two', type: 'paragraph', required: false, default: 'hi "there"' },
  { name: 'nothing', type: 'string', required: false, default: null },
];

test('a template round-trips through parsePayload with defaults and placeholders', () => {
  const text = buildPayloadTemplate({ workflowRef: 'My App', fields, platform: 'dify', schemaUrl: 'https://example.test/payload.schema.json' });
  const parsed = parse(text);
  assert.equal(parsed.workflowRef, 'My App');
  assert.equal(parsed.schema, 'https://example.test/payload.schema.json');
  assert.deepEqual(parsed.inputs, {
    email: '',
    count: 3,
    ratio: 0,
    dryRun: false,
    plan: 'basic',
    meta: { tier: 'gold', tags: ['a', 'b'] },
    items: [],
    attachment: {},
    docs: [],
    note: 'hi "there"',
    nothing: null,
  });
  assert.deepEqual(parsed.options, {});
  // Strict JSON too once comments are gone: no trailing commas.
  assert.doesNotThrow(() => JSON.parse(text.replace(/^\s*\/\/.*$/gm, '').replace(/\/\/ .*$/gm, '')));
});

test('$workflow comes first and each input has a comment', () => {
  const text = buildPayloadTemplate({ workflowRef: 'prod/wf_1', fields, platform: 'b3os' });
  const lines = text.split('\n');
  const open = lines.indexOf('{');
  assert.equal(lines[open + 1], '  "$workflow": "prod/wf_1",');
  assert.match(text, /\/\/ required · Customer email · text-input\n {2}"email": "",/);
  assert.match(text, /\/\/ required · Plan · select · one of: basic, pro\n {2}"plan": "basic",/);
  assert.match(text, /\/\/ optional · Line one line two · paragraph/);
  assert.match(text, /\/\/ "\$options": \{ "simulate": true \}/);
});

test('no declared inputs: an object with $workflow and a comment saying so', () => {
  const text = buildPayloadTemplate({ workflowRef: 'zq/123', fields: [], platform: 'zuora' });
  const parsed = parse(text);
  assert.deepEqual(parsed.inputs, {});
  assert.equal(parsed.workflowRef, 'zq/123');
  assert.match(text, /declares no inputs/);
  assert.match(text, /"async": true/);
});

test('Zuora reserved names are flagged in the template', () => {
  const text = buildPayloadTemplate({ workflowRef: 'zq/1', fields: [{ name: 'id', type: 'string', required: true }], platform: 'zuora' });
  assert.match(text, /reserves this name/);
  assert.deepEqual(parse(text).inputs, { id: '' });
});

test('media/payload.schema.json is a valid draft-07 schema that accepts payloads and rejects bad options', () => {
  const schema = JSON.parse(readFileSync(join(__dirname, '../../media/payload.schema.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true });
  ajv.addKeyword('enumDescriptions'); // VS Code's extension to JSON schema
  const validate = ajv.compile(schema);
  const valid = (value: unknown) => validate(value) as boolean;
  assert.equal(valid({ $workflow: 'prod/wf_1', $options: { simulate: true, version: 2 }, anything: [1] }), true);
  assert.equal(valid({ $workflow: 'My App', $options: { response_mode: 'streaming', user: 'u', files: [{ type: 'image', transfer_method: 'remote_url', url: 'https://x' }] } }), true);
  assert.equal(valid({ $workflow: 'team/prod/42' }), true);
  assert.equal(valid({ $workflow: '/wf' }), false);
  assert.equal(valid({ $workflow: 3 }), false);
  assert.equal(valid({ $options: { simulate: true, dustTest: true } }), false);
  assert.equal(valid({ $options: { simulate: true, dustTest: false } }), true);
  assert.equal(valid({ $options: { response_mode: 'fast' } }), false);
  assert.equal(valid({ $options: { turbo: true } }), false);
  assert.equal(valid({ $options: { version: 1.5 } }), false);
  assert.equal(valid({ $options: { version: 0 } }), false, 'versions start at 1, as the options check says');
  assert.equal(valid({ $workflow: 'team/a b/wf 1' }), true, 'connection names and ids may hold spaces and slashes');
});
