// Watching a run through a fault that outlasts the client's retry budget: a Retry-After longer
// than the budget, on every poll, until the fault clears; or polls that keep failing. The run must
// stay in flight ("waiting on the platform", never failed), watching must not give up, and the
// final state shown must be the platform's — with one run triggered.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { WorkflowProvider } from '../../src/providers/provider';
import type { RunRecord } from '../../src/runs/record';
import { RunStore } from '../../src/runs/store';
import { RunWatchers, type WatcherOptions } from '../../src/runs/watcher';
import { runDescription, runTooltip } from '../../src/views/runPresentation';
import { eventually } from '../helpers/eventually';
import { silentLog } from '../helpers/log';
import { MemoryMemento } from '../helpers/memento';
import { assertNothingTriggeredTwice, targets, useLab } from './faults-support';

const pollPath = /^\/workflows\/workflow_runs\/[^/]+$/;

describe('watching through faults that outlast the retry budget', () => {
  const lab = useLab();

  /** A Zuora run triggered, then watched by the real watcher and store over the real adapter. */
  async function watchedZuoraRun(provider: WorkflowProvider, options: WatcherOptions) {
    const created = lab.emulator.runsCreated('zuora');
    const started = await provider.trigger({ workflowId: targets.zuora.workflowId, inputs: {}, options: {} });
    const store = new RunStore(new MemoryMemento(), () => 50, 60_000);
    const watchers = new RunWatchers(store, { get: async () => provider }, silentLog, options);
    const record = store.upsert('zuora-faults', 'zuora', started.snapshot);
    const current = (): RunRecord => store.get('zuora-faults', started.snapshot.runId)!;
    return {
      store,
      watchers,
      record,
      current,
      created,
      dispose() {
        watchers.dispose();
        store.dispose();
      },
    };
  }

  for (const { status, format } of [
    { status: 429, format: 'seconds' as const },
    { status: 503, format: 'date' as const },
  ]) {
    it(`Zuora: ${status} with a Retry-After (${format}) beyond the retry budget on every poll: shown waiting, never failed, ends as Zuora says`, async () => {
      // A budget of 1 s against a Retry-After of 3 s: the client cannot wait inside one request.
      const provider = await lab.provider('zuora', { maxTotalMs: 1_000 });
      lab.emulator.injectFault({ platform: 'zuora', method: 'GET', path: pollPath, kind: 'status', status, retryAfterSeconds: 3, retryAfterFormat: format, times: 'always' });
      const run = await watchedZuoraRun(provider, { baseRetryMs: 10, maxRetryMs: 50 });
      try {
        run.watchers.watch(run.record);
        const waiting = await eventually(() => run.current(), { until: (r) => r.watchNote?.reason === 'serverAsked', what: 'the wait to be shown', timeoutMs: 10_000 });
        assert.equal(waiting.watchNote?.status, status);
        // An HTTP date has whole seconds: 3 s asked can read as 2–3 s.
        assert.ok(waiting.watchNote!.waitMs >= 1_500 && waiting.watchNote!.waitMs <= 3_000, `waits as asked (${waiting.watchNote!.waitMs} ms)`);
        assert.equal(waiting.watchError, undefined, 'a wait the platform asked for is not an error');
        assert.match(runDescription(waiting), /waiting on the platform until \d\d:\d\d:\d\d/);
        const sentence = runTooltip(waiting, { platformLabel: 'Zuora Workflow' }).watchNote ?? '';
        assert.match(sentence, new RegExp(`^Zuora Workflow asked to wait \\d s \\(${status === 429 ? 'rate limited' : 'temporarily unavailable'}\\); checking again at \\d\\d:\\d\\d:\\d\\d\\.`));
        // Long enough for the old failure budget (8 quick failures) to run out many times over.
        await new Promise((resolve) => setTimeout(resolve, 7_000));
        assert.equal(run.watchers.isWatching(run.record), true, 'still watching while the platform asks to wait');
        assert.notEqual(run.current().snapshot.status, 'failed', 'not shown as failed');
        assert.equal(run.current().watchNote?.reason, 'serverAsked', 'still shown waiting');
        lab.emulator.clearFaults();
        const ended = await eventually(() => run.current(), { until: (r) => r.snapshot.status === 'succeeded', what: 'the end Zuora recorded', timeoutMs: 15_000 });
        assert.equal(ended.watchNote, undefined, 'the wait is no longer shown');
        assert.equal(ended.watchError, undefined);
        assertNothingTriggeredTwice(lab.emulator, 'zuora', run.created);
      } finally {
        run.dispose();
      }
    });
  }

  it('Zuora: polls that keep failing slow watching to a slow poll that says so; it resumes its pace by itself once the fault clears', async () => {
    const provider = await lab.provider('zuora', { maxTotalMs: 200 });
    lab.emulator.injectFault({ platform: 'zuora', method: 'GET', path: pollPath, kind: 'status', status: 502, times: 'always' });
    const run = await watchedZuoraRun(provider, { baseRetryMs: 10, maxRetryMs: 50, failuresBeforeSlowPoll: 3, slowPollMs: 1_500 });
    try {
      run.watchers.watch(run.record);
      const slow = await eventually(() => run.current(), { until: (r) => r.watchNote?.reason === 'slowPoll', what: 'the slow poll', timeoutMs: 10_000 });
      assert.equal(slow.watchNote?.waitMs, 1_500);
      assert.match(slow.watchError ?? '', /HTTP 502/);
      assert.match(runDescription(slow), /not updating, checking every 2 s/);
      assert.match(runTooltip(slow, { platformLabel: 'Zuora Workflow' }).watchNote ?? '', /checks every 2 s .* once Zuora Workflow answers/);
      // Slow means slow: few polls while it lasts.
      const since = lab.emulator.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const polls = lab.emulator.requests.slice(since).filter((r) => r.method === 'GET' && pollPath.test(r.path)).length;
      assert.ok(polls <= 3 * 3, `at most 3 slow polls (each retried by the client) in 3 s, saw ${polls} requests`);
      assert.equal(run.watchers.isWatching(run.record), true, 'never gives up');
      lab.emulator.clearFaults();
      const ended = await eventually(() => run.current(), { until: (r) => r.snapshot.status === 'succeeded', what: 'the end Zuora recorded', timeoutMs: 15_000 });
      assert.equal(ended.watchNote, undefined);
      assert.equal(ended.watchError, undefined);
      assertNothingTriggeredTwice(lab.emulator, 'zuora', run.created);
    } finally {
      run.dispose();
    }
  });

  it('Zuora: a Retry-After of an hour is cut to the longest wait watching allows', async () => {
    const provider = await lab.provider('zuora', { maxTotalMs: 1_000 });
    lab.emulator.injectFault({ platform: 'zuora', method: 'GET', path: pollPath, kind: 'status', status: 429, retryAfterSeconds: 3_600, times: 'always' });
    const run = await watchedZuoraRun(provider, { baseRetryMs: 10, maxRetryMs: 50, maxServerWaitMs: 1_000 });
    try {
      run.watchers.watch(run.record);
      const waiting = await eventually(() => run.current(), { until: (r) => r.watchNote?.reason === 'serverAsked', what: 'the wait', timeoutMs: 10_000 });
      assert.equal(waiting.watchNote?.waitMs, 1_000);
      lab.emulator.clearFaults();
      await eventually(() => run.current(), { until: (r) => r.snapshot.status === 'succeeded', what: 'the end Zuora recorded', timeoutMs: 15_000 });
    } finally {
      run.dispose();
    }
  });
});
