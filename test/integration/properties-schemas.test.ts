// Property tests of the response schemas through the real client boundary (createHttpClient and
// the adapters, against a local server that answers a generated body): bodies with optional
// fields left out at random and numbers at their extremes either map to a run or fail with a
// clear WorkflowRunsError — never a crash, never a hang, never an allocation sized by a number
// the server sent.
import { strict as assert } from 'node:assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createHttpClient } from '../../src/client/http';
import { WorkflowRunsError } from '../../src/client/errors';
import { findPlatform } from '../../src/providers/registry';
import type { RunSnapshot } from '../../src/providers/model';
import type { WorkflowProvider } from '../../src/providers/provider';
import { silentLog } from '../helpers/log';

const extremes = [0, -1, -0, 0.5, 5e9, 86_000_000, Number.MAX_SAFE_INTEGER, 1e308, -1e308, 1e-308];

/**
 * A copy of `sample` steered by `choices`: each field may be left out (the ids and statuses the
 * vendors document as required are kept when `keepRequired`), each number may become an extreme.
 */
function mutate(sample: unknown, choices: number[], keep: ReadonlySet<string>): unknown {
  let next = 0;
  const choose = (): number => choices[next++ % choices.length] ?? 0;
  const walk = (value: unknown): unknown => {
    if (typeof value === 'number') {
      const pick = choose();
      return pick % 3 === 0 ? extremes[pick % extremes.length] : value;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
      if (!keep.has(key) && choose() % 4 === 0) continue;
      out[key] = walk(field);
    }
    return out;
  };
  return walk(sample);
}

const uuid = '6c1f1f5e-6f7a-4f39-9d0b-2f3c1d7e8a90';
const difyDetail = { id: uuid, workflow_id: 'wf', status: 'succeeded', inputs: '{"topic":"x"}', outputs: { result: 'x' }, error: null, total_steps: 5, total_tokens: 412, created_at: 1_700_000_000, finished_at: 1_700_000_004, elapsed_time: 4.2 };
const difyBlocking = { task_id: 't1', workflow_run_id: uuid, data: { ...difyDetail, inputs: undefined, exceptions_count: 0 } };
const difyLogs = {
  page: 1, limit: 20, total: 1, has_more: false,
  data: [{ id: 'log1', workflow_run: { id: uuid, version: 'v', status: 'failed', error: 'x', elapsed_time: 1.5, total_tokens: 3, total_steps: 4, created_at: 1_700_000_000, finished_at: 1_700_000_002, exceptions_count: 1, triggered_from: 'app-run' }, created_by_end_user: { id: 'u', session_id: 'user' }, created_at: 1_700_000_000 }],
};
const b3osRunData = {
  id: 'run_1', workflowId: 'wf_1', workflowVersion: 3, status: 'running', triggerSource: 'api', startedAt: '2025-06-20T12:00:00Z', totalCu: 0.03, isDustTest: false, isSimulation: false,
  executionState: {
    root: { type: 'manual', status: 'success', startedAt: '2025-06-20T12:00:00Z', finishedAt: '2025-06-20T12:00:00Z' },
    fetch: { type: 'http-request', status: 'running', input: { url: 'x' }, startedAt: '2025-06-20T12:00:01Z' },
  },
};
const b3osRun = { code: 200, data: b3osRunData, message: 'success', requestId: 'r1' };
const b3osRuns = { code: 200, data: { items: [b3osRunData, { ...b3osRunData, id: 'run_2', status: 'success', finishedAt: '2025-06-20T12:01:00Z' }], limit: 50, offset: 0, hasMore: true }, message: 'success' };
const b3osWorkflow = {
  code: 200,
  data: { id: 'wf_1', name: 'W', status: 'active', version: 3, definition: { nodes: { root: { type: 'manual', children: ['a'] }, a: { type: 'code' } }, inputSchema: [{ key: 'amount', type: 'number', required: false, default: 5 }] } },
};
const zuoraRun = { id: 20001, name: 'WF-1', originalWorkflowId: 19027, status: 'Finished', cpuTime: '00:00:02', runTime: 2.5, createdAt: '2025-06-20 12:00:00 UTC', updatedAt: '2025-06-20 12:00:03 UTC', finishedAt: '2025-06-20 12:00:03 UTC', messages: [], tasks: { error: 0, pending: 0, processing: 0, queued: 0, stopped: 0, success: 3, total: 3 } };

