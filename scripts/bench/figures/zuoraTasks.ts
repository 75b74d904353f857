// A Zuora run of 5,000 tasks (the emulator's workflow 19033, 50 task pages) followed to its end by
// the real adapter and HTTP client: how many task-list requests it made, against what re-reading
// the whole list on every change of the run's counts would have cost on the same polls (the way
// the adapter worked before: every page, each time the counts moved).
import { createHttpClient } from '../../../src/client/http';
import { findPlatform } from '../../../src/providers/registry';
import { startEmulator } from '../../../test/emulator/index';
import { silentLog } from '../../../test/helpers/log';
import type { Figure, Measurement } from '../figure';

const workflowId = '19033';
const taskPageLength = 100;
/** 5,000 tasks × 200 emulated ms at 50× take about 20 s of real time. */
const speed = 50;
const pollMs = 100;

export const zuoraTasksFigure: Figure = {
  id: 'zuora-5000-tasks',
  title: 'A Zuora run of 5,000 tasks followed to its end',
  target: 'task pages fetched incrementally: requests per run vs re-reading the list on every count change, ratio ≤ 0.1',
  async measure(): Promise<Measurement[]> {
    const emulator = await startEmulator({ quiet: true, speed });
    const http = createHttpClient({ log: silentLog });
    try {
      const createProvider = await findPlatform('zuora')!.load();
      const provider = createProvider({
        connection: { name: 'zuora', platform: 'zuora', baseUrl: emulator.urls.zuora, clientId: 'demo-client' },
        getCredential: async () => 'demo-secret',
        http,
        log: silentLog,
        machineId: 'bench',
        pollIntervalMs: pollMs,
      });
      const { snapshot: first } = await provider.trigger({ workflowId, inputs: {}, options: {} });
      const mark = emulator.requests.length;
      let countChanges = 0;
      let lastCounts = '';
      let pagesPerRead = 0;
      let last = first;
      const began = performance.now();
      for await (const snapshot of provider.watch({ runId: first.runId, workflowId, handle: first.handle }, AbortSignal.timeout(120_000))) {
        const counts = JSON.stringify(snapshot.tasks);
        if (counts !== lastCounts) {
          countChanges += 1;
          lastCounts = counts;
          pagesPerRead = Math.ceil(snapshot.tasks.total / taskPageLength);
        }
        last = snapshot;
      }
      const seconds = (performance.now() - began) / 1000;
      const requests = emulator.requests.slice(mark).filter((request) => request.platform === 'zuora');
      const taskReads = requests.filter((request) => request.path === '/workflows/tasks').length;
      const runReads = requests.filter((request) => request.path.startsWith('/workflows/workflow_runs/')).length;
      const wholeList = countChanges * pagesPerRead;
      const timeline = last.timeline ?? [];
      const complete = timeline.length === 5000 && timeline.every((entry) => entry.state === 'success' || entry.state === 'error');
      provider.dispose?.();
      return [
        {
          label: 'task-list requests for the run',
          value: taskReads,
          unit: 'requests',
          baseline: { label: `whole list (${pagesPerRead} pages) on each of ${countChanges} count changes`, value: wholeList },
          met: complete && taskReads / wholeList <= 0.1,
          notes: [
            `${runReads} run reads over ${seconds.toFixed(1)} s (emulator at ${speed}×, polling every ${pollMs} ms)`,
            `final timeline: ${timeline.length} tasks, ${timeline.filter((entry) => entry.state === 'error').length} in error, ${complete ? 'every task in its final state' : 'NOT every task final'}`,
          ],
        },
      ];
    } finally {
      await http.dispose();
      await emulator.close();
    }
  },
};
