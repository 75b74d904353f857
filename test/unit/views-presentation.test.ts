import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyTaskCounts, runStatuses, type RunStatus } from '../../src/providers/model';
import type { RunRecord } from '../../src/runs/record';
import {
  displayDurationMs,
  plainL10n,
  runContextValue,
  runDescription,
  runIdLabel,
  runTooltip,
  statusLook,
  statusWord,
  taskSummary,
  watchNoteText,
  workflowDisplayName,
} from '../../src/views/runPresentation';
import { runRecord } from '../helpers/runs';

const now = Date.UTC(2025, 0, 1, 12, 0, 0);

function record(overrides: Partial<RunRecord['snapshot']> = {}, extra: Partial<RunRecord> = {}): RunRecord {
  return runRecord({ runId: '42', workflowId: 'wf-1', ...overrides }, { triggeredAt: now - 120_000, updatedAt: now, ...extra });
}

test('every status has an icon, a colour choice and a word', () => {
  for (const status of runStatuses) {
    assert.ok(statusLook(status).icon.length > 0, status);
    assert.match(statusWord(status), /^[A-Z]/, status);
  }
  assert.deepEqual(statusLook('succeeded'), { icon: 'pass', color: 'testing.iconPassed' });
  assert.deepEqual(statusLook('failed'), { icon: 'error', color: 'testing.iconFailed' });
  assert.equal(statusLook('running').icon, 'loading~spin');
  assert.equal(statusLook('stopped').icon, 'circle-slash');
  assert.equal(statusWord('partial'), 'Partially succeeded');
});

test('statusWord goes through the injected l10n', () => {
  const seen: string[] = [];
  const l10n = { t: (message: string) => (seen.push(message), `«${message}»`) };
  assert.equal(statusWord('queued', l10n), '«Queued»');
  assert.deepEqual(seen, ['Queued']);
});

test('context values match the menus exactly', () => {
  const inFlight: RunStatus[] = ['queued', 'running', 'waiting', 'stopping'];
  for (const status of runStatuses) {
    assert.equal(runContextValue(record({ status })), inFlight.includes(status) ? 'run.inFlight' : 'run.ended', status);
  }
});

test('run labels: numeric ids read as #n, others as they are', () => {
  assert.equal(runIdLabel('42'), '#42');
  assert.equal(runIdLabel('run_abc'), 'run_abc');
  assert.equal(runIdLabel('5f0c-uuid'), '5f0c-uuid');
});

test('workflow name falls back from record to snapshot to id', () => {
  assert.equal(workflowDisplayName(record({}, { workflowName: 'Billing' })), 'Billing');
  assert.equal(workflowDisplayName(record({ workflowName: 'From platform' })), 'From platform');
  assert.equal(workflowDisplayName(record()), 'wf-1');
  assert.equal(workflowDisplayName(record({}, { workflowName: '' })), 'wf-1');
});

test('duration: counts up while in flight, fixed once ended, none while queued', () => {
  assert.equal(displayDurationMs(record({ startedAt: now - 5000 }), now), 5000);
  assert.equal(displayDurationMs(record({ startedAt: now - 5000 }), now + 5000), 10_000);
  // No start time: counted from when the extension sent it.
  assert.equal(displayDurationMs(record(), now), 120_000);
  assert.equal(displayDurationMs(record({ status: 'queued', createdAt: now - 1000 }), now), undefined);
  assert.equal(displayDurationMs(record({ status: 'succeeded', startedAt: now - 9000, finishedAt: now - 4000 }), now), 5000);
  // The platform's own duration wins for an ended run.
  assert.equal(displayDurationMs(record({ status: 'failed', startedAt: now - 9000, finishedAt: now - 4000, durationMs: 4321 }), now), 4321);
  // Ended without a finish time: unknown, not a number that grows forever.
  assert.equal(displayDurationMs(record({ status: 'stopped', startedAt: now - 9000 }), now), undefined);
});

test('description: status · relative time · duration', () => {
  assert.equal(runDescription(record({ startedAt: now - 65_000 }), { now }), 'Running · 1 min ago · 1 min 05 s');
  assert.equal(
    runDescription(record({ status: 'succeeded', startedAt: now - 10_000, finishedAt: now - 7_500 }), { now }),
    'Succeeded · just now · 2.5 s',
  );
  assert.equal(runDescription(record({ status: 'queued' }), { now }), 'Queued · 2 min ago');
});

test('description: connection on request, a note when watching broke in flight only', () => {
  const broken = { watchError: 'connection reset' };
  assert.equal(
    runDescription(record({ startedAt: now - 1000 }, broken), { now, includeConnection: true }),
    'Running · just now · 1.0 s · prod · not updating',
  );
  assert.equal(
    runDescription(record({ status: 'failed', startedAt: now - 1000, finishedAt: now }, broken), { now }),
    'Failed · just now · 1.0 s',
  );
});

