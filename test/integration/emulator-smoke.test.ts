// Smoke test of the emulator's behaviour over time and under faults.
// Run: node --import tsx --test test/integration/emulator-smoke.test.ts
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import zlib from 'node:zlib';
import { before, describe, it } from 'node:test';
import { useEmulator, withEmulator } from '../helpers/emulator';

type Json = Record<string, unknown>;

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Body chunks exactly as they arrived (not decompressed). */
  chunks: Buffer[];
  body: Buffer;
  /** The connection ended without a complete response. */
  aborted: boolean;
}

/** A request over node:http that keeps the raw chunks (framing, gzip) visible. */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      let aborted = false;
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('aborted', () => (aborted = true));
      response.on('error', () => (aborted = true));
      response.on('close', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, chunks, body: Buffer.concat(chunks), aborted: aborted || !response.complete }));
    });
    request.on('error', (error) => {
      if (!answered) reject(error); // after the head arrived, a cut shows as `aborted`
    });
    if (options.timeoutMs) {
      // A deadline for the whole exchange (keep-alives would reset an idle timeout forever).
      const timer = setTimeout(() => request.destroy(new Error('client timeout')), options.timeoutMs);
      request.on('close', () => clearTimeout(timer));
    }
    request.end(options.body);
  });
}

/** A Dify streaming POST: resolves its first data event as soon as it arrives. */
function streaming(url: string, body: string): { first: Promise<Json>; done: Promise<Raw> } {
  let seen = '';
  let resolveFirst!: (event: Json) => void;
  const first = new Promise<Json>((resolve) => (resolveFirst = resolve));
  const done = new Promise<Raw>((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { authorization: 'Bearer app-demo', 'content-type': 'application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        seen += chunk.toString('utf8');
        const event = dataEvents(seen.split(/\r?\n\r?\n/).slice(0, -1).join('\n\n'))[0];
        if (event) resolveFirst(event);
      });
      response.on('close', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, chunks, body: Buffer.concat(chunks), aborted: !response.complete }));
    });
    request.on('error', reject);
    request.end(body);
  });
  return { first, done };
}

const json = (r: Raw): Json => JSON.parse(r.body.toString('utf8')) as Json;
const dataEvents = (text: string): Json[] =>
  text
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice(6)) as Json);
/**
 * The text up to the blank line that ends its last whole event. A stream cut mid-event ends in half
 * an event, whose half `data:` line may not parse (where the cut falls depends on the event's length).
 */
const wholeEvents = (text: string): string => {
  let end = 0;
  for (const match of text.matchAll(/\r?\n\r?\n/g)) end = match.index + match[0].length;
  return text.slice(0, end);
};

