// Where a credential may travel: plain HTTP only to loopback unless the user agreed (asked by the
// provider pool before any adapter or request exists), http(s) base URLs only, no redirect
// followed with an Authorization header, and no TLS check switched off anywhere in the source.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { createHttpClient } from '../../src/client/http';
import { WorkflowRunsError } from '../../src/client/errors';
import { isLoopback, needsPlainHttpConsent } from '../../src/connections/transport';
import { validateConnections } from '../../src/connections/validate';
import type { Connection } from '../../src/connections/schema';
import { ProviderPool } from '../../src/providers/pool';
import type { PlatformDescriptor, WorkflowProvider } from '../../src/providers/provider';
import { recordingLog } from '../helpers/log';

describe('isLoopback', () => {
  it('accepts localhost, 127.0.0.0/8 and [::1]', () => {
    for (const url of ['http://localhost:8080', 'http://LOCALHOST', 'http://api.localhost/v1', 'http://127.0.0.1:3000', 'http://127.45.6.7', 'http://[::1]:9000/x', 'http://[::ffff:127.0.0.1]/']) {
      assert.equal(isLoopback(url), true, url);
    }
  });

  it('rejects every other host, including look-alikes', () => {
    for (const url of ['http://10.0.0.5', 'http://128.0.0.1', 'http://localhost.evil.com', 'http://127.0.0.1.nip.io', 'http://[::2]', 'http://[fe80::1]', 'http://api.dify.ai', 'http://0.0.0.0', 'not a url']) {
      assert.equal(isLoopback(url), false, url);
    }
  });

  it('asks only for plain http to a non-loopback host', () => {
    assert.equal(needsPlainHttpConsent('http://dify.intranet.example/v1'), true);
    assert.equal(needsPlainHttpConsent('http://192.168.1.20:5001/v1'), true);
    assert.equal(needsPlainHttpConsent('HTTP://Dify.Example'), true);
    assert.equal(needsPlainHttpConsent('https://dify.intranet.example/v1'), false);
    assert.equal(needsPlainHttpConsent('http://127.0.0.1:5001/v1'), false);
    assert.equal(needsPlainHttpConsent('http://localhost:5001/v1'), false);
  });
});

describe('baseUrl scheme', () => {
  it('rejects ftp:// and other schemes with a clear message', () => {
    for (const baseUrl of ['ftp://files.example.com/api', 'file:///etc/passwd', 'ws://dify.example/v1', 'javascript:alert(1)']) {
      const { connections, problems } = validateConnections([{ name: 'x', platform: 'b3os', baseUrl }]);
      assert.equal(connections.length, 0, baseUrl);
      assert.match(problems[0] ?? '', /baseUrl .*https:\/\//, baseUrl);
    }
  });

  it('accepts http and https', () => {
    const { connections } = validateConnections([
      { name: 'a', platform: 'b3os', baseUrl: 'https://api.b3os.org' },
      { name: 'b', platform: 'b3os', baseUrl: 'http://b3os.intranet:8080' },
    ]);
    assert.equal(connections.length, 2);
  });

  it('the settings JSON schema restricts the scheme too', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
      contributes: { configuration: Array<{ properties: Record<string, { items?: { properties?: Record<string, { pattern?: string }> } }> }> | { properties: Record<string, { items?: { properties?: Record<string, { pattern?: string }> } }> } };
    };
    const sections = Array.isArray(manifest.contributes.configuration) ? manifest.contributes.configuration : [manifest.contributes.configuration];
    const setting = sections.map((section) => section.properties['workflowRuns.connections']).find(Boolean);
    const pattern = setting?.items?.properties?.baseUrl?.pattern;
    assert.ok(pattern, 'workflowRuns.connections[].baseUrl has a pattern');
    const regex = new RegExp(pattern);
    assert.ok(regex.test('https://api.dify.ai/v1') && regex.test('http://localhost:5001'));
    assert.ok(!regex.test('ftp://files.example.com') && !regex.test('file:///x'));
  });
});

