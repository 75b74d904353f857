// The one wording of a run: the trees, the page, notifications and quick picks must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyTaskCounts, runStatuses } from '../../src/providers/model';
import type { RunRecord } from '../../src/runs/record';
import { displayDurationMs, endWord, plainL10n, runIdLabel, runTiming, statusWord, targetLabel, workflowLabel, type L10n } from '../../src/runs/wording';
import { displayDurationMs as treeDuration } from '../../src/views/runPresentation';
import { displayDurationMs as pageDuration, statusLooks } from '../../src/webview/display';
import { toRunView } from '../../src/webview/viewModel';

const now = 1_000_000;

function record(snapshot: Partial<RunRecord['snapshot']> = {}, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    connection: 'prod',
    platform: 'b3os',
    triggeredAt: now - 60_000,
    updatedAt: now,
    snapshot: { runId: 'run_1', workflowId: 'wf_1', status: 'running', tasks: emptyTaskCounts(), ...snapshot },
    ...extra,
  };
}

test('trees and the page give the same duration for every status and time combination', () => {
  const times = [{}, { startedAt: now - 5_000 }, { createdAt: now - 7_000 }, { startedAt: now - 9_000, finishedAt: now - 4_000 }, { durationMs: 1_234, finishedAt: now - 1 }];
  for (const status of runStatuses) {
    for (const time of times) {
      for (const untracked of [undefined, 'cannot be read back']) {
        const run = record({ status, ...time, untracked });
        const page = toRunView(run, { platformLabel: (id) => id });
        assert.equal(pageDuration(page, now), treeDuration(run, now), `${status} ${JSON.stringify(time)} ${untracked ?? ''}`);
      }
    }
  }
});

test('a queued run has no duration; a followed run ticks; an ended one is fixed', () => {
  assert.equal(displayDurationMs(runTiming(record({ status: 'queued', createdAt: now - 3_000 })), now), undefined);
  assert.equal(displayDurationMs(runTiming(record({ status: 'running' })), now), 60_000, 'from the trigger without a start');
  assert.equal(displayDurationMs(runTiming(record({ status: 'running', createdAt: now - 2_000 })), now), 2_000);
  assert.equal(displayDurationMs(runTiming(record({ status: 'succeeded', startedAt: now - 9_000, finishedAt: now - 4_000 })), now), 5_000);
  assert.equal(displayDurationMs(runTiming(record({ status: 'failed', durationMs: 42, finishedAt: now })), now), 42);
  assert.equal(displayDurationMs(runTiming(record({ status: 'stopped' })), now), undefined);
  // An untracked run is never updated again: it must not grow forever.
  assert.equal(displayDurationMs(runTiming(record({ status: 'running', untracked: 'callout' })), now), undefined);
});

test('status words: the page labels are the trees words', () => {
  for (const status of runStatuses) assert.equal(statusLooks[status].label, statusWord(status), status);
  assert.equal(statusWord('partial'), 'Partially succeeded');
  assert.equal(endWord('stopped'), 'was stopped');
  assert.equal(endWord('partial'), 'partially succeeded');
  const l10n: L10n = { t: (message) => `«${message}»` };
  assert.equal(statusWord('queued', l10n), '«Queued»');
  assert.equal(endWord('failed', l10n), '«failed»');
  assert.equal(plainL10n.t('{0} of {1}', 1, 'x'), '1 of x');
});

test('workflow labels: known name, then the platform name, then the id; empty names do not count', () => {
  assert.equal(workflowLabel(record({}, { workflowName: 'Billing' })), 'Billing');
  assert.equal(workflowLabel(record({ workflowName: 'From platform' })), 'From platform');
  assert.equal(workflowLabel(record({ workflowName: 'From platform' }, { workflowName: '' })), 'From platform');
  assert.equal(workflowLabel(record()), 'wf_1');
  assert.equal(targetLabel({ workflowId: '42' }), '42');
  assert.equal(targetLabel({ workflowId: '42', workflowName: 'Nightly' }), 'Nightly');
  assert.equal(runIdLabel('42'), '#42');
  assert.equal(runIdLabel('run_1'), 'run_1');
});
