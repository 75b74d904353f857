import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { WorkflowRunsError } from '../../src/client/errors';
import type { HttpClient, HttpResponse, RequestOptions } from '../../src/client/types';
import { ZuoraTokenSource } from '../../src/providers/zuora/auth';
import { silentLog as silent } from '../helpers/log';


/** A fake client answering token requests: counts them, and lets a test hold them open. */
function tokenServer(expiresIn = 3599) {
  const calls: Array<RequestOptions<unknown>> = [];
  let gate: Promise<void> = Promise.resolve();
  let fail: WorkflowRunsError | undefined;
  const http: HttpClient = {
    async request<T>(options: RequestOptions<T>): Promise<HttpResponse<T>> {
      calls.push(options as RequestOptions<unknown>);
      await gate;
      if (fail) throw fail;
      const data = options.schema.parse({ access_token: `token-${calls.length}`, expires_in: expiresIn, token_type: 'bearer' });
      return { status: 200, headers: {}, data };
    },
    stream: () => Promise.reject(new Error('unused')),
  };
  return {
    http,
    calls,
    hold(): () => void {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return open;
    },
    failWith(error: WorkflowRunsError) {
      fail = error;
    },
  };
}

describe('ZuoraTokenSource', () => {
  it('sends the client credentials as a form and shares one request among concurrent callers', async () => {
    const server = tokenServer();
    const source = new ZuoraTokenSource({ http: server.http, tokenUrl: 'http://z/oauth/token', clientId: 'demo-client', getSecret: async () => 'demo-secret', connection: 'Z', log: silent });
    const open = server.hold();
    const waiting = Array.from({ length: 10 }, () => source.getToken());
    await new Promise((resolve) => setImmediate(resolve));
    open();
    const tokens = await Promise.all(waiting);
    assert.equal(server.calls.length, 1);
    assert.deepEqual(new Set(tokens), new Set(['token-1']));
    assert.deepEqual(server.calls[0]?.form, { client_id: 'demo-client', client_secret: 'demo-secret', grant_type: 'client_credentials' });
    assert.equal(server.calls[0]?.retry, 'read');
    assert.equal(await source.getToken(), 'token-1', 'cached');
    assert.equal(server.calls.length, 1);
  });

  it('refreshes about 60 s before expiry', async () => {
    const server = tokenServer(3599);
    let now = 1_000_000;
    const source = new ZuoraTokenSource({ http: server.http, tokenUrl: 'u', clientId: 'c', getSecret: async () => 's', connection: 'Z', log: silent, now: () => now });
    assert.equal(await source.getToken(), 'token-1');
    now += 3599_000 - 61_000;
    assert.equal(await source.getToken(), 'token-1');
    now += 2_000;
    assert.equal(await source.getToken(), 'token-2');
  });

  it('drops a token Zuora refused, but not a newer one', async () => {
    const server = tokenServer();
    const source = new ZuoraTokenSource({ http: server.http, tokenUrl: 'u', clientId: 'c', getSecret: async () => 's', connection: 'Z', log: silent });
    const first = await source.getToken();
    source.invalidate(first);
    const second = await source.getToken();
    assert.equal(second, 'token-2');
    source.invalidate(first);
    assert.equal(await source.getToken(), 'token-2');
  });

  it('reports a 400 invalid_client as a credential problem and does not cache failures', async () => {
    const server = tokenServer();
    server.failWith(new WorkflowRunsError('POST /oauth/token failed (HTTP 400, invalid_client): bad.', { kind: 'http', status: 400, code: 'invalid_client' }));
    const source = new ZuoraTokenSource({ http: server.http, tokenUrl: 'u', clientId: 'c', getSecret: async () => 's', connection: 'Prod', log: silent });
    await assert.rejects(source.getToken(), (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'auth' && /connection “Prod”/.test(error.message));
    await assert.rejects(source.getToken());
    assert.equal(server.calls.length, 2, 'a failure is not cached');
  });

  it('lets one waiting caller give up without cancelling the shared request', async () => {
    const server = tokenServer();
    const source = new ZuoraTokenSource({ http: server.http, tokenUrl: 'u', clientId: 'c', getSecret: async () => 's', connection: 'Z', log: silent });
    const open = server.hold();
    const controller = new AbortController();
    const impatient = source.getToken(controller.signal);
    const patient = source.getToken();
    controller.abort();
    await assert.rejects(impatient, (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'aborted');
    open();
    assert.equal(await patient, 'token-1');
  });
});
