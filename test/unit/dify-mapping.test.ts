// Dify bodies → run model, options and settings checks, error bodies.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DifyOptionsSchema, difyDescriptor, difyWorkflowId } from '../../src/providers/dify/descriptor';
import { parseDifyError } from '../../src/providers/dify/errors';
import { difyNodeState, difyRunStatus, finishedDataToSnapshot, inputFormToFields, logItemToSnapshot, parseInputs } from '../../src/providers/dify/mapping';
import { DifyRunDetailSchema } from '../../src/providers/dify/schemas';

describe('Dify status mapping', () => {
  it('maps every documented run status', () => {
    assert.deepEqual(
      ['running', 'succeeded', 'failed', 'stopped', 'partial-succeeded', 'paused', 'something-new'].map(difyRunStatus),
      ['running', 'succeeded', 'failed', 'stopped', 'partial', 'waiting', 'running'],
    );
  });

  it('reads status words whatever their case and surrounding spaces (a server that says SUCCEEDED ended the run)', () => {
    assert.deepEqual(
      ['SUCCEEDED', ' Failed ', 'Stopped', 'PARTIAL-SUCCEEDED', 'Paused', 'RUNNING'].map(difyRunStatus),
      ['succeeded', 'failed', 'stopped', 'partial', 'waiting', 'running'],
    );
    assert.deepEqual(['SUCCEEDED', 'FAILED', 'Exception', ' stopped', 'RUNNING'].map(difyNodeState), ['success', 'error', 'error', 'stopped', 'processing']);
  });
});

describe('Dify run detail', () => {
  const detail = DifyRunDetailSchema.parse({
    id: 'r1',
    workflow_id: 'w',
    status: 'failed',
    inputs: '{"city":"Paris"}',
    outputs: {},
    error: 'Node Code failed',
    total_steps: 2,
    total_tokens: 12,
    created_at: 1705407629,
    finished_at: 1705407631,
    elapsed_time: 2,
    brand_new_field: 'kept',
  });

  it('parses the inputs JSON string and maps the run', () => {
    const snapshot = finishedDataToSnapshot(detail, { workflowId: 'default', handle: { user: 'u' } });
    assert.deepEqual(snapshot.inputs, { city: 'Paris' });
    assert.equal(snapshot.status, 'failed');
    assert.equal(snapshot.error, 'Node Code failed');
    assert.equal(snapshot.workflowId, 'default');
    assert.equal(snapshot.createdAt, 1705407629000);
    assert.equal(snapshot.durationMs, 2000);
    assert.deepEqual(snapshot.tasks, { queued: 0, pending: 0, processing: 0, success: 0, error: 0, stopped: 0, skipped: 0, total: 2 });
    assert.deepEqual(snapshot.metrics, { tokens: 12, steps: 2 });
    assert.deepEqual(snapshot.handle, { user: 'u' });
  });

  it('keeps inputs that are not JSON as they are, and tolerates null', () => {
    assert.equal(parseInputs('not {json'), 'not {json');
    assert.equal(parseInputs(null), undefined);
    assert.deepEqual(parseInputs({ already: 'object' }), { already: 'object' });
  });
});

describe('Dify logs', () => {
  it('maps a log entry, with the end user for re-attaching', () => {
    const snapshot = logItemToSnapshot(
      {
        id: 'log1',
        workflow_run: { id: 'r2', version: 'v', status: 'partial-succeeded', error: null, elapsed_time: 1.5, total_tokens: 3, total_steps: 4, created_at: 100, finished_at: 102, exceptions_count: 1 },
        created_by_end_user: { session_id: 'vscode-abc' },
        created_at: 100,
      },
      { workflowId: 'default' },
    );
    assert.equal(snapshot.runId, 'r2');
    assert.equal(snapshot.status, 'partial');
    assert.equal(snapshot.tasks.total, 4);
    assert.deepEqual(snapshot.handle, { user: 'vscode-abc' });
  });
});

