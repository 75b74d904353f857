// Contract test of the emulator: real answers of every documented endpoint, validated against the
// vendors' OpenAPI files copied into test/fixtures/openapi (Dify: OpenAPI 3.0 with `nullable`;
// B3OS: OpenAPI 3.1), and, for Zuora (no OpenAPI file), against the documented field names kept
// beside them (zuora-workflow-fields.json). The folder's README names each file's source and date.
// Run: node --import tsx --test test/integration/emulator-contract.test.ts
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Ajv, { type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { useEmulator } from '../helpers/emulator';

const apiDir = path.resolve(__dirname, '..', 'fixtures', 'openapi');
const difyFile = path.join(apiDir, 'dify-service-api.openapi.json');
const b3osFile = path.join(apiDir, 'b3os-workflow-api.openapi.json');
const zuoraFields = JSON.parse(readFileSync(path.join(apiDir, 'zuora-workflow-fields.json'), 'utf8')) as Record<string, string[] | undefined>;

/** Zuora's documented names for one body (or status set), sorted to compare with `Object.keys`. */
function documented(name: string): string[] {
  const names = zuoraFields[name];
  assert.ok(names, `zuora-workflow-fields.json lists ${name}`);
  return [...names].sort();
}

type Json = Record<string, unknown>;
type OpenApi = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: Json; examples?: Record<string, { value: unknown }> }> }> }>> };

/** Loads one OpenAPI document into ajv whole, so `$ref: '#/components/…'` resolves inside it. */
function loadDocument(file: string, draft2020: boolean): { doc: OpenApi; ajv: Ajv } {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as OpenApi & Json;
  patchUnsatisfiableOneOf(doc);
  // strict:false: OpenAPI keywords (example, x-*, summary, discriminator…) are not JSON Schema.
  const ajv = draft2020 ? new Ajv2020({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'doc');
  return { doc, ajv };
}

/**
 * Dify's `user_input_form` items are a `oneOf` of three object shapes none of which requires its
 * key, so every item matches all three and `oneOf` can never pass. The intent is "one of these
 * shapes": `anyOf` says that.
 */
function patchUnsatisfiableOneOf(doc: Json): void {
  const form = (doc as { components?: { schemas?: Record<string, { properties?: Record<string, { items?: Json }> }> } }).components?.schemas?.AppParametersResponse?.properties?.user_input_form?.items;
  if (form && Array.isArray(form.oneOf)) {
    form.anyOf = form.oneOf;
    delete form.oneOf;
  }
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The validator of a documented response (`$ref` kept relative to the document). */
function responseValidator(api: { doc: OpenApi; ajv: Ajv }, method: string, route: string, status: number, contentType = 'application/json'): ValidateFunction | undefined {
  const response = api.doc.paths[route]?.[method.toLowerCase()]?.responses[String(status)];
  assert.ok(response, `${method} ${route} documents a ${status} response`);
  let resolved = response as Json;
  if (typeof resolved.$ref === 'string') {
    const name = resolved.$ref.split('/').pop()!;
    resolved = (api.doc as unknown as { components: { responses: Record<string, Json> } }).components.responses[name]!;
    if (!resolved.content) return undefined;
    return api.ajv.getSchema(`doc#/components/responses/${escapePointer(name)}/content/${escapePointer(contentType)}/schema`) ?? undefined;
  }
  if (!response.content?.[contentType]?.schema) return undefined;
  return api.ajv.getSchema(`doc#/paths/${escapePointer(route)}/${method.toLowerCase()}/responses/${status}/content/${escapePointer(contentType)}/schema`) ?? undefined;
}

function schemaValidator(api: { ajv: Ajv }, name: string): ValidateFunction {
  const validate = api.ajv.getSchema(`doc#/components/schemas/${escapePointer(name)}`);
  assert.ok(validate, `schema ${name} exists`);
  return validate;
}

function assertValid(validate: ValidateFunction | undefined, body: unknown, what: string): void {
  assert.ok(validate, `${what}: a schema to validate against`);
  const ok = validate(body);
  assert.ok(ok, `${what}: ${JSON.stringify(validate.errors, null, 1)}\nbody: ${JSON.stringify(body).slice(0, 800)}`);
}

/** Error codes a documented (schema-less) error response lists in its examples. */
function documentedCodes(api: { doc: OpenApi }, method: string, route: string, status: number): string[] {
  const examples = api.doc.paths[route]?.[method.toLowerCase()]?.responses[String(status)]?.content?.['application/json']?.examples ?? {};
  return Object.values(examples).map((example) => (example.value as { code: string }).code);
}

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; text: string; json: () => Json }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as Json };
}