test('task summary leaves out states never reached', () => {
  assert.equal(taskSummary(emptyTaskCounts()), undefined);
  assert.equal(taskSummary({ ...emptyTaskCounts(), success: 3, error: 1, processing: 2, total: 6 }), '6 tasks: 2 processing, 3 success, 1 error');
  assert.equal(taskSummary({ ...emptyTaskCounts(), success: 1, total: 1 }), '1 task: 1 success');
  assert.equal(taskSummary({ ...emptyTaskCounts(), total: 4 }), '4 tasks');
});

test('tooltip carries the facts and keeps untrusted text as data', () => {
  const tooltip = runTooltip(
    record(
      {
        status: 'failed',
        platformStatus: 'Finished',
        workflowName: '**bold** [x](command:evil)',
        startedAt: now - 60_000,
        finishedAt: now - 30_000,
        tasks: { ...emptyTaskCounts(), success: 2, error: 1, total: 3 },
        error: 'x'.repeat(800),
      },
      { watchError: 'stream cut' },
    ),
    { now, platformLabel: 'Zuora Workflow', formatTime: (ms) => new Date(ms).toISOString() },
  );
  const rows = Object.fromEntries(tooltip.rows.map((row) => [row.label, row.value]));
  assert.equal(tooltip.icon, 'error');
  assert.equal(tooltip.title, '**bold** [x](command:evil) #42');
  assert.equal(rows['Workflow'], '**bold** [x](command:evil) (wf-1)');
  assert.equal(rows['Run ID'], '42');
  assert.equal(rows['Connection'], 'prod');
  assert.equal(rows['Platform'], 'Zuora Workflow');
  assert.equal(rows['Status'], 'Failed (Finished)');
  assert.equal(rows['Started'], '2025-01-01T11:59:00.000Z (1 min ago)');
  assert.equal(rows['Finished'], '2025-01-01T11:59:30.000Z');
  assert.equal(rows['Duration'], '30 s');
  assert.equal(rows['Tasks'], '3 tasks: 2 success, 1 error');
  assert.equal(tooltip.watchError, 'stream cut');
  assert.ok(tooltip.error && tooltip.error.length <= 500 && tooltip.error.endsWith('…'));
});

test('tooltip of a run in flight says the duration is so far, and skips unknown rows', () => {
  const tooltip = runTooltip(record({ startedAt: now - 3000 }), { now, formatTime: () => 'T' });
  const labels = tooltip.rows.map((row) => row.label);
  assert.ok(!labels.includes('Finished'));
  assert.ok(!labels.includes('Tasks'));
  assert.equal(tooltip.rows.find((row) => row.label === 'Duration')?.value, '3.0 s so far');
  assert.equal(tooltip.rows.find((row) => row.label === 'Platform')?.value, 'zuora');
  assert.equal(tooltip.error, undefined);
});

test('plainL10n formats positional arguments', () => {
  assert.equal(plainL10n.t('{0} of {1}, {2}', 1, 'two'), '1 of two, {2}');
});

test('a wait the platform asked for reads as waiting, never as failed; gone once the run ended', () => {
  const at = new Date(2025, 0, 1, 15, 2, 10).getTime();
  const waiting = record({ startedAt: now - 1000 }, { watchNote: { reason: 'serverAsked', status: 429, waitMs: 120_000, nextCheckAt: at } });
  assert.equal(runDescription(waiting, { now }), 'Running · just now · 1.0 s · waiting on the platform until 15:02:10');
  assert.equal(
    runTooltip(waiting, { now, platformLabel: 'Zuora Workflow' }).watchNote,
    'Zuora Workflow asked to wait 2 min (rate limited); checking again at 15:02:10. The run is not failed: its state is shown as soon as Zuora Workflow answers.',
  );
  const unavailable = record({}, { watchNote: { reason: 'serverAsked', status: 503, waitMs: 45_000, nextCheckAt: at } });
  assert.match(watchNoteText(unavailable)!, /^zuora asked to wait 45 s \(temporarily unavailable\)/);
  const slow = record({}, { watchError: 'HTTP 502', watchNote: { reason: 'slowPoll', waitMs: 60_000, nextCheckAt: at, failures: 8 } });
  assert.match(runDescription(slow, { now }), / · not updating, checking every 1 min$/);
  assert.equal(
    watchNoteText(slow),
    'Watching failed 8 times in a row, so it now checks every 1 min (next at 15:02:10) and goes back to its normal pace once zuora answers. The run is not failed.',
  );
  const ended = record({ status: 'succeeded' }, { watchNote: { reason: 'serverAsked', status: 429, waitMs: 1000, nextCheckAt: at } });
  assert.equal(watchNoteText(ended), undefined);
  assert.doesNotMatch(runDescription(ended, { now }), /waiting/);
});
