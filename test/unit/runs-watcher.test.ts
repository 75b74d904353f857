import { strict as assert } from 'node:assert';
import { afterEach, describe, it } from 'node:test';
import { WorkflowRunsError } from '../../src/client/errors';
import type { RunRef, RunSnapshot, RunStatus } from '../../src/providers/model';
import type { ProviderLogger, WorkflowProvider } from '../../src/providers/provider';
import type { RunRecord } from '../../src/runs/record';
import { MemoryHistoryPersistence } from '../../src/runs/persistence';
import { RunStore } from '../../src/runs/store';
import { RunWatchers, type WatcherOptions } from '../../src/runs/watcher';
import { eventually } from '../helpers/eventually';
import { MemoryMemento } from '../helpers/memento';
import { runSnapshot as snap } from '../helpers/runs';

/** What one call of provider.watch does: yield these snapshots, throw, or hang until aborted. */
type WatchScript = RunSnapshot[] | Error | 'hang';

class FakeProvider {
  readonly watchCalls: Array<{ ref: RunRef; signal?: AbortSignal; at: number }> = [];
  readonly getRunCalls: RunRef[] = [];
  watchScripts: WatchScript[] = [];
  /** Used when the scripts run out. */
  defaultWatch: WatchScript = 'hang';
  getRunResult: (ref: RunRef) => Promise<RunSnapshot> = async (ref) => snap(ref.runId, 'succeeded');

  asProvider(): WorkflowProvider {
    const unused = () => Promise.reject(new Error('not used by the watcher'));
    return {
      verify: unused,
      listWorkflows: unused,
      getWorkflow: unused,
      describeInputs: unused,
      trigger: unused,
      stop: unused,
      getRun: (ref) => {
        this.getRunCalls.push(ref);
        return this.getRunResult(ref);
      },
      watch: (ref, signal) => {
        this.watchCalls.push({ ref, signal, at: Date.now() });
        return this.run(this.watchScripts.shift() ?? this.defaultWatch, signal);
      },
    };
  }

  private async *run(script: WatchScript, signal?: AbortSignal): AsyncGenerator<RunSnapshot> {
    if (script instanceof Error) throw script;
    if (script === 'hang') {
      await new Promise<void>((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
      return;
    }
    for (const snapshot of script) {
      await Promise.resolve();
      yield snapshot;
    }
  }
}

interface Setup {
  store: RunStore;
  fake: FakeProvider;
  watchers: RunWatchers;
  warnings: string[];
  providerGets: string[];
}

const live: Setup[] = [];

function setup(options: WatcherOptions = { baseRetryMs: 5, maxRetryMs: 10, failuresBeforeSlowPoll: 3 }, getProvider?: () => Promise<WorkflowProvider>): Setup {
  const store = new RunStore(new MemoryMemento(), () => 50, 60_000);
  const fake = new FakeProvider();
  const warnings: string[] = [];
  const providerGets: string[] = [];
  const log: ProviderLogger = { trace() {}, debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} };
  const providers = {
    get: async (name: string) => {
      providerGets.push(name);
      return getProvider ? getProvider() : fake.asProvider();
    },
  };
  const watchers = new RunWatchers(store, providers, log, options);
  const result = { store, fake, watchers, warnings, providerGets };
  live.push(result);
  return result;
}

afterEach(async () => {
  for (const { watchers, store } of live.splice(0)) {
    watchers.dispose();
    await store.flush();
  }
});

/** The watchers react within a few event-loop turns: poll often, give up soon. */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  await eventually(condition, { what, timeoutMs: 2_000, intervalMs: 1 });
}

function addRun(store: RunStore, runId: string, status: RunStatus = 'running', extra: Partial<RunSnapshot> = {}): RunRecord {
  return store.upsert('conn', 'zuora', snap(runId, status, extra));
}

