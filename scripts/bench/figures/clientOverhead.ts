// What the provider layer adds to a status read: 2,000 sequential B3OS getRun() calls through the
// real adapter and HTTP client, against the same GET with bare undici on a keep-alive Pool
// configured like the client's (16 connections, 30 s keep-alive, 10 s connect timeout), same
// emulator, same process.
//
// Fair in both directions:
// - The provider side is the code as shipped: bundled and minified by esbuild like dist/services.js.
//   Run from source through tsx it carried keepNames wrappers (a defineProperty per closure made per
//   request) that the extension never pays.
// - The baseline's Pool comes from that same bundle: the very undici code the client runs on.
// - Both send the same headers (the client asks for gzip; the emulator answers uncompressed to
//   both), and both decode and JSON.parse the whole body.
// - Both are warmed up; rounds alternate which side goes first (the one after pays the other's
//   garbage collection); a round is 2,000 requests each side in alternating blocks, and the
//   figures are medians over rounds.
// - The baseline uses undici as it is normally used: request(), then the body's arrayBuffer().
//   The client reads answers with dispatch() and a handler of its own, which skips request()'s
//   Readable body and AsyncResource: a note gives the ratio against a minimal dispatch() reader
//   too (same requests, headers scanned for Content-Encoding, chunks joined, JSON.parse), the
//   strictest "bare undici" there is.
import { gunzipSync } from 'node:zlib';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { startEmulator } from '../../../test/emulator/index';
import { silentLog } from '../../../test/helpers/log';
import type { Figure, Measurement } from '../figure';
import type * as subject from './clientOverheadSubject';
import { median, spread } from '../stats';
import type { Dispatcher } from 'undici';

const total = 2_000;
/** Rounds of `total` requests each side; each round interleaves blocks of both. */
const rounds = 5;
const block = 200;
const warmUp = 300;
const workflowId = 'wf_9k2m4x7q1b3n';
const apiKey = 'b3sk_demo';

type Subject = typeof subject;
type Side = (count: number) => Promise<void>;

/** Per-request medians (µs) of sides `a` and `b` over the rounds, and each round's ratio a / b. */
interface Comparison {
  wall: { a: number; b: number };
  cpu: { a: number; b: number };
  ratios: { wall: number[]; cpu: number[] };
}

/**
 * Rounds of `total` requests each side, in blocks that alternate which side goes first. CPU time
 * too: on a loaded machine wall time is mostly waiting for a core, and the emulator (same process)
 * costs the same on both sides, so CPU shows what the client itself adds.
 */
async function compare(a: Side, b: Side): Promise<Comparison> {
  const perRound = { a: { wall: [] as number[], cpu: [] as number[] }, b: { wall: [] as number[], cpu: [] as number[] } };
  for (let round = 0; round < rounds; round += 1) {
    const spent = { a: { wall: 0, cpu: 0 }, b: { wall: 0, cpu: 0 } };
    const measureBlock = async (side: 'a' | 'b', work: Side) => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      await work(block);
      spent[side].wall += performance.now() - started;
      const used = process.cpuUsage(cpu);
      spent[side].cpu += (used.user + used.system) / 1000;
    };
    for (let done = 0; done < total; done += block) {
      const aFirst = (done / block) % 2 === 0;
      await measureBlock(aFirst ? 'a' : 'b', aFirst ? a : b);
      await measureBlock(aFirst ? 'b' : 'a', aFirst ? b : a);
    }
    for (const side of ['a', 'b'] as const) {
      perRound[side].wall.push((spent[side].wall * 1000) / total);
      perRound[side].cpu.push((spent[side].cpu * 1000) / total);
    }
  }
  const ratios = (kind: 'wall' | 'cpu') => perRound.a[kind].map((value, index) => value / perRound.b[kind][index]!);
  return {
    wall: { a: median(perRound.a.wall), b: median(perRound.b.wall) },
    cpu: { a: median(perRound.a.cpu), b: median(perRound.b.cpu) },
    ratios: { wall: ratios('wall'), cpu: ratios('cpu') },
  };
}

/** One GET through undici's dispatch() with the least a reader can do: keep the chunks, note the encoding. */
function dispatchWhole(pool: Dispatcher, path: string, headers: Record<string, string>): Promise<{ raw: Buffer; gzipped: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let gzipped = false;
    pool.dispatch(
      { method: 'GET', path, headers },
      {
        onConnect() {},
        onHeaders(_status, rawHeaders) {
          for (let index = 0; index < rawHeaders.length; index += 2) {
            if (rawHeaders[index]!.length === 16 && rawHeaders[index]!.toString('latin1').toLowerCase() === 'content-encoding') gzipped = rawHeaders[index + 1]!.toString('latin1') === 'gzip';
          }
          return true;
        },
        onData(chunk) {
          chunks.push(chunk);
          return true;
        },
        onComplete() {
          resolve({ raw: Buffer.concat(chunks), gzipped });
        },
        onError: reject,
      },
    );
  });
}

