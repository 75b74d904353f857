import * as assert from 'node:assert/strict';
import { openWorkbench } from '../harness/browser';
import { demoConnections } from '../harness/fixtures';
import { isTinyproxyInstalled, startProxy } from '../harness/proxy';
import { startEmulator } from '../emulator/index';
import { eventually, scenario } from './scenario';

// tinyproxy connects out from this loopback address: a connection the emulator sees from anywhere
// else (the extension host is on 127.0.0.1) went around the proxy.
const proxyAddress = '127.0.0.3';

const files = {
  'proxied-zuora.payload.json': JSON.stringify({ $workflow: 'zuora-proxied/19027', accountNumber: 'A00000042' }, null, 2),
  'proxied-dify.payload.json': JSON.stringify({ $workflow: 'dify-proxied', topic: 'Behind a proxy' }, null, 2),
  'proxied-b3os.payload.json': JSON.stringify({ $workflow: 'b3os-proxied/wf_9k2m4x7q1b3n', $options: { simulate: true }, threshold: 0.05 }, null, 2),
};

// A company network: the platforms are reachable only over https with the company's CA (given to
// code-server in NODE_EXTRA_CA_CERTS) and through a proxy named in the user settings (http.proxy).
// Payloads of the three platforms run to the end; the proxy's log and the emulator's accepted
// connections show that every request and stream went through the proxy.
export default scenario(
  'payloads run through http.proxy to https platforms with a private CA',
  { needsEmulator: true, connections: false, noWait: true, files, timeoutMs: 180_000 },
  async ({ page, server, pki, workspace, settings, screenshot, log }) => {
    if (!isTinyproxyInstalled()) throw new Error('tinyproxy is not installed (apt-get install tinyproxy)');
    const accepted: Array<{ platform: string; from: string }> = [];
    const [emulator, proxy] = await Promise.all([
      startEmulator({ tls: pki.server, speed: 20, quiet: true, onConnection: (platform, from) => accepted.push({ platform, from }) }),
      startProxy({ outgoingAddress: proxyAddress }),
    ]);
    try {
      const connections: Array<Record<string, unknown>> = demoConnections(emulator.urls).map((connection) => ({ ...connection, name: String(connection['name']).replace('-demo', '-proxied') }));
      assert.ok(connections.every((connection) => String(connection['baseUrl']).startsWith('https://')));
      server.setUserSettings({ ...settings, 'http.proxy': proxy.url, 'workflowRuns.connections': connections });
      // A fresh load reads the new user settings (the harness wrote the previous ones).
      const workbench = await openWorkbench(page, server.workbenchUrl({ folder: workspace }));
      await workbench.waitForExtension();

      for (const file of Object.keys(files)) {
        await workbench.runCommand('View: Close All Editors', { category: null });
        await workbench.openFile(file);
        const play = workbench.runPayloadAction();
        await play.waitFor({ state: 'visible', timeout: 15_000 });
        await play.click();
        const frame = workbench.webviewFrame();
        const status = await eventually(
          async () => {
            const run = frame.locator('[data-run-id]');
            const value = await run.getAttribute('data-run-status', { timeout: 2_000 }).catch(() => null);
            return value && ['succeeded', 'failed', 'partial', 'stopped'].includes(value) ? value : undefined;
          },
          { timeoutMs: 60_000, what: `${file} to end` },
        );
        assert.equal(status, 'succeeded', `${file} ran to the end through the proxy`);
        await screenshot(`proxied-${file.split('.')[0]}`);
      }

      const byPlatform = (platform: string) => emulator.requests.filter((request) => request.platform === platform).length;
      for (const platform of ['zuora', 'dify', 'b3os']) assert.ok(byPlatform(platform) > 0, `${platform} was reached`);
      const streams = emulator.requests.filter((request) => request.headers.accept === 'text/event-stream').length;
      assert.ok(streams >= 2, `Dify's run and B3OS's follow streamed (${streams} streams)`);
      const direct = accepted.filter((connection) => connection.from !== proxyAddress);
      assert.deepEqual(direct, [], 'no connection reached the platforms except through the proxy');
      const hosts = new Set(Object.values(emulator.urls).map((url) => new URL(url).host));
      const tunnels = proxy.requests().filter((request) => request.method === 'CONNECT' && hosts.has(request.target));
      assert.deepEqual(new Set(tunnels.map((request) => request.target)), hosts, 'the proxy tunnelled to each of the three platforms');
      log(`through the proxy: ${emulator.requests.length} requests (${streams} streams) in ${accepted.length} connections, ${tunnels.length} CONNECT lines in tinyproxy's log, none direct`);
    } finally {
      await Promise.all([emulator.close(), proxy.stop()]);
    }
  },
);
