// The Zuora provider and the HTTP client against the emulator, in-process: real sockets, real
// gzip, real faults.
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import { z } from 'zod';
import { WorkflowRunsError } from '../../src/client/errors';
import { createHttpClient, type DisposableHttpClient } from '../../src/client/http';
import type { Connection } from '../../src/connections/schema';
import { isTerminal, type RunSnapshot } from '../../src/providers/model';
import type { ProviderContext, WorkflowProvider } from '../../src/providers/provider';
import { createZuoraProvider } from '../../src/providers/zuora/adapter';
import { isValidTrackId } from '../../src/providers/zuora/mapping';
import { useEmulator, withEmulator } from '../helpers/emulator';
import { recordingLog } from '../helpers/log';

const { log, lines: logLines } = recordingLog();

// Reset before each test: tokens, runs and idempotency keys start fresh.
const emulator = useEmulator({ beforeEachTest: 'reset' });
let http: DisposableHttpClient;
const providers: WorkflowProvider[] = [];

function provider(extra: Partial<Connection> = {}, secret = 'demo-secret', client: DisposableHttpClient = http): WorkflowProvider {
  const connection: Connection = { name: 'Zuora Demo', platform: 'zuora', baseUrl: emulator.urls.zuora, clientId: 'demo-client', ...extra };
  const ctx: ProviderContext = { connection, getCredential: async () => secret, http: client, log, machineId: 'test-machine', pollIntervalMs: 40 };
  const created = createZuoraProvider(ctx);
  providers.push(created);
  return created;
}

async function watchToEnd(zuora: WorkflowProvider, first: RunSnapshot): Promise<RunSnapshot[]> {
  const seen: RunSnapshot[] = [];
  const signal = AbortSignal.timeout(15_000);
  for await (const snapshot of zuora.watch({ runId: first.runId, workflowId: first.workflowId, handle: first.handle }, signal)) seen.push(snapshot);
  return seen;
}

/** Requests and runs are counted from the start of each test, whatever reset() clears. */
let requestMark = 0;
let runsMark = 0;

function runsCreated(): number {
  return emulator.runsCreated('zuora') - runsMark;
}

function requestsTo(path: string | RegExp, method?: string) {
  return emulator.requests.slice(requestMark).filter(
    (r) => r.platform === 'zuora' && (typeof path === 'string' ? r.path === path : path.test(r.path)) && (!method || r.method === method),
  );
}

function isError(check: (error: WorkflowRunsError) => boolean) {
  return (error: unknown) => {
    assert.ok(error instanceof WorkflowRunsError, `expected a WorkflowRunsError, got ${String(error)}`);
    assert.ok(check(error), `unexpected error: ${error.kind} ${error.message}`);
    return true;
  };
}

before(() => {
  http = createHttpClient({ log, requestTimeoutMs: 3000, retry: { baseDelayMs: 10, maxDelayMs: 50 } });
});

after(async () => {
  for (const p of providers) p.dispose?.();
  await http.dispose();
});

beforeEach(() => {
  requestMark = emulator.requests.length;
  runsMark = emulator.runsCreated('zuora');
  logLines.length = 0;
});

