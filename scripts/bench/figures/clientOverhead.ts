// What the provider layer adds to a status read: 2,000 sequential B3OS getRun() calls through the
// real adapter and HTTP client, against the same GET with bare undici on a keep-alive Pool
// configured like the client's (16 connections, 30 s keep-alive), same emulator, same process.
// Blocks of both alternate so that both see the same machine load.
import { gunzipSync } from 'node:zlib';
import { Pool } from 'undici';
import { createHttpClient } from '../../../src/client/http';
import { findPlatform } from '../../../src/providers/registry';
import { startEmulator } from '../../../test/emulator/index';
import { silentLog } from '../../../test/helpers/log';
import type { Figure, Measurement } from '../figure';

const total = 2_000;
const block = 500;
const workflowId = 'wf_9k2m4x7q1b3n';
const apiKey = 'b3sk_demo';

export const clientOverheadFigure: Figure = {
  id: 'client-overhead',
  title: 'Client overhead: 2,000 sequential status requests (B3OS getRun) through the provider vs bare undici',
  target: 'ratio ≤ 1.10',
  async measure(): Promise<Measurement[]> {
    const emulator = await startEmulator({ quiet: true });
    const http = createHttpClient({ log: silentLog });
    const pool = new Pool(emulator.urls.b3os, { connections: 16, keepAliveTimeout: 30_000 });
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
      await throughProvider(100);
      await bare(100);
      let providerMs = 0;
      let bareMs = 0;
      // CPU time too: on a loaded machine wall time is mostly waiting for a core, and the emulator
      // (same process) costs the same in both, so CPU shows what the client itself adds.
      let providerCpu = 0;
      let bareCpu = 0;
      const cpuMs = (since: NodeJS.CpuUsage) => {
        const used = process.cpuUsage(since);
        return (used.user + used.system) / 1000;
      };
      for (let done = 0; done < total; done += block) {
        let cpu = process.cpuUsage();
        let started = performance.now();
        await throughProvider(block);
        providerMs += performance.now() - started;
        providerCpu += cpuMs(cpu);
        cpu = process.cpuUsage();
        started = performance.now();
        await bare(block);
        bareMs += performance.now() - started;
        bareCpu += cpuMs(cpu);
      }
      const ratio = providerMs / bareMs;
      return [
        {
          label: 'per status request',
          value: providerMs / total,
          unit: 'ms',
          baseline: { label: 'bare undici Pool, same headers, gunzip + JSON.parse', value: bareMs / total },
          met: ratio <= 1.1,
          notes: [`totals: ${providerMs.toFixed(0)} ms vs ${bareMs.toFixed(0)} ms for ${total.toLocaleString('en')} requests each`],
        },
        {
          label: 'CPU per status request (client + emulator)',
          value: providerCpu / total,
          unit: 'ms',
          baseline: { label: 'bare undici, same work', value: bareCpu / total },
          met: providerCpu / bareCpu <= 1.1,
          notes: [
            'what the provider adds on top of bare undici: the attempt deadline and abort, retry bookkeeping, the log line, zod validation of the body and the mapping to a run snapshot',
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
