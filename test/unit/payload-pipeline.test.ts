// The payload pipeline the Problems panel and the run command share, run from plain Node with a
// plain list of connections (no editor, no registry fakes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from '../../src/connections/schema';
import { checkPayload, type PayloadPipelineContext } from '../../src/payload/pipeline';
import { findPlatform } from '../../src/providers/registry';
import { optionsFor, validateOptions } from '../../src/providers/options';
import { B3osOptionsSchema } from '../../src/providers/b3os/descriptor';
import { isWorkflowRunsError } from '../../src/client/errors';

const connections = [
  { name: 'zuora-prod', platform: 'zuora', baseUrl: 'https://rest.zuora.com', clientId: 'c' },
  { name: 'my app', platform: 'dify', baseUrl: 'https://api.dify.ai/v1' },
  { name: 'b3', platform: 'b3os', baseUrl: 'https://api.b3os.org' },
] as Connection[];

const context: PayloadPipelineContext = {
  connections,
  singleWorkflowOf: (connection) => findPlatform(connection.platform)?.singleWorkflow?.(connection),
};

function slice(text: string, range: { offset: number; length: number }): string {
  return text.slice(range.offset, range.offset + range.length);
}

test('a good payload: target from $workflow, inputs without $ keys, options as the schema read them', () => {
  const text = '{ "$workflow": "my app", "$options": { "user": "  ann  " }, "topic": "x" }';
  const check = checkPayload(text, context);
  assert.ok(check.ok);
  assert.deepEqual(check.target, { connection: 'my app', workflowId: 'default' });
  assert.deepEqual(check.parsed.inputs, { topic: 'x' });
  assert.deepEqual(check.options, { user: 'ann' }, 'trimmed by the Dify options schema');
  assert.deepEqual(check.warnings, []);
});

test('a syntax error stops the pipeline at the parse', () => {
  const check = checkPayload('{ "a": 1 "b": 2 }', context);
  assert.equal(check.ok, false);
  assert.match(!check.ok ? check.error.message : '', /expected ','/);
});

test('an unknown connection is an error located at the $workflow value', () => {
  const text = '{ "$workflow": "Zuora-prod/42" }';
  const check = checkPayload(text, context);
  assert.ok(!check.ok);
  assert.equal(slice(text, check.error), '"Zuora-prod/42"');
  assert.match(check.error.message, /Did you mean "zuora-prod"/);
});

test('without $workflow the remembered target is used, else the caller must ask', () => {
  const text = '{ "id": 1 }';
  const none = checkPayload(text, context);
  assert.ok(none.ok);
  assert.equal(none.target, undefined);
  assert.deepEqual(none.warnings, [], 'no platform, so no reserved-name warning yet');

  const remembered = checkPayload(text, context, { remembered: { connection: 'zuora-prod', workflowId: '42' } });
  assert.ok(remembered.ok);
  assert.deepEqual(remembered.target, { connection: 'zuora-prod', workflowId: '42' });
  assert.equal(remembered.warnings.length, 1);
  assert.match(remembered.warnings[0].message, /"id" is a reserved parameter name on Zuora/);
});

test('a forced target wins over $workflow, and its platform checks the options', () => {
  const text = '{ "$workflow": "my app", "$options": { "response_mode": "blocking" } }';
  const check = checkPayload(text, context, { forced: { connection: 'b3', workflowId: 'wf_1' } });
  assert.ok(!check.ok);
  assert.equal(check.error.message, '$options: unknown option "response_mode"');
  assert.equal(slice(text, check.error), '"response_mode"');
});

test('$options problems point at the offending key, with the one wording', () => {
  const text = '{\n  "$workflow": "b3/wf_1",\n  "$options": { "simulate": true, "dustTest": true }\n}';
  const check = checkPayload(text, context);
  assert.ok(!check.ok);
  assert.equal(slice(text, check.error), '"dustTest"');
  assert.equal(check.error.line, 3);
  assert.match(check.error.message, /simulate and dustTest cannot both be true/);

  const typed = checkPayload('{ "$workflow": "zuora-prod/1", "$options": { "async": "yes" } }', context);
  assert.ok(!typed.ok);
  assert.equal(typed.error.message, '$options.async: must be a boolean, not a string');
});

test('an injected platformOf replaces the registry (a CLI can pass its own descriptors)', () => {
  const check = checkPayload('{ "$workflow": "b3/wf_1", "controller": 1 }', {
    ...context,
    platformOf: () => ({ optionsSchema: B3osOptionsSchema, reservedInputs: { names: ['controller'], by: 'Test' } }),
  });
  assert.ok(check.ok);
  assert.deepEqual(check.warnings.map((warning) => warning.message.includes('on Test')), [true]);
});

test('adapters read options through the same check: a config error, never a raw ZodError', () => {
  assert.deepEqual(validateOptions({ version: 2 }, B3osOptionsSchema), { ok: true, options: { version: 2 } });
  assert.throws(
    () => optionsFor({ version: 1.5 }, B3osOptionsSchema, 'b3'),
    (error: unknown) => isWorkflowRunsError(error) && error.kind === 'config' && error.message === '$options.version: must be an integer, not a float. Nothing was sent.',
  );
});

test('a Dify $workflow naming another published id is the file\'s error at the $workflow value (the real descriptor\'s rule)', () => {
  const text = '{ "$workflow": "my app/wf-published-9", "topic": "x" }';
  const check = checkPayload(text, context);
  assert.ok(!check.ok);
  assert.equal(slice(text, check.error), '"my app/wf-published-9"');
  assert.match(check.error.message, /the connection "my app" runs one workflow \("default"\), not "wf-published-9"/);
  const pinned = checkPayload('{ "$workflow": "pinned/v-7" }', { ...context, connections: [...connections, { name: 'pinned', platform: 'dify', baseUrl: 'https://api.dify.ai/v1', workflowId: 'v-1' } as Connection] });
  assert.ok(!pinned.ok);
  assert.match(pinned.error.message, /runs one workflow \("v-1"\), not "v-7"/);
  assert.ok(checkPayload('{ "$workflow": "my app/default" }', context).ok);
});
