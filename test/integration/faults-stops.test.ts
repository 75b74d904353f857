// Stop under faults: the answer to a stop lost after the platform stopped the run is asked again
// (stopping twice is stopping once), and the run ends stopped as the platform recorded it.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isTerminal } from '../../src/providers/model';
import { countRequests, drain, startLab, targets, useLab, type Lab } from './faults-support';

describe('faults on stops', () => {
  const lab = useLab();

  const zuoraStop = { platform: 'zuora' as const, inputs: {}, stopPath: /^\/workflows\/workflow_runs\/[^/]+\/stop$/, method: 'PUT' };
  const cases = [
    { platform: 'dify' as const, inputs: { topic: 'stop', scenario: 'slow' }, stopPath: /\/workflows\/tasks\/[^/]+\/stop$/, method: 'POST' },
    { platform: 'b3os' as const, inputs: { scenario: 'slow' }, stopPath: /^\/v1\/runs\/[^/]+\/cancel$/, method: 'POST' },
  ];

  for (const c of cases) {
    it(`${c.platform}: a stop whose answer is lost after the run was stopped is asked again and ends stopped`, () => lostStopAnswer(lab, c));
  }

  it('zuora: a stop whose answer is lost is asked again while the run is still stopping', async () => {
    // At speed 1 the run stays "Stopping" for 800 ms: the resent stop lands before "Stopped".
    const slow = await startLab(1);
    try {
      await lostStopAnswer(slow, zuoraStop);
    } finally {
      await slow.close();
    }
  });

  it('zuora: a stop resent after the run already stopped is a stop, not a failure ("already ended" is no error)', async () => {
    // At speed 1 the run is "Stopping" for 800 ms; the resent stop is held back 2 s by a 503 with
    // Retry-After, so the third try finds the run Stopped and Zuora answers 400 invalid_state.
    const slow = await startLab(1);
    try {
      const provider = await slow.provider('zuora');
      const run = await provider.trigger({ workflowId: targets.zuora.workflowId, inputs: {}, options: {} });
      const ref = run.snapshot;
      const since = slow.emulator.requests.length;
      slow.emulator.injectFault({ platform: 'zuora', method: 'PUT', path: zuoraStop.stopPath, kind: 'afterProcess', times: 1 });
      slow.emulator.injectFault({ platform: 'zuora', method: 'PUT', path: zuoraStop.stopPath, kind: 'status', status: 503, retryAfterSeconds: 2, times: 1 });
      await provider.stop({ runId: ref.runId, workflowId: ref.workflowId, handle: ref.handle });
      const stops = slow.emulator.requests.slice(since).filter((r) => r.method === 'PUT' && zuoraStop.stopPath.test(r.path));
      assert.equal(stops.length, 3, 'asked again until answered');
      assert.equal((await provider.getRun(ref)).status, 'stopped');
    } finally {
      await slow.close();
    }
  });

  async function lostStopAnswer(lab: Lab, c: (typeof cases)[number] | typeof zuoraStop): Promise<void> {
    {
      const provider = await lab.provider(c.platform);
      const run = await provider.trigger({ workflowId: targets[c.platform].workflowId, inputs: c.inputs, options: {} });
      // Streams (Dify, B3OS) are read from the start; Zuora is polled after the stop.
      const updates = run.updates ? drain(run) : undefined;
      const ref = run.snapshot;
      if (c.platform === 'dify') assert.ok(ref.handle?.taskId, 'Dify gave the task id a stop needs');
      const since = lab.emulator.requests.length;
      lab.emulator.injectFault({ platform: c.platform, method: c.method, path: c.stopPath, kind: 'afterProcess' });
      await provider.stop({ runId: ref.runId, workflowId: ref.workflowId, handle: ref.handle });
      assert.equal(countRequests(lab.emulator, c.platform, c.method, c.stopPath, since), 2, 'asked again');
      let last = updates ? (await updates).at(-1)! : await provider.getRun(ref);
      for (let i = 0; i < 100 && !isTerminal(last.status); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        last = await provider.getRun(ref);
      }
      assert.equal(last.status, 'stopped');
    }
  }
});
