// What the fault suites share: one emulator, adapters over the real HTTP client (short timeouts,
// quick retries), the trigger targets per platform and the "nothing triggered twice" check.
import { strict as assert } from 'node:assert';
import { after, afterEach, before } from 'node:test';
import { createHttpClient } from '../../src/client/http';
import { WorkflowRunsError } from '../../src/client/errors';
import { findPlatform } from '../../src/providers/registry';
import type { RunSnapshot } from '../../src/providers/model';
import type { TriggeredRun, WorkflowProvider } from '../../src/providers/provider';
import { startEmulator, type Emulator, type Platform } from '../emulator/index';
import { silentLog } from '../helpers/log';

export interface Target {
  platform: Platform;
  credential: string;
  connection: (emulator: Emulator) => Record<string, unknown>;
  /** A read that lists workflows, as the emulator sees its path. */
  listPath: RegExp;
  workflowId: string;
  triggerPath: RegExp;
  inputs: Record<string, unknown>;
}

export const targets: Record<Platform, Target> = {
  zuora: {
    platform: 'zuora',
    credential: 'demo-secret',
    connection: (e) => ({ name: 'zuora-faults', platform: 'zuora', baseUrl: e.urls.zuora, auth: 'oauth', clientId: 'demo-client' }),
    listPath: /^\/workflows$/,
    workflowId: '19027',
    triggerPath: /^\/workflows\/19027\/run$/,
    inputs: {},
  },
  dify: {
    platform: 'dify',
    credential: 'app-demo',
    connection: (e) => ({ name: 'dify-faults', platform: 'dify', baseUrl: e.urls.dify }),
    listPath: /\/info$/,
    workflowId: 'default',
    triggerPath: /\/workflows\/run$/,
    inputs: { topic: 'faults' },
  },
  b3os: {
    platform: 'b3os',
    credential: 'b3sk_demo',
    connection: (e) => ({ name: 'b3os-faults', platform: 'b3os', baseUrl: e.urls.b3os }),
    listPath: /^\/v1\/workflows$/,
    workflowId: 'wf_9k2m4x7q1b3n',
    triggerPath: /^\/v1\/workflows\/wf_9k2m4x7q1b3n\/run$/,
    inputs: {},
  },
};

export interface Lab {
  emulator: Emulator;
  provider(platform: Platform, options?: { requestTimeoutMs?: number; maxTotalMs?: number }): Promise<WorkflowProvider>;
  close(): Promise<void>;
}

/** `speed`: how fast runs progress in the emulator (default 20). */
export async function startLab(speed = 20): Promise<Lab> {
  const emulator = await startEmulator({ speed, quiet: true, pingIntervalMs: 100 });
  const clients: Array<{ dispose(): Promise<void> }> = [];
  return {
    emulator,
    async provider(platform, options = {}) {
      const http = createHttpClient({
        log: silentLog,
        requestTimeoutMs: options.requestTimeoutMs ?? 3_000,
        retry: { baseDelayMs: 10, maxDelayMs: 50, maxAttempts: 3, maxTotalMs: options.maxTotalMs ?? 10_000 },
      });
      clients.push(http);
      const target = targets[platform];
      const factory = await findPlatform(platform)!.load();
      return factory({
        connection: target.connection(emulator) as never,
        getCredential: async () => target.credential,
        http,
        log: silentLog,
        machineId: 'faults',
        pollIntervalMs: 50,
      });
    },
    async close() {
      await Promise.all(clients.map((client) => client.dispose()));
      await emulator.close();
    },
  };
}

/** Every snapshot of a triggered run, to its end. */
export async function drain(run: TriggeredRun): Promise<RunSnapshot[]> {
  const seen = [run.snapshot];
  for await (const snapshot of run.updates ?? []) seen.push(snapshot);
  return seen;
}

/**
 * One trigger made one run: the platform created exactly one run since `createdBefore` (its
 * emulator.runsCreated before the trigger). Counted over the platform, not per trigger key: the
 * emulator never makes two runs under one key, so a second run could only come under another.
 */
export function assertNothingTriggeredTwice(emulator: Emulator, platform: Platform, createdBefore: number): void {
  assert.equal(emulator.runsCreated(platform) - createdBefore, 1, `${platform}: runs created by one trigger`);
}

/** Requests the emulator received since `since` for one platform, method and path. */
export function countRequests(emulator: Emulator, platform: Platform, method: string, path: RegExp, since = 0): number {
  return emulator.requests.slice(since).filter((r) => r.platform === platform && r.method === method && path.test(r.path)).length;
}

/** Asserts a WorkflowRunsError whose message is plain words: no markup, no stack, not empty. */
export function plainError(error: unknown, check?: (error: WorkflowRunsError) => void): true {
  assert.ok(error instanceof WorkflowRunsError, `expected a WorkflowRunsError, got ${String(error)}`);
  assert.ok(error.message.length > 10 && error.message.length < 500, error.message);
  assert.ok(!/<html|<body|\bat \S+ \(/i.test(error.message), error.message);
  check?.(error);
  return true;
}

/**
 * One lab for the suite it is called in: started before its tests, faults cleared after each, closed
 * at the end. The returned object stands for the lab once `before` has run.
 */
export function useLab(speed?: number): Lab {
  let lab: Lab | undefined;
  before(async () => {
    lab = await startLab(speed);
  });
  afterEach(() => lab?.emulator.clearFaults());
  after(async () => {
    await lab?.close();
  });
  return new Proxy({} as Lab, {
    get(_target, key) {
      if (!lab) throw new Error('the fault lab starts in before(): use it inside tests');
      return lab[key as keyof Lab];
    },
  });
}
