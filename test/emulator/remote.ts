// Controls an emulator that runs in another process (started by the harness, seen by the extension
// host only through its URLs): the same fault and trigger API as the in-process emulator object.
import type { Fault, Platform } from './core/faults';
import { controlPrefix, faultToWire } from './core/control';
import type { TriggerCount } from './core/runBook';

export interface RemoteEmulator {
  injectFault(fault: Fault): Promise<void>;
  clearFaults(platform?: Platform): Promise<void>;
  triggers(platform: Platform): Promise<TriggerCount[]>;
  runsCreated(platform: Platform): Promise<number>;
  reset(platform?: Platform): Promise<void>;
  /** Starts a run as another client would (Dify, B3OS). */
  startRunElsewhere(platform: 'dify' | 'b3os', request?: { workflowId?: string; inputs?: Record<string, unknown> }): Promise<{ runId: string }>;
}

const platforms: Platform[] = ['zuora', 'dify', 'b3os'];

/** `urls` as the emulator prints them (Dify's ends in /v1: the control routes sit at the root). */
export function remoteEmulator(urls: Record<Platform, string>): RemoteEmulator {
  const origin = (platform: Platform): string => new URL(urls[platform]).origin;
  async function call(platform: Platform, method: string, route: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${origin(platform)}${controlPrefix}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await response.json()) as { error?: string };
    if (!response.ok) throw new Error(`emulator control ${method} ${route}: ${answer.error ?? response.status}`);
    return answer;
  }
  return {
    async injectFault(fault) {
      await call(fault.platform, 'POST', 'faults', faultToWire(fault));
    },
    async clearFaults(platform) {
      for (const p of platform ? [platform] : platforms) await call(p, 'DELETE', 'faults');
    },
    async triggers(platform) {
      return ((await call(platform, 'GET', 'triggers')) as { triggers: TriggerCount[] }).triggers;
    },
    async runsCreated(platform) {
      return ((await call(platform, 'GET', 'triggers')) as { runsCreated: number }).runsCreated;
    },
    async startRunElsewhere(platform, request = {}) {
      return (await call(platform, 'POST', 'elsewhere', request)) as { runId: string };
    },
    async reset(platform) {
      for (const p of platform ? [platform] : platforms) await call(p, 'POST', 'reset');
    },
  };
}