describe('provider pool: plain HTTP needs consent before anything is sent', () => {
  function poolWith(connection: Connection, guard?: (c: { name: string }, origin: string) => Promise<boolean>) {
    // `load` imports adapter code only; `adapters` counts adapters built (which could send).
    const calls = { load: 0, adapters: 0, guard: [] as string[], http: 0 };
    const platform = {
      id: 'fake',
      load: async () => {
        calls.load += 1;
        return () => {
          calls.adapters += 1;
          return { verify: async () => 'ok' } as unknown as WorkflowProvider;
        };
      },
    } as unknown as PlatformDescriptor;
    const pool = new ProviderPool({
      connections: { get: (name) => (name === connection.name ? connection : undefined), platformOf: () => platform },
      credentials: { get: async () => 'app-secret-credential' },
      log: recordingLog().log,
      machineId: 'm',
      pollIntervalMs: () => 1000,
      httpOptions: () => {
        calls.http += 1;
        return { requestTimeoutMs: 1000, userAgent: 'test' };
      },
      unknownConnection: (name) => new Error(name),
      plainHttpGuard: guard
        ? async (c, origin) => {
            calls.guard.push(`${c.name}@${origin}`);
            return guard(c, origin);
          }
        : undefined,
    });
    return { pool, calls };
  }

  it('declined: no adapter, no HTTP client, an error that says nothing was sent', async () => {
    const { pool, calls } = poolWith({ name: 'lan', platform: 'fake', baseUrl: 'http://dify.lan:5001/v1' }, async () => false);
    await assert.rejects(pool.get('lan'), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.equal(error.kind, 'config');
      assert.match(error.message, /plain HTTP to http:\/\/dify\.lan:5001; its credential was not sent/);
      return true;
    });
    assert.deepEqual(calls.guard, ['lan@http://dify.lan:5001']);
    assert.equal(calls.adapters, 0);
    assert.equal(calls.http, 0);
    pool.dispose();
  });

  it('no guard wired: refused the same way', async () => {
    const { pool, calls } = poolWith({ name: 'lan', platform: 'fake', baseUrl: 'http://10.1.2.3/v1' });
    await assert.rejects(pool.get('lan'), /credential was not sent/);
    assert.equal(calls.adapters, 0);
    assert.equal(calls.http, 0);
    pool.dispose();
  });

  it('also guards adapters built outside the pool (Add Connection check)', async () => {
    const { pool } = poolWith({ name: 'lan', platform: 'fake', baseUrl: 'http://10.1.2.3/v1' }, async () => false);
    await assert.rejects(pool.ensureCredentialMayTravel({ name: 'new', platform: 'fake', baseUrl: 'http://10.9.9.9' }), /credential was not sent/);
    await pool.ensureCredentialMayTravel({ name: 'new', platform: 'fake', baseUrl: 'https://10.9.9.9' });
    pool.dispose();
  });

  it('accepted: the adapter is built', async () => {
    const { pool, calls } = poolWith({ name: 'lan', platform: 'fake', baseUrl: 'http://dify.lan/v1' }, async () => true);
    await pool.get('lan');
    assert.equal(calls.adapters, 1);
    pool.dispose();
  });

  it('https and loopback never ask', async () => {
    for (const baseUrl of ['https://dify.lan/v1', 'http://127.0.0.1:5001/v1', 'http://localhost/v1', 'http://[::1]:80']) {
      const { pool, calls } = poolWith({ name: 'c', platform: 'fake', baseUrl }, async () => false);
      await pool.get('c');
      assert.deepEqual(calls.guard, [], baseUrl);
      assert.equal(calls.adapters, 1);
      pool.dispose();
    }
  });
});