/** Minimal SSE parsing for assertions (the client's own parser is tested elsewhere). */
function sseEvents(text: string): Array<{ event?: string; data?: string }> {
  const out: Array<{ event?: string; data?: string }> = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    if (!block.trim()) continue;
    const entry: { event?: string; data?: string } = {};
    for (const line of block.split(/\r?\n/)) {
      const match = /^([a-z]+): ?(.*)$/.exec(line);
      if (!match) continue;
      if (match[1] === 'event') entry.event = match[2];
      if (match[1] === 'data') entry.data = (entry.data === undefined ? '' : entry.data + '\n') + match[2];
    }
    out.push(entry);
  }
  return out;
}

describe('emulator contract', () => {
  // Faults are cleared before each test; other state carries over (later tests use earlier runs).
  const emulator = useEmulator({ speed: 50, pingIntervalMs: 200 });
  const dify = loadDocument(difyFile, false);
  const b3os = loadDocument(b3osFile, true);

  describe('Dify Service API', () => {
    const key = { authorization: 'Bearer app-demo', 'content-type': 'application/json' };
    const url = (p: string): string => emulator.urls.dify + p;
    const difyError = (body: Json, status: number): void => {
      assert.deepEqual(Object.keys(body).sort(), ['code', 'message', 'status']);
      assert.equal(body.status, status);
      assert.equal(typeof body.code, 'string');
      assert.equal(typeof body.message, 'string');
    };

    it('GET /info and /parameters', async () => {
      const info = await call(url('/info'), { headers: key });
      assert.equal(info.status, 200);
      assertValid(responseValidator(dify, 'GET', '/info', 200), info.json(), 'GET /info');
      assert.equal(info.json().mode, 'workflow');
      const params = await call(url('/parameters'), { headers: key });
      assert.equal(params.status, 200);
      assertValid(responseValidator(dify, 'GET', '/parameters', 200), params.json(), 'GET /parameters');
      const types = (params.json().user_input_form as Json[]).map((entry) => Object.keys(entry)[0]);
      for (const type of ['text-input', 'paragraph', 'select', 'number', 'checkbox', 'json_object']) assert.ok(types.includes(type), `form has a ${type}`);
    });

    it('401 unauthorized for a wrong key, as the security scheme says', async () => {
      const response = await call(url('/info'), { headers: { authorization: 'Bearer app-nope' } });
      assert.equal(response.status, 401);
      difyError(response.json(), 401);
      assert.equal(response.json().code, 'unauthorized');
    });

    let blockingRun: Json;
    it('POST /workflows/run, blocking', async () => {
      const response = await call(url('/workflows/run'), { method: 'POST', headers: key, body: JSON.stringify({ inputs: { topic: 'contract' }, user: 'contract-user', response_mode: 'blocking' }) });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      blockingRun = response.json();
      assertValid(responseValidator(dify, 'POST', '/workflows/run', 200), blockingRun, 'blocking run');
      assert.equal((blockingRun.data as Json).status, 'succeeded');
    });

    it('POST /workflows/run, streaming: events with the documented fields', async () => {
      const response = await call(url('/workflows/run'), { method: 'POST', headers: key, body: JSON.stringify({ inputs: { topic: 'stream' }, user: 'contract-user', response_mode: 'streaming' }) });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      const events = sseEvents(response.text).filter((e) => e.data !== undefined).map((e) => JSON.parse(e.data!) as Json);
      const names = events.map((e) => e.event);
      assert.equal(names[0], 'workflow_started');
      assert.equal(names.at(-1), 'workflow_finished');
      for (const name of ['node_started', 'node_finished', 'text_chunk']) assert.ok(names.includes(name), `has ${name}`);
      for (const event of events) {
        assert.equal(typeof event.task_id, 'string');
        assert.equal(typeof event.workflow_run_id, 'string');
        assert.ok(event.data && typeof event.data === 'object');
      }
      assertValid(schemaValidator(dify, 'WorkflowFinishedData'), events.at(-1)!.data, 'workflow_finished data');
      for (const finished of events.filter((e) => e.event === 'node_finished')) {
        const data = finished.data as Json;
        assert.ok(['running', 'succeeded', 'failed', 'stopped', 'exception'].includes(String(data.status)));
        assert.ok('elapsed_time' in data && 'error' in data && 'execution_metadata' in data);
      }
    });

    it('POST /workflows/{workflow_id}/run: published 200, draft 400 bad_request, unknown 404', async () => {
      const body = JSON.stringify({ inputs: { topic: 'v' }, user: 'contract-user', response_mode: 'blocking' });
      const workflowId = (blockingRun.data as Json).workflow_id as string;
      const ok = await call(url(`/workflows/${workflowId}/run`), { method: 'POST', headers: key, body });
      assert.equal(ok.status, 200);
      assertValid(responseValidator(dify, 'POST', '/workflows/{workflow_id}/run', 200), ok.json(), 'run by id');
      const draft = await call(url('/workflows/0b9e4d72-6a15-4c3f-8e27-d1f4a93c6e05/run'), { method: 'POST', headers: key, body });
      assert.equal(draft.status, 400);
      difyError(draft.json(), 400);
      assert.ok(documentedCodes(dify, 'POST', '/workflows/{workflow_id}/run', 400).includes(String(draft.json().code)));
      const unknown = await call(url('/workflows/11111111-2222-4333-8444-555555555555/run'), { method: 'POST', headers: key, body });
      assert.equal(unknown.status, 404);
      assert.ok(documentedCodes(dify, 'POST', '/workflows/{workflow_id}/run', 404).includes(String(unknown.json().code)));
    });

    it('400 invalid_param for a missing required input or user', async () => {
      for (const body of [{ inputs: {}, user: 'u' }, { inputs: { topic: 'x' } }]) {
        const response = await call(url('/workflows/run'), { method: 'POST', headers: key, body: JSON.stringify(body) });
        assert.equal(response.status, 400);
        difyError(response.json(), 400);
        assert.equal(response.json().code, 'invalid_param');
        assert.ok(documentedCodes(dify, 'POST', '/workflows/run', 400).includes('invalid_param'));
      }
    });

    it('GET /workflows/run/{id}: inputs is a JSON string; unknown is 404', async () => {
      const response = await call(url(`/workflows/run/${blockingRun.workflow_run_id as string}`), { headers: key });
      assert.equal(response.status, 200);
      assertValid(responseValidator(dify, 'GET', '/workflows/run/{workflow_run_id}', 200), response.json(), 'run detail');
      assert.equal(typeof response.json().inputs, 'string');
      assert.equal((JSON.parse(response.json().inputs as string) as Json).topic, 'contract');
      const missing = await call(url('/workflows/run/3c1d9a7e-0000-4000-8000-000000000000'), { headers: key });
      assert.equal(missing.status, 404);
      assert.ok(documentedCodes(dify, 'GET', '/workflows/run/{workflow_run_id}', 404).includes(String(missing.json().code)));
    });

    it('POST /workflows/tasks/{task_id}/stop: {result: success}; no user is 400', async () => {
      const ok = await call(url(`/workflows/tasks/${blockingRun.task_id as string}/stop`), { method: 'POST', headers: key, body: JSON.stringify({ user: 'contract-user' }) });
      assert.equal(ok.status, 200);
      assertValid(responseValidator(dify, 'POST', '/workflows/tasks/{task_id}/stop', 200), ok.json(), 'stop');
      assert.deepEqual(ok.json(), { result: 'success' });
      const bad = await call(url(`/workflows/tasks/${blockingRun.task_id as string}/stop`), { method: 'POST', headers: key, body: '{}' });
      assert.equal(bad.status, 400);
      assert.ok(documentedCodes(dify, 'POST', '/workflows/tasks/{task_id}/stop', 400).includes(String(bad.json().code)));
    });

    it('GET /workflows/logs and its 400', async () => {
      const ok = await call(url('/workflows/logs?page=1&limit=3'), { headers: key });
      assert.equal(ok.status, 200);
      assertValid(responseValidator(dify, 'GET', '/workflows/logs', 200), ok.json(), 'logs');
      assert.equal(ok.json().limit, 3);
      const filtered = await call(url('/workflows/logs?status=succeeded&limit=100'), { headers: key });
      for (const item of filtered.json().data as Json[]) assert.equal((item.workflow_run as Json).status, 'succeeded');
      const bad = await call(url('/workflows/logs?limit=101'), { headers: key });
      assert.equal(bad.status, 400);
      assert.ok(documentedCodes(dify, 'GET', '/workflows/logs', 400).includes(String(bad.json().code)));
    });

    it('GET /workflow/{id}/events: the final event of a finished run; another user is 404', async () => {
      const runId = blockingRun.workflow_run_id as string;
      const ok = await call(url(`/workflow/${runId}/events?user=contract-user`), { headers: key });
      assert.equal(ok.status, 200);
      assert.match(ok.headers.get('content-type') ?? '', /^text\/event-stream/);
      const events = sseEvents(ok.text).filter((e) => e.data !== undefined).map((e) => JSON.parse(e.data!) as Json);
      assert.deepEqual(events.map((e) => e.event), ['workflow_finished']);
      const other = await call(url(`/workflow/${runId}/events?user=someone-else`), { headers: key });
      assert.equal(other.status, 404);
      assert.ok(documentedCodes(dify, 'GET', '/workflow/{workflow_run_id}/events', 404).includes(String(other.json().code)));
    });

    it('the badSchema fault breaks the schema (the validators bite)', async () => {
      emulator.injectFault({ platform: 'dify', method: 'POST', path: '/workflows/run', kind: 'badSchema' });
      const response = await call(url('/workflows/run'), { method: 'POST', headers: key, body: JSON.stringify({ inputs: { topic: 'bad' }, user: 'contract-user', response_mode: 'blocking' }) });
      assert.equal(response.status, 200);
      const validate = responseValidator(dify, 'POST', '/workflows/run', 200)!;
      assert.equal(validate(response.json()), false, 'a corrupted body is rejected');
    });

    it('POST /files/upload → 201', async () => {
      const form = new FormData();
      form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'notes.txt');
      form.append('user', 'contract-user');
      const response = await call(url('/files/upload'), { method: 'POST', headers: { authorization: 'Bearer app-demo' }, body: form });
      assert.equal(response.status, 201);
      assertValid(responseValidator(dify, 'POST', '/files/upload', 201), response.json(), 'upload');
      assert.equal(response.json().name, 'notes.txt');
    });
  });

  describe('B3OS Workflow API', () => {
    const key = { authorization: 'Bearer b3sk_demo', 'content-type': 'application/json' };
    const url = (p: string): string => emulator.urls.b3os + p;
    const errorSchema = 'github_com_b3-fun_b3-mono_services_b3os-workflow_internal_app_api_http.ErrorResponse';
    let workflowId: string;

    it('GET /v1/workflows with limit/offset; statuses of all four kinds', async () => {
      const response = await call(url('/v1/workflows?limit=100'), { headers: key });
      assert.equal(response.status, 200);
      assertValid(responseValidator(b3os, 'GET', '/v1/workflows', 200), response.json(), 'list workflows');
      const data = response.json().data as { items: Json[]; hasMore: boolean };
      assert.ok(data.items.length >= 25);
      assert.deepEqual([...new Set(data.items.map((i) => i.status))].sort(), ['active', 'archived', 'draft', 'paused']);
      workflowId = data.items.find((i) => i.status === 'active')!.id as string;
      const page = await call(url('/v1/workflows?limit=5&offset=5'), { headers: key });
      const paged = page.json().data as Json;
      assert.equal(paged.limit, 5);
      assert.equal(paged.offset, 5);
      assert.equal(paged.hasMore, true);
      assert.equal(typeof page.json().requestId, 'string');
    });

    it('401 with the error body and a request id', async () => {
      const response = await call(url('/v1/workflows'), { headers: { authorization: 'Bearer b3sk_wrong' } });
      assert.equal(response.status, 401);
      assertValid(schemaValidator(b3os, errorSchema), response.json(), '401');
      assert.deepEqual(Object.keys(response.json()).sort(), ['code', 'details', 'message', 'requestId']);
    });

    it('GET /v1/workflows/{id}: 200 and 404', async () => {
      const ok = await call(url(`/v1/workflows/${workflowId}`), { headers: key });
      assert.equal(ok.status, 200);
      assertValid(responseValidator(b3os, 'GET', '/v1/workflows/{id}', 200), ok.json(), 'get workflow');
      const missing = await call(url('/v1/workflows/wf_missing'), { headers: key });
      assert.equal(missing.status, 404);
      assertValid(responseValidator(b3os, 'GET', '/v1/workflows/{id}', 404), missing.json(), 'workflow 404');
    });

    let runId: string;
    it('POST /v1/workflows/{id}/run: 200, 400s, 404', async () => {
      runId = `run_contract${Date.now().toString(36)}`;
      const ok = await call(url(`/v1/workflows/${workflowId}/run`), { method: 'POST', headers: key, body: JSON.stringify({ runId, payload: { amount: 2 } }) });
      assert.equal(ok.status, 200);
      assertValid(responseValidator(b3os, 'POST', '/v1/workflows/{id}/run', 200), ok.json(), 'run');
      assert.deepEqual((ok.json().data as Json).runId, runId);
      assert.equal(ok.json().message, 'success');
      for (const body of [{ runId: 'nope_1' }, { simulate: true, dustTest: true }]) {
        const bad = await call(url(`/v1/workflows/${workflowId}/run`), { method: 'POST', headers: key, body: JSON.stringify(body) });
        assert.equal(bad.status, 400);
        assertValid(responseValidator(b3os, 'POST', '/v1/workflows/{id}/run', 400), bad.json(), 'run 400');
      }
      const archived = await call(url('/v1/workflows/wf_5u0i7o2p9a4s/run'), { method: 'POST', headers: key, body: '{}' });
      assert.equal(archived.status, 400);
      const missing = await call(url('/v1/workflows/wf_missing/run'), { method: 'POST', headers: key, body: '{}' });
      assert.equal(missing.status, 404);
      assertValid(responseValidator(b3os, 'POST', '/v1/workflows/{id}/run', 404), missing.json(), 'run 404');
    });

    it('GET /v1/runs/{id}/stream: run_started … final event; a bad id is 400', async () => {
      const response = await call(url(`/v1/runs/${runId}/stream`), { headers: key });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      const events = sseEvents(response.text).filter((e) => e.event !== 'ping');
      assert.equal(events[0]?.event, 'run_started');
      assert.equal(events.at(-1)?.event, 'run_completed');
      for (const event of events) assert.equal((JSON.parse(event.data!) as Json).runId, runId);
      const bad = await call(url('/v1/runs/bad/stream'), { headers: key });
      assert.equal(bad.status, 400);
      assertValid(schemaValidator(b3os, errorSchema), bad.json(), 'stream 400');
    });

    it('GET /v1/runs/{id}: the run with executionState; 404', async () => {
      const ok = await call(url(`/v1/runs/${runId}`), { headers: key });
      assert.equal(ok.status, 200);
      assertValid(responseValidator(b3os, 'GET', '/v1/runs/{id}', 200), ok.json(), 'get run');
      const run = ok.json().data as Json;
      assert.equal(run.status, 'success');
      for (const field of ['id', 'workflowId', 'workflowVersion', 'status', 'executionState', 'triggerSource', 'startedAt', 'finishedAt', 'isDustTest', 'isSimulation', 'totalCu']) assert.ok(field in run, `run has ${field}`);
      for (const node of Object.values(run.executionState as Record<string, Json>)) assert.ok('type' in node && 'status' in node);
      const missing = await call(url('/v1/runs/run_missing'), { headers: key });
      assert.equal(missing.status, 404);
      assertValid(responseValidator(b3os, 'GET', '/v1/runs/{id}', 404), missing.json(), 'run 404');
    });

    it('the badSchema fault breaks the schema (the validators bite)', async () => {
      emulator.injectFault({ platform: 'b3os', path: `/v1/runs/${runId}`, kind: 'badSchema' });
      const response = await call(url(`/v1/runs/${runId}`), { headers: key });
      const validate = responseValidator(b3os, 'GET', '/v1/runs/{id}', 200)!;
      assert.equal(validate(response.json()), false, 'a corrupted body is rejected');
    });

    it('GET /v1/workflows/{id}/runs and its 404', async () => {
      const ok = await call(url(`/v1/workflows/${workflowId}/runs?limit=2&offset=0`), { headers: key });
      assert.equal(ok.status, 200);
      assertValid(responseValidator(b3os, 'GET', '/v1/workflows/{id}/runs', 200), ok.json(), 'runs');
      const missing = await call(url('/v1/workflows/wf_missing/runs'), { headers: key });
      assert.equal(missing.status, 404);
      assertValid(responseValidator(b3os, 'GET', '/v1/workflows/{id}/runs', 404), missing.json(), 'runs 404');
    });

    it('POST /v1/runs/{id}/cancel: 200 on a waiting run, 409 after, 404 unknown', async () => {
      const started = await call(url('/v1/workflows/wf_1q6w3e8r5t2y/run'), { method: 'POST', headers: key, body: '{}' });
      const waiting = (started.json().data as Json).runId as string;
      const ok = await call(url(`/v1/runs/${waiting}/cancel`), { method: 'POST', headers: key });
      assert.equal(ok.status, 200);
      assertValid(responseValidator(b3os, 'POST', '/v1/runs/{id}/cancel', 200), ok.json(), 'cancel');
      assert.equal((ok.json().data as Json).status, 'cancelled');
      const again = await call(url(`/v1/runs/${waiting}/cancel`), { method: 'POST', headers: key });
      assert.equal(again.status, 409);
      assertValid(responseValidator(b3os, 'POST', '/v1/runs/{id}/cancel', 409), again.json(), 'cancel 409');
      const missing = await call(url('/v1/runs/run_missing/cancel'), { method: 'POST', headers: key });
      assert.equal(missing.status, 404);
    });

    it('POST /v1/runs/{id}/retry: {runId} for a failed run, 409 otherwise', async () => {
      const started = await call(url(`/v1/workflows/${workflowId}/run`), { method: 'POST', headers: key, body: JSON.stringify({ payload: { scenario: 'fail' } }) });
      const failed = (started.json().data as Json).runId as string;
      const stream = await call(url(`/v1/runs/${failed}/stream`), { headers: key }); // ends with the run
      assert.equal(sseEvents(stream.text).at(-1)?.event, 'run_failed');
      const retried = await call(url(`/v1/runs/${failed}/retry`), { method: 'POST', headers: key });
      assert.equal(retried.status, 200);
      assertValid(schemaValidator(b3os, 'RunSuccessResponse'), retried.json(), 'retry');
      assert.notEqual((retried.json().data as Json).runId, failed);
      const refused = await call(url(`/v1/runs/${runId}/retry`), { method: 'POST', headers: key });
      assert.equal(refused.status, 409);
      assertValid(schemaValidator(b3os, errorSchema), refused.json(), 'retry 409');
    });
  });

  describe('Zuora (documented field names)', () => {
    let token: string;
    const url = (p: string): string => emulator.urls.zuora + p;
    const auth = (): Record<string, string> => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
    const zuoraError = (body: Json): void => {
      assert.deepEqual(Object.keys(body).sort(), documented('errorBody'));
      const errors = body.errors as Json[];
      assert.ok(errors.length > 0);
      for (const error of errors) assert.deepEqual(Object.keys(error).sort(), documented('errorItem'));
      assert.equal(typeof body.retryable, 'boolean');
    };

    it('POST /oauth/token', async () => {
      const response = await call(url('/oauth/token'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'client_id=demo-client&client_secret=demo-secret&grant_type=client_credentials' });
      assert.equal(response.status, 200);
      const body = response.json();
      assert.deepEqual(Object.keys(body).sort(), documented('oauthToken'));
      assert.equal(body.expires_in, 3599);
      assert.equal(body.token_type, 'bearer');
      token = body.access_token as string;
      const refused = await call(url('/oauth/token'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'client_id=demo-client&client_secret=nope&grant_type=client_credentials' });
      assert.equal(refused.status, 401);
      zuoraError(refused.json());
    });

    it('every response carries the rate-limit headers and the request id, and echoes the track id', async () => {
      const response = await call(url('/workflows'), { headers: { ...auth(), 'zuora-track-id': 'contract-1' } });
      for (const header of documented('responseHeaders')) assert.ok(response.headers.get(header), header);
      assert.equal(response.headers.get('zuora-track-id'), 'contract-1');
    });

    it('GET /workflows and GET /workflows/{id}', async () => {
      const response = await call(url('/workflows?page=1&page_length=50'), { headers: auth() });
      assert.equal(response.status, 200);
      const body = response.json();
      assert.deepEqual(Object.keys(body).sort(), documented('workflowList'));
      assert.deepEqual(Object.keys(body.pagination as Json).sort(), documented('pagination'));
      const fields = documented('workflow');
      for (const wf of body.data as Json[]) assert.deepEqual(Object.keys(wf).sort(), fields);
      const one = await call(url('/workflows/19027'), { headers: auth() });
      assert.deepEqual(Object.keys(one.json()).sort(), fields);
      const missing = await call(url('/workflows/1'), { headers: auth() });
      assert.equal(missing.status, 404);
      zuoraError(missing.json());
    });

    let runId: number;
    it('POST /workflows/{id}/run, 406, 409, 400 reserved', async () => {
      const response = await call(url('/workflows/19027/run'), { method: 'POST', headers: auth(), body: '{"invoiceDate":"2025-01-31"}' });
      assert.equal(response.status, 200);
      const body = response.json();
      assert.deepEqual(Object.keys(body).sort(), documented('runStarted'));
      assert.ok(documented('runStartedStatuses').includes(String(body.status)));
      runId = body.id as number;
      const missing = await call(url('/workflows/19029/run'), { method: 'POST', headers: auth(), body: '{}' });
      assert.equal(missing.status, 406);
      zuoraError(missing.json());
      assert.equal(((missing.json().errors as Json[])[0] as Json).parameter, 'accountNumber');
      const conflict = await call(url(`/workflows/${runId}/run`), { method: 'POST', headers: auth(), body: '{}' });
      assert.equal(conflict.status, 409);
      const reserved = await call(url('/workflows/19027/run'), { method: 'POST', headers: auth(), body: '{"user_email":"a@b.c"}' });
      assert.equal(reserved.status, 400);
      zuoraError(reserved.json());
    });

    it('GET /workflows/workflow_runs/{id}: exact field names and timestamp format', async () => {
      const response = await call(url(`/workflows/workflow_runs/${runId}`), { headers: auth() });
      assert.equal(response.status, 200);
      const body = response.json();
      assert.deepEqual(Object.keys(body).sort(), documented('workflowRun'));
      assert.deepEqual(Object.keys(body.tasks as Json).sort(), documented('workflowRunTasks'));
      assert.match(String(body.createdAt), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
      assert.equal(body.type, 'Workflow::Instance');
      assert.ok(documented('workflowRunStatuses').includes(String(body.status)));
    });

    it('GET /workflows/tasks?workflow_id=…: task fields', async () => {
      const response = await call(url(`/workflows/tasks?workflow_id=${runId}&page_length=100`), { headers: auth() });
      assert.equal(response.status, 200);
      const tasks = response.json().data as Json[];
      assert.ok(tasks.length > 0);
      for (const task of tasks) {
        for (const field of documented('task')) assert.ok(field in task, `task has ${field}`);
        assert.equal(task.workflow_id, runId);
        assert.ok(documented('taskStatuses').includes(String(task.status)));
      }
      const tooLong = await call(url(`/workflows/tasks?workflow_id=${runId}&page_length=101`), { headers: auth() });
      assert.equal(tooLong.status, 400);
    });

    it('Quickstart POST /v2/workflows/{id}/run: 201 and async 202', async () => {
      const response = await call(url('/v2/workflows/19027/run'), { method: 'POST', headers: auth(), body: '{"input_parameters":{}}' });
      assert.equal(response.status, 201);
      const body = response.json();
      assert.deepEqual(Object.keys(body).sort(), documented('quickstartRun'));
      assert.ok(documented('quickstartRunTypes').includes(String(body.type)));
      assert.ok(documented('quickstartRunStates').includes(String(body.state)));
      const accepted = await call(url('/v2/workflows/19027/run'), { method: 'POST', headers: { ...auth(), async: 'true' }, body: '{"input_parameters":{}}' });
      assert.equal(accepted.status, 202);
      assert.deepEqual(Object.keys(accepted.json()), documented('quickstartAccepted'));
    });
  });
});
