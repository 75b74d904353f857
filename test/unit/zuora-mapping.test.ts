import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { WorkflowRunsError } from '../../src/client/errors';
import { ZuoraOptionsSchema, ZuoraSettingsSchema, zuoraDescriptor } from '../../src/providers/zuora/descriptor';
import { explainTriggerError, isRunAlreadyEnded, isZuoraRefusal, parseZuoraError } from '../../src/providers/zuora/errors';
import {
  wholeCount,
  isValidTrackId,
  mapRunStatus,
  mapTaskStatus,
  newTrackId,
  nextPage,
  parseZuoraTime,
  toInputFields,
  toSnapshot,
  toTimelineEntry,
  toWorkflowSummary,
} from '../../src/providers/zuora/mapping';
import { ZuoraTaskSchema, ZuoraWorkflowRunSchema, ZuoraWorkflowSchema, V1TriggerResponseSchema } from '../../src/providers/zuora/schemas';

// The sample run status body of Zuora's API reference.
const documentedRun = {
  cpuTime: '19:01:04',
  createdAt: '2019-09-10 19:32:21 UTC',
  finishedAt: '2019-09-10 19:33:34 UTC',
  id: 19063,
  name: 'WF-19027-00000032',
  originalWorkflowId: 19027,
  runTime: 64.513026,
  status: 'Finished',
  tasks: { error: 0, pending: 0, processing: 0, queued: 0, stopped: 0, success: 4, total: 4 },
  type: 'Workflow::Instance',
  updatedAt: '2019-09-10 19:33:34 UTC',
};

