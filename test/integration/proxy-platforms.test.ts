// The three platforms through a real proxy, with the real HTTP client and adapters: the emulator
// serves https with a certificate from a CA the tests make, Debian's tinyproxy stands in front of
// it (with and without Basic authentication). tinyproxy connects out from its own loopback address
// (127.0.0.3 / 127.0.0.4), so every connection the emulator accepted says where it came from: from
// the proxy, or directly from the client (127.0.0.1). Its log counts the tunnels.
import { strict as assert } from 'node:assert';
import { after, before, describe, it, type TestContext } from 'node:test';
import { createHttpClient, type DisposableHttpClient, type NetworkConnection } from '../../src/client/http';
import type { NetworkSettings, ProxyEnvironment } from '../../src/client/network';
import { createB3osProvider } from '../../src/providers/b3os/adapter';
import { createDifyProvider } from '../../src/providers/dify/adapter';
import type { RunSnapshot } from '../../src/providers/model';
import type { ProviderContext, TriggeredRun, WorkflowProvider } from '../../src/providers/provider';
import { ProviderPool } from '../../src/providers/pool';
import { findPlatform } from '../../src/providers/registry';
import { createZuoraProvider } from '../../src/providers/zuora/adapter';
import { startEmulator, type Emulator, type Platform } from '../emulator/index';
import { isTinyproxyInstalled, startProxy, type TestProxy } from '../harness/proxy';
import { createTestPki, type TestPki } from '../harness/tls';
import { eventually } from '../helpers/eventually';
import { silentLog } from '../helpers/log';

const skip = isTinyproxyInstalled() ? false : 'tinyproxy is not installed (apt-get install tinyproxy)';
const user = 'bob';
const password = 'tunnel-pa55';
const openProxyAddress = '127.0.0.3';
const authProxyAddress = '127.0.0.4';

interface Accepted {
  platform: Platform;
  from: string;
}