/** clientOverheadSubject.ts built with the production bundle's settings (esbuild.mjs). */
async function loadShippedSubject(): Promise<Subject> {
  const root = path.resolve(__dirname, '../../..');
  const outfile = path.join(root, 'dist', 'bench', 'clientOverheadSubject.js');
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'clientOverheadSubject.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file built a moment ago
  return require(outfile) as Subject;
}

export const clientOverheadFigure: Figure = {
  id: 'client-overhead',
  title: 'Client overhead: 2,000 sequential status requests (B3OS getRun) through the provider vs bare undici',
  target: 'ratio ≤ 1.10',
  async measure(): Promise<Measurement[]> {
    const { createHttpClient, findPlatform, createPool } = await loadShippedSubject();
    const emulator = await startEmulator({ quiet: true });
    const http = createHttpClient({ log: silentLog });
    const pool = createPool(emulator.urls.b3os, { connections: 16, keepAliveTimeout: 30_000, connect: { timeout: 10_000 } });
    try {
      const createProvider = await findPlatform('b3os')!.load();
      const provider = createProvider({
        connection: { name: 'b3os', platform: 'b3os', baseUrl: emulator.urls.b3os },
        getCredential: async () => apiKey,
        http,
        log: silentLog,
        machineId: 'bench',
        pollIntervalMs: 2000,
      });
      const runs = await provider.listRuns!(workflowId, undefined);
      const runId = runs.items[0]?.runId;
      if (!runId) throw new Error(`the emulator lists no run of ${workflowId}`);

      const throughProvider = async (count: number) => {
        for (let i = 0; i < count; i += 1) await provider.getRun({ runId, workflowId });
      };
      // The same request the client sends (it asks for gzip), built per request as the adapter does.
      const path = () => `/v1/runs/${encodeURIComponent(runId)}`;
      const headers = () => ({ authorization: `Bearer ${apiKey}`, accept: 'application/json', 'accept-encoding': 'gzip', 'user-agent': 'workflow-runs-vscode' });
      const bare = async (count: number) => {
        for (let i = 0; i < count; i += 1) {
          const response = await pool.request({ method: 'GET', path: path(), headers: headers() });
          const raw = Buffer.from(await response.body.arrayBuffer());
          JSON.parse((response.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8'));
        }
      };
      const dispatched = async (count: number) => {
        for (let i = 0; i < count; i += 1) {
          const { raw, gzipped } = await dispatchWhole(pool, path(), headers());
          JSON.parse((gzipped ? gunzipSync(raw) : raw).toString('utf8'));
        }
      };
      // Warm all: sockets open, JIT done.
      await throughProvider(warmUp);
      await bare(warmUp);
      await dispatched(warmUp);
      const main = await compare(throughProvider, bare);
      const lean = await compare(throughProvider, dispatched);
      return [
        {
          label: 'per status request',
          value: main.wall.a,
          // µs: in ms, two decimals hid a 10 % difference.
          unit: 'µs',
          baseline: { label: 'bare undici Pool, same pool settings and headers, gunzip + JSON.parse', value: main.wall.b },
          met: main.wall.a / main.wall.b <= 1.1,
          notes: [
            `median of ${rounds} rounds of ${total.toLocaleString('en')} requests each side (blocks of ${block}, order alternating); per-round ratios ${spread(main.ratios.wall)}`,
            'both sides as shipped: the client, adapter and undici bundled and minified like dist/services.js',
            `against a minimal undici dispatch() reader instead of request() + arrayBuffer() (${lean.wall.b.toFixed(1)} µs, the same rounds again): ${(lean.wall.a / lean.wall.b).toFixed(2)}× (rounds ${spread(lean.ratios.wall)})`,
          ],
        },
        {
          label: 'CPU per status request (client + emulator)',
          value: main.cpu.a,
          unit: 'µs',
          baseline: { label: 'bare undici, same work', value: main.cpu.b },
          met: main.cpu.a / main.cpu.b <= 1.1,
          notes: [
            `per-round ratios ${spread(main.ratios.cpu)}; against the minimal dispatch() reader ${(lean.cpu.a / lean.cpu.b).toFixed(2)}× (rounds ${spread(lean.ratios.cpu)})`,
            'what the provider adds on top of bare undici: the attempt deadline and abort, retry bookkeeping, the log line, validation of the body against its schema and the mapping to a run snapshot',
          ],
        },
      ];
    } finally {
      await pool.close();
      await http.dispose();
      await emulator.close();
    }
  },
};