describe('Dify input form', () => {
  it('turns every control type into a field', () => {
    const fields = inputFormToFields([
      { 'text-input': { variable: 'name', label: 'Name', required: true, default: '', max_length: 48 } },
      { paragraph: { variable: 'text', label: 'Text', required: false } },
      { select: { variable: 'lang', label: 'Language', required: true, default: 'fr', options: ['fr', 'de'] } },
      { number: { variable: 'n', label: 'N', required: false, default: 3 } },
      { checkbox: { variable: 'ok', label: 'OK', required: false, default: true } },
      { file: { variable: 'doc', label: 'Doc', required: false } },
      { 'file-list': { variable: 'docs', label: 'Docs', required: false } },
      { json_object: { variable: 'meta', label: 'Meta', required: false } },
      { external_data_tool: { variable: 'ext', label: 'Ext', required: false } },
      { future_control: { variable: 'future', required: false } },
      { broken: { label: 'no variable' } },
    ]);
    assert.deepEqual(
      fields.map((field) => [field.name, field.type, field.required]),
      [
        ['name', 'string', true],
        ['text', 'string', false],
        ['lang', 'select', true],
        ['n', 'number', false],
        ['ok', 'boolean', false],
        ['doc', 'file', false],
        ['docs', 'array', false],
        ['meta', 'object', false],
        ['ext', 'string', false],
        ['future', 'future_control', false],
      ],
    );
    assert.equal(fields[0]?.label, 'Name');
    assert.equal(fields[0]?.default, undefined, 'an empty default is no default');
    assert.match(fields[0]?.description ?? '', /48 characters/);
    assert.deepEqual(fields[2]?.options, ['fr', 'de']);
    assert.equal(fields[2]?.default, 'fr');
    assert.equal(fields[3]?.default, 3);
  });
});

describe('Dify options and settings', () => {
  it('accepts the documented $options', () => {
    assert.equal(DifyOptionsSchema.safeParse({ response_mode: 'blocking', user: 'me', files: [{ type: 'image', transfer_method: 'remote_url', url: 'https://x' }] }).success, true);
    assert.equal(DifyOptionsSchema.safeParse({}).success, true);
  });
  it('rejects an unknown response mode and a misspelt key', () => {
    assert.equal(DifyOptionsSchema.safeParse({ response_mode: 'fast' }).success, false);
    assert.equal(DifyOptionsSchema.safeParse({ responseMode: 'blocking' }).success, false);
  });
  it('names the single workflow: the configured workflowId, else default', () => {
    const base = { name: 'd', platform: 'dify', baseUrl: 'https://api.dify.ai/v1' };
    assert.equal(difyWorkflowId(base), 'default');
    assert.equal(difyWorkflowId({ ...base, workflowId: 'wf-123' }), 'wf-123');
    assert.equal(difyDescriptor.singleWorkflow?.({ ...base, workflowId: 'wf-123' }), 'wf-123');
  });
  it('describes the platform', async () => {
    assert.equal(difyDescriptor.id, 'dify');
    assert.equal(difyDescriptor.baseUrls[0]?.url, 'https://api.dify.ai/v1');
    assert.equal(difyDescriptor.authModes.length, 1);
    assert.equal(typeof (await difyDescriptor.load()), 'function');
  });
});

describe('Dify error bodies', () => {
  it('treats too_many_requests as retryable and rate_limit_error as not', () => {
    assert.equal(parseDifyError({ status: 429, code: 'too_many_requests', message: 'Too many requests.' })?.retryable, true);
    const quota = parseDifyError({ status: 429, code: 'rate_limit_error', message: 'Rate Limit Error' });
    assert.equal(quota?.retryable, false);
    assert.equal(quota?.code, 'rate_limit_error');
    assert.match(quota?.message ?? '', /quota/);
  });
  it('keeps Dify\'s own message for other codes', () => {
    assert.deepEqual(parseDifyError({ status: 400, code: 'invalid_param', message: 'Arg user must be provided.' }), { code: 'invalid_param', message: 'Arg user must be provided.' });
    assert.equal(parseDifyError('<html>'), undefined);
  });
});
