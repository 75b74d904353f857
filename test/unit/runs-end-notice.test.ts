// Which run ends are announced: only runs the user started or opened, seen in flight.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { RunRecord } from '../../src/runs/record';
import { announcesEnd } from '../../src/runs/runEnd';
import { runSnapshot as snap } from '../helpers/runs';

function record(status: RunRecord['snapshot']['status'], extra: Partial<RunRecord['snapshot']> = {}): RunRecord {
  return { connection: 'b3', platform: 'b3os', triggeredAt: 1, updatedAt: 2, snapshot: { ...snap('r1', status), ...extra } };
}

describe('announcesEnd', () => {
  it('announces a followed run that just ended', () => {
    assert.equal(announcesEnd({ record: record('succeeded'), previousStatus: 'running' }), true);
    assert.equal(announcesEnd({ record: record('failed'), previousStatus: 'queued' }), true);
  });

  it('stays silent for a run imported from the platform run list, even when it was in flight', () => {
    assert.equal(announcesEnd({ record: record('succeeded', { fromRunList: true }), previousStatus: 'running' }), false);
    assert.equal(announcesEnd({ record: record('failed', { fromRunList: true }), previousStatus: 'running' }), false);
  });

  it('stays silent for runs first seen ended, still running, or removed', () => {
    assert.equal(announcesEnd({ record: record('succeeded') }), false);
    assert.equal(announcesEnd({ record: record('succeeded'), previousStatus: 'succeeded' }), false);
    assert.equal(announcesEnd({ record: record('running'), previousStatus: 'queued' }), false);
    assert.equal(announcesEnd({ record: record('failed'), previousStatus: 'running', removed: true }), false);
  });
});
