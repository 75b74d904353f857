// Open Inputs as Payload File: the text built from a run, parsed back with the payload parser and
// resolved as Run Payload File would, names the same workflow and sends the same inputs and options.
import { describe, it } from 'node:test';
import { zuoraDescriptor } from '../../src/providers/zuora/descriptor';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Connection } from '../../src/connections/schema';
import { payloadFromRun, workflowRefOf } from '../../src/payload/fromRun';
import { truncatedInRequest } from '../../src/runs/truncatedInputs';
import { isPayloadError, parsePayload, payloadWarnings, type ParsedPayload } from '../../src/payload/parse';
import { tryResolveWorkflowRef, type TargetContext } from '../../src/payload/target';
import type { RunRecord } from '../../src/runs/record';
import { runRecord } from '../helpers/runs';

const fixedTime = { formatTime: () => '2026-11-30T12:00:00.000Z' };

function parsed(text: string): ParsedPayload {
  const result = parsePayload(text);
  assert.ok(!isPayloadError(result), `the produced text parses: ${isPayloadError(result) ? result.message : ''}`);
  return result;
}

function contextFor(connection: string, platform: string, single?: string): TargetContext {
  const connections: Connection[] = [{ name: connection, platform, baseUrl: 'https://example.test' }];
  return { connections, singleWorkflowOf: () => single };
}

