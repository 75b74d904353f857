// Load: many runs in flight at once across the three platforms, followed to their end by the real
// store, watchers, providers and HTTP client (one client per "window", as the extension has), with
// a reload while they are in flight: everything is disposed and built again over the same stored
// history, which must find every run still in flight and follow it to its end.
//
// The emulator runs in a child process so the heap measured is the extension side's only.
// Figures: requests per run, p99 request latency, heap after the runs ended vs before they began.
//   npx tsx scripts/bench/load.ts [runs] [--no-reload]
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { createHttpClient, type DisposableHttpClient } from '../../src/client/http';
import { isTerminal } from '../../src/providers/model';
import type { ProviderLogger, WorkflowProvider } from '../../src/providers/provider';
import { findPlatform } from '../../src/providers/registry';
import { RunStore } from '../../src/runs/store';
import { RunWatchers } from '../../src/runs/watcher';
import { remoteEmulator, type RemoteEmulator } from '../../test/emulator/remote';
import { MemoryMemento } from '../../test/helpers/memento';
import { MemoryHistoryPersistence, type HistoryPersistence } from '../../src/runs/persistence';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  target: string;
  note: string;
}

export interface LoadOptions {
  /** Runs in flight at once, spread over the three platforms (default 50). */
  runs?: number;
  /** Dispose and rebuild everything over the same history while the runs are in flight (default true). */
  reload?: boolean;
  /** Emulator speed: 0.5 makes the demo runs last 5–15 s, long enough to reload in the middle. */
  speed?: number;
  /** The extension's default poll interval (polling.intervalSeconds = 2). */
  pollIntervalMs?: number;
  /** Gives up waiting for the runs to end after this long. */
  timeoutMs?: number;
}

export interface LoadResult {
  figures: Figure[];
  runs: number;
  ended: number;
  inFlightAtReload: number;
  resumedAtReload: number;
  requests: number;
  runsCreated: Record<Platform, number>;
  triggeredTwice: number;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  /** After the ended runs were removed from history too. */
  heapClearedBytes: number;
  /** Triggers answered (all of them unless requests starved behind streams). */
  started: number;
}

type Platform = 'zuora' | 'dify' | 'b3os';
const platforms: Platform[] = ['zuora', 'dify', 'b3os'];

const targets: Record<Platform, { connection: (url: string) => Record<string, unknown>; credential: string; workflowId: string; inputs: Record<string, unknown> }> = {
  zuora: { connection: (url) => ({ name: 'zuora-load', platform: 'zuora', baseUrl: url, auth: 'oauth', clientId: 'demo-client' }), credential: 'demo-secret', workflowId: '19027', inputs: {} },
  dify: { connection: (url) => ({ name: 'dify-load', platform: 'dify', baseUrl: url }), credential: 'app-demo', workflowId: 'default', inputs: { topic: 'load' } },
  b3os: { connection: (url) => ({ name: 'b3os-load', platform: 'b3os', baseUrl: url }), credential: 'b3sk_demo', workflowId: 'wf_9k2m4x7q1b3n', inputs: {} },
};

/** The HTTP client's one log line per answered attempt: "GET /path → 200 in 12 ms". */
class RequestTally implements ProviderLogger {
  readonly latencies: number[] = [];
  failures = 0;
  trace(): void {}
  debug(): void {}
  info(message: string): void {
    const answered = / → \d+ in (\d+) ms/.exec(message);
    if (answered) this.latencies.push(Number(answered[1]));
    else if (/ failed after \d+ ms/.test(message)) this.failures += 1;
  }
  warn(message: string): void {
    this.info(message);
  }
  error(): void {}
  get requests(): number {
    return this.latencies.length + this.failures;
  }
}

/** One "window": an HTTP client, a provider per platform, the store over the shared history, the watchers. */
interface Window {
  http: DisposableHttpClient;
  providers: Map<string, WorkflowProvider>;
  store: RunStore;
  watchers: RunWatchers;
  /** Every trigger's lifetime: closing the window aborts the ones still sending. */
  lifetimes: AbortController[];
}

async function openWindow(memento: MemoryMemento, persistence: HistoryPersistence, urls: Record<Platform, string>, log: RequestTally, pollIntervalMs: number): Promise<Window> {
  const http = createHttpClient({ log });
  const providers = new Map<string, WorkflowProvider>();
  for (const platform of platforms) {
    const target = targets[platform];
    const connection = target.connection(urls[platform]);
    const factory = await findPlatform(platform)!.load();
    providers.set(String(connection.name), factory({ connection: connection as never, getCredential: async () => target.credential, http, log, machineId: 'load', pollIntervalMs }));
  }
  // History keeps every run of this test (the cap is per workflow).
  const store = new RunStore(memento, () => 1000, 250, { persistence });
  const watchers = new RunWatchers(store, { get: async (name) => providers.get(name)! }, log);
  return { http, providers, store, watchers, lifetimes: [] };
}