describe('Zuora provider against the emulator', () => {
  it('verifies, lists workflows page by page (gzip) and describes one', async () => {
    const zuora = provider();
    assert.match(await zuora.verify(), /Signed in to Zuora at 127\.0\.0\.1:\d+ with OAuth client “demo-client”/);
    const first = await zuora.listWorkflows(undefined);
    assert.equal(first.items.length, 50);
    assert.equal(first.next, '2');
    assert.deepEqual(first.items[0], {
      id: '19027',
      name: 'Invoice sync to NetSuite',
      description: 'Exports posted invoices and pushes them to NetSuite as sales orders.',
      status: 'Active',
      version: first.items[0]?.version,
      updatedAt: first.items[0]?.updatedAt,
    });
    const second = await zuora.listWorkflows(first.next);
    assert.ok(second.items.length > 0);
    assert.equal(second.next, undefined);
    const listCalls = requestsTo('/workflows', 'GET');
    assert.ok(listCalls.every((r) => r.headers['accept-encoding'] === 'gzip' && r.headers.authorization?.startsWith('Bearer ')));
    assert.equal(listCalls.at(-1)?.query.page_length, '50');
    assert.equal((await zuora.getWorkflow('19029')).name, 'Account onboarding');
    assert.deepEqual(await zuora.describeInputs('19029'), []);
    // Log lines: method, path, status, time; never the token.
    assert.ok(logLines.some((line) => /^GET \/workflows\?page&page_length → 200 in \d+ ms$/.test(line)), logLines.join('\n'));
    assert.ok(!logLines.join('\n').includes('demo-secret'));
  });

  it('runs a workflow to Finished with its task timeline', async () => {
    const zuora = provider({ entityId: 'entity-1', orgIds: 'org-1,org-2' });
    const { snapshot, updates } = await zuora.trigger({ workflowId: '19027', inputs: { region: 'EU' }, options: {} });
    assert.equal(updates, undefined);
    assert.ok(['queued', 'running'].includes(snapshot.status));
    assert.match(snapshot.runId, /^\d+$/);
    const post = requestsTo('/workflows/19027/run', 'POST')[0];
    assert.ok(post);
    assert.equal(post.body, '{"region":"EU"}');
    assert.ok(isValidTrackId(post.headers['zuora-track-id'] ?? ''), post.headers['zuora-track-id']);
    assert.match(post.headers['idempotency-key'] ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(post.headers['zuora-entity-ids'], 'entity-1');
    assert.equal(post.headers['zuora-org-ids'], 'org-1,org-2');

    const seen = await watchToEnd(zuora, snapshot);
    const last = seen.at(-1)!;
    assert.equal(last.status, 'succeeded');
    assert.equal(last.platformStatus, 'Finished');
    assert.equal(last.workflowId, '19027');
    assert.deepEqual(last.tasks, { queued: 0, pending: 0, processing: 0, success: 5, error: 0, stopped: 0, skipped: 0, total: 5 });
    assert.equal(last.timeline?.length, 5);
    assert.ok(last.timeline?.every((entry) => entry.state === 'success'));
    assert.ok(typeof last.finishedAt === 'number' && typeof last.createdAt === 'number');
    assert.ok(last.metrics?.cpuTime);
    assert.ok(seen.slice(0, -1).every((s) => !isTerminal(s.status)), 'only the last snapshot is terminal');
    // The task list is read only when the counts moved, not on every poll.
    const runPolls = requestsTo(/^\/workflows\/workflow_runs\/\d+$/, 'GET').length;
    const taskReads = requestsTo('/workflows/tasks', 'GET').length;
    assert.ok(taskReads <= runPolls, `${taskReads} task reads for ${runPolls} polls`);
    assert.equal((await zuora.getRun({ runId: snapshot.runId, workflowId: '19027' })).status, 'succeeded');
  });

  it('reports a Finished run with errored tasks as failed', async () => {
    const zuora = provider();
    const { snapshot } = await zuora.trigger({ workflowId: '19028', inputs: {}, options: {} });
    const last = (await watchToEnd(zuora, snapshot)).at(-1)!;
    assert.equal(last.status, 'failed');
    assert.equal(last.platformStatus, 'Finished');
    assert.equal(last.tasks.error, 2);
    assert.equal(last.tasks.success, 4);
    assert.match(last.error ?? '', /Apply unmatched credits/);
    assert.deepEqual(
      last.timeline?.filter((entry) => entry.state === 'error').map((entry) => entry.name),
      ['Apply unmatched credits', 'Post journal entries'],
    );
  });

  it('stops a run', async () => {
    const zuora = provider();
    const { snapshot } = await zuora.trigger({ workflowId: '19030', inputs: {}, options: {} });
    await zuora.stop({ runId: snapshot.runId, workflowId: '19030' });
    const last = (await watchToEnd(zuora, snapshot)).at(-1)!;
    assert.equal(last.status, 'stopped');
    assert.equal(requestsTo(`/workflows/workflow_runs/${snapshot.runId}/stop`, 'PUT').length, 1);
  });

  it('names the missing parameter on 406 and explains 409', async () => {
    const zuora = provider();
    await assert.rejects(
      zuora.trigger({ workflowId: '19029', inputs: {}, options: {} }),
      isError((e) => e.status === 406 && /required input parameter “accountNumber” is missing/.test(e.message)),
    );
    const { snapshot } = await zuora.trigger({ workflowId: '19029', inputs: { accountNumber: 'A-1' }, options: {} });
    await assert.rejects(
      zuora.trigger({ workflowId: snapshot.runId, inputs: {}, options: {} }),
      isError((e) => e.status === 409 && /that id is a run, not a workflow/.test(e.message)),
    );
  });

  it('says a wrong client secret is a credential problem, without the secret', async () => {
    const zuora = provider({}, 'wrong-secret-value');
    await assert.rejects(
      zuora.verify(),
      isError(
        (e) =>
          e.kind === 'auth' &&
          e.isCredentialProblem &&
          e.message.startsWith('Zuora rejected the credentials of connection “Zuora Demo” (401). Check them with Set Credentials…') &&
          !e.message.includes('wrong-secret-value'),
      ),
    );
  });

  it('asks for one token for ten concurrent calls, and reuses it', async () => {
    const zuora = provider();
    await Promise.all(Array.from({ length: 10 }, () => zuora.getWorkflow('19027')));
    await zuora.getWorkflow('19028');
    assert.equal(requestsTo('/oauth/token', 'POST').length, 1);
    assert.equal(requestsTo('/workflows/19027', 'GET').length, 10);
  });

  it('fetches a new token once when Zuora refuses the cached one', async () => {
    const zuora = provider();
    await zuora.getWorkflow('19027');
    emulator.reset(); // forgets every issued token: the cached one is now refused (401)
    requestMark = emulator.requests.length;
    assert.equal((await zuora.getWorkflow('19027')).id, '19027');
    assert.equal(requestsTo('/oauth/token', 'POST').length, 1, 'after reset: exactly one new token request');
    assert.equal(requestsTo('/workflows/19027', 'GET').length, 2, 'the refused call and its one retry');
  });

  it('refreshes a token shortly before it expires, without a refused call', async () => {
    await withEmulator({ zuoraTokenTtlSeconds: 2 }, async (shortLived) => {
      const connection: Connection = { name: 'Short', platform: 'zuora', baseUrl: shortLived.urls.zuora, clientId: 'demo-client' };
      const zuora = createZuoraProvider({ connection, getCredential: async () => 'demo-secret', http, log, machineId: 'm', pollIntervalMs: 40 });
      await zuora.getWorkflow('19027');
      await zuora.getWorkflow('19027');
      assert.equal(shortLived.requests.filter((r) => r.path === '/oauth/token').length, 1, 'reused while fresh');
      // A 2 s token is refreshed from 1.5 s on (a quarter of its life, as 60 s is for Zuora's 3599 s).
      await new Promise((resolve) => setTimeout(resolve, 1600));
      await zuora.getWorkflow('19027');
      const statuses = shortLived.requests.filter((r) => r.path === '/workflows/19027').length;
      assert.equal(shortLived.requests.filter((r) => r.path === '/oauth/token').length, 2);
      assert.equal(statuses, 3, 'no call was refused and repeated');
      zuora.dispose?.();
    });
  });

  it('does not loop when a fresh token is refused too', async () => {
    const zuora = provider();
    emulator.injectFault({ platform: 'zuora', method: 'GET', path: '/workflows/19027', kind: 'status', status: 401, times: 5 });
    await assert.rejects(zuora.getWorkflow('19027'), isError((e) => e.kind === 'auth'));
    assert.equal(requestsTo('/workflows/19027', 'GET').length, 2);
    assert.equal(requestsTo('/oauth/token', 'POST').length, 2);
  });

  it('retries a run request whose answer was lost, with the same Idempotency-Key, creating one run', async () => {
    const zuora = provider();
    emulator.injectFault({ platform: 'zuora', method: 'POST', path: '/workflows/19027/run', kind: 'afterProcess' });
    const { snapshot } = await zuora.trigger({ workflowId: '19027', inputs: { n: 1 }, options: {} });
    const posts = requestsTo('/workflows/19027/run', 'POST');
    assert.equal(posts.length, 2);
    assert.equal(posts[0]?.headers['idempotency-key'], posts[1]?.headers['idempotency-key']);
    assert.equal(posts[0]?.body, posts[1]?.body);
    assert.equal(runsCreated(), 1);
    assert.match(snapshot.runId, /^\d+$/);
  });

  it('uses a fresh Idempotency-Key for each new run', async () => {
    const zuora = provider();
    await zuora.trigger({ workflowId: '19027', inputs: {}, options: {} });
    await zuora.trigger({ workflowId: '19027', inputs: {}, options: {} });
    const keys = requestsTo('/workflows/19027/run', 'POST').map((r) => r.headers['idempotency-key']);
    assert.equal(new Set(keys).size, 2);
    assert.equal(runsCreated(), 2);
  });

  it('retries reads on 503 and 429, honouring Retry-After', async () => {
    const zuora = provider();
    const { snapshot } = await zuora.trigger({ workflowId: '19027', inputs: {}, options: {} });
    emulator.injectFault({ platform: 'zuora', method: 'GET', path: /^\/workflows\/workflow_runs\/\d+$/, kind: 'status', status: 503, headers: { 'retry-after': '0' }, times: 2 });
    await zuora.getRun({ runId: snapshot.runId, workflowId: '19027' });
    assert.equal(requestsTo(/^\/workflows\/workflow_runs\/\d+$/, 'GET').length, 3);

    emulator.injectFault({ platform: 'zuora', method: 'GET', path: /^\/workflows\/workflow_runs\/\d+$/, kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    const started = Date.now();
    await zuora.getRun({ runId: snapshot.runId, workflowId: '19027' });
    assert.ok(Date.now() - started >= 900, 'waited as Retry-After asked');
    assert.equal(requestsTo(/^\/workflows\/workflow_runs\/\d+$/, 'GET').length, 5);
    assert.ok(logLines.some((line) => /will be retried in 1000 ms/.test(line)));
  });

  it('sends a "never" POST once, whatever happens to it', async () => {
    const post = (retry: 'never') =>
      http.request({
        method: 'POST',
        url: `${emulator.urls.zuora}/api/v1/workflows/19027/run`,
        endpoint: 'POST /api/v1/workflows/{id}/run',
        headers: { 'API-Token': 'demo-token' },
        json: {},
        schema: z.unknown(),
        retry,
        platform: 'Zuora',
      });
    emulator.injectFault({ platform: 'zuora', method: 'POST', kind: 'status', status: 503 });
    await assert.rejects(post('never'), isError((e) => e.status === 503));
    assert.equal(requestsTo('/api/v1/workflows/19027/run').length, 1);
    emulator.injectFault({ platform: 'zuora', method: 'POST', kind: 'afterProcess' });
    await assert.rejects(post('never'), isError((e) => e.kind === 'network' && !e.message.includes('demo-token')));
    assert.equal(requestsTo('/api/v1/workflows/19027/run').length, 2);
    assert.equal(runsCreated(), 1, 'the lost answer was a created run; it was not sent again');
  });

  it('explains an HTML error page', async () => {
    const zuora = provider();
    emulator.injectFault({ platform: 'zuora', method: 'GET', path: '/workflows', kind: 'html', status: 502, times: 10 });
    await assert.rejects(
      zuora.listWorkflows(undefined),
      isError((e) => e.kind === 'http' && e.status === 502 && /answered with an HTML page instead of JSON \(HTTP 502\)/.test(e.message) && !/nginx|<html/i.test(e.message)),
    );
    assert.equal(requestsTo('/workflows', 'GET').length, 4, 'a 502 on a read is retried up to maxAttempts');
  });

  it('names the field when a body does not match its schema', async () => {
    const zuora = provider();
    const { snapshot } = await zuora.trigger({ workflowId: '19027', inputs: {}, options: {} });
    emulator.injectFault({ platform: 'zuora', method: 'GET', path: /^\/workflows\/workflow_runs\/\d+$/, kind: 'badSchema' });
    await assert.rejects(
      zuora.getRun({ runId: snapshot.runId, workflowId: '19027' }),
      isError((e) => e.kind === 'schema' && e.message === 'GET /workflows/workflow_runs/{id}: field status expected string, got number'),
    );
  });

  it('times out a request that hangs, and aborts on request', async () => {
    const quick = createHttpClient({ log, requestTimeoutMs: 300 });
    try {
      const zuora = provider({}, 'demo-secret', quick);
      await zuora.getWorkflow('19027');
      emulator.injectFault({ platform: 'zuora', method: 'GET', path: '/workflows/19027', kind: 'hang' });
      await assert.rejects(zuora.getWorkflow('19027'), isError((e) => e.kind === 'timeout' && /did not answer GET \/workflows\/\{id\} within 0\.3 s/.test(e.message)));

      emulator.injectFault({ platform: 'zuora', method: 'GET', path: '/workflows/19027', kind: 'hang' });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const started = Date.now();
      await assert.rejects(zuora.getWorkflow('19027', controller.signal), isError((e) => e.kind === 'aborted'));
      assert.ok(Date.now() - started < 250);
    } finally {
      await quick.dispose();
    }
  });

  it('stops watching when aborted', async () => {
    const zuora = provider();
    const { snapshot } = await zuora.trigger({ workflowId: '19030', inputs: {}, options: {} });
    const controller = new AbortController();
    const seen: RunSnapshot[] = [];
    await assert.rejects(
      (async () => {
        for await (const s of zuora.watch({ runId: snapshot.runId, workflowId: '19030' }, controller.signal)) {
          seen.push(s);
          controller.abort();
        }
      })(),
    );
    assert.equal(seen.length, 1);
  });

  it('runs through the quickstart API with lower-case headers and {input_parameters}', async () => {
    const zuora = provider({ api: 'quickstart', baseUrl: `${emulator.urls.zuora}/v2` });
    const { snapshot } = await zuora.trigger({ workflowId: '19029', inputs: { accountNumber: 'A-9' }, options: {} });
    const post = requestsTo('/v2/workflows/19029/run', 'POST')[0];
    assert.ok(post);
    assert.deepEqual(JSON.parse(post.body), { input_parameters: { accountNumber: 'A-9' } });
    assert.ok(post.headers['idempotency-key'] && post.headers['zuora-track-id']);
    assert.ok(['queued', 'running'].includes(snapshot.status));
    assert.equal((await watchToEnd(zuora, snapshot)).at(-1)?.status, 'succeeded');
    assert.equal(requestsTo('/oauth/token', 'POST').length, 1, 'the token comes from the host root');
  });

  it('accepts an async quickstart run (202, request id only) without pretending to follow it', async () => {
    const zuora = provider({ api: 'quickstart', baseUrl: `${emulator.urls.zuora}/v2` });
    const { snapshot } = await zuora.trigger({ workflowId: '19027', inputs: {}, options: { async: true } });
    assert.equal(requestsTo('/v2/workflows/19027/run', 'POST')[0]?.headers.async, 'true');
    assert.equal(snapshot.status, 'queued');
    assert.equal(snapshot.handle?.asyncRequestId, snapshot.runId);
    await assert.rejects(zuora.getRun({ runId: snapshot.runId, workflowId: '19027', handle: snapshot.handle }), isError((e) => e.kind === 'config'));
    assert.equal(runsCreated(), 1);
  });

  it('rejects unknown $options before sending', async () => {
    const zuora = provider();
    await assert.rejects(zuora.trigger({ workflowId: '19027', inputs: {}, options: { asynch: true } }));
    assert.equal(requestsTo('/workflows/19027/run').length, 0);
  });

  it('runs through the callout endpoints with an API token or Basic auth: /sync waits, async /run is untracked', async () => {
    const token = provider({ auth: 'apiToken', clientId: undefined }, 'demo-token');
    // Without async, /sync holds the request until the run ends: the first snapshot is the last.
    const { snapshot } = await token.trigger({ workflowId: '19027', inputs: { a: 1 }, options: {} });
    assert.match(snapshot.runId, /^\d+$/);
    assert.equal(snapshot.status, 'succeeded');
    assert.equal(snapshot.tasks.success, 5);
    assert.equal(snapshot.untracked, undefined);
    const sync = requestsTo('/api/v1/workflows/19027/sync', 'POST')[0];
    assert.equal(sync?.headers['api-token'], 'demo-token');
    assert.equal(sync?.headers.authorization, undefined);
    await assert.rejects(token.listWorkflows(undefined), isError((e) => e.kind === 'config' && /cannot|not list workflows/.test(e.message)));
    await assert.rejects(token.getRun({ runId: snapshot.runId, workflowId: '19027' }), isError((e) => e.kind === 'config'));
    assert.match(await token.verify(), /will be checked on the first run/);

    // async: /run answers at once; the run cannot be read back, so it is recorded as untracked.
    const basic = provider({ auth: 'basic', username: 'demo', clientId: undefined }, 'demo-secret');
    const started = await basic.trigger({ workflowId: '19027', inputs: {}, options: { async: true } });
    assert.ok(['queued', 'running'].includes(started.snapshot.status));
    assert.match(started.snapshot.untracked ?? '', /cannot read runs back/);
    assert.equal(requestsTo('/api/v1/workflows/19027/run', 'POST').length, 1);
    assert.equal(runsCreated(), 2);

    const wrong = provider({ auth: 'apiToken', clientId: undefined }, 'nope-token');
    await assert.rejects(wrong.trigger({ workflowId: '19027', inputs: {}, options: {} }), isError((e) => e.kind === 'auth' && !e.message.includes('nope-token')));
    const disabled = provider({ auth: 'apiToken', clientId: undefined }, 'demo-token');
    await assert.rejects(disabled.trigger({ workflowId: '19032', inputs: {}, options: {} }), isError((e) => e.status === 400 && /Callout trigger/.test(e.message)));
  });
});
