// Real parts only: https servers with certificates from a CA made by openssl, Debian's tinyproxy
// (with and without Basic authentication) and the dispatcher factory the HTTP client uses. The
// proxy's own log proves which requests went through it and that the others did not.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDispatcherFactory, type DispatcherFactory, type NetworkSettings, type ProxyEnvironment } from '../../src/client/network';
import { describeNetworkFailure } from '../../src/client/networkErrors';
import { isTinyproxyInstalled, startProxy, type TestProxy } from '../harness/proxy';
import { createTestPki, type ServerCredentials, type TestPki } from '../harness/tls';

const root = path.resolve(__dirname, '../..');
const skip = isTinyproxyInstalled() ? false : 'tinyproxy is not installed (apt-get install tinyproxy)';
const user = 'alice';
const password = 'pr0xy-s3cret';

interface TestServer {
  origin: string;
  host: string;
  /** Requests the server answered (any path). */
  hits: number;
  close(): Promise<void>;
}

/** A platform stand-in: JSON at any path, an event stream at /events (one event per `gapMs`). */
async function startServer(credentials?: ServerCredentials): Promise<TestServer> {
  const state = { hits: 0 };
  const handler: http.RequestListener = (request, response) => {
    state.hits++;
    if (request.url?.startsWith('/events')) {
      const gapMs = Number(new URL(request.url, 'http://x').searchParams.get('gapMs') ?? 0);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      let sent = 0;
      const next = () => {
        response.write(`data: event ${++sent}\n\n`);
        if (sent === 3) response.end();
        else setTimeout(next, gapMs);
      };
      next();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ok: true, path: request.url }));
  };
  const server = credentials ? https.createServer(credentials, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `${credentials ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    origin,
    host: `127.0.0.1:${port}`,
    get hits() {
      return state.hits;
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** GET through the factory's dispatcher for the URL's origin; the whole body as text. */
async function get(factory: DispatcherFactory, url: string): Promise<{ status: number; body: string }> {
  const { origin, pathname, search } = new URL(url);
  const response = await factory.dispatcherFor(origin).request({ origin, path: `${pathname}${search}`, method: 'GET' });
  return { status: response.statusCode, body: await response.body.text() };
}

/** The user-facing message for a request that must fail. */
async function failure(factory: DispatcherFactory, url: string): Promise<{ message: string; code?: string }> {
  try {
    await get(factory, url);
  } catch (error) {
    const target = new URL(url);
    const described = describeNetworkFailure(error, { host: target.host, endpoint: 'List runs', route: factory.routeFor(target.origin) });
    assert.ok(described, `no wording for ${String(error)} (${(error as { code?: string }).code})`);
    return { message: described.message, code: described.code };
  }
  assert.fail(`${url} should have failed`);
}

/** Runs a snippet in a fresh Node (with tsx) so NODE_EXTRA_CA_CERTS is read at its start. */
function runChild(script: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, env, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

describe('networks people really have', { skip }, () => {
  let pki: TestPki;
  let platform: TestServer;
  let plainPlatform: TestServer;
  let openProxy: TestProxy;
  let authProxy: TestProxy;
  const factories: DispatcherFactory[] = [];
  /** A factory trusting the test CA (in-process Node cannot pick up NODE_EXTRA_CA_CERTS later). */
  const make = (settings: NetworkSettings, env: ProxyEnvironment = {}) => {
    const factory = createDispatcherFactory(settings, env, { extraCaCertificates: [pki.caCert], connectTimeoutMs: 5_000 });
    factories.push(factory);
    return factory;
  };

  before(async () => {
    pki = createTestPki();
    [platform, plainPlatform, openProxy, authProxy] = await Promise.all([
      startServer(pki.server),
      startServer(),
      startProxy(),
      startProxy({ auth: { user, password } }),
    ]);
  });

  after(async () => {
    await Promise.all(factories.map((factory) => factory.destroy()));
    await Promise.all([platform?.close(), plainPlatform?.close(), openProxy?.stop(), authProxy?.stop()]);
    pki?.remove();
  });

  describe('proxies', () => {
    it('sends https requests and streams through http.proxy as a CONNECT tunnel', async () => {
      const mark = openProxy.mark();
      const hits = platform.hits;
      const factory = make({ proxy: openProxy.url });
      assert.deepEqual(await get(factory, `${platform.origin}/runs`), { status: 200, body: '{"ok":true,"path":"/runs"}' });
      const stream = await get(factory, `${platform.origin}/events`);
      assert.equal(stream.body, 'data: event 1\n\ndata: event 2\n\ndata: event 3\n\n');
      assert.equal(platform.hits, hits + 2);
      const tunnels = openProxy.requestsSince(mark);
      assert.ok(tunnels.length >= 1, 'the proxy logged the tunnel');
      assert.deepEqual(new Set(tunnels.map((request) => `${request.method} ${request.target}`)), new Set([`CONNECT ${platform.host}`]));
    });

    it('tunnels plain http targets too', async () => {
      const mark = openProxy.mark();
      const factory = make({ proxy: openProxy.url });
      assert.equal((await get(factory, `${plainPlatform.origin}/x`)).status, 200);
      assert.deepEqual(openProxy.requestsSince(mark), [{ method: 'CONNECT', target: plainPlatform.host }]);
    });

    it('answers a 407 with words that say which setting takes the credentials', async () => {
      const hits = platform.hits;
      const mark = authProxy.mark();
      const result = await failure(make({ proxy: authProxy.url }), `${platform.origin}/runs`);
      assert.equal(result.message, `The proxy ${new URL(authProxy.url).host} wants credentials (407): put them in http.proxy (http://user:pass@host:port) or http.proxyAuthorization.`);
      assert.equal(platform.hits, hits, 'nothing reached the platform');
      assert.ok(authProxy.requestsSince(mark).some((request) => request.method === 'CONNECT'), 'the attempt did reach the proxy');
    });

    it('says when the proxy rejects the credentials, without repeating them', async () => {
      const wrong = authProxy.url.replace('//', `//${user}:not-the-password@`);
      const result = await failure(make({ proxy: wrong }), `${platform.origin}/runs`);
      // tinyproxy answers wrong credentials with 401 (missing ones with 407): both mean the same here.
      assert.match(result.message, /^The proxy 127\.0\.0\.1:\d+ did not accept the credentials it was given \(40[17]\): check the user and password in http\.proxy/);
      assert.doesNotMatch(result.message, /not-the-password|alice/);
    });

    it('authenticates with credentials in the proxy URL or in http.proxyAuthorization', async () => {
      const mark = authProxy.mark();
      assert.equal((await get(make({ proxy: authProxy.urlWithCredentials }), `${platform.origin}/a`)).status, 200);
      const header = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      assert.equal((await get(make({ proxy: authProxy.url, proxyAuthorization: header }), `${platform.origin}/b`)).status, 200);
      assert.equal(authProxy.requestsSince(mark).filter((request) => request.target === platform.host).length, 2);
    });

    it('uses HTTPS_PROXY / https_proxy / HTTP_PROXY when http.proxy is empty', async () => {
      for (const env of [{ HTTPS_PROXY: openProxy.url }, { https_proxy: openProxy.url }] as ProxyEnvironment[]) {
        const mark = openProxy.mark();
        assert.equal((await get(make({ proxy: '' }, env), `${platform.origin}/env`)).status, 200);
        assert.deepEqual(openProxy.requestsSince(mark), [{ method: 'CONNECT', target: platform.host }], JSON.stringify(env));
      }
      const mark = openProxy.mark();
      assert.equal((await get(make({}, { HTTP_PROXY: openProxy.url }), `${plainPlatform.origin}/env`)).status, 200);
      assert.deepEqual(openProxy.requestsSince(mark), [{ method: 'CONNECT', target: plainPlatform.host }]);
    });

    it('goes direct for http.noProxy and NO_PROXY hosts and with http.proxySupport off', async () => {
      const mark = openProxy.mark();
      const hits = platform.hits;
      const cases: Array<[NetworkSettings, ProxyEnvironment]> = [
        [{ proxy: openProxy.url, noProxy: ['127.0.0.1'] }, {}],
        [{ proxy: openProxy.url, noProxy: [platform.host] }, {}],
        [{ proxy: openProxy.url, noProxy: ['127.0.0.0/8'] }, {}],
        [{}, { HTTPS_PROXY: openProxy.url, NO_PROXY: 'localhost,127.0.0.1' }],
        [{ proxy: openProxy.url, proxySupport: 'off' }, { HTTPS_PROXY: openProxy.url }],
      ];
      for (const [settings, env] of cases) assert.equal((await get(make(settings, env), `${platform.origin}/direct`)).status, 200);
      assert.equal(platform.hits, hits + cases.length);
      assert.deepEqual(openProxy.requestsSince(mark), [], 'none of these went through the proxy');
    });

    it('applies changed settings without a new factory, letting a running stream finish', async () => {
      const factory = make({});
      const mark = openProxy.mark();
      // A slow stream opened directly…
      const { origin } = new URL(platform.origin);
      const streaming = await factory.dispatcherFor(origin).request({ origin, path: '/events?gapMs=150', method: 'GET' });
      // …the user sets http.proxy while it runs…
      factory.update({ proxy: openProxy.url });
      assert.equal((await get(factory, `${platform.origin}/after`)).status, 200);
      assert.deepEqual(openProxy.requestsSince(mark), [{ method: 'CONNECT', target: platform.host }], 'new requests use the proxy');
      // …and the old stream still delivers every event.
      assert.equal(await streaming.body.text(), 'data: event 1\n\ndata: event 2\n\ndata: event 3\n\n');
      // Clearing it again goes direct.
      factory.update({ proxy: '' });
      const before = openProxy.mark();
      assert.equal((await get(factory, `${platform.origin}/direct-again`)).status, 200);
      assert.deepEqual(openProxy.requestsSince(before), []);
      assert.equal(factory.routeFor(origin).kind, 'direct');
    });

    it('says when the proxy cannot be reached', async () => {
      const dead = await startProxy();
      const url = dead.url;
      await dead.stop();
      const result = await failure(make({ proxy: url }), `${platform.origin}/runs`);
      assert.equal(result.code, 'ECONNREFUSED');
      assert.match(result.message, new RegExp(`^Could not reach ${platform.host} for List runs: the proxy ${new URL(url).host} refused the connection \\(ECONNREFUSED\\)\\. Check http\\.proxy`));
      const fromEnv = await failure(make({}, { HTTPS_PROXY: url }), `${platform.origin}/runs`);
      assert.match(fromEnv.message, /HTTPS_PROXY\/HTTP_PROXY environment variable/);
    });
  });

  describe('certificates', () => {
    const cases: Array<[keyof TestPki, string, RegExp]> = [
      ['expired', 'CERT_HAS_EXPIRED', /has expired \(CERT_HAS_EXPIRED\)\. Its administrator has to renew it/],
      ['wrongName', 'ERR_TLS_CERT_ALTNAME_INVALID', /is for another name \(ERR_TLS_CERT_ALTNAME_INVALID\): it is for wrong\.example\. Check the host name/],
      ['selfSigned', 'DEPTH_ZERO_SELF_SIGNED_CERT', /presented a self-signed certificate.*NODE_EXTRA_CA_CERTS/],
      ['unknownCa', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', /issued by a certificate authority this computer does not know.*NODE_EXTRA_CA_CERTS.*http\.systemCertificates/],
      ['untrustedChain', 'SELF_SIGNED_CERT_IN_CHAIN', /chains to a self-signed certificate authority that is not trusted.*NODE_EXTRA_CA_CERTS/],
    ];
    for (const [name, code, wording] of cases) {
      it(`words a ${code} failure, directly and through the proxy`, async () => {
        const server = await startServer(pki[name] as ServerCredentials);
        try {
          for (const settings of [{}, { proxy: authProxy.urlWithCredentials }] as NetworkSettings[]) {
            const result = await failure(make(settings), `${server.origin}/runs`);
            assert.equal(result.code, code);
            assert.ok(result.message.startsWith(`Could not reach ${server.host} for List runs: `), result.message);
            assert.match(result.message, wording);
            assert.doesNotMatch(result.message, new RegExp(password));
          }
          assert.equal(server.hits, 0, 'no request was ever sent over a failed certificate');
        } finally {
          await server.close();
        }
      });
    }

    it('trusts a CA in NODE_EXTRA_CA_CERTS given at process start, directly and through the proxy (fresh Node processes)', async () => {
      const script = (settings: NetworkSettings) => `
        const { createDispatcherFactory } = require('./src/client/network.ts');
        const { describeNetworkFailure } = require('./src/client/networkErrors.ts');
        if (process.env.SET_AT_RUNTIME) process.env.NODE_EXTRA_CA_CERTS = process.env.SET_AT_RUNTIME;
        const factory = createDispatcherFactory(${JSON.stringify(settings)}, {});
        const origin = ${JSON.stringify(platform.origin)};
        factory.dispatcherFor(origin).request({ origin, path: '/child', method: 'GET' })
          .then((response) => { console.log('status ' + response.statusCode); return response.body.text(); })
          .catch((error) => console.log(describeNetworkFailure(error, { host: new URL(origin).host, route: factory.routeFor(origin) })?.code ?? String(error)))
          .finally(() => factory.destroy());`;
      const env = { ...process.env, NODE_EXTRA_CA_CERTS: undefined, SET_AT_RUNTIME: undefined };
      const mark = openProxy.mark();
      assert.equal(await runChild(script({}), { ...env, NODE_EXTRA_CA_CERTS: pki.caCertPath }), 'status 200');
      assert.equal(await runChild(script({ proxy: openProxy.url }), { ...env, NODE_EXTRA_CA_CERTS: pki.caCertPath }), 'status 200');
      assert.deepEqual(openProxy.requestsSince(mark), [{ method: 'CONNECT', target: platform.host }]);
      // Without it the same server is unknown, and setting the variable once Node runs is too late.
      assert.equal(await runChild(script({}), env), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      assert.equal(await runChild(script({}), { ...env, SET_AT_RUNTIME: pki.caCertPath }), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    });

    it('drops NODE_EXTRA_CA_CERTS when a `ca` list replaces the default store (why the factory passes none by default)', async () => {
      const script = `
        const tls = require('node:tls');
        const { createPool } = require('./src/client/undici.ts');
        const origin = ${JSON.stringify(platform.origin)};
        const pool = createPool(origin, { connect: { ca: [...tls.rootCertificates] } });
        pool.request({ path: '/ca', method: 'GET' })
          .then((response) => console.log('status ' + response.statusCode))
          .catch((error) => console.log(error.code))
          .finally(() => pool.destroy());`;
      const env = { ...process.env, NODE_EXTRA_CA_CERTS: pki.caCertPath };
      assert.equal(await runChild(script, env), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    });
  });

  it('closes retired dispatchers once their requests end', async () => {
    const factory = make({ proxy: openProxy.url });
    assert.equal((await get(factory, `${platform.origin}/one`)).status, 200);
    const old = factory.dispatcherFor(platform.origin);
    factory.update({ proxy: authProxy.urlWithCredentials });
    await sleep(50);
    assert.notEqual(factory.dispatcherFor(platform.origin), old);
    assert.equal((old as unknown as { closed: boolean }).closed, true);
  });
});
