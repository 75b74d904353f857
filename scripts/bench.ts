// `npm run bench`: the figures behind "fast". Each section prints what it measured, how, and a
// ratio against the obvious alternative. Timings are medians of repeated runs on this machine;
// counts are exact.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client } from 'undici';
import { createHttpClient } from '../src/client/http';
import { readSse } from '../src/client/sse';
import { nextPollDelay } from '../src/providers/polling';
import { startEmulator } from '../test/emulator/index';
import { silentLog as quietLog } from '../test/helpers/log';
import { MemoryMemento } from '../test/helpers/memento';
import { runSnapshot } from '../test/helpers/runs';
import { z } from 'zod';
import { findPlatform } from '../src/providers/registry';
import { RunStore } from '../src/runs/store';
import { RunWatchers } from '../src/runs/watcher';

const root = path.resolve(__dirname, '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const row = (label: string, value: string) => console.log(`  ${label.padEnd(48)} ${value}`);

function bundles(): void {
  console.log('\nBundles (npm run build -- --production)');
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
  for (const file of ['dist/extension.js', 'dist/webview.js']) {
    const content = fs.readFileSync(path.join(root, file));
    row(file, `${kb(content.length)} (${kb(gzipSync(content).length)} gzipped)`);
  }
  const vsix = fs.readdirSync(root).find((name) => name.endsWith('.vsix'));
  if (vsix) row(vsix, kb(fs.statSync(path.join(root, vsix)).size));
}

/** Activation in a fresh process (stub vscode): load + activate, then the first command that needs the services. */
function activation(): void {
  console.log('\nActivation (fresh node process, stub vscode API, 7 runs, median)');
  const samples: Array<{ load: number; activate: number; firstUse: number }> = [];
  for (let i = 0; i < 7; i += 1) {
    const out = execFileSync(process.execPath, [path.join(root, 'scripts/bench-activation.cjs')], { cwd: root, encoding: 'utf8' });
    samples.push(JSON.parse(out.trim().split('\n').pop()!));
  }
  const load = median(samples.map((s) => s.load));
  const activate = median(samples.map((s) => s.activate));
  const firstUse = median(samples.map((s) => s.firstUse));
  row('require(dist/extension.js)', `${load.toFixed(2)} ms`);
  row('activate()', `${activate.toFixed(2)} ms`);
  row('first use (services, schemas, store)', `${firstUse.toFixed(2)} ms`);
  row('work deferred out of activation', `${(firstUse / Math.max(activate, 0.01)).toFixed(1)}× the activation cost`);
}

async function keepAlive(): Promise<void> {
  console.log('\nHTTP keep-alive (200 sequential GET /v1/workflows?limit=1 against the emulator, median of 3)');
  const emulator = await startEmulator({ quiet: true });
  const url = `${emulator.urls.b3os}/v1/workflows`;
  const headers = { authorization: 'Bearer b3sk_demo' };
  const n = 200;
  const pooledTimes: number[] = [];
  const freshTimes: number[] = [];
  const client = createHttpClient({ log: quietLog });
  const schema = z.object({ code: z.number() }).passthrough();
  for (let round = 0; round < 3; round += 1) {
    let started = performance.now();
    for (let i = 0; i < n; i += 1) {
      await client.request({ method: 'GET', url, endpoint: 'GET /v1/workflows', headers, query: { limit: 1 }, schema, retry: 'read' });
    }
    pooledTimes.push(performance.now() - started);
    started = performance.now();
    for (let i = 0; i < n; i += 1) {
      const fresh = new Client(new URL(url).origin);
      const response = await fresh.request({ method: 'GET', path: '/v1/workflows?limit=1', headers });
      await response.body.json();
      await fresh.close();
    }
    freshTimes.push(performance.now() - started);
  }
  await client.dispose();
  const pooled = median(pooledTimes);
  const fresh = median(freshTimes);
  row('pooled client (the extension\'s)', `${(pooled / n).toFixed(3)} ms/request`);
  row('new connection per request', `${(fresh / n).toFixed(3)} ms/request`);
  row('ratio', `${(fresh / pooled).toFixed(2)}× faster with the pool`);
  await emulator.close();
}

function polling(): void {
  console.log('\nPolling a quiet 10-minute Zuora run (base 2 s; nextPollDelay, exact counts)');
  const runMs = 10 * 60_000;
  // The run changes at start, after 5 s, and at its end; otherwise it is quiet.
  const changes = [0, 5_000, runMs];
  let t = 0;
  let unchanged = 0;
  let polls = 0;
  let nextChange = 0;
  while (t < runMs) {
    polls += 1;
    if (nextChange < changes.length && t >= changes[nextChange]) {
      unchanged = 0;
      while (nextChange < changes.length && t >= changes[nextChange]) nextChange += 1;
    } else unchanged += 1;
    t += nextPollDelay(unchanged, { baseMs: 2000 });
  }
  const fixed = runMs / 2000;
  row('adaptive polling requests', String(polls));
  row('fixed 2 s polling requests', String(fixed));
  row('ratio', `${(fixed / polls).toFixed(1)}× fewer requests`);
}

/** The real watchers, the real Zuora adapter and the emulator: history with only ended runs. */
async function idle(): Promise<void> {
  console.log('\nNothing in flight (history of 20 ended runs, watchers resumed, 3 s, real adapter + emulator)');
  const emulator = await startEmulator({ quiet: true });
  const store = new RunStore(new MemoryMemento(), () => 50);
  for (let i = 0; i < 20; i += 1) {
    store.upsert('zuora', 'zuora', runSnapshot(String(1000 + i), i % 2 ? 'succeeded' : 'failed', { workflowId: '19027' }));
  }
  const http = createHttpClient({ log: quietLog });
  const createZuoraProvider = await findPlatform('zuora')!.load();
  const provider = createZuoraProvider({
    connection: { name: 'zuora', platform: 'zuora', baseUrl: emulator.urls.zuora, auth: 'oauth', clientId: 'demo-client' },
    getCredential: async () => 'demo-secret',
    http,
    log: quietLog,
    machineId: 'bench',
    pollIntervalMs: 200,
  });
  const watchers = new RunWatchers(store, { get: async () => provider }, quietLog);
  const resumed = watchers.resumeAll();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  row('watchers started', String(resumed));
  row('requests sent', String(emulator.requests.length));
  watchers.dispose();
  store.dispose();
  await http.dispose();
  await emulator.close();
}

async function sse(): Promise<void> {
  console.log('\nSSE parsing (20,000 Dify node events in 7-byte chunks, median of 5)');
  const event = `data: ${JSON.stringify({ event: 'node_finished', task_id: 't', workflow_run_id: 'r', data: { id: 'n', status: 'succeeded', elapsed_time: 0.1 } })}\r\n\r\n`;
  const text = event.repeat(20_000);
  const bytes = new TextEncoder().encode(text);
  const times: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    const started = performance.now();
    let count = 0;
    for await (const _ of readSse(chunks(), { endpoint: 'bench' })) count += 1;
    times.push(performance.now() - started);
    if (count !== 20_000) throw new Error(`parsed ${count} events, expected 20000`);
  }
  const ms = median(times);
  row('events per second', `${Math.round(20_000 / (ms / 1000)).toLocaleString('en')}`);
  row('throughput', `${(bytes.length / 1024 / 1024 / (ms / 1000)).toFixed(1)} MB/s`);
}

async function main(): Promise<void> {
  console.log(`Workflow Runs benchmarks — node ${process.version}, ${new Date().toISOString()}`);
  bundles();
  activation();
  await keepAlive();
  polling();
  await idle();
  await sse();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