describe('emulator smoke', () => {
  const emulator = useEmulator({ pingIntervalMs: 100 });
  let token: string;
  const z = (p: string): string => emulator.urls.zuora + p;
  const d = (p: string): string => emulator.urls.dify + p;
  const b = (p: string): string => emulator.urls.b3os + p;
  const zuoraAuth = (): Record<string, string> => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const difyAuth = { authorization: 'Bearer app-demo', 'content-type': 'application/json' };
  const b3osAuth = { authorization: 'Bearer b3sk_demo', 'content-type': 'application/json' };

  async function newToken(): Promise<string> {
    const response = await raw(z('/oauth/token'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'client_id=demo-client&client_secret=demo-secret&grant_type=client_credentials' });
    assert.equal(response.status, 200);
    return json(response).access_token as string;
  }

  before(async () => {
    token = await newToken();
  });

  describe('progression over time', () => {
    it('a Zuora run goes Queued → Processing → Finished with tasks moving', async () => {
      const trigger = json(await raw(z('/workflows/19027/run'), { method: 'POST', headers: zuoraAuth(), body: '{}' }));
      assert.equal(trigger.status, 'Queued');
      const statuses = new Set<string>();
      let sawTaskProcessing = false;
      let last: Json = {};
      for (let i = 0; i < 100; i += 1) {
        last = json(await raw(z(`/workflows/workflow_runs/${trigger.id as number}`), { headers: zuoraAuth() }));
        statuses.add(String(last.status));
        if ((last.tasks as Json).processing === 1) sawTaskProcessing = true;
        if (last.status === 'Finished') break;
        await sleep(20);
      }
      assert.deepEqual([...statuses], ['Queued', 'Processing', 'Finished']);
      assert.ok(sawTaskProcessing);
      assert.deepEqual(last.tasks, { error: 0, pending: 0, processing: 0, queued: 0, stopped: 0, success: 5, total: 5 });
      assert.equal(typeof last.runTime, 'number');
      assert.match(String(last.cpuTime), /^\d\d:\d\d:\d\d$/);
      assert.match(String(last.finishedAt), / UTC$/);
    });

    it('a Zuora run with failing tasks is Finished with tasks.error > 0', async () => {
      const trigger = json(await raw(z('/workflows/19028/run'), { method: 'POST', headers: zuoraAuth(), body: '{}' }));
      let run: Json = {};
      for (let i = 0; i < 100 && run.status !== 'Finished'; i += 1) {
        await sleep(30);
        run = json(await raw(z(`/workflows/workflow_runs/${trigger.id as number}`), { headers: zuoraAuth() }));
      }
      assert.equal(run.status, 'Finished');
      assert.equal((run.tasks as Json).error, 2);
      assert.ok((run.messages as string[]).length >= 2);
      const tasks = json(await raw(z(`/workflows/tasks?workflow_id=${trigger.id as number}`), { headers: zuoraAuth() })).data as Json[];
      const failed = tasks.find((task) => task.status === 'Error')!;
      const rerun = await raw(z(`/workflows/tasks/${failed.id as number}/rerun`), { method: 'POST', headers: zuoraAuth() });
      assert.equal(json(rerun).status, 'Queued');
      await sleep(150);
      const after = json(await raw(z(`/workflows/workflow_runs/${trigger.id as number}`), { headers: zuoraAuth() }));
      assert.equal((after.tasks as Json).error, 1, 'the rerun task succeeded');
    });

    it('stopping a long Zuora run: Stopping, then Stopped with stopped tasks', async () => {
      const trigger = json(await raw(z('/workflows/19030/run'), { method: 'POST', headers: zuoraAuth(), body: '{}' }));
      await sleep(150);
      const stopping = await raw(z(`/workflows/workflow_runs/${trigger.id as number}/stop`), { method: 'PUT', headers: zuoraAuth() });
      assert.equal(stopping.status, 200);
      assert.equal(json(stopping).status, 'Stopping');
      await sleep(100);
      const stopped = json(await raw(z(`/workflows/workflow_runs/${trigger.id as number}`), { headers: zuoraAuth() }));
      assert.equal(stopped.status, 'Stopped');
      assert.ok(((stopped.tasks as Json).stopped as number) > 0);
      const again = await raw(z(`/workflows/workflow_runs/${trigger.id as number}/stop`), { method: 'PUT', headers: zuoraAuth() });
      assert.equal(again.status, 400);
    });

    it('a Dify stream takes its time and a stopped slow run ends `stopped`', async () => {
      const started = Date.now();
      const normal = await raw(d('/workflows/run'), { method: 'POST', headers: difyAuth, body: JSON.stringify({ inputs: { topic: 't' }, user: 'smoke', response_mode: 'streaming' }) });
      const elapsed = Date.now() - started;
      assert.ok(elapsed > 120 && elapsed < 2000, `~4 s / 20 of streaming, took ${elapsed} ms`);
      assert.equal(dataEvents(normal.body.toString()).at(-1)!.event, 'workflow_finished');

      const slow = streaming(d('/workflows/run'), JSON.stringify({ inputs: { topic: 't', scenario: 'slow' }, user: 'smoke', response_mode: 'streaming' }));
      const first = await slow.first;
      assert.equal(first.event, 'workflow_started');
      await sleep(150);
      const detail = json(await raw(d(`/workflows/run/${first.workflow_run_id as string}`), { headers: difyAuth }));
      assert.equal(detail.status, 'running');
      const stop = await raw(d(`/workflows/tasks/${first.task_id as string}/stop`), { method: 'POST', headers: difyAuth, body: JSON.stringify({ user: 'smoke' }) });
      assert.deepEqual(json(stop), { result: 'success' });
      const events = dataEvents((await slow.done).body.toString());
      const final = events.at(-1)!;
      assert.equal(final.event, 'workflow_finished');
      assert.equal((final.data as Json).status, 'stopped');
      assert.ok(events.some((e) => e.event === 'node_finished' && (e.data as Json).status === 'stopped'), 'the running node is stopped');
      const after = json(await raw(d(`/workflows/run/${first.workflow_run_id as string}`), { headers: difyAuth }));
      assert.equal(after.status, 'stopped');
    });

    it('a B3OS stream opened before the run sees run_started and the whole run', async () => {
      const runId = `run_smoke${Date.now().toString(36)}`;
      const stream = raw(b(`/v1/runs/${runId}/stream`), { headers: b3osAuth });
      await sleep(250); // a few pings go by first
      const trigger = await raw(b('/v1/workflows/wf_9k2m4x7q1b3n/run'), { method: 'POST', headers: b3osAuth, body: JSON.stringify({ runId, payload: { amount: 1 } }) });
      assert.equal(trigger.status, 200);
      const text = (await stream).body.toString();
      const names = [...text.matchAll(/^event: (\S+)/gm)].map((m) => m[1]);
      assert.equal(names[0], 'ping', 'keep-alives while the run does not exist');
      const real = names.filter((n) => n !== 'ping');
      assert.equal(real[0], 'run_started');
      assert.equal(real.at(-1), 'run_completed');
      assert.ok(real.includes('node_skipped'));
      const run = json(await raw(b(`/v1/runs/${runId}`), { headers: b3osAuth })).data as Json;
      assert.equal(run.status, 'success');
      const states = Object.values(run.executionState as Record<string, Json>).map((node) => node.status);
      assert.ok(states.includes('skipped') && states.includes('success'));
    });

    it('a waiting B3OS run stays waiting until cancelled', async () => {
      const runId = (json(await raw(b('/v1/workflows/wf_1q6w3e8r5t2y/run'), { method: 'POST', headers: b3osAuth, body: '{}' })).data as Json).runId as string;
      await sleep(200);
      const waiting = json(await raw(b(`/v1/runs/${runId}`), { headers: b3osAuth })).data as Json;
      assert.equal(waiting.status, 'waiting');
      assert.equal((waiting.executionState as Record<string, Json>).wait_payment!.status, 'waiting');
      const cancelled = json(await raw(b(`/v1/runs/${runId}/cancel`), { method: 'POST', headers: b3osAuth })).data as Json;
      assert.equal(cancelled.status, 'cancelled');
      assert.equal((cancelled.executionState as Record<string, Json>).wait_payment!.status, 'cancelled');
    });
  });

  describe('auth refusals', () => {
    it('each platform refuses a wrong credential its own way', async () => {
      const zuora = await raw(z('/workflows'), { headers: { authorization: 'Bearer wrong' } });
      assert.equal(zuora.status, 401);
      assert.equal(json(zuora).type, 'authentication_error');
      assert.equal(json(zuora).retryable, false);
      const callout = await raw(z('/api/v1/workflows/19027/run'), { method: 'POST', headers: { 'api-token': 'wrong' }, body: '{}' });
      assert.equal(callout.status, 401);
      const dify = await raw(d('/info'), { headers: { authorization: 'Bearer app-wrong' } });
      assert.deepEqual(json(dify), { code: 'unauthorized', message: 'Access token is invalid', status: 401 });
      const b3os = await raw(b('/v1/workflows'), { headers: { authorization: 'Bearer nope' } });
      assert.equal(b3os.status, 401);
      assert.deepEqual(Object.keys(json(b3os)).sort(), ['code', 'details', 'message', 'requestId']);
      assert.equal(json(b3os).requestId, b3os.headers['x-request-id']);
    });

    it('Zuora: callout by API token and Basic; disabled callout is 400; tokens die on reset', async () => {
      const byToken = await raw(z('/api/v1/workflows/19027/run'), { method: 'POST', headers: { 'api-token': 'demo-token' }, body: '{}' });
      assert.equal(byToken.status, 200);
      const basic = `Basic ${Buffer.from('demo:demo-secret').toString('base64')}`;
      const sync = await raw(z('/api/v1/workflows/19031/sync'), { headers: { authorization: basic } });
      assert.equal(sync.status, 200);
      assert.equal(json(sync).status, 'Finished', '/sync answers when the run has ended');
      const disabled = await raw(z('/api/v1/workflows/19032/run'), { method: 'POST', headers: { 'api-token': 'demo-token' }, body: '{}' });
      assert.equal(disabled.status, 400);
      const expiring = await newToken();
      emulator.reset();
      const after = await raw(z('/workflows'), { headers: { authorization: `Bearer ${expiring}` } });
      assert.equal(after.status, 401, 'reset forgets issued tokens');
      assert.equal(emulator.requests.length, 1, 'reset cleared the request log');
      assert.equal(emulator.runsCreated('zuora'), 0);
      token = await newToken();
    });

    it('Zuora: the token endpoint answers 429 with Retry-After when asked too often', async () => {
      let limited: Raw | undefined;
      for (let i = 0; i < 25 && !limited; i += 1) {
        const response = await raw(z('/oauth/token'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'client_id=demo-client&client_secret=demo-secret&grant_type=client_credentials' });
        if (response.status === 429) limited = response;
      }
      assert.ok(limited, 'a 429 came');
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      assert.equal(json(limited).type, 'rate_limit_error');
      emulator.reset(); // forget the burst for the other tests
      token = await newToken();
    });
  });

  describe('paging', () => {
    it('Zuora lists 2 pages at page_length 50; over 50 is refused', async () => {
      const first = json(await raw(z('/workflows?page_length=50'), { headers: zuoraAuth() }));
      assert.equal((first.data as Json[]).length, 50);
      const next = (first.pagination as Json).next_page as string;
      assert.match(next, /page=2/);
      const second = json(await raw(next, { headers: zuoraAuth() }));
      assert.ok((second.data as Json[]).length >= 5);
      assert.equal((second.pagination as Json).next_page, null);
      assert.equal((await raw(z('/workflows?page_length=51'), { headers: zuoraAuth() })).status, 400);
      const named = json(await raw(z(`/workflows?name=${encodeURIComponent('<b>run</b>')}`), { headers: zuoraAuth() }));
      assert.equal((named.data as Json[])[0]!.name, '<img src=x onerror=alert(1)> Billing <b>run</b>');
    });

    it('B3OS pages with limit/offset and clamps limit to 100', async () => {
      const page = json(await raw(b('/v1/workflows?limit=10&offset=20'), { headers: b3osAuth })).data as Json;
      assert.equal((page.items as Json[]).length, 8);
      assert.equal(page.hasMore, false);
      assert.equal((json(await raw(b('/v1/workflows?limit=500'), { headers: b3osAuth })).data as Json).limit, 100);
    });
  });

  describe('idempotency', () => {
    it('Zuora: a repeated Idempotency-Key returns the same run and creates one', async () => {
      const before = emulator.runsCreated('zuora');
      const headers = { ...zuoraAuth(), 'idempotency-key': `smoke-${Date.now()}` };
      const first = json(await raw(z('/workflows/19027/run'), { method: 'POST', headers, body: '{"a":1}' }));
      const second = json(await raw(z('/workflows/19027/run'), { method: 'POST', headers, body: '{"a":1}' }));
      assert.equal(second.id, first.id);
      assert.equal(emulator.runsCreated('zuora') - before, 1);
      const other = await raw(z('/workflows/19027/run'), { method: 'POST', headers, body: '{"a":2}' });
      assert.equal(other.status, 409);
    });

    it('Zuora: afterProcess creates the run, loses the answer; the retry with the key gets it', async () => {
      const before = emulator.runsCreated('zuora');
      const headers = { ...zuoraAuth(), 'idempotency-key': `lost-${Date.now()}` };
      emulator.injectFault({ platform: 'zuora', method: 'POST', path: '/workflows/19027/run', kind: 'afterProcess' });
      await assert.rejects(raw(z('/workflows/19027/run'), { method: 'POST', headers, body: '{}' }));
      assert.equal(emulator.runsCreated('zuora') - before, 1);
      const retry = await raw(z('/workflows/19027/run'), { method: 'POST', headers, body: '{}' });
      assert.equal(retry.status, 200);
      assert.equal(emulator.runsCreated('zuora') - before, 1, 'still one run');
    });

    it('B3OS: a repeated runId creates no second run', async () => {
      const before = emulator.runsCreated('b3os');
      const body = JSON.stringify({ runId: `run_idem${Date.now().toString(36)}` });
      const first = await raw(b('/v1/workflows/wf_9k2m4x7q1b3n/run'), { method: 'POST', headers: b3osAuth, body });
      const second = await raw(b('/v1/workflows/wf_9k2m4x7q1b3n/run'), { method: 'POST', headers: b3osAuth, body });
      assert.equal(first.status, 200);
      assert.deepEqual(json(second).data, json(first).data);
      assert.equal(emulator.runsCreated('b3os') - before, 1);
    });
  });

  describe('wire details', () => {
    it('Zuora gzips bodies over 1,000 bytes when asked, and not small ones', async () => {
      const big = await raw(z('/workflows?page_length=50'), { headers: { ...zuoraAuth(), 'accept-encoding': 'gzip' } });
      assert.equal(big.headers['content-encoding'], 'gzip');
      const parsed = JSON.parse(zlib.gunzipSync(big.body).toString('utf8')) as Json;
      assert.equal((parsed.data as Json[]).length, 50);
      const small = await raw(z('/workflows/19027'), { headers: { ...zuoraAuth(), 'accept-encoding': 'gzip' } });
      assert.equal(small.headers['content-encoding'], undefined);
      const plain = await raw(z('/workflows?page_length=50'), { headers: zuoraAuth() });
      assert.equal(plain.headers['content-encoding'], undefined);
    });

    it('Zuora echoes Zuora-Track-Id and refuses a malformed one', async () => {
      const ok = await raw(z('/workflows/19027'), { headers: { ...zuoraAuth(), 'zuora-track-id': 'trace-42' } });
      assert.equal(ok.headers['zuora-track-id'], 'trace-42');
      assert.ok(ok.headers['zuora-request-id']);
      assert.ok(ok.headers['ratelimit-remaining']);
      const bad = await raw(z('/workflows/19027'), { headers: { ...zuoraAuth(), 'zuora-track-id': 'a:b' } });
      assert.equal(bad.status, 400);
    });

    it('Dify SSE framing: events split mid-line across chunks, some CRLF, pings in long silences', async () => {
      const response = await raw(d('/workflows/run'), { method: 'POST', headers: difyAuth, body: JSON.stringify({ inputs: { topic: 'frame' }, user: 'smoke', response_mode: 'streaming' }) });
      assert.match(String(response.headers['content-type']), /^text\/event-stream/);
      const chunks = response.chunks.map((c) => c.toString('utf8'));
      assert.ok(chunks.some((c) => !c.endsWith('\n')), 'some chunk ends mid-line');
      const text = chunks.join('');
      assert.ok(text.includes('\r\n'), 'some events use CRLF');
      assert.ok(text.includes('\n\n'), 'some use LF');
      const events = dataEvents(text);
      assert.ok(events.filter((e) => e.event === 'text_chunk').length >= 5);
      assert.equal(events.at(-1)!.event, 'workflow_finished');
      // The llm node of a normal run streams ~2.4 s / 20 = 120 ms: with 100 ms pings a slow run shows them.
      const slow = raw(d('/workflows/run'), { method: 'POST', headers: difyAuth, body: JSON.stringify({ inputs: { topic: 'frame', scenario: 'pause' }, user: 'smoke', response_mode: 'streaming' }) });
      const paused = (await slow).body.toString();
      assert.equal(dataEvents(paused).at(-1)!.event, 'workflow_paused');
    });

    it('Dify sends `event: ping` keep-alives while a run is quiet', async () => {
      // At speed 1 the slow scenario's text chunks are 1.5 s apart: 100 ms pings fill the silence.
      await withEmulator({ speed: 1, pingIntervalMs: 100 }, async (slowEmulator) => {
        const seen: string[] = [];
        await new Promise<void>((resolve) => {
          const request = http.request(`${slowEmulator.urls.dify}/workflows/run`, { method: 'POST', headers: difyAuth }, (response) => {
            response.on('data', (chunk: Buffer) => seen.push(chunk.toString('utf8')));
            setTimeout(() => {
              request.destroy();
              resolve();
            }, 700);
          });
          request.end(JSON.stringify({ inputs: { topic: 'ping', scenario: 'slow' }, user: 'smoke', response_mode: 'streaming' }));
        });
        const pings = seen.join('').match(/^event: ping\n\n/gm) ?? [];
        assert.ok(pings.length >= 3, `pings seen: ${pings.length}`);
      });
    });
  });

  describe('faults', () => {
    it('status with a platform error body and Retry-After; html; reset; hang', async () => {
      emulator.injectFault({ platform: 'b3os', path: /^\/v1\/workflows$/, kind: 'status', status: 429 });
      const limited = await raw(b('/v1/workflows'), { headers: b3osAuth });
      assert.equal(limited.status, 429);
      assert.equal(limited.headers['retry-after'], '1');
      assert.equal(json(limited).code, 429);
      assert.equal((await raw(b('/v1/workflows'), { headers: b3osAuth })).status, 200, 'one use only');

      emulator.injectFault({ platform: 'dify', path: '/info', kind: 'html', times: 2 });
      const html = await raw(d('/info'), { headers: difyAuth });
      assert.equal(html.status, 502);
      assert.match(String(html.headers['content-type']), /text\/html/);
      assert.equal((await raw(d('/info'), { headers: difyAuth })).status, 502, 'times: 2');

      emulator.injectFault({ platform: 'zuora', method: 'GET', path: '/workflows/19027', kind: 'reset' });
      await assert.rejects(raw(z('/workflows/19027'), { headers: zuoraAuth() }));

      emulator.injectFault({ platform: 'zuora', path: '/workflows/19027', kind: 'hang' });
      await assert.rejects(raw(z('/workflows/19027'), { headers: zuoraAuth(), timeoutMs: 150 }), /client timeout/);
    });

    it('badSchema retypes a field of the real answer', async () => {
      emulator.injectFault({ platform: 'zuora', path: /workflow_runs/, kind: 'badSchema' });
      const trigger = json(await raw(z('/workflows/19027/run'), { method: 'POST', headers: zuoraAuth(), body: '{}' }));
      const run = json(await raw(z(`/workflows/workflow_runs/${trigger.id as number}`), { headers: zuoraAuth() }));
      assert.equal(typeof run.status, 'number');
      assert.equal(run.id, trigger.id);
    });

    it('truncateStream cuts a stream before its final event; the run itself completes', async () => {
      emulator.injectFault({ platform: 'dify', path: '/workflows/run', kind: 'truncateStream' });
      const cut = await raw(d('/workflows/run'), { method: 'POST', headers: difyAuth, body: JSON.stringify({ inputs: { topic: 'cut' }, user: 'smoke', response_mode: 'streaming' }) });
      assert.ok(cut.aborted, 'the connection dropped');
      const events = dataEvents(wholeEvents(cut.body.toString()));
      assert.ok(events.length >= 1 && events.length <= 2);
      assert.ok(!events.some((e) => e.event === 'workflow_finished'));
      await sleep(400);
      const detail = json(await raw(d(`/workflows/run/${events[0]!.workflow_run_id as string}`), { headers: difyAuth }));
      assert.equal(detail.status, 'succeeded');
    });

    it('streamNeverEnds sends keep-alives only', async () => {
      emulator.injectFault({ platform: 'b3os', path: /\/stream$/, kind: 'streamNeverEnds' });
      const runId = (json(await raw(b('/v1/workflows/wf_9k2m4x7q1b3n/run'), { method: 'POST', headers: b3osAuth, body: '{}' })).data as Json).runId as string;
      const stream = await raw(b(`/v1/runs/${runId}/stream`), { headers: b3osAuth, timeoutMs: 450 });
      assert.equal(stream.status, 200);
      assert.ok(stream.aborted, 'it never ended by itself: the client gave up');
      const names = [...stream.body.toString().matchAll(/^event: (\S+)/gm)].map((m) => m[1]);
      assert.ok(names.length >= 2);
      assert.ok(names.every((name) => name === 'ping'), `only pings: ${names.join(',')}`);
      const run = json(await raw(b(`/v1/runs/${runId}`), { headers: b3osAuth })).data as Json;
      assert.equal(run.status, 'success', 'the run went on regardless');
    });

    it('afterProcess on a B3OS trigger creates the run and drops the answer', async () => {
      const before = emulator.runsCreated('b3os');
      emulator.injectFault({ platform: 'b3os', method: 'POST', path: /\/run$/, kind: 'afterProcess' });
      await assert.rejects(raw(b('/v1/workflows/wf_9k2m4x7q1b3n/run'), { method: 'POST', headers: b3osAuth, body: '{}' }));
      assert.equal(emulator.runsCreated('b3os') - before, 1);
    });

    it('records requests with lower-cased headers, query and body text', async () => {
      const mark = emulator.requests.length;
      await raw(d('/workflows/logs?limit=2&page=1'), { headers: { Authorization: 'Bearer app-demo', 'X-Custom': 'yes' } });
      const recorded = emulator.requests[mark]!;
      assert.equal(recorded.platform, 'dify');
      assert.equal(recorded.method, 'GET');
      assert.equal(recorded.path, '/v1/workflows/logs');
      assert.deepEqual(recorded.query, { limit: '2', page: '1' });
      assert.equal(recorded.headers['x-custom'], 'yes');
      await raw(b('/v1/workflows/wf_9k2m4x7q1b3n/run'), { method: 'POST', headers: b3osAuth, body: '{"payload":{"k":1}}' });
      assert.equal(emulator.requests.at(-1)!.body, '{"payload":{"k":1}}');
    });
  });

  describe('cli', () => {
    it('prints one line per platform, serves, and exits cleanly on SIGTERM', async () => {
      const root = path.resolve(__dirname, '..', '..');
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/emulator/cli.ts', '--port', '0', '--quiet'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      for (let i = 0; i < 200 && out.split('\n').length < 4; i += 1) await sleep(50);
      const lines = out.trim().split('\n');
      assert.equal(lines.length, 3);
      assert.match(lines[0]!, /^zuora http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(lines[1]!, /^dify http:\/\/127\.0\.0\.1:\d+\/v1$/);
      assert.match(lines[2]!, /^b3os http:\/\/127\.0\.0\.1:\d+$/);
      const info = await raw(`${lines[1]!.split(' ')[1]}/info`, { headers: difyAuth });
      assert.equal(info.status, 200);
      const code = await new Promise<number | null>((resolve) => {
        child.on('exit', (c) => resolve(c));
        child.kill('SIGTERM');
      });
      assert.equal(code, 0);
    });
  });
});
