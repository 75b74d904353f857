// Nothing in flight: a history of 20 ended runs, the watchers resumed, 3 s with the real Zuora
// adapter against the emulator. Every request here would be waste.
import { createHttpClient } from '../../../src/client/http';
import { emptyTaskCounts } from '../../../src/providers/model';
import { findPlatform } from '../../../src/providers/registry';
import { RunStore } from '../../../src/runs/store';
import { RunWatchers } from '../../../src/runs/watcher';
import { startEmulator } from '../../../test/emulator/index';
import { silentLog } from '../../../test/helpers/log';
import type { Figure, Measurement } from '../figure';

export const idleFigure: Figure = {
  id: 'idle',
  title: 'Nothing in flight (history of 20 ended runs, watchers resumed, 3 s, real adapter + emulator)',
  target: '0 watchers, 0 requests',
  async measure(): Promise<Measurement[]> {
    const emulator = await startEmulator({ quiet: true });
    const stored = new Map<string, unknown>();
    const store = new RunStore({ get: (key) => stored.get(key) as never, update: async (key, value) => void stored.set(key, value) }, () => 50);
    for (let i = 0; i < 20; i += 1) {
      store.upsert('zuora', 'zuora', { runId: String(1000 + i), workflowId: '19027', status: i % 2 ? 'succeeded' : 'failed', tasks: emptyTaskCounts() });
    }
    const http = createHttpClient({ log: silentLog });
    const createZuoraProvider = await findPlatform('zuora')!.load();
    const provider = createZuoraProvider({
      connection: { name: 'zuora', platform: 'zuora', baseUrl: emulator.urls.zuora, auth: 'oauth', clientId: 'demo-client' },
      getCredential: async () => 'demo-secret',
      http,
      log: silentLog,
      machineId: 'bench',
      pollIntervalMs: 200,
    });
    const watchers = new RunWatchers(store, { get: async () => provider }, silentLog);
    try {
      const resumed = watchers.resumeAll();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const sent = emulator.requests.length;
      return [
        { label: 'watchers started', value: resumed, unit: 'watchers', met: resumed === 0 },
        { label: 'requests sent in 3 s', value: sent, unit: 'requests', met: sent === 0 },
      ];
    } finally {
      watchers.dispose();
      store.dispose();
      await http.dispose();
      await emulator.close();
    }
  },
};
