// B3OS executionState → per-node inputs, outputs, error, timings and compute units.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { executionStateToTimeline, maskedSecret, runToSnapshot } from '../../src/providers/b3os/mapping';
import { B3osRunSchema } from '../../src/providers/b3os/schemas';

describe('B3OS node detail', () => {
  it('a node’s input and result become its inputs and outputs; secret inputs are masked', () => {
    const [entry] = executionStateToTimeline({
      send: {
        type: 'send-erc20-token',
        status: 'success',
        input: { to: '0xabc', amount: '5', privateKey: 'never-shown' },
        secretKeys: ['privateKey'],
        result: { txHash: '0x123' },
        startedAt: '2026-01-01T00:00:00Z',
        finishedAt: '2026-01-01T00:00:02Z',
        cu: 3,
      },
    });
    assert.deepEqual(entry, {
      id: 'send',
      name: 'send-erc20-token',
      type: 'send-erc20-token',
      state: 'success',
      platformState: 'success',
      startedAt: Date.parse('2026-01-01T00:00:00Z'),
      finishedAt: Date.parse('2026-01-01T00:00:02Z'),
      durationMs: 2000,
      inputs: { to: '0xabc', amount: '5', privateKey: maskedSecret },
      outputs: { txHash: '0x123' },
      metrics: { computeUnits: 3 },
    });
    assert.ok(!JSON.stringify(entry).includes('never-shown'));
  });

  it('a failed node keeps its error and its input', () => {
    const [entry] = executionStateToTimeline({ http: { type: 'http', status: 'failure', input: { url: 'https://x' }, error: { message: '502 Bad Gateway' } } });
    assert.equal(entry?.state, 'error');
    assert.equal(entry?.error, '502 Bad Gateway');
    assert.deepEqual(entry?.inputs, { url: 'https://x' });
  });

  it('a for-each node’s rounds follow it, marked with their round, and are not counted as tasks again', () => {
    const run = B3osRunSchema.parse({
      id: 'run_1',
      workflowId: 'wf_1',
      status: 'success',
      executionState: {
        loop: {
          type: 'for-each',
          status: 'success',
          startedAt: '2026-01-01T00:00:00Z',
          iterations: [{ body: { type: 'code', status: 'success', result: { n: 0 } } }, { body: { type: 'code', status: 'success', result: { n: 1 } } }],
        },
      },
    });
    const snapshot = runToSnapshot(run, 'wf_1');
    assert.deepEqual(
      snapshot.timeline?.map((entry) => [entry.id, entry.iteration, entry.outputs]),
      [
        ['loop', undefined, undefined],
        ['loop[0].body', { parentId: 'loop', index: 0 }, { n: 0 }],
        ['loop[1].body', { parentId: 'loop', index: 1 }, { n: 1 }],
      ],
    );
    assert.equal(snapshot.tasks.total, 1);
  });
});