describe('RunWatchers', () => {
  it('a flood of snapshots with one status reaches the store a few times, not once per snapshot, and ends exact', async () => {
    const { store, fake, watchers } = setup();
    const record = addRun(store, 'r1', 'running');
    let changes = 0;
    store.onDidChange((batch) => (changes += batch.length));
    const counts = (done: number) => ({ queued: 0, pending: 0, processing: 1, success: done, error: 0, stopped: 0, skipped: 0, total: 5001 });
    const flood = Array.from({ length: 5000 }, (_unused, index) => snap('r1', 'running', { tasks: counts(index + 1) }));
    fake.watchScripts = [[...flood, snap('r1', 'succeeded', { tasks: { ...counts(5001), processing: 0 } })]];

    watchers.watch(record);
    await waitFor(() => store.get('conn', 'r1')?.snapshot.status === 'succeeded', 'the run ends');
    assert.equal(store.get('conn', 'r1')?.snapshot.tasks.success, 5001);
    assert.ok(changes < 100, `the store took ${changes} changes for 5,001 snapshots`);
  });

  it('follows a run to its terminal status, then stops', async () => {
    const { store, fake, watchers } = setup();
    const record = addRun(store, 'r1', 'queued', { handle: { taskId: 't1' } });
    const statuses: RunStatus[] = [];
    store.onDidChange((batch) => statuses.push(...batch.map((change) => change.record.snapshot.status)));
    fake.watchScripts = [[snap('r1', 'running'), snap('r1', 'succeeded', { outputs: { ok: 1 } }), snap('r1', 'failed')]];

    watchers.watch(record);
    assert.equal(watchers.count, 1);
    assert.equal(watchers.isWatching(record), true);
    await waitFor(() => watchers.count === 0, 'the watcher to end');

    assert.deepEqual(statuses, ['running', 'succeeded'], 'nothing is read after the terminal snapshot');
    assert.equal(store.get('conn', 'r1')?.snapshot.status, 'succeeded');
    assert.deepEqual(store.get('conn', 'r1')?.snapshot.outputs, { ok: 1 });
    assert.equal(fake.watchCalls.length, 1);
    assert.deepEqual(fake.watchCalls[0]!.ref, { runId: 'r1', workflowId: 'wf', handle: { taskId: 't1' } });
    assert.equal(fake.getRunCalls.length, 0, 'a stream that ended the run needs no confirmation');
    assert.equal(watchers.isWatching(record), false);
  });

  it('uses the updates a trigger opened instead of provider.watch', async () => {
    const { store, fake, watchers } = setup();
    const record = addRun(store, 'r1', 'queued');
    async function* updates(): AsyncGenerator<RunSnapshot> {
      yield snap('r1', 'running');
      yield snap('r1', 'partial');
    }
    watchers.watch(record, updates());
    await waitFor(() => watchers.count === 0, 'the watcher to end');
    assert.equal(store.get('conn', 'r1')?.snapshot.status, 'partial');
    assert.equal(fake.watchCalls.length, 0, 'provider.watch is not opened');
  });

  it('switches to provider.watch when the trigger’s updates end early', async () => {
    const { store, fake, watchers } = setup();
    const record = addRun(store, 'r1', 'queued');
    async function* updates(): AsyncGenerator<RunSnapshot> {
      yield snap('r1', 'running', { handle: { taskId: 'from-stream' } });
    }
    fake.getRunResult = async (ref) => snap(ref.runId, 'running');
    fake.watchScripts = [[snap('r1', 'stopped')]];
    watchers.watch(record, updates());
    await waitFor(() => watchers.count === 0, 'the watcher to end');
    assert.equal(store.get('conn', 'r1')?.snapshot.status, 'stopped');
    assert.equal(fake.getRunCalls.length, 1);
    assert.equal(fake.watchCalls.length, 1);
    assert.deepEqual(fake.watchCalls[0]!.ref.handle, { taskId: 'from-stream' }, 'the watch uses the handle the store learnt');
  });

  it('confirms with getRun when a stream ends without a terminal status', async () => {
    const { store, fake, watchers } = setup();
    const record = addRun(store, 'r1', 'queued');
    fake.watchScripts = [[snap('r1', 'running', { handle: { user: 'u' } })]];
    fake.getRunResult = async (ref) => snap(ref.runId, 'failed', { error: 'node crashed' });
    watchers.watch(record);
    await waitFor(() => watchers.count === 0, 'the watcher to end');
    assert.equal(fake.getRunCalls.length, 1);
    assert.deepEqual(fake.getRunCalls[0], { runId: 'r1', workflowId: 'wf', handle: { user: 'u' } });
    const stored = store.get('conn', 'r1');
    assert.equal(stored?.snapshot.status, 'failed');
    assert.equal(stored?.snapshot.error, 'node crashed');
    assert.equal(fake.watchCalls.length, 1);
  });

  it('does not spin when a stream keeps ending while the run is still in flight', async () => {
    const { store, fake, watchers } = setup({ baseRetryMs: 25, maxRetryMs: 50, failuresBeforeSlowPoll: 3 });
    const record = addRun(store, 'r1');
    fake.defaultWatch = [];
    const times: number[] = [];
    fake.getRunResult = async (ref) => {
      times.push(Date.now());
      // A real request takes a turn of the event loop; without it a spinning watcher would hang the test.
      await new Promise((resolve) => setImmediate(resolve));
      return snap(ref.runId, times.length >= 3 ? 'succeeded' : 'running');
    };
    watchers.watch(record);
    await waitFor(() => watchers.count === 0, 'the watcher to end');
    assert.equal(times.length, 3, 'the stream is reopened until the run ends');
    assert.equal(fake.watchCalls.length, 3);
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    // baseRetryMs is 25: timers never fire early (1 ms of clock granularity allowed).
    assert.ok(gaps.every((gap) => gap >= 24), `reopening waits between tries (gaps ${gaps.join(', ')} ms)`);
  });

  it('records a watch error, retries, and clears the error once snapshots flow again', async () => {
    const { store, fake, watchers, warnings } = setup();
    const record = addRun(store, 'r1');
    const errors: Array<string | undefined> = [];
    store.onDidChange((batch) => errors.push(...batch.map((change) => change.record.watchError)));
    fake.watchScripts = [new Error('socket hang up'), [snap('r1', 'succeeded')]];
    watchers.watch(record);
    await waitFor(() => watchers.count === 0, 'the watcher to end');
    assert.deepEqual(errors, ['socket hang up', undefined]);
    assert.equal(store.get('conn', 'r1')?.snapshot.status, 'succeeded');
    assert.equal(store.get('conn', 'r1')?.watchError, undefined);
    assert.equal(fake.watchCalls.length, 2);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /r1.*conn.*\(1\/3\).*socket hang up/);
  });

  it('never gives up on a run in flight: after failures in a row it slows to the slow poll, says so, and resumes its pace', async () => {
    const { store, fake, watchers, warnings } = setup({ baseRetryMs: 5, maxRetryMs: 10, failuresBeforeSlowPoll: 3, slowPollMs: 40 });
    const record = addRun(store, 'r1');
    const boom = new Error('HTTP 503');
    fake.watchScripts = [boom, boom, boom, [snap('r1', 'succeeded')]];
    // The slow poll reads the run once per wait: once more refused, then answered (still running).
    let probes = 0;
    fake.getRunResult = async (ref) => {
      probes += 1;
      if (probes === 1) throw boom;
      return snap(ref.runId, 'running');
    };
    const notes: Array<string | undefined> = [];
    store.onDidChange((batch) => notes.push(...batch.map((change) => change.record.watchNote?.reason)));
    watchers.watch(record);
    await waitFor(() => store.get('conn', 'r1')?.watchNote?.reason === 'slowPoll', 'the slow poll');
    const slow = store.get('conn', 'r1')!;
    assert.equal(slow.watchError, 'HTTP 503', 'the failure is shown');
    assert.equal(slow.watchNote?.waitMs, 40);
    assert.equal(slow.watchNote?.failures, 3);
    assert.equal(slow.snapshot.status, 'running', 'the run itself is left as it was');
    assert.equal(watchers.isWatching(record), true, 'still watching');
    assert.ok(warnings.some((line) => /3 failures in a row; checking every .* until zuora answers again/.test(line)), warnings.join('\n'));
    await waitFor(() => watchers.count === 0, 'the watcher to end');
    const ended = store.get('conn', 'r1')!;
    assert.equal(ended.snapshot.status, 'succeeded', 'the final state is the platform’s');
    assert.equal(ended.watchError, undefined);
    assert.equal(ended.watchNote, undefined, 'the note goes with the first snapshot');
    assert.equal(fake.getRunCalls.length, 2, 'one read per slow poll, until one is answered');
    assert.equal(fake.watchCalls.length, 4, 'then the normal watch again');
    assert.ok(notes.includes('slowPoll'));
  });

  it('honours a wait the platform asked for without counting it as a failure or an error', async () => {
    const { store, fake, watchers } = setup({ baseRetryMs: 5, maxRetryMs: 10, failuresBeforeSlowPoll: 2, maxServerWaitMs: 60 });
    const record = addRun(store, 'r1');
    const limited = () => new WorkflowRunsError('GET /runs/{id} failed (HTTP 429): too many requests.', { kind: 'http', status: 429, retryable: true, retryAfterMs: 120_000 });
    fake.watchScripts = [limited(), limited(), limited(), [snap('r1', 'succeeded')]];
    watchers.watch(record);
    await waitFor(() => store.get('conn', 'r1')?.watchNote !== undefined, 'the note');
    const waiting = store.get('conn', 'r1')!;
    assert.deepEqual({ reason: waiting.watchNote?.reason, status: waiting.watchNote?.status, waitMs: waiting.watchNote?.waitMs }, { reason: 'serverAsked', status: 429, waitMs: 60 }, '120 s is cut to the longest wait');
    assert.equal(waiting.watchError, undefined, 'waiting as asked is not a watch error');
    await waitFor(() => watchers.count === 0, 'the watcher to end');
    assert.equal(store.get('conn', 'r1')?.snapshot.status, 'succeeded', 'three waits never reach the slow poll (2) nor give up');
    const times = fake.watchCalls.map((call) => call.at);
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    assert.ok(gaps.every((gap) => gap >= 59), `each wait is the one asked for, cut to 60 ms (gaps ${gaps.join(', ')} ms)`);
  });

  it('counts failures in a row only: a snapshot resets the count', async () => {
    const { store, fake, watchers } = setup();
    const record = addRun(store, 'r1');
    const boom = new Error('flaky');
    fake.watchScripts = [boom, boom, [snap('r1', 'running', { platformStatus: 'again' })], boom, boom, [snap('r1', 'succeeded')]];
    // A stream that yields and then ends is confirmed; keep the run in flight so the next script runs.
    fake.getRunResult = async (ref) => snap(ref.runId, 'running');
    watchers.watch(record);
    await waitFor(() => watchers.count === 0, 'the watcher to end');
    assert.equal(store.get('conn', 'r1')?.snapshot.status, 'succeeded', 'four failures, never three in a row');
    assert.equal(fake.watchCalls.length, 6);
  });

  it('gives up at once on a configuration error', async () => {
    const { store, fake, watchers } = setup({ baseRetryMs: 5, maxRetryMs: 10, failuresBeforeSlowPoll: 5 });
    const record = addRun(store, 'r1');
    fake.defaultWatch = new WorkflowRunsError('Connection “conn” has no credential.', { kind: 'config' });
    watchers.watch(record);
    await waitFor(() => watchers.count === 0, 'the watcher to give up');
    assert.equal(fake.watchCalls.length, 1);
    assert.equal(store.get('conn', 'r1')?.watchError, 'Stopped watching: Connection “conn” has no credential.');
  });

  it('gives up at once when the connection is gone from the settings', async () => {
    const { store, watchers, providerGets } = setup({ baseRetryMs: 5, maxRetryMs: 10, failuresBeforeSlowPoll: 5 }, async () => {
      throw new WorkflowRunsError('There is no connection named “conn” in the settings.', { kind: 'config' });
    });
    const record = addRun(store, 'r1');
    watchers.watch(record);
    await waitFor(() => watchers.count === 0, 'the watcher to give up');
    assert.equal(providerGets.length, 1);
    assert.match(store.get('conn', 'r1')?.watchError ?? '', /^Stopped watching: There is no connection/);
  });

  it('starts nothing for a run that has ended', async () => {
    const { store, watchers, providerGets } = setup();
    const record = addRun(store, 'r1', 'succeeded');
    const lifetime = new AbortController();
    watchers.watch(record, undefined, lifetime);
    assert.equal(watchers.count, 0);
    assert.equal(lifetime.signal.aborted, true, 'the caller’s lifetime is released');
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(providerGets.length, 0);
  });

  it('resumeAll watches exactly the runs in flight', async () => {
    const { store, fake, watchers } = setup();
    addRun(store, 'done', 'succeeded', { createdAt: 1 });
    addRun(store, 'a', 'running', { createdAt: 2 });
    addRun(store, 'b', 'waiting', { createdAt: 3 });
    addRun(store, 'c', 'stopped', { createdAt: 4 });
    assert.equal(watchers.resumeAll(), 2);
    assert.equal(watchers.count, 2);
    await waitFor(() => fake.watchCalls.length === 2, 'both streams to open');
    assert.deepEqual(fake.watchCalls.map((call) => call.ref.runId).sort(), ['a', 'b']);
    assert.equal(watchers.resumeAll(), 2, 'resuming again…');
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(fake.watchCalls.length, 2, '…opens no second stream');
  });

  it('dispose aborts the signal given to provider.watch', async () => {
    const { store, fake, watchers } = setup();
    const record = addRun(store, 'r1');
    watchers.watch(record);
    await waitFor(() => fake.watchCalls.length === 1, 'the stream to open');
    const signal = fake.watchCalls[0]!.signal;
    assert.ok(signal);
    assert.equal(signal.aborted, false);
    watchers.dispose();
    assert.equal(signal.aborted, true);
    assert.equal(watchers.count, 0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(fake.watchCalls.length, 1, 'an aborted watcher does not retry');
    assert.equal(store.get('conn', 'r1')?.watchError, undefined, 'an abort is not a watch error');
  });

  it('stop ends one watcher and leaves the others', async () => {
    const { store, fake, watchers } = setup();
    const one = addRun(store, 'one');
    const two = addRun(store, 'two');
    watchers.watch(one);
    watchers.watch(two);
    await waitFor(() => fake.watchCalls.length === 2, 'both streams to open');
    watchers.stop(one);
    assert.equal(watchers.count, 1);
    assert.equal(watchers.isWatching(two), true);
    const byId = new Map(fake.watchCalls.map((call) => [call.ref.runId, call.signal]));
    assert.equal(byId.get('one')?.aborted, true);
    assert.equal(byId.get('two')?.aborted, false);
  });

  it('never watches the same run twice at once', async () => {
    const { store, fake, watchers } = setup();
    const record = addRun(store, 'r1');
    watchers.watch(record);
    watchers.watch(store.get('conn', 'r1')!);
    async function* updates(): AsyncGenerator<RunSnapshot> {
      yield snap('r1', 'failed');
    }
    watchers.watch(record, updates());
    assert.equal(watchers.count, 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(fake.watchCalls.length, 1);
    assert.equal(store.get('conn', 'r1')?.snapshot.status, 'running');
    // The same run on another connection is another run.
    const elsewhere = store.upsert('other', 'zuora', snap('r1', 'running'));
    watchers.watch(elsewhere);
    assert.equal(watchers.count, 2);
  });
});

describe('RunWatchers across windows', () => {
  it('one window follows a run; the other shows it as stored and takes over when the lease is released', async () => {
    const persistence = new MemoryHistoryPersistence();
    const log: ProviderLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
    const storeA = new RunStore(new MemoryMemento(), () => 50, 60_000, { persistence, leaseMs: 60 });
    const storeB = new RunStore(new MemoryMemento(), () => 50, 60_000, { persistence, leaseMs: 60 });
    const fakeA = new FakeProvider();
    const fakeB = new FakeProvider();
    const watchersA = new RunWatchers(storeA, { get: async () => fakeA.asProvider() }, log, { baseRetryMs: 5, maxRetryMs: 10 });
    const watchersB = new RunWatchers(storeB, { get: async () => fakeB.asProvider() }, log, { baseRetryMs: 5, maxRetryMs: 10 });
    try {
      const record = storeA.upsert('c', 'zuora', snap('r', 'running'));
      await storeA.flush();
      watchersA.watch(record);
      await eventually(() => fakeA.watchCalls.length === 1, { timeoutMs: 2000, intervalMs: 5, what: 'window A follows' });
      watchersB.watch(storeB.get('c', 'r')!);
      await new Promise((resolve) => setTimeout(resolve, 120));
      assert.equal(fakeB.watchCalls.length, 0, 'window B does not ask the platform while A holds the lease');

      // Window A sees the run move; window B picks it up from storage, without a notification-worthy change.
      storeA.upsert('c', 'zuora', snap('r', 'running', { platformStatus: 'Step 2' }));
      await storeA.flush();
      await eventually(() => storeB.get('c', 'r')?.snapshot.platformStatus === 'Step 2', { timeoutMs: 2000, intervalMs: 5, what: 'B shows the stored state' });

      // Window A closes: B takes over and follows the run itself.
      watchersA.dispose();
      storeA.dispose();
      await eventually(() => fakeB.watchCalls.length >= 1, { timeoutMs: 2000, intervalMs: 5, what: 'window B takes over' });
    } finally {
      watchersA.dispose();
      watchersB.dispose();
      await storeB.flush();
    }
  });
});