describe('the three platforms through a real proxy, over https', { skip }, () => {
  let pki: TestPki;
  let emulator: Emulator;
  let openProxy: TestProxy;
  let authProxy: TestProxy;
  const accepted: Accepted[] = [];
  const clients: DisposableHttpClient[] = [];

  before(async () => {
    pki = createTestPki();
    [emulator, openProxy, authProxy] = await Promise.all([
      startEmulator({ tls: pki.server, speed: 20, quiet: true, pingIntervalMs: 200, onConnection: (platform, from) => accepted.push({ platform, from }) }),
      startProxy({ outgoingAddress: openProxyAddress }),
      startProxy({ auth: { user, password }, outgoingAddress: authProxyAddress }),
    ]);
  });

  after(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await Promise.all([emulator?.close(), openProxy?.stop(), authProxy?.stop()]);
    pki?.remove();
  });

  function client(settings: NetworkSettings, env: ProxyEnvironment = {}): DisposableHttpClient {
    // In-process Node cannot take NODE_EXTRA_CA_CERTS after its start: the test CA is given directly.
    const network: NetworkConnection = { settings, env, extraCaCertificates: [pki.caCert] };
    const made = createHttpClient({ log: silentLog, requestTimeoutMs: 10_000, network });
    clients.push(made);
    return made;
  }

  function providers(http: DisposableHttpClient): Record<Platform, WorkflowProvider> {
    const context = (platform: Platform, baseUrl: string, credential: string, extra: Record<string, unknown> = {}): ProviderContext => ({
      connection: { name: `${platform}-proxied`, platform, baseUrl, ...extra } as ProviderContext['connection'],
      getCredential: async () => credential,
      http,
      log: silentLog,
      machineId: 'proxy-test',
      pollIntervalMs: 50,
    });
    return {
      zuora: createZuoraProvider(context('zuora', emulator.urls.zuora, 'demo-secret', { clientId: 'demo-client' })),
      dify: createDifyProvider(context('dify', emulator.urls.dify, 'app-demo'), { idleTimeoutMs: 5_000 }),
      b3os: createB3osProvider(context('b3os', emulator.urls.b3os, 'b3sk_demo'), { idleTimeoutMs: 5_000 }),
    };
  }

  async function toTheEnd(provider: WorkflowProvider, run: TriggeredRun): Promise<RunSnapshot> {
    let last = run.snapshot;
    const updates = run.updates ?? provider.watch({ runId: last.runId, workflowId: last.workflowId, handle: last.handle }, AbortSignal.timeout(20_000));
    for await (const snapshot of updates) last = snapshot;
    return last;
  }

  /** What a user does on each platform: check, list, inputs, run to the end (streams included), stop, read. */
  async function everything(set: Record<Platform, WorkflowProvider>): Promise<void> {
    const { zuora, dify, b3os } = set;
    await Promise.all([zuora.verify(), dify.verify(), b3os.verify()]);
    const b3osWorkflows = (await b3os.listWorkflows(undefined)).items;
    assert.ok((await zuora.listWorkflows(undefined)).items.length > 0);
    assert.deepEqual((await dify.listWorkflows(undefined)).items.map((item) => item.id), ['default']);
    await dify.describeInputs('default');
    const b3osWorkflow = b3osWorkflows.find((item) => item.runnable !== false && item.status === 'active') ?? b3osWorkflows[0]!;

    // Zuora: trigger then polls; Dify: a streaming run; B3OS: the follow stream.
    const [zuoraEnd, difyEnd, b3osEnd] = await Promise.all([
      zuora.trigger({ workflowId: '19027', inputs: { region: 'EU' }, options: {} }).then((run) => toTheEnd(zuora, run)),
      dify.trigger({ workflowId: 'default', inputs: { topic: 'proxied' }, options: {} }).then((run) => toTheEnd(dify, run)),
      b3os.trigger({ workflowId: b3osWorkflow.id, inputs: {}, options: {} }).then((run) => toTheEnd(b3os, run)),
    ]);
    assert.deepEqual([zuoraEnd.status, difyEnd.status, b3osEnd.status], ['succeeded', 'succeeded', 'succeeded']);
    assert.equal((await zuora.getRun({ runId: zuoraEnd.runId, workflowId: '19027' })).status, 'succeeded');

    // Stops: Zuora's PUT …/stop, B3OS's cancel, Dify's task stop (on a streaming run).
    const zuoraRun = await zuora.trigger({ workflowId: '19030', inputs: {}, options: {} });
    await zuora.stop({ runId: zuoraRun.snapshot.runId, workflowId: '19030' });
    const b3osRun = await b3os.trigger({ workflowId: b3osWorkflow.id, inputs: { scenario: 'slow' }, options: {} });
    const difyRun = await dify.trigger({ workflowId: 'default', inputs: { topic: 'stop me' }, options: {} });
    await dify.stop({ runId: difyRun.snapshot.runId, workflowId: 'default', handle: difyRun.snapshot.handle });
    await toTheEnd(dify, difyRun);
    assert.equal((await stopWhenRunning(b3os, b3osRun)).status, 'stopped');
  }

  async function stopWhenRunning(b3os: WorkflowProvider, run: TriggeredRun): Promise<RunSnapshot> {
    const ref = { runId: run.snapshot.runId, workflowId: run.snapshot.workflowId };
    let last = run.snapshot;
    let stopped = false;
    for await (const snapshot of run.updates!) {
      last = snapshot;
      if (!stopped && snapshot.status === 'running') {
        stopped = true;
        await b3os.stop(ref);
      }
    }
    return last;
  }

  /**
   * Runs everything with `settings`, then checks: each platform was reached, every connection the
   * emulator accepted came from the proxy's address, and the proxy logged one tunnel per connection.
   */
  async function throughProxy(t: TestContext, settings: NetworkSettings, proxy: TestProxy, from: string, env: ProxyEnvironment = {}): Promise<void> {
    const requestMark = emulator.requests.length;
    const connectionMark = accepted.length;
    const proxyMark = proxy.mark();
    const started = Date.now();
    const http = client(settings, env);
    await everything(providers(http));
    const ms = Date.now() - started;
    // Closing the client ends connections still being opened (an adapter's request it no longer needed).
    await http.dispose();
    const requests = emulator.requests.slice(requestMark);
    const emulatorHosts = new Set(Object.values(emulator.urls).map((url) => new URL(url).host));
    const tunnelsSeen = () => proxy.requestsSince(proxyMark).filter((request) => request.method === 'CONNECT' && emulatorHosts.has(request.target));
    // tinyproxy logs a tunnel a moment before the emulator accepts it (or after): compare once both settled.
    const connections = await eventually(() => accepted.slice(connectionMark), {
      until: (seen) => seen.length === tunnelsSeen().length,
      timeoutMs: 3_000,
      what: 'as many connections accepted as tunnels logged',
    }).catch(() => accepted.slice(connectionMark));
    const tunnels = tunnelsSeen();
    for (const platform of ['zuora', 'dify', 'b3os'] as const) {
      assert.ok(requests.some((request) => request.platform === platform), `${platform} was reached`);
    }
    assert.ok(requests.some((request) => request.headers.accept === 'text/event-stream'), 'streams were among them');
    assert.deepEqual(connections.filter((connection) => connection.from !== from), [], 'no connection came from anywhere but the proxy');
    assert.equal(tunnels.length, connections.length, 'one tunnel in the proxy log per connection the emulator accepted');
    const streams = requests.filter((request) => request.headers.accept === 'text/event-stream').length;
    t.diagnostic(`${requests.length} requests (${streams} streams) in ${connections.length} tunnels through the proxy, none direct, ${ms} ms`);
  }

  it('sends every request and stream of the three platforms through http.proxy', async (t) => {
    await throughProxy(t, { proxy: openProxy.url }, openProxy, openProxyAddress);
  });

  it('does the same through an authenticating proxy, credentials in the URL or in http.proxyAuthorization', async (t) => {
    await throughProxy(t, { proxy: authProxy.urlWithCredentials }, authProxy, authProxyAddress);
    const header = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    await throughProxy(t, { proxy: authProxy.url, proxyAuthorization: header }, authProxy, authProxyAddress);
  });

  it('does the same with HTTPS_PROXY when http.proxy is empty', async (t) => {
    await throughProxy(t, { proxy: '' }, openProxy, openProxyAddress, { HTTPS_PROXY: openProxy.url });
  });

  it('goes direct for http.noProxy hosts (the check above would see it)', async () => {
    const connectionMark = accepted.length;
    const proxyMark = openProxy.mark();
    const http = client({ proxy: openProxy.url, noProxy: ['127.0.0.1'] });
    await everything(providers(http));
    await http.dispose();
    const connections = accepted.slice(connectionMark);
    assert.ok(connections.length > 0);
    assert.ok(connections.every((connection) => connection.from === '127.0.0.1'), 'every connection came straight from the client');
    assert.deepEqual(openProxy.requestsSince(proxyMark), []);
  });

  it('switches to the proxy for new requests when the setting changes, without a new client', async () => {
    const http = client({});
    const set = providers(http);
    let connectionMark = accepted.length;
    await set.zuora.listWorkflows(undefined);
    assert.ok(accepted.slice(connectionMark).every((connection) => connection.from === '127.0.0.1'));
    http.configure({ network: { settings: { proxy: openProxy.url } } });
    connectionMark = accepted.length;
    const proxyMark = openProxy.mark();
    await Promise.all([set.zuora.listWorkflows(undefined), set.dify.verify(), set.b3os.listWorkflows(undefined)]);
    const connections = accepted.slice(connectionMark);
    assert.ok(connections.length >= 3);
    assert.ok(connections.every((connection) => connection.from === openProxyAddress), JSON.stringify(connections));
    assert.ok(openProxy.requestsSince(proxyMark).length >= 3);
  });

  it('the provider pool hands changed settings to its shared client (what the host does on a settings change)', async () => {
    let network: { settings: NetworkSettings; env: ProxyEnvironment } = { settings: {}, env: {} };
    const connection = { name: 'b3os-pool', platform: 'b3os', baseUrl: emulator.urls.b3os } as const;
    const pool = new ProviderPool({
      connections: { get: (name) => (name === connection.name ? connection : undefined), platformOf: (c) => findPlatform(c.platform) },
      credentials: { get: async () => 'b3sk_demo' },
      log: silentLog,
      machineId: 'm',
      pollIntervalMs: () => 100,
      // The test CA rides along in the settings object the pool passes on (the host has NODE_EXTRA_CA_CERTS).
      httpOptions: () => ({ requestTimeoutMs: 5_000, userAgent: 'test', network: { ...network, extraCaCertificates: [pki.caCert] } }),
      unknownConnection: (name) => new Error(name),
    });
    try {
      let mark = accepted.length;
      await pool.listWorkflows(connection.name);
      assert.ok(accepted.slice(mark).every((c) => c.from === '127.0.0.1'), 'direct at first');
      network = { settings: { proxy: authProxy.urlWithCredentials }, env: {} };
      pool.reconfigureHttp();
      await new Promise((resolve) => setImmediate(resolve));
      mark = accepted.length;
      const proxyMark = authProxy.mark();
      await pool.listWorkflows(connection.name);
      const connections = accepted.slice(mark);
      assert.ok(connections.length > 0 && connections.every((c) => c.from === authProxyAddress), JSON.stringify(connections));
      assert.ok(authProxy.requestsSince(proxyMark).some((request) => request.method === 'CONNECT'));
    } finally {
      pool.dispose();
    }
  });

  it('says which setting takes the credentials when the proxy wants them', async () => {
    const { zuora } = providers(client({ proxy: authProxy.url }));
    await assert.rejects(zuora.listWorkflows(undefined), (error: unknown) => {
      assert.match(String((error as Error).message), /^The proxy 127\.0\.0\.1:\d+ wants credentials \(407\): put them in http\.proxy \(http:\/\/user:pass@host:port\) or http\.proxyAuthorization\.$/);
      return true;
    });
  });
});
