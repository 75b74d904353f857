// The extension's pooled client against a new connection per request: 200 sequential
// GET /v1/workflows?limit=1 against the emulator, median of 3 rounds that alternate the two.
import { Client } from 'undici';
import { z } from 'zod';
import { createHttpClient } from '../../../src/client/http';
import { startEmulator } from '../../../test/emulator/index';
import { silentLog } from '../../../test/helpers/log';
import type { Figure, Measurement } from '../figure';
import { median } from '../stats';

const requests = 200;

export const keepAliveFigure: Figure = {
  id: 'keep-alive',
  title: 'HTTP keep-alive: the pooled client vs a new connection per request (200 sequential GETs, median of 3)',
  target: 'reported',
  async measure(): Promise<Measurement[]> {
    const emulator = await startEmulator({ quiet: true });
    const url = `${emulator.urls.b3os}/v1/workflows`;
    const headers = { authorization: 'Bearer b3sk_demo' };
    const client = createHttpClient({ log: silentLog });
    const schema = z.object({ code: z.number() }).passthrough();
    const pooled: number[] = [];
    const fresh: number[] = [];
    try {
      for (let round = 0; round < 3; round += 1) {
        let started = performance.now();
        for (let i = 0; i < requests; i += 1) {
          await client.request({ method: 'GET', url, endpoint: 'GET /v1/workflows', headers, query: { limit: 1 }, schema, retry: 'read' });
        }
        pooled.push(performance.now() - started);
        started = performance.now();
        for (let i = 0; i < requests; i += 1) {
          const connection = new Client(new URL(url).origin);
          const response = await connection.request({ method: 'GET', path: '/v1/workflows?limit=1', headers });
          await response.body.json();
          await connection.close();
        }
        fresh.push(performance.now() - started);
      }
    } finally {
      await client.dispose();
      await emulator.close();
    }
    return [
      {
        label: 'per request',
        value: median(pooled) / requests,
        unit: 'ms',
        baseline: { label: 'new connection per request', value: median(fresh) / requests },
      },
    ];
  },
};
