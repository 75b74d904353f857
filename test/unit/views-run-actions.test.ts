// Context values that let the trees offer Retry Run and Re-run Task from the descriptor's runActions.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { RunRecord } from '../../src/runs/record';
import { runContextValue, taskContextValue } from '../../src/views/runPresentation';
import { runSnapshot as snap } from '../helpers/runs';

function record(status: RunRecord['snapshot']['status']): RunRecord {
  return { connection: 'c', platform: 'p', triggeredAt: 1, updatedAt: 2, snapshot: snap('r1', status) };
}

describe('run and task context values', () => {
  it('marks failed runs retryable only where the platform retries runs', () => {
    assert.equal(runContextValue(record('failed'), { retryFailedRun: true }), 'run.ended.retryable');
    assert.equal(runContextValue(record('failed'), {}), 'run.ended');
    assert.equal(runContextValue(record('failed')), 'run.ended');
    assert.equal(runContextValue(record('succeeded'), { retryFailedRun: true }), 'run.ended');
    assert.equal(runContextValue(record('running'), { retryFailedRun: true }), 'run.inFlight');
  });

  it('marks tasks re-runnable only on platforms that re-run tasks, once the run has ended', () => {
    assert.equal(taskContextValue(record('succeeded'), { rerunTask: true }), 'task.rerunnable');
    assert.equal(taskContextValue(record('failed'), { rerunTask: true }), 'task.rerunnable');
    assert.equal(taskContextValue(record('running'), { rerunTask: true }), 'task');
    assert.equal(taskContextValue(record('failed'), { retryFailedRun: true }), 'task');
  });
});