describe('Zuora mapping', () => {
  it('maps run statuses per the contract, Finished with errors being failed', () => {
    assert.equal(mapRunStatus('Queued', 0), 'queued');
    assert.equal(mapRunStatus('Processing', 0), 'running');
    assert.equal(mapRunStatus('Stopping', 0), 'stopping');
    assert.equal(mapRunStatus('Stopped', 2), 'stopped');
    assert.equal(mapRunStatus('Finished', 0), 'succeeded');
    assert.equal(mapRunStatus('Finished', 1), 'failed');
    assert.equal(mapRunStatus('SomethingNew', 0), 'running', 'unknown words keep the run watched');
  });

  it('maps task statuses', () => {
    const pairs = [
      ['Queued', 'queued'],
      ['Processing', 'processing'],
      ['Pending', 'pending'],
      ['Success', 'success'],
      ['Stopped', 'stopped'],
      ['Error', 'error'],
    ] as const;
    for (const [zuora, state] of pairs) assert.equal(mapTaskStatus(zuora), state);
  });

  it('reads Zuora timestamps and ISO ones', () => {
    assert.equal(parseZuoraTime('2019-09-10 19:32:21 UTC'), Date.UTC(2019, 8, 10, 19, 32, 21));
    assert.equal(parseZuoraTime('2024-01-08T00:00:00.000Z'), Date.UTC(2024, 0, 8));
    assert.equal(parseZuoraTime(null), undefined);
    assert.equal(parseZuoraTime('not a date'), undefined);
  });

  it('turns the documented run into a snapshot with counts, times and metrics as given', () => {
    const run = ZuoraWorkflowRunSchema.parse(documentedRun);
    const snapshot = toSnapshot(run, 'ignored');
    assert.deepEqual(snapshot, {
      runId: '19063',
      workflowId: '19027',
      status: 'succeeded',
      platformStatus: 'Finished',
      createdAt: Date.UTC(2019, 8, 10, 19, 32, 21),
      startedAt: Date.UTC(2019, 8, 10, 19, 32, 21),
      finishedAt: Date.UTC(2019, 8, 10, 19, 33, 34),
      durationMs: 64_513,
      tasks: { queued: 0, pending: 0, processing: 0, success: 4, error: 0, stopped: 0, skipped: 0, total: 4 },
      metrics: { cpuTime: '19:01:04' },
    });
  });

  it('marks a finished run with errored tasks failed and explains it', () => {
    const run = ZuoraWorkflowRunSchema.parse({
      ...documentedRun,
      tasks: { ...documentedRun.tasks, success: 3, error: 1 },
      messages: ['Task 5 "Post" failed: HTTP 503'],
    });
    const snapshot = toSnapshot(run, '19027');
    assert.equal(snapshot.status, 'failed');
    assert.equal(snapshot.tasks.error, 1);
    assert.equal(snapshot.error, 'Task 5 "Post" failed: HTTP 503');
    const bare = toSnapshot(ZuoraWorkflowRunSchema.parse({ ...documentedRun, tasks: { ...documentedRun.tasks, success: 3, error: 1 } }), '1', [
      { id: '5', name: 'Post', state: 'error' },
    ]);
    assert.equal(bare.error, 'Task “Post” ended in error.');
  });

  it('tolerates nulls on a run in flight and rejects a wrong count type naming the field', () => {
    const run = ZuoraWorkflowRunSchema.parse({ ...documentedRun, status: 'Processing', cpuTime: null, runTime: null, finishedAt: null });
    const snapshot = toSnapshot(run, '19027');
    assert.equal(snapshot.status, 'running');
    assert.equal(snapshot.finishedAt, undefined);
    const bad = ZuoraWorkflowRunSchema.safeParse({ ...documentedRun, tasks: { ...documentedRun.tasks, total: '4' } });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error?.issues[0]?.path, ['tasks', 'total']);
  });

  it('maps tasks to timeline entries', () => {
    const task = ZuoraTaskSchema.parse({
      id: 60001,
      name: 'Post to NetSuite',
      action_type: 'Callout',
      call_type: 'SOAP',
      object: 'Invoice',
      object_id: null,
      status: 'Error',
      tags: ['netsuite'],
      workflow_id: 20001,
      error: 'HTTP 503',
    });
    assert.deepEqual(toTimelineEntry(task), {
      id: '60001',
      name: 'Post to NetSuite',
      type: 'Callout',
      state: 'error',
      platformState: 'Error',
      error: 'HTTP 503',
      // The task's own fields are its inputs (Zuora gave no parameters here).
      inputs: { action_type: 'Callout', call_type: 'SOAP', object: 'Invoice', tags: ['netsuite'] },
    });
  });

  it('summarises workflow definitions and reads declared parameters wherever they are', () => {
    const definition = ZuoraWorkflowSchema.parse({
      id: 19027,
      name: 'Invoice sync',
      description: 'Exports invoices',
      status: 'Active',
      active_version: { id: 69027, version: '1.2.0', parameters: [{ name: 'accountNumber', datatype: 'Text', required: true }, { name: 'id' }] },
      updated_at: '2024-02-17T07:00:00.000Z',
    });
    assert.deepEqual(toWorkflowSummary(definition), {
      id: '19027',
      name: 'Invoice sync',
      description: 'Exports invoices',
      status: 'Active',
      version: '1.2.0',
      updatedAt: Date.UTC(2024, 1, 17, 7),
    });
    assert.deepEqual(toInputFields(definition), [{ name: 'accountNumber', type: 'string', required: true }], 'reserved names are left out');
    assert.deepEqual(toInputFields(ZuoraWorkflowSchema.parse({ id: 1, name: 'no params' })), []);
  });

  it('reads the next page from a number, a URL, null or a full page', () => {
    assert.equal(nextPage({ next_page: 'http://h/workflows?page=3&page_length=50' }, 2, 50, 50), 3);
    assert.equal(nextPage({ next_page: null }, 1, 50, 50), undefined);
    assert.equal(nextPage({ nextPage: 2 }, 1, 10, 50), 2);
    assert.equal(nextPage({ next_page: '4' }, 3, 10, 50), 4);
    assert.equal(nextPage(undefined, 1, 50, 50), 2, 'no pagination: a full page may have more');
    assert.equal(nextPage(undefined, 1, 12, 50), undefined);
  });

  it('makes valid Zuora-Track-Ids', () => {
    const id = newTrackId();
    assert.ok(isValidTrackId(id), id);
    assert.notEqual(newTrackId(), id);
    assert.equal(isValidTrackId('a'.repeat(65)), false);
    assert.equal(isValidTrackId('has:colon'), false);
    assert.equal(isValidTrackId('has;semi'), false);
    assert.equal(isValidTrackId('quote"'), false);
    assert.equal(isValidTrackId("quote'"), false);
    assert.equal(isValidTrackId('naïve'), false);
  });

  it('accepts v1, quickstart and async run answers', () => {
    assert.equal((V1TriggerResponseSchema.parse({ id: 1, status: 'Queued' }) as { id: string }).id, '1');
    assert.equal((V1TriggerResponseSchema.parse({ id: 2, state: 'queued', type: 'instance' }) as { state: string }).state, 'queued');
    assert.deepEqual(V1TriggerResponseSchema.parse({ request_id: 'r-1' }), { request_id: 'r-1' });
  });
});

