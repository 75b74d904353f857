// Zuora task entries (fields → inputs/outputs) and the incremental task list (./taskList.ts):
// pages read once, only pages that can still change read again, a rerun reads everything again.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { emptyTaskCounts, type TaskCounts, type TaskState, type TimelineEntry } from '../../src/providers/model';
import { taskData, toTimelineEntry } from '../../src/providers/zuora/mapping';
import { ZuoraTaskSchema } from '../../src/providers/zuora/schemas';
import { ZuoraTaskList, type TaskPageRead } from '../../src/providers/zuora/taskList';

describe('Zuora task fields as inputs and outputs', () => {
  it('parameters are the inputs and data the outputs when Zuora gives them', () => {
    const task = ZuoraTaskSchema.parse({ id: 7, name: 'Create usage', action_type: 'Create', status: 'Success', parameters: { object: 'Usage', batch: 3 }, data: { Usage: [{ Id: '8a8a' }] } });
    const entry = toTimelineEntry(task);
    assert.deepEqual(entry.inputs, { object: 'Usage', batch: 3 });
    assert.deepEqual(entry.outputs, { Usage: [{ Id: '8a8a' }] });
  });

  it('without them, what the task acted on and what it wrote (or its error details)', () => {
    const ok = ZuoraTaskSchema.parse({ id: 1, name: 'Q', action_type: 'Export', call_type: 'SOAP', object: 'Invoice', object_id: 'abc', status: 'Success', tags: [] });
    assert.deepEqual(taskData(ok), { inputs: { action_type: 'Export', call_type: 'SOAP', object: 'Invoice' }, outputs: { object: 'Invoice', object_id: 'abc' } });
    const failed = ZuoraTaskSchema.parse({ id: 2, name: 'C', action_type: 'Callout', status: 'Error', error: 'HTTP 503', error_class: 'WorkflowError::Task', error_details: { code: 503 } });
    const entry = toTimelineEntry(failed);
    assert.equal(entry.error, 'HTTP 503');
    assert.deepEqual(entry.outputs, { error_class: 'WorkflowError::Task', error_details: { code: 503 } });
  });
});

/** A run of `total` tasks on pages of `pageLength`, whose tasks run one after the other. */
class FakeRun {
  states: TaskState[];
  requests: number[] = [];
  constructor(
    total: number,
    readonly pageLength: number,
  ) {
    this.states = Array.from({ length: total }, () => 'queued' as TaskState);
  }
  /** The first `finished` tasks are done (every 7th in error), the next one runs. */
  progress(finished: number): void {
    this.states = this.states.map((_, i) => (i < finished ? (i % 7 === 6 ? 'error' : 'success') : i === finished ? 'processing' : 'queued'));
  }
  counts(): TaskCounts {
    const counts = emptyTaskCounts();
    for (const state of this.states) counts[state] += 1;
    counts.total = this.states.length;
    return counts;
  }
  read = async (page: number): Promise<TaskPageRead> => {
    this.requests.push(page);
    const from = (page - 1) * this.pageLength;
    const entries: TimelineEntry[] = this.states.slice(from, from + this.pageLength).map((state, i) => ({ id: String(from + i), name: `T${from + i}`, state }));
    return { entries, next: from + this.pageLength < this.states.length ? page + 1 : undefined };
  };
}

describe('ZuoraTaskList', () => {
  it('reads every page once, then only the page where tasks move', async () => {
    const run = new FakeRun(1000, 100);
    const list = new ZuoraTaskList(run.read, 100, 50);
    const first = await list.refresh(run.counts());
    assert.equal(first.length, 1000);
    assert.deepEqual(run.requests, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    run.requests = [];
    run.progress(150);
    const next = await list.refresh(run.counts());
    assert.deepEqual(run.requests, [1, 2]);
    assert.equal(next[150]?.state, 'processing');
    assert.equal(next[149]?.state, 'success');
    run.requests = [];
    run.progress(160);
    await list.refresh(run.counts());
    // Page 1 has only finished tasks now: never read again.
    assert.deepEqual(run.requests, [2]);
  });

  it('follows a 5,000-task run to its end with a tenth of the requests of reading the list on every change', async () => {
    const run = new FakeRun(5000, 100);
    const list = new ZuoraTaskList(run.read, 100, 50);
    let changes = 0;
    for (let finished = 0; finished <= 5000; finished += 37) {
      run.progress(finished);
      await list.refresh(run.counts());
      changes += 1;
    }
    run.progress(5000);
    const last = await list.refresh(run.counts());
    changes += 1;
    assert.deepEqual(
      last.map((entry) => entry.state),
      run.states,
    );
    const wholeList = changes * 50;
    assert.ok(run.requests.length / wholeList <= 0.1, `${run.requests.length} requests vs ${wholeList}`);
  });

  it('a list read after the run (a little ahead of its counts) reads no more than the open pages', async () => {
    const run = new FakeRun(500, 100);
    const list = new ZuoraTaskList(run.read, 100, 50);
    await list.refresh(run.counts());
    run.progress(250);
    const counts = run.counts();
    run.progress(260);
    run.requests = [];
    await list.refresh(counts);
    assert.deepEqual(run.requests, [1, 2, 3]);
  });

  it('a rerun (fewer finished tasks than before) reads the whole list again', async () => {
    const run = new FakeRun(300, 100);
    const list = new ZuoraTaskList(run.read, 100, 50);
    run.progress(300);
    await list.refresh(run.counts());
    run.states[5] = 'queued';
    run.requests = [];
    const after = await list.refresh(run.counts());
    assert.deepEqual(run.requests, [1, 2, 3]);
    assert.equal(after[5]?.state, 'queued');
  });

  it('tasks added to a short last page are picked up; a failed read keeps the pages read before it', async () => {
    const run = new FakeRun(150, 100);
    const list = new ZuoraTaskList(run.read, 100, 50);
    await list.refresh(run.counts());
    run.states.push(...Array.from({ length: 100 }, () => 'queued' as TaskState));
    run.requests = [];
    const grown = await list.refresh(run.counts());
    assert.deepEqual(run.requests, [2, 3]);
    assert.equal(grown.length, 250);
    let fail = true;
    const flaky = new ZuoraTaskList(async (page) => {
      if (page === 2 && fail) throw new Error('503');
      return run.read(page);
    }, 100, 50);
    await assert.rejects(flaky.refresh(run.counts()));
    assert.equal(flaky.timeline.length, 100);
    fail = false;
    assert.equal((await flaky.refresh(run.counts())).length, 250);
  });
});
