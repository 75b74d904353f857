// Plain HTTP to a host outside loopback, end to end in the editor: the user is asked (a modal)
// before any credential is sent; "Cancel" sends nothing to that host, "Send over HTTP" is asked
// once and remembered for that connection and origin.
import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { hostFixture, type HostFixture } from './fixture';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** An address of this machine that is not loopback, so the rule applies while the test stays local. */
function nonLoopbackAddress(): string | undefined {
  for (const entries of Object.values(os.networkInterfaces())) {
    for (const entry of entries ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return undefined;
}

suite('plain HTTP needs consent', function () {
  this.timeout(60_000);
  let f: HostFixture;
  let server: Server;
  let baseUrl = '';
  const received: IncomingMessage['headers'][] = [];
  const asked: string[] = [];
  let answer: string | undefined;
  const restore: Array<() => void | Thenable<void>> = [];

  suiteSetup(async function () {
    const address = nonLoopbackAddress();
    if (!address) this.skip();
    f = await hostFixture();
    server = createServer((request, response) => {
      received.push(request.headers);
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 'UNAUTHORIZED', details: [], message: 'no', requestId: 'r' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    baseUrl = `http://${address}:${(server.address() as AddressInfo).port}`;

    const window = vscode.window as Writable<typeof vscode.window>;
    const original = window.showWarningMessage;
    window.showWarningMessage = ((message: string, options: unknown, ...items: unknown[]) => {
      if (options && typeof options === 'object' && (options as vscode.MessageOptions).modal) {
        asked.push(`${message} | ${items.join(', ')}`);
        return Promise.resolve(answer);
      }
      return Promise.resolve(undefined);
    }) as never;
    restore.push(() => void (window.showWarningMessage = original));

    const configuration = vscode.workspace.getConfiguration('workflowRuns');
    const connections = configuration.get<unknown[]>('connections') ?? [];
    await configuration.update(
      'connections',
      [
        ...connections,
        { name: 'lan-declined', platform: 'b3os', baseUrl, credentialEnv: 'WORKFLOW_RUNS_HOST_B3OS_KEY' },
        { name: 'lan-accepted', platform: 'b3os', baseUrl, credentialEnv: 'WORKFLOW_RUNS_HOST_B3OS_KEY' },
      ],
      vscode.ConfigurationTarget.Global,
    );
    restore.push(() => configuration.update('connections', connections, vscode.ConfigurationTarget.Global));
    restore.push(() => f.services.context.globalState.update('workflowRuns.plainHttpAllowed', undefined));
  });

  suiteTeardown(async () => {
    for (const undo of restore.reverse()) await undo();
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  test('declining sends nothing to that host, and is not asked again in this session', async () => {
    answer = undefined;
    await assert.rejects(f.services.providers.listWorkflows('lan-declined'), (error: Error & { kind?: string }) => {
      assert.equal(error.kind, 'config');
      assert.match(error.message, /Nothing was sent/);
      return true;
    });
    assert.equal(asked.length, 1, 'one modal question');
    assert.match(asked[0]!, /lan-declined.*plain HTTP.*Send over HTTP/s);
    await assert.rejects(f.services.providers.listWorkflows('lan-declined'), /Nothing was sent/);
    assert.equal(asked.length, 1, 'a declined connection is not asked about again');
    assert.equal(received.length, 0, 'nothing reached the host');
  });

  test('"Send over HTTP" sends, and is remembered for that connection and origin', async () => {
    asked.length = 0;
    answer = 'Send over HTTP';
    await assert.rejects(f.services.providers.listWorkflows('lan-accepted'));
    assert.equal(asked.length, 1);
    assert.ok(received.length > 0, 'the request went out after consent');
    assert.ok(received.every((headers) => headers['x-api-key'] !== undefined || headers.authorization !== undefined), 'with its credential');
    const remembered = f.services.context.globalState.get<string[]>('workflowRuns.plainHttpAllowed') ?? [];
    assert.ok(remembered.includes(`lan-accepted@${new URL(baseUrl).origin}`));
    answer = undefined;
    await assert.rejects(f.services.providers.listWorkflows('lan-accepted'));
    assert.equal(asked.length, 1, 'not asked twice');
  });
});