async function closeWindow(window: Window): Promise<void> {
  for (const lifetime of window.lifetimes) lifetime.abort();
  window.watchers.dispose();
  await window.store.flush();
  window.store.dispose();
  for (const provider of window.providers.values()) provider.dispose?.();
  await window.http.dispose();
}

/** Starts one run the way the runs service does: the watcher owns the trigger's lifetime and stream. */
async function startRun(window: Window, platform: Platform): Promise<void> {
  const target = targets[platform];
  const name = `${platform}-load`;
  const lifetime = new AbortController();
  window.lifetimes.push(lifetime);
  const triggered = await window.providers.get(name)!.trigger({ workflowId: target.workflowId, inputs: target.inputs, options: {}, signal: lifetime.signal });
  const record = window.store.upsert(name, platform, triggered.snapshot, { request: { inputs: target.inputs, options: {} } });
  window.watchers.watch(record, triggered.updates, lifetime);
}

async function startEmulatorProcess(speed: number): Promise<{ child: ChildProcess; urls: Record<Platform, string> }> {
  const root = path.resolve(__dirname, '..', '..');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/emulator/cli.ts'), '--port', '0', '--speed', String(speed), '--quiet'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const urls = await new Promise<Record<Platform, string>>((resolve, reject) => {
    let text = '';
    const found: Partial<Record<Platform, string>> = {};
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      for (const [, platform, url] of text.matchAll(/^(zuora|dify|b3os) (\S+)$/gm)) found[platform as Platform] = url;
      if (found.zuora && found.dify && found.b3os) resolve(found as Record<Platform, string>);
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before printing its URLs`)));
  });
  return { child, urls };
}

/** global.gc when node runs with --expose-gc; otherwise the same function, exposed at run time. */
function garbageCollector(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

async function settledHeap(gc: () => void): Promise<number> {
  // Several rounds with turns of the event loop between: sockets and timers release late.
  for (let round = 0; round < 4; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage().heapUsed;
}

/** How many of `promises` fulfilled within `timeoutMs` (the rest are left to be aborted). */
async function settleWithin(promises: Array<Promise<unknown>>, timeoutMs: number): Promise<number> {
  let fulfilled = 0;
  const all = Promise.allSettled(promises.map((promise) => promise.then(() => (fulfilled += 1))));
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
  return fulfilled;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

export async function runLoad(options: LoadOptions = {}): Promise<LoadResult> {
  const runs = options.runs ?? 50;
  const reload = options.reload ?? true;
  const pollIntervalMs = options.pollIntervalMs ?? 2_000;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const gc = garbageCollector();
  const { child, urls } = await startEmulatorProcess(options.speed ?? 0.5);
  const control: RemoteEmulator = remoteEmulator(urls);
  const memento = new MemoryMemento();
  // What every window of this machine shares: the stored history (files, in the extension).
  const persistence = new MemoryHistoryPersistence();
  const log = new RequestTally();
  let window: Window | undefined;
  try {
    // Warm up: one run per platform loads every module, signs in and warms the pools, so the
    // baseline is an extension that has been used, not a cold one.
    window = await openWindow(memento, persistence, urls, log, pollIntervalMs);
    for (const platform of platforms) await startRun(window, platform);
    if (!(await until(() => window!.store.inFlight().length === 0, timeoutMs))) throw new Error('warm-up runs did not end');
    for (const record of window.store.all()) window.store.remove(record.connection, record.snapshot.runId);
    await window.store.flush();
    await control.reset();
    const heapBeforeBytes = await settledHeap(gc);
    const requestsBefore = log.requests;
    const latenciesFrom = log.latencies.length;

    const started = Date.now();
    // Each trigger is bounded: a trigger stuck behind open streams on its origin must show up as a
    // figure, not hang the bench.
    const starts = Array.from({ length: runs }, (_, index) => startRun(window!, platforms[index % platforms.length]!));
    const startedRuns = await settleWithin(starts, timeoutMs);
    if (startedRuns < runs) process.stderr.write(`load: only ${startedRuns} of ${runs} triggers answered within ${timeoutMs / 1000} s\n`);
    let inFlightAtReload = 0;
    let resumedAtReload = 0;
    if (reload) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await window.store.flush();
      inFlightAtReload = window.store.inFlight().length;
      await closeWindow(window);
      window = await openWindow(memento, persistence, urls, log, pollIntervalMs);
      resumedAtReload = window.watchers.resumeAll();
    }
    const current = window;
    const allEnded = await until(() => current.store.all().length >= startedRuns && current.store.inFlight().length === 0 && current.watchers.count === 0, timeoutMs);
    const elapsedMs = Date.now() - started;
    const ended = current.store.all().filter((record) => isTerminal(record.snapshot.status)).length;
    if (!allEnded) process.stderr.write(`load: ${runs - ended} of ${runs} runs did not end within ${timeoutMs / 1000} s\n`);
    const heapAfterBytes = await settledHeap(gc);
    // What is left once the history forgets them (Clear Run History) must be what was there before.
    for (const record of current.store.all()) current.store.remove(record.connection, record.snapshot.runId);
    await current.store.flush();
    const heapClearedBytes = await settledHeap(gc);
    const requests = log.requests - requestsBefore;
    const latencies = log.latencies.slice(latenciesFrom);
    const runsCreated = {} as Record<Platform, number>;
    let triggeredTwice = 0;
    for (const platform of platforms) {
      runsCreated[platform] = await control.runsCreated(platform);
      triggeredTwice += (await control.triggers(platform)).filter((count) => count.runs > 1).length;
    }
    const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
    const label = `${runs} runs in flight (${platforms.join(', ')})${reload ? ', reload in flight' : ''}`;
    const figures: Figure[] = [
      {
        name: `load: requests per run, ${label}`,
        value: Math.round((requests / Math.max(1, startedRuns)) * 10) / 10,
        unit: 'requests/run',
        target: '≤ 1 per poll interval of the run’s life + trigger and stream opens',
        note: `${requests} requests for the ${startedRuns} runs that started over ${(elapsedMs / 1000).toFixed(1)} s (emulator speed ${options.speed ?? 0.5}, polling every ${pollIntervalMs / 1000} s)`,
      },
      {
        name: `load: p99 request latency, ${label}`,
        value: percentile(latencies, 99),
        unit: 'ms',
        baseline: percentile(latencies, 50),
        target: 'no request queued behind the others (p99 within a few × p50)',
        note: `${latencies.length} answered requests; baseline is the p50`,
      },
      {
        name: `load: heap after the runs ended, ${label}`,
        value: mb(heapAfterBytes),
        unit: 'MB',
        baseline: mb(heapBeforeBytes),
        target: 'the heap before + what the history keeps of the ended runs',
        note: `${(heapAfterBytes / heapBeforeBytes).toFixed(3)}× after forced GC, ${Math.round((heapAfterBytes - heapBeforeBytes) / Math.max(1, startedRuns) / 1024)} KB per run kept in history; emulator in a child process`,
      },
      {
        name: `load: heap once the ended runs left the history, ${label}`,
        value: mb(heapClearedBytes),
        unit: 'MB',
        baseline: mb(heapBeforeBytes),
        target: '≤ 1.1 × the heap before the runs began',
        note: `${(heapClearedBytes / heapBeforeBytes).toFixed(3)}× after forced GC, once the ended runs were removed from history (the pools' kept-alive sockets remain)`,
      },
      {
        name: `load: runs followed to their end, ${label}`,
        value: ended,
        unit: 'runs',
        baseline: runs,
        target: `${runs} (every one), each triggered once`,
        note: (startedRuns < runs ? `only ${startedRuns} triggers answered (requests starved behind open streams on one origin); ` : '') + (reload ? `${inFlightAtReload} in flight at the reload, ${resumedAtReload} found again by the new window; ${triggeredTwice} trigger keys with two runs` : `${triggeredTwice} trigger keys with two runs`),
      },
    ];
    return { figures, runs, started: startedRuns, ended, inFlightAtReload, resumedAtReload, requests, runsCreated, triggeredTwice, heapBeforeBytes, heapAfterBytes, heapClearedBytes };
  } finally {
    if (window) await closeWindow(window).catch(() => undefined);
    child.kill('SIGTERM');
  }
}

/** The bench entry: issue 9's 50 runs with a reload, and issue 11's 200 runs. */
export async function load(): Promise<Figure[]> {
  const fifty = await runLoad({ runs: 50, reload: true });
  const twoHundred = await runLoad({ runs: 200, reload: false });
  return [...fifty.figures, ...twoHundred.figures];
}

if (require.main === module) {
  const runs = Number(process.argv[2]) || 50;
  runLoad({ runs, reload: !process.argv.includes('--no-reload') }).then(
    (result) => {
      for (const figure of result.figures) console.log(JSON.stringify(figure));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
