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
import { gunzipSync } from 'node:zlib';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { startEmulator } from '../../../test/emulator/index';
import { silentLog } from '../../../test/helpers/log';
import type { Figure, Measurement } from '../figure';
import type * as subject from './clientOverheadSubject';
import { median, spread } from '../stats';

const total = 2_000;
/** Rounds of `total` requests each side; each round interleaves blocks of both. */
const rounds = 5;
const block = 200;
const warmUp = 300;
const workflowId = 'wf_9k2m4x7q1b3n';
const apiKey = 'b3sk_demo';

type Subject = typeof subject;

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
      const bare = async (count: number) => {
        for (let i = 0; i < count; i += 1) {
          // The same request the client sends (it asks for gzip), decoded the same way.
          const response = await pool.request({
            method: 'GET',
            path: `/v1/runs/${encodeURIComponent(runId)}`,
            headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json', 'accept-encoding': 'gzip', 'user-agent': 'workflow-runs-vscode' },
          });
          const raw = Buffer.from(await response.body.arrayBuffer());
          JSON.parse((response.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8'));
        }
      };
      // Warm both: sockets open, JIT done.
      await throughProvider(warmUp);
      await bare(warmUp);
      // CPU time too: on a loaded machine wall time is mostly waiting for a core, and the emulator
      // (same process) costs the same in both, so CPU shows what the client itself adds.
      const sides = { provider: { wall: [] as number[], cpu: [] as number[] }, bare: { wall: [] as number[], cpu: [] as number[] } };
      const spent = { provider: { wall: 0, cpu: 0 }, bare: { wall: 0, cpu: 0 } };
      const measureBlock = async (side: keyof typeof sides, work: (count: number) => Promise<void>) => {
        const cpu = process.cpuUsage();
        const started = performance.now();
        await work(block);
        spent[side].wall += performance.now() - started;
        const used = process.cpuUsage(cpu);
        spent[side].cpu += (used.user + used.system) / 1000;
      };
      for (let round = 0; round < rounds; round += 1) {
        spent.provider = { wall: 0, cpu: 0 };
        spent.bare = { wall: 0, cpu: 0 };
        for (let done = 0; done < total; done += block) {
          if ((done / block) % 2 === 0) {
            await measureBlock('provider', throughProvider);
            await measureBlock('bare', bare);
          } else {
            await measureBlock('bare', bare);
            await measureBlock('provider', throughProvider);
          }
        }
        for (const side of ['provider', 'bare'] as const) {
          sides[side].wall.push(spent[side].wall / total);
          sides[side].cpu.push(spent[side].cpu / total);
        }
      }
      const wall = { provider: median(sides.provider.wall), bare: median(sides.bare.wall) };
      const cpu = { provider: median(sides.provider.cpu), bare: median(sides.bare.cpu) };
      const roundRatios = (kind: 'wall' | 'cpu') => sides.provider[kind].map((value, index) => value / sides.bare[kind][index]!);
      return [
        {
          label: 'per status request',
          value: wall.provider,
          unit: 'ms',
          baseline: { label: 'bare undici Pool, same pool settings and headers, gunzip + JSON.parse', value: wall.bare },
          met: wall.provider / wall.bare <= 1.1,
          notes: [
            `median of ${rounds} rounds of ${total.toLocaleString('en')} requests each side (blocks of ${block}, order alternating); per-round ratios ${spread(roundRatios('wall'))}`,
            'both sides as shipped: the client, adapter and undici bundled and minified like dist/services.js',
          ],
        },
        {
          label: 'CPU per status request (client + emulator)',
          value: cpu.provider,
          unit: 'ms',
          baseline: { label: 'bare undici, same work', value: cpu.bare },
          met: cpu.provider / cpu.bare <= 1.1,
          notes: [
            `per-round ratios ${spread(roundRatios('cpu'))}`,
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
