// The emulator's fault mode itself: the HTTP control endpoint (what out-of-process tests use),
// repeat counts, trigger counting, and that the hostile bodies are what they claim to be.
import { strict as assert } from 'node:assert';
import http from 'node:http';
import zlib from 'node:zlib';
import { after, afterEach, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../emulator/index';
import { remoteEmulator, type RemoteEmulator } from '../emulator/remote';

describe('emulator fault mode', () => {
  let emulator: Emulator;
  let remote: RemoteEmulator;
  before(async () => {
    emulator = await startEmulator({ speed: 20, quiet: true, pingIntervalMs: 100 });
    remote = remoteEmulator(emulator.urls);
  });
  afterEach(() => emulator.clearFaults());
  after(async () => {
    await emulator.close();
  });

  const b3os = (path: string, init: RequestInit = {}) =>
    fetch(`${emulator.urls.b3os}${path}`, { ...init, headers: { authorization: 'Bearer b3sk_demo', 'content-type': 'application/json', ...init.headers } });

  it('a fault set over HTTP (RegExp path, n times) applies, then lapses; control calls are not recorded', async () => {
    const before = emulator.requests.length;
    await remote.injectFault({ platform: 'b3os', method: 'GET', path: /^\/v1\/workflows$/, kind: 'status', status: 503, retryAfterSeconds: 7, times: 2 });
    assert.equal(emulator.requests.length, before);
    for (let i = 0; i < 2; i++) {
      const response = await b3os('/v1/workflows');
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('retry-after'), '7');
    }
    assert.equal((await b3os('/v1/workflows')).status, 200);
  });

  it("'always' lasts until cleared, over HTTP too; Retry-After can be an HTTP date", async () => {
    await remote.injectFault({ platform: 'dify', path: '/info', kind: 'status', status: 429, retryAfterSeconds: 30, retryAfterFormat: 'date', times: 'always' });
    const info = () => fetch(`${emulator.urls.dify}/info`, { headers: { authorization: 'Bearer app-demo' } });
    for (let i = 0; i < 3; i++) {
      const response = await info();
      assert.equal(response.status, 429);
      const date = Date.parse(response.headers.get('retry-after') ?? '');
      assert.ok(date > Date.now() + 25_000 && date <= Date.now() + 31_000);
    }
    await remote.clearFaults('dify');
    assert.equal((await info()).status, 200);
  });

  it('a bad control request is refused with a reason', async () => {
    const response = await fetch(`${new URL(emulator.urls.zuora).origin}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ kind: 'nonsense' }) });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { error: string }).error, /unknown fault kind/);
  });

  it('triggers are counted per client run id on B3OS, in process and over HTTP', async () => {
    const runId = `run_faults${Date.now()}`;
    emulator.injectFault({ platform: 'b3os', method: 'POST', path: /\/run$/, kind: 'afterProcess' });
    await assert.rejects(b3os('/v1/workflows/wf_9k2m4x7q1b3n/run', { method: 'POST', body: JSON.stringify({ runId }) }));
    assert.equal((await b3os('/v1/workflows/wf_9k2m4x7q1b3n/run', { method: 'POST', body: JSON.stringify({ runId }) })).status, 200);
    const counted = (await remote.triggers('b3os')).find((t) => t.key === runId);
    assert.deepEqual(counted, { key: runId, requests: 2, runs: 1 });
    assert.deepEqual(emulator.triggers('b3os').find((t) => t.key === runId), counted);
  });

  it('hugeBody is valid JSON of the size asked for', async () => {
    emulator.injectFault({ platform: 'b3os', path: '/v1/workflows', kind: 'hugeBody', sizeBytes: 3 * 1024 * 1024 });
    const text = await (await b3os('/v1/workflows')).text();
    assert.ok(text.length >= 3 * 1024 * 1024);
    assert.equal((JSON.parse(text) as { code: number }).code, 200);
  });

  it('gzipBomb is a small body that inflates to the size asked for, and stays valid JSON', async () => {
    emulator.injectFault({ platform: 'b3os', path: '/v1/workflows', kind: 'gzipBomb', sizeBytes: 50 * 1024 * 1024 });
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const url = new URL(`${emulator.urls.b3os}/v1/workflows`);
      http.get(url, { headers: { authorization: 'Bearer b3sk_demo' } }, (res) => {
        assert.equal(res.headers['content-encoding'], 'gzip');
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      }).on('error', reject);
    });
    assert.ok(raw.length < 200 * 1024, `${raw.length} bytes on the wire`);
    const inflated = zlib.gunzipSync(raw);
    assert.ok(inflated.length >= 50 * 1024 * 1024);
    assert.equal((JSON.parse(inflated.toString('utf8')) as { code: number }).code, 200);
  });

  it('endlessSseLine on a stream: a data line that keeps growing, never a line end', async () => {
    emulator.injectFault({ platform: 'b3os', path: /\/stream$/, kind: 'endlessSseLine' });
    const controller = new AbortController();
    const response = await b3os('/v1/runs/run_endless1/stream', { signal: controller.signal });
    const reader = response.body!.getReader();
    let text = '';
    while (text.length < 1024 * 1024) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    assert.ok(text.startsWith('data: x'));
    assert.ok(!/[\r\n]/.test(text));
  });

  it('slowHeaders delays the answer of work already done', async () => {
    emulator.injectFault({ platform: 'b3os', method: 'POST', path: /\/run$/, kind: 'slowHeaders', delayMs: 400 });
    const created = emulator.runsCreated('b3os');
    const started = Date.now();
    const pending = b3os('/v1/workflows/wf_9k2m4x7q1b3n/run', { method: 'POST', body: '{}' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(emulator.runsCreated('b3os'), created + 1, 'the run exists before the answer');
    assert.equal((await pending).status, 200);
    assert.ok(Date.now() - started >= 380);
  });
});