describe('Zuora errors', () => {
  it('reads {type, errors, retryable}', () => {
    const body = { type: 'invalid_request_error', errors: [{ code: 'missing_parameter', parameter: 'accountNumber', message: 'Required parameter accountNumber is missing.' }], retryable: false };
    assert.deepEqual(parseZuoraError(body, 406), { code: 'missing_parameter', message: '“accountNumber”: Required parameter accountNumber is missing', retryable: false });
    assert.deepEqual(parseZuoraError({ type: 'authentication_error', errors: [{ code: 'unauthorized', parameter: 'Authorization', message: 'Invalid token.' }], retryable: false }, 401), {
      code: 'unauthorized',
      message: 'Invalid token',
      retryable: false,
    });
    assert.deepEqual(parseZuoraError({ error: 'invalid_client', error_description: 'Bad client' }, 400), { code: 'invalid_client', message: 'Bad client' });
    assert.equal(parseZuoraError('<html>', 502), undefined);
  });

  it('knows a 2xx body that is an error: success:false, or errors or reasons listed', () => {
    assert.equal(isZuoraRefusal({ success: false, reasons: [{ code: 50000040, message: 'Workflow is not active.' }] }), true);
    assert.equal(isZuoraRefusal({ success: false }), true);
    assert.equal(isZuoraRefusal({ type: 'error', errors: [{ code: 'x', message: 'Bad' }] }), true);
    assert.equal(isZuoraRefusal({ id: 19063, status: 'Queued', errors: [], reasons: null }), false);
    assert.equal(isZuoraRefusal({ id: 19063, status: 'Queued', success: true }), false);
    assert.equal(isZuoraRefusal({ request_id: 'abc' }), false);
    assert.equal(isZuoraRefusal([]), false);
    assert.deepEqual(parseZuoraError({ success: false, reasons: [{ code: 50000040, message: 'Workflow is not active.' }] }, 200), { code: '50000040', message: 'Workflow is not active' });
  });

  it('explains 406 naming the parameter and 409 as a run id', () => {
    const http406 = new WorkflowRunsError('POST /workflows/{id}/run failed (HTTP 406, missing_parameter): “accountNumber”: Required parameter accountNumber is missing.', {
      kind: 'http',
      status: 406,
      platformMessage: '“accountNumber”: Required parameter accountNumber is missing',
    });
    const explained = explainTriggerError(http406, '19029', false) as WorkflowRunsError;
    assert.equal(explained.status, 406);
    assert.match(explained.message, /required input parameter “accountNumber” is missing \(HTTP 406\)/);
    const http409 = new WorkflowRunsError('POST /workflows/{id}/run failed (HTTP 409, conflict): x.', { kind: 'http', status: 409 });
    assert.match((explainTriggerError(http409, '20001', false) as Error).message, /that id is a run, not a workflow/);
    const auth = new WorkflowRunsError('nope', { kind: 'auth', status: 401 });
    assert.equal(explainTriggerError(auth, '1', false), auth);
  });
});

