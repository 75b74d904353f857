// Status, timing and body faults on every platform, against the real client and adapters: what
// is retried, what each failure says, and that limits hold.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { WorkflowRunsError } from '../../src/client/errors';
import type { Platform } from '../emulator/index';
import { countRequests, plainError, targets, useLab } from './faults-support';

describe('faults on requests, every platform', () => {
  const lab = useLab();

  for (const platform of ['zuora', 'dify', 'b3os'] as const satisfies readonly Platform[]) {
    describe(platform, () => {
      const target = targets[platform];
      /** A warmed-up adapter (Zuora has its token) and the request count to count from. */
      async function ready(options?: { requestTimeoutMs?: number }) {
        const provider = await lab.provider(platform, options);
        await provider.listWorkflows(undefined);
        return { provider, since: lab.emulator.requests.length };
      }
      const reads = (since: number) => countRequests(lab.emulator, platform, 'GET', target.listPath, since);

      for (const status of [429, 502, 503]) {
        it(`${status} with Retry-After in seconds: the read waits as asked, then succeeds`, async () => {
          const { provider, since } = await ready();
          lab.emulator.injectFault({ platform, method: 'GET', path: target.listPath, kind: 'status', status, retryAfterSeconds: 1 });
          const started = Date.now();
          const page = await provider.listWorkflows(undefined);
          assert.ok(page.items.length > 0);
          assert.ok(Date.now() - started >= 900, `waited ${Date.now() - started} ms`);
          assert.equal(reads(since), 2);
        });
      }

      it('503 with Retry-After as an HTTP date: honoured too', async () => {
        const { provider, since } = await ready();
        lab.emulator.injectFault({ platform, method: 'GET', path: target.listPath, kind: 'status', status: 503, retryAfterSeconds: 2, retryAfterFormat: 'date' });
        const started = Date.now();
        await provider.listWorkflows(undefined);
        // An HTTP date has whole seconds: at least one of the two is left.
        assert.ok(Date.now() - started >= 900, `waited ${Date.now() - started} ms`);
        assert.equal(reads(since), 2);
      });

      it('502 without Retry-After: retried with backoff, then succeeds', async () => {
        const { provider, since } = await ready();
        lab.emulator.injectFault({ platform, method: 'GET', path: target.listPath, kind: 'status', status: 502, body: {}, headers: { 'retry-after': '' } });
        await provider.listWorkflows(undefined);
        assert.equal(reads(since), 2);
      });

      it('500 is not retried and says it was a server error', async () => {
        const { provider, since } = await ready();
        lab.emulator.injectFault({ platform, method: 'GET', path: target.listPath, kind: 'status', status: 500 });
        await assert.rejects(provider.listWorkflows(undefined), (error) =>
          plainError(error, (e) => {
            assert.equal(e.status, 500);
            assert.match(e.message, /HTTP 500/);
          }),
        );
        assert.equal(reads(since), 1);
      });

      it('a 429 that lasts: retries are bounded, the error says to try later', async () => {
        const { provider, since } = await ready();
        lab.emulator.injectFault({ platform, method: 'GET', path: target.listPath, kind: 'status', status: 429, retryAfterSeconds: 0, times: 'always' });
        await assert.rejects(provider.listWorkflows(undefined), (error) => plainError(error, (e) => assert.equal(e.status, 429)));
        assert.equal(reads(since), 3, 'maxAttempts');
      });

      it('a connection reset before the answer: the read is retried and succeeds', async () => {
        const { provider, since } = await ready();
        lab.emulator.injectFault({ platform, method: 'GET', path: target.listPath, kind: 'reset' });
        await provider.listWorkflows(undefined);
        assert.equal(reads(since), 2);
      });

      it('slow headers within the timeout: answered', async () => {
        const { provider } = await ready();
        lab.emulator.injectFault({ platform, method: 'GET', path: target.listPath, kind: 'slowHeaders', delayMs: 300 });
        assert.ok((await provider.listWorkflows(undefined)).items.length > 0);
      });

      it('slow headers past the timeout: a timeout naming the host and the wait', async () => {
        const { provider } = await ready({ requestTimeoutMs: 400 });
        lab.emulator.injectFault({ platform, method: 'GET', path: target.listPath, kind: 'slowHeaders', delayMs: 5_000, times: 'always' });
        await assert.rejects(provider.listWorkflows(undefined), (error) =>
          plainError(error, (e) => {
            assert.equal(e.kind, 'timeout');
            assert.match(e.message, /did not answer .* within 0\.4 s/);
          }),
        );
      });

      it('a slow body within the timeout: read whole', async () => {
        const { provider } = await ready();
        lab.emulator.injectFault({ platform, method: 'GET', path: target.listPath, kind: 'slowBody', delayMs: 400 });
        assert.ok((await provider.listWorkflows(undefined)).items.length > 0);
      });

      it('a slow body past the timeout: a timeout', async () => {
        const { provider } = await ready({ requestTimeoutMs: 400 });
        lab.emulator.injectFault({ platform, method: 'GET', path: target.listPath, kind: 'slowBody', delayMs: 4_000 });
        await assert.rejects(provider.listWorkflows(undefined), (error) => plainError(error, (e) => assert.equal(e.kind, 'timeout')));
      });

      it('invalid JSON: a schema error that says so, without the body', async () => {
        const { provider } = await ready();
        lab.emulator.injectFault({ platform, method: 'GET', path: target.listPath, kind: 'invalidJson' });
        await assert.rejects(provider.listWorkflows(undefined), (error) =>
          plainError(error, (e) => {
            assert.equal(e.kind, 'schema');
            assert.match(e.message, /not JSON/);
            assert.ok(!e.message.includes('<<not json'));
          }),
        );
      });

      it('an HTML error page: named as such, never shown', async () => {
        const { provider } = await ready();
        lab.emulator.injectFault({ platform, method: 'GET', path: target.listPath, kind: 'html', status: 503, times: 'always' });
        await assert.rejects(provider.listWorkflows(undefined), (error) => plainError(error, (e) => assert.match(e.message, /HTML/)));
      });

      it('a body that breaks the schema names the endpoint and the field', async () => {
        const { provider } = await ready();
        lab.emulator.injectFault({ platform, method: 'GET', path: target.listPath, kind: 'badSchema' });
        await assert.rejects(provider.listWorkflows(undefined), (error) =>
          plainError(error, (e) => {
            assert.equal(e.kind, 'schema');
            assert.match(e.message, /field /);
          }),
        );
      });

      it('a very large body (40 MB) is refused with its limit, not buffered', async () => {
        const { provider } = await ready({ requestTimeoutMs: 10_000 });
        lab.emulator.injectFault({ platform, method: 'GET', path: target.listPath, kind: 'hugeBody', sizeBytes: 40 * 1024 * 1024 });
        await assert.rejects(provider.listWorkflows(undefined), (error) => plainError(error, (e) => assert.match(e.message, /larger than 32 MB/)));
      });

      it('a body that never ends is refused at the same limit', async () => {
        const { provider } = await ready({ requestTimeoutMs: 10_000 });
        lab.emulator.injectFault({ platform, method: 'GET', path: target.listPath, kind: 'endlessSseLine' });
        await assert.rejects(provider.listWorkflows(undefined), (error) => plainError(error, (e) => assert.match(e.message, /larger than 32 MB/)));
      });

      it('a gzip bomb (small body, 64 MB inflated) is refused by a decompression limit', async () => {
        const { provider } = await ready({ requestTimeoutMs: 10_000 });
        lab.emulator.injectFault({ platform, method: 'GET', path: target.listPath, kind: 'gzipBomb', sizeBytes: 64 * 1024 * 1024 });
        await assert.rejects(provider.listWorkflows(undefined), (error: WorkflowRunsError) => plainError(error, (e) => assert.match(e.message, /larger than|limit/)));
      });
    });
  }
});