interface Case {
  name: string;
  platform: 'zuora' | 'dify' | 'b3os';
  sample: unknown;
  keep: string[];
  /** Task counts are whole numbers a count can hold (not the server's 1e308 or -1 as sent). */
  boundedCounts?: boolean;
  call: (provider: WorkflowProvider) => Promise<RunSnapshot[]>;
}

const ref = (runId: string, workflowId: string) => ({ runId, workflowId, handle: { user: 'user', taskId: 't1' } });
const cases: Case[] = [
  { name: 'Dify run detail', platform: 'dify', sample: difyDetail, keep: [], call: async (p) => [await p.getRun(ref(uuid, 'default'))] },
  { name: 'Dify blocking answer', platform: 'dify', sample: difyBlocking, keep: [], call: async (p) => [(await p.trigger({ workflowId: 'default', inputs: {}, options: { response_mode: 'blocking' } })).snapshot] },
  { name: 'Dify workflow logs', platform: 'dify', sample: difyLogs, keep: [], call: async (p) => (await p.listRuns!('default', undefined)).items },
  { name: 'B3OS run', platform: 'b3os', sample: b3osRun, keep: [], call: async (p) => [await p.getRun(ref('run_1', 'wf_1'))] },
  { name: 'B3OS run list', platform: 'b3os', sample: b3osRuns, keep: [], call: async (p) => (await p.listRuns!('wf_1', undefined)).items },
  { name: 'B3OS workflow inputs', platform: 'b3os', sample: b3osWorkflow, keep: [], call: async (p) => (await p.describeInputs('wf_1'), []) },
  { name: 'Zuora run', platform: 'zuora', sample: zuoraRun, keep: [], boundedCounts: false, call: async (p) => [await p.getRun(ref('20001', '19027'))] },
];

describe('response schemas: optional fields left out, numbers at their extremes', () => {
  let server: http.Server;
  let body = '{}';
  let base = '';
  const clients: Array<{ dispose(): Promise<void> }> = [];

  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const answer = req.url?.startsWith('/oauth/token') ? JSON.stringify({ access_token: 'tok', token_type: 'bearer', expires_in: 3599 }) : body;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(answer)) });
        res.end(answer);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function provider(platform: Case['platform']): Promise<WorkflowProvider> {
    const client = createHttpClient({ log: silentLog, requestTimeoutMs: 2_000, retry: { maxAttempts: 1 } });
    clients.push(client);
    const connection =
      platform === 'zuora'
        ? { name: 'z', platform, baseUrl: base, auth: 'oauth', clientId: 'c' }
        : { name: platform, platform, baseUrl: platform === 'dify' ? `${base}/v1` : base };
    const factory = await findPlatform(platform)!.load();
    return factory({ connection: connection as never, getCredential: async () => 'secret', http: client, log: silentLog, machineId: 'm', pollIntervalMs: 10 });
  }

  for (const c of cases) {
    it(`${c.name}: maps or fails with a clear WorkflowRunsError`, () => check(c, c.boundedCounts ?? true));
  }

  // Not an allocation (the counts are copied, not used as sizes), but shown to users as sent.
  it('Zuora run: task counts are clamped to whole non-negative numbers', () => check(cases.at(-1)!, true));

  async function check(c: Case, boundedCounts: boolean): Promise<void> {
    {
      const adapter = await provider(c.platform);
      let mapped = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.nat({ max: 1000 }), { minLength: 8, maxLength: 64 }), async (choices) => {
          body = JSON.stringify(mutate(c.sample, choices, new Set(c.keep)));
          const started = Date.now();
          try {
            const snapshots = await c.call(adapter);
            mapped += 1;
            for (const snapshot of snapshots) {
              assert.equal(typeof snapshot.runId, 'string');
              for (const count of Object.values(snapshot.tasks)) {
                assert.equal(typeof count, 'number');
                if (boundedCounts) assert.ok(Number.isFinite(count) && count >= 0 && count <= Number.MAX_SAFE_INTEGER, `task count ${count}`);
              }
            }
          } catch (error) {
            refused += 1;
            assert.ok(error instanceof WorkflowRunsError, `not a WorkflowRunsError: ${error instanceof Error ? error.stack : String(error)}`);
            assert.ok(['schema', 'http', 'config'].includes(error.kind), `${error.kind}: ${error.message}`);
            assert.ok(error.message.length < 400 && !/ZodError|\n {4}at /.test(error.message), error.message);
          }
          assert.ok(Date.now() - started < 5_000, 'answered quickly');
        }),
        { numRuns: 60 },
      );
      // The generator keeps enough bodies whole that mapping (not only refusing) is exercised.
      assert.ok(mapped > 0, `some bodies map (${refused} refused)`);
    }
  }
});