describe('payloadFromRun', () => {
  it('writes $workflow, $options and the inputs the extension sent, and round-trips', () => {
    const record = runRecord(
      { runId: '19063', workflowId: '512', status: 'failed', inputs: { ignored: 'the request wins' } },
      { connection: 'zuora prod', request: { inputs: { accountId: 'A-1', lines: [{ sku: 'X', qty: 2 }], note: null }, options: { async: false } } },
    );
    const payload = payloadFromRun(record, fixedTime);
    assert.equal(payload.workflowRef, 'zuora prod/512');
    assert.equal(payload.inputsSource, 'request');
    assert.deepEqual(payload.truncatedPaths, []);
    const back = parsed(payload.text);
    assert.equal(back.workflowRef, 'zuora prod/512');
    assert.deepEqual(back.options, { async: false });
    assert.deepEqual(back.inputs, { accountId: 'A-1', lines: [{ sku: 'X', qty: 2 }], note: null });
    assert.deepEqual(payloadWarnings(back, zuoraDescriptor), [], 'no key of the produced file draws a warning');
    const resolved = tryResolveWorkflowRef(back.workflowRef!, contextFor('zuora prod', 'zuora'));
    assert.deepEqual(resolved, { ok: true, target: { connection: 'zuora prod', workflowId: '512' } });
    // Keys in order: $workflow first, then $options, then the inputs as they were sent.
    const body = payload.text.slice(payload.text.indexOf('{'));
    assert.deepEqual(Object.keys(JSON.parse(body)), ['$workflow', '$options', 'accountId', 'lines', 'note']);
    assert.match(payload.text, /^\/\/ Inputs of run 19063 of "512" on zuora prod, 2026-11-30T12:00:00.000Z \(failed\)\./);
  });

  it('a single-workflow connection (Dify) is written as the connection name alone', () => {
    const record = runRecord({ workflowId: 'default' }, { connection: 'my app', platform: 'dify', request: { inputs: { q: 'hi' }, options: {} } });
    const payload = payloadFromRun(record, { ...fixedTime, singleWorkflowId: 'default' });
    assert.equal(payload.workflowRef, 'my app');
    const back = parsed(payload.text);
    assert.equal(back.workflowRef, 'my app');
    assert.deepEqual(back.options, {}, 'no $options when the run had none');
    assert.ok(!payload.text.includes('$options'));
    assert.deepEqual(tryResolveWorkflowRef('my app', contextFor('my app', 'dify', 'default')), { ok: true, target: { connection: 'my app', workflowId: 'default' } });
    // A pinned app version (settings workflowId) is its single workflow too.
    assert.equal(workflowRefOf(runRecord({ workflowId: 'v-123' }, { connection: 'pinned' }), 'v-123'), 'pinned');
    // Without the descriptor's word, the long form.
    assert.equal(workflowRefOf(runRecord({ workflowId: 'v-123' }, { connection: 'pinned' })), 'pinned/v-123');
  });

  it('a run started elsewhere uses the inputs and options the platform reported', () => {
    const record = runRecord({ workflowId: 'wf_1', inputs: { threshold: 0.1 }, options: { simulate: true } }, { connection: 'b3', platform: 'b3os' });
    const payload = payloadFromRun(record, fixedTime);
    assert.equal(payload.inputsSource, 'platform');
    const back = parsed(payload.text);
    assert.deepEqual(back.inputs, { threshold: 0.1 });
    assert.deepEqual(back.options, { simulate: true });
    assert.match(payload.text, /as the platform reported them/);
  });

  it('no known inputs: only $workflow, and it says so', () => {
    const payload = payloadFromRun(runRecord({ inputs: 'not an object' }), fixedTime);
    assert.equal(payload.inputsSource, 'unknown');
    assert.deepEqual(parsed(payload.text).inputs, {});
  });

  it('reports values kept only as a truncation marker, and names them in the file', () => {
    const marker = { $truncated: true, bytes: 120_000, preview: '{"lines":[' };
    const record = runRecord({}, { request: { inputs: { big: marker, small: 1, nested: { list: [1, marker] } }, options: {} } });
    const payload = payloadFromRun(record, fixedTime);
    assert.deepEqual(payload.truncatedPaths, ['big', 'nested.list[1]']);
    assert.match(payload.text, /WARNING: .*big, nested\.list\[1\].*"\$truncated" marker/);
    // Still parses: the user sees the marker where the value was.
    assert.deepEqual(parsed(payload.text).inputs.big, marker);
  });

  it('a whole-inputs marker and a marker in options are reported too', () => {
    assert.deepEqual(truncatedInRequest({ inputs: { $truncated: true, bytes: 1, preview: '' } }), ['(all inputs)']);
    const record = runRecord({}, { request: { inputs: {}, options: { config: { $truncated: true, bytes: 9, preview: '' } } } });
    assert.deepEqual(payloadFromRun(record, fixedTime).truncatedPaths, ['$options.config']);
  });

  it('inputs whose names start with $ are left out and reported (the parser would strip them)', () => {
    const record = runRecord({}, { request: { inputs: { $weird: 1, fine: 2 }, options: {} } });
    const payload = payloadFromRun(record, fixedTime);
    assert.deepEqual(payload.droppedInputs, ['$weird']);
    assert.deepEqual(parsed(payload.text).inputs, { fine: 2 });
  });

  it('names with line breaks cannot end the header comment early', () => {
    const record = runRecord({ runId: 'r\n"x": 1' }, { workflowName: 'two\nlines', request: { inputs: { a: 1 }, options: {} } });
    const back = parsed(payloadFromRun(record, fixedTime).text);
    assert.deepEqual(back.inputs, { a: 1 });
  });

  it('property: any JSON inputs and options round-trip through the payload parser', () => {
    const key = fc.string({ maxLength: 8 }).filter((text) => !text.startsWith('$'));
    const leaf = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 3, noNullPrototype: true })),
    })).value;
    const name = fc.stringMatching(/^[A-Za-z]([\w .-]{0,10}[\w-])?$/);
    fc.assert(
      fc.property(
        name,
        fc.stringMatching(/^[\w-]{1,12}$/),
        fc.boolean(),
        fc.dictionary(key, json, { maxKeys: 5, noNullPrototype: true }),
        fc.dictionary(fc.stringMatching(/^\w{1,8}$/), json, { maxKeys: 3, noNullPrototype: true }),
        (connection, workflowId, single, inputs, options) => {
          const record: RunRecord = runRecord({ workflowId }, { connection, request: { inputs, options } });
          const payload = payloadFromRun(record, { ...fixedTime, singleWorkflowId: single ? workflowId : undefined });
          const back = parsed(payload.text);
          // What JSON can carry: -0 becomes 0, as it would on the wire.
          assert.deepEqual(back.inputs, JSON.parse(JSON.stringify(inputs)));
          assert.deepEqual(back.options, JSON.parse(JSON.stringify(options)));
          const resolved = tryResolveWorkflowRef(back.workflowRef!, contextFor(connection, single ? 'dify' : 'zuora', single ? workflowId : undefined));
          assert.deepEqual(resolved, { ok: true, target: { connection, workflowId } });
        },
      ),
      { numRuns: 200 },
    );
  });
});
