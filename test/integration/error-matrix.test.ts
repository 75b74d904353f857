// Every error class on every platform, through the registry's adapters and the real client
// against the emulator: the same user-facing behaviour whatever the platform.
import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { createHttpClient } from '../../src/client/http';
import type { WorkflowRunsError } from '../../src/client/errors';
import { findPlatform } from '../../src/providers/registry';
import type { WorkflowProvider } from '../../src/providers/provider';
import type { Platform } from '../emulator/index';
import { useEmulator } from '../helpers/emulator';
import { silentLog as silent } from '../helpers/log';


interface Case {
  platform: Platform;
  credential: string;
  connection: Record<string, unknown>;
  /** A read that lists workflows: its path in the emulator. */
  listPath: RegExp;
  /**
   * A trigger: `deduplicated` when it may be retried at all. Its lost answer is then either sent
   * again with the same key (`lookedUp` unset) or followed by a look for the run it may have made,
   * which, found, is taken without resending (`lookedUp`).
   */
  trigger: { workflowId: string; path: RegExp; deduplicated: boolean; lookedUp?: boolean };
}

describe('error classes on every platform', () => {
  const emulator = useEmulator();
  const clients: Array<{ dispose(): Promise<void> }> = [];

  after(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
  });

  const cases = (): Case[] => [
    {
      platform: 'zuora',
      credential: 'demo-secret',
      connection: { name: 'z', platform: 'zuora', baseUrl: emulator.urls.zuora, auth: 'oauth', clientId: 'demo-client' },
      listPath: /^\/workflows$/,
      trigger: { workflowId: '19027', path: /^\/workflows\/19027\/run$/, deduplicated: true },
    },
    {
      platform: 'dify',
      credential: 'app-demo',
      connection: { name: 'd', platform: 'dify', baseUrl: emulator.urls.dify },
      listPath: /\/info$/,
      trigger: { workflowId: 'default', path: /\/workflows\/run$/, deduplicated: false },
    },
    {
      platform: 'b3os',
      credential: 'b3sk_demo',
      connection: { name: 'b', platform: 'b3os', baseUrl: emulator.urls.b3os },
      listPath: /^\/v1\/workflows$/,
      trigger: { workflowId: 'wf_9k2m4x7q1b3n', path: /^\/v1\/workflows\/wf_9k2m4x7q1b3n\/run$/, deduplicated: true, lookedUp: true },
    },
  ];

  async function adapter(c: Case, credential = c.credential, requestTimeoutMs = 3_000): Promise<WorkflowProvider> {
    const http = createHttpClient({ log: silent, requestTimeoutMs, retry: { baseDelayMs: 10, maxDelayMs: 50, maxAttempts: 3 } });
    clients.push(http);
    const factory = await findPlatform(c.platform)!.load();
    return factory({ connection: c.connection as never, getCredential: async () => credential, http, log: silent, machineId: 'm', pollIntervalMs: 50 });
  }

  const count = (platform: Platform, method: string, path: RegExp, since: number) =>
    emulator.requests.slice(since).filter((r) => r.platform === platform && r.method === method && path.test(r.path)).length;

  for (const name of ['zuora', 'dify', 'b3os'] as const) {
    describe(name, () => {
      const get = () => cases().find((c) => c.platform === name)!;

      it('a wrong credential is an auth error naming the connection, without the credential', async () => {
        const c = get();
        const provider = await adapter(c, `${c.credential}-wrong`);
        await assert.rejects(provider.listWorkflows(undefined), (error: WorkflowRunsError) => {
          assert.equal(error.kind, 'auth');
          assert.equal(error.isCredentialProblem, true);
          assert.ok(error.message.includes(`“${c.connection.name}”`) || error.message.includes(String(c.connection.name)), error.message);
          assert.ok(!error.message.includes(`${c.credential}-wrong`));
          return true;
        });
      });

      it('403 is a credential problem too', async () => {
        const c = get();
        emulator.injectFault({ platform: name, method: 'GET', path: c.listPath, kind: 'status', status: 403, body: { message: 'forbidden' } });
        await assert.rejects((await adapter(c)).listWorkflows(undefined), (error: WorkflowRunsError) => error.kind === 'auth');
      });

      it('a read is retried on 503 and succeeds; the attempts are bounded', async () => {
        const c = get();
        const provider = await adapter(c);
        await provider.listWorkflows(undefined); // warm-up (Zuora's token)
        let since = emulator.requests.length;
        emulator.injectFault({ platform: name, method: 'GET', path: c.listPath, kind: 'status', status: 503, body: {}, times: 2 });
        await provider.listWorkflows(undefined);
        assert.equal(count(name, 'GET', c.listPath, since), 3, 'two 503s, then the answer');
        since = emulator.requests.length;
        emulator.injectFault({ platform: name, method: 'GET', path: c.listPath, kind: 'status', status: 503, body: {}, times: 10 });
        await assert.rejects(provider.listWorkflows(undefined), (error: WorkflowRunsError) => error.status === 503);
        assert.equal(count(name, 'GET', c.listPath, since), 3, 'maxAttempts bounds the retries');
      });

      it('an HTML error page is a clear error, never the page', async () => {
        const c = get();
        emulator.injectFault({ platform: name, method: 'GET', path: c.listPath, kind: 'html', status: 404 });
        await assert.rejects((await adapter(c)).listWorkflows(undefined), (error: WorkflowRunsError) => {
          assert.match(error.message, /HTML/);
          assert.ok(!/<html|<body/i.test(error.message));
          return true;
        });
      });

      it('a body that fails its schema names the endpoint and the field', async () => {
        const c = get();
        emulator.injectFault({ platform: name, method: 'GET', path: c.listPath, kind: 'badSchema' });
        await assert.rejects((await adapter(c)).listWorkflows(undefined), (error: WorkflowRunsError) => {
          assert.equal(error.kind, 'schema');
          assert.match(error.message, /GET \S+: field \S+/);
          return true;
        });
      });

      it('a server that never answers is a timeout', async () => {
        const c = get();
        const provider = await adapter(c, c.credential, 500);
        await provider.listWorkflows(undefined).catch(() => undefined); // token first
        emulator.injectFault({ platform: name, method: 'GET', path: c.listPath, kind: 'hang' });
        await assert.rejects(provider.listWorkflows(undefined), (error: WorkflowRunsError) => error.kind === 'timeout');
      });

      it('a trigger whose answer is lost: retried only where the platform de-duplicates, or not at all once its run is found; one run either way', async () => {
        const c = get();
        const provider = await adapter(c);
        await provider.listWorkflows(undefined);
        const created = emulator.runsCreated(name);
        const since = emulator.requests.length;
        emulator.injectFault({ platform: name, method: 'POST', path: c.trigger.path, kind: 'afterProcess' });
        const attempt = provider.trigger({ workflowId: c.trigger.workflowId, inputs: { topic: 'x' }, options: {} });
        if (c.trigger.deduplicated) {
          const run = await attempt;
          assert.ok(run.snapshot.runId);
          if (c.trigger.lookedUp) assert.equal(count(name, 'POST', c.trigger.path, since), 1, 'its run was found: not sent again');
          else assert.equal(count(name, 'POST', c.trigger.path, since), 2, 'sent again with the same key');
        } else {
          await assert.rejects(attempt, (error: WorkflowRunsError) => error.kind === 'network');
          assert.equal(count(name, 'POST', c.trigger.path, since), 1, 'never sent twice');
        }
        assert.equal(emulator.runsCreated(name) - created, 1, 'exactly one run exists');
      });

      it('429 on a trigger that is not de-duplicated is not retried; on a read it is', async () => {
        const c = get();
        const provider = await adapter(c);
        await provider.listWorkflows(undefined);
        let since = emulator.requests.length;
        emulator.injectFault({ platform: name, method: 'POST', path: c.trigger.path, kind: 'status', status: 429, body: {}, headers: { 'retry-after': '0' } });
        const trigger = provider.trigger({ workflowId: c.trigger.workflowId, inputs: { topic: 'x' }, options: {} });
        if (c.trigger.deduplicated) await trigger;
        else await assert.rejects(trigger, (error: WorkflowRunsError) => error.status === 429);
        assert.equal(count(name, 'POST', c.trigger.path, since), c.trigger.deduplicated ? 2 : 1);
        since = emulator.requests.length;
        emulator.injectFault({ platform: name, method: 'GET', path: c.listPath, kind: 'status', status: 429, body: {}, headers: { 'retry-after': '0' } });
        await provider.listWorkflows(undefined);
        assert.equal(count(name, 'GET', c.listPath, since), 2);
      });
    });
  }
});
