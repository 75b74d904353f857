// The polling interval setting applies to runs already being followed: a run watched through the
// provider pool (as the editor wires it) with a one-minute interval speeds up as soon as the
// interval is lowered, without a new adapter. Against the emulator: real adapter, real requests.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Connection } from '../../src/connections/schema';
import type { RunSnapshot } from '../../src/providers/model';
import { ProviderPool } from '../../src/providers/pool';
import { findPlatform } from '../../src/providers/registry';
import { useEmulator } from '../helpers/emulator';
import { recordingLog } from '../helpers/log';

const emulator = useEmulator({ beforeEachTest: 'reset' });

describe('polling interval setting', () => {
  it('a lowered interval reaches a run in flight: its next poll comes within seconds, not after the minute begun', async () => {
    const connection: Connection = { name: 'zuora-poll', platform: 'zuora', baseUrl: emulator.urls.zuora, clientId: 'demo-client' };
    let intervalMs = 60_000;
    const pool = new ProviderPool({
      connections: { get: (name) => (name === connection.name ? connection : undefined), platformOf: (c) => findPlatform(c.platform) },
      credentials: { get: async () => 'demo-secret' },
      log: recordingLog().log,
      machineId: 'm',
      pollIntervalMs: () => intervalMs,
      httpOptions: () => ({ requestTimeoutMs: 5000, userAgent: 'test' }),
      unknownConnection: (name) => new Error(name),
    });
    try {
      const zuora = await pool.get(connection.name);
      const { snapshot } = await zuora.trigger({ workflowId: '19027', inputs: {}, options: {} });
      const seen: RunSnapshot[] = [];
      const started = Date.now();
      // Ten seconds is far below the minute the first wait would take at the old interval.
      const signal = AbortSignal.timeout(10_000);
      let lowered = false;
      for await (const update of zuora.watch({ runId: snapshot.runId, workflowId: '19027', handle: snapshot.handle }, signal)) {
        seen.push(update);
        if (!lowered) {
          // The first poll happens at once; the run now waits a minute. The user changes the setting.
          lowered = true;
          setTimeout(() => (intervalMs = 40), 50);
        }
      }
      assert.equal(seen.at(-1)?.status, 'succeeded', 'the run was followed to its end');
      assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
      assert.strictEqual(await pool.get(connection.name), zuora, 'the same adapter: nothing was rebuilt');
    } finally {
      pool.dispose();
    }
  });
});