describe('Zuora descriptor', () => {
  it('requires clientId for oauth (the default) and username for basic', () => {
    const base = { name: 'z', platform: 'zuora', baseUrl: 'https://rest.test.zuora.com' };
    assert.equal(ZuoraSettingsSchema.safeParse(base).success, false);
    assert.deepEqual(ZuoraSettingsSchema.safeParse(base).error?.issues[0]?.path, ['clientId']);
    assert.equal(ZuoraSettingsSchema.safeParse({ ...base, clientId: 'c' }).success, true);
    assert.equal(ZuoraSettingsSchema.safeParse({ ...base, auth: 'apiToken' }).success, true);
    assert.deepEqual(ZuoraSettingsSchema.safeParse({ ...base, auth: 'basic' }).error?.issues[0]?.path, ['username']);
    assert.equal(ZuoraSettingsSchema.safeParse({ ...base, auth: 'basic', username: 'demo', api: 'quickstart' }).success, true);
    assert.equal(ZuoraSettingsSchema.safeParse({ ...base, clientId: 'c', api: 'v3' }).success, false);
  });

  it('checks $options strictly', () => {
    assert.equal(ZuoraOptionsSchema.safeParse({ async: true }).success, true);
    assert.equal(ZuoraOptionsSchema.safeParse({}).success, true);
    assert.equal(ZuoraOptionsSchema.safeParse({ asynch: true }).success, false);
    assert.equal(ZuoraOptionsSchema.safeParse({ async: 'yes' }).success, false);
  });

  it('lists every data centre and the three auth modes', () => {
    const hosts = zuoraDescriptor.baseUrls.map((entry) => new URL(entry.url).host);
    for (const host of [
      'rest.zuora.com',
      'rest.na.zuora.com',
      'rest.apisandbox.zuora.com',
      'rest.sandbox.na.zuora.com',
      'rest.test.zuora.com',
      'rest.eu.zuora.com',
      'rest.sandbox.eu.zuora.com',
      'rest.test.eu.zuora.com',
      'rest.ap.zuora.com',
      'rest.test.ap.zuora.com',
    ]) {
      assert.ok(hosts.includes(host), host);
    }
    assert.deepEqual(zuoraDescriptor.authModes.map((mode) => [mode.id, mode.settingsField?.key]), [
      ['oauth', 'clientId'],
      ['apiToken', undefined],
      ['basic', 'username'],
    ]);
  });
});

describe('Zuora task counts', () => {
  it('are whole non-negative safe numbers whatever the server sends', () => {
    assert.deepEqual([1e308, -1, 2.7, Number.NaN, 0, 12, Infinity, '3'].map(wholeCount), [Number.MAX_SAFE_INTEGER, 0, 2, 0, 0, 12, Number.MAX_SAFE_INTEGER, 0]);
  });
});

describe('Zuora stop of a run that has ended', () => {
  it('is recognised by 400 invalid_state (or its words), nothing else', () => {
    const ended = new WorkflowRunsError('PUT … failed (HTTP 400, invalid_state): Workflow run 1 has already ended.', { kind: 'http', status: 400, code: 'invalid_state' });
    assert.equal(isRunAlreadyEnded(ended), true);
    assert.equal(isRunAlreadyEnded(new WorkflowRunsError('Workflow run 1 has already ended.', { kind: 'http', status: 400 })), true);
    assert.equal(isRunAlreadyEnded(new WorkflowRunsError('bad id', { kind: 'http', status: 400, code: 'invalid_parameter' })), false);
    assert.equal(isRunAlreadyEnded(new WorkflowRunsError('x', { kind: 'http', status: 404, code: 'invalid_state' })), false);
  });
});