describe('redirects', () => {
  let first: Server;
  let second: Server;
  let firstUrl = '';
  let secondUrl = '';
  const reachedSecond: Array<string | undefined> = [];

  before(async () => {
    second = createServer((request, response) => {
      reachedSecond.push(request.headers.authorization);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
    await new Promise<void>((resolve) => second.listen(0, '127.0.0.1', resolve));
    secondUrl = `http://127.0.0.1:${(second.address() as AddressInfo).port}`;
    first = createServer((_request, response) => {
      response.writeHead(302, { location: `${secondUrl}/stolen?token=abc` });
      response.end();
    });
    await new Promise<void>((resolve) => first.listen(0, '127.0.0.1', resolve));
    firstUrl = `http://127.0.0.1:${(first.address() as AddressInfo).port}`;
  });

  after(async () => {
    for (const server of [first, second]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('are never followed, so an Authorization header cannot reach another origin', async () => {
    const client = createHttpClient({ log: recordingLog().log, requestTimeoutMs: 2000, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    try {
      for (const method of ['GET', 'POST'] as const) {
        // Nothing follows the 3xx, and it is a clear error naming where it pointed (origin and path
        // only), not an empty success that fails its schema.
        const outcome = await client
          .request({ method, url: `${firstUrl}/v1/workflows`, endpoint: `${method} /v1/workflows`, headers: { authorization: 'Bearer b3sk_redirected' }, json: method === 'POST' ? {} : undefined, schema: z.unknown(), retry: 'read', connection: 'moved' })
          .then((response) => response.status, (error: unknown) => error);
        assert.ok(outcome instanceof WorkflowRunsError, `a 3xx is an error, got ${String(outcome)}`);
        assert.equal(outcome.kind, 'http');
        assert.equal(outcome.status, 302);
        assert.equal(
          outcome.message,
          `${method} /v1/workflows: 127.0.0.1:${new URL(firstUrl).port} answered with a redirect (HTTP 302) to ${secondUrl}/stolen that is not followed; check the base URL of connection “moved”.`,
        );
        assert.doesNotMatch(outcome.message, /b3sk_redirected|token=/);
      }
      await client
        .stream({ method: 'GET', url: `${firstUrl}/events`, endpoint: 'GET /events', headers: { authorization: 'Bearer b3sk_redirected' }, retry: 'read' })
        .then(
          async (events) => {
            for await (const batch of events) assert.fail(`no event expected, got ${batch[0]?.event}`);
            assert.fail('a redirected stream is an error, not an empty stream');
          },
          (error: unknown) => assert.match(error instanceof Error ? error.message : '', /answered with a redirect \(HTTP 302\) to .*\/stolen that is not followed/),
        );
      assert.deepEqual(reachedSecond, []);
    } finally {
      await client.dispose();
    }
  });
});

describe('TLS is never bypassed', () => {
  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? sources(path) : /\.(ts|js|mjs)$/.test(entry) ? [path] : [];
    });
  }

  it('no source turns certificate checks off', () => {
    const offenders: string[] = [];
    for (const file of sources(join(__dirname, '../../src'))) {
      const text = readFileSync(file, 'utf8');
      if (/rejectUnauthorized\s*:\s*(false|0|!1)/.test(text)) offenders.push(`${file}: rejectUnauthorized: false`);
      if (/NODE_TLS_REJECT_UNAUTHORIZED/.test(text)) offenders.push(`${file}: NODE_TLS_REJECT_UNAUTHORIZED`);
      if (/checkServerIdentity/.test(text)) offenders.push(`${file}: checkServerIdentity override`);
      // The one allowed switch: the proxy's own certificate under http.proxyStrictSSL (VS Code's rule).
      for (const match of text.matchAll(/rejectUnauthorized\s*:\s*([^,}\n]+)/g)) {
        if (!/proxyTls/.test(text.slice(Math.max(0, match.index - 80), match.index)) || match[1]!.trim() !== 'decision.strictSSL') {
          offenders.push(`${file}: rejectUnauthorized: ${match[1]}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });
});
