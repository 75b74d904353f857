// Task/node rows of the trees (pure presentation and node reuse) and the page opening one task
// when a task row was clicked.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { TimelineEntry } from '../../src/providers/model';
import { TaskNodes, taskEntryOf, type RunNode } from '../../src/views/nodes';
import { taskDescription, taskLook, taskTooltip } from '../../src/views/taskPresentation';
import { RunDetailsView } from '../../src/webview/app/view';
import { parseHostMessage } from '../../src/webview/protocol';
import { toRunView } from '../../src/webview/viewModel';
import { asFake, installFakeDom } from '../helpers/fake-dom';
import { sampleRecord } from '../helpers/runs';

const t0 = 1_700_000_000_000;
const timeline: TimelineEntry[] = [
  { id: 'a', name: 'Fetch', state: 'success', platformState: 'succeeded', startedAt: t0, finishedAt: t0 + 1500, type: 'http' },
  { id: 'b', name: 'Format item', state: 'error', platformState: 'failed', error: 'boom', iteration: { parentId: 'it', index: 1 }, durationMs: 80, metrics: { tokens: 12, cost: '0.01 USD' } },
  { id: 'c', name: 'Later', state: 'pending' },
];

describe('task rows: presentation', () => {
  it('describes a task by its state word, and its round when it ran in one', () => {
    assert.equal(taskDescription(timeline[0]!), 'success');
    assert.equal(taskDescription(timeline[1]!), 'error · iteration round 2');
    assert.equal(taskDescription({ id: 'r', name: 'HTTP', state: 'error', retry: { index: 1 } }), 'error · retry 1');
  });

  it('gives every state an icon with a theme colour', () => {
    assert.deepEqual(taskLook('success'), { icon: 'pass', color: 'testing.iconPassed' });
    assert.deepEqual(taskLook('error'), { icon: 'error', color: 'testing.iconFailed' });
    for (const state of ['queued', 'pending', 'processing', 'stopped', 'skipped'] as const) assert.ok(taskLook(state).color, state);
  });

  it('puts the duration, the platform’s word, the cost and the error in the tooltip', () => {
    const tip = taskTooltip(timeline[0]!);
    assert.equal(tip.title, 'Fetch');
    assert.deepEqual(
      tip.rows.find((row) => row.label === 'Duration'),
      { label: 'Duration', value: '1.5 s' },
    );
    assert.equal(tip.rows.find((row) => row.label === 'State')?.value, 'success (succeeded)');
    const failed = taskTooltip(timeline[1]!);
    assert.equal(failed.error, 'boom');
    assert.equal(failed.rows.find((row) => row.label === 'Cost')?.value, '0.01 USD');
    assert.equal(failed.rows.find((row) => row.label === 'Round')?.value, 'iteration round 2');
  });
});

describe('task rows: nodes', () => {
  it('one node per entry, in order, the same objects on the next call, with the run’s latest record', () => {
    const run: RunNode = { kind: 'run', record: sampleRecord({}, { timeline }), view: 'runs' };
    const tasks = new TaskNodes();
    const first = tasks.childrenOf(run).filter((node) => node.kind === 'task');
    assert.deepEqual(
      first.map((node) => [node.kind, node.taskId, node.view]),
      [
        ['task', 'a', 'runs'],
        ['task', 'b', 'runs'],
        ['task', 'c', 'runs'],
      ],
    );
    run.record = sampleRecord({}, { timeline: [...timeline, { id: 'd', name: 'New', state: 'queued' }] });
    const second = tasks.childrenOf(run).filter((node) => node.kind === 'task');
    assert.equal(second[0], first[0]);
    assert.equal(second.length, 4);
    assert.equal(second[0]?.record, run.record);
    assert.equal(taskEntryOf(second[3]!)?.name, 'New');
  });
});

describe('task rows: a run too big to keep whole', () => {
  it('ends with one row saying how many tasks/nodes are not kept, the same object while there are some, gone when there are none', () => {
    const run: RunNode = { kind: 'run', record: sampleRecord({}, { timeline, timelineOmitted: 1500 }), view: 'workflows' };
    const tasks = new TaskNodes();
    const first = tasks.childrenOf(run);
    assert.deepEqual(first.map((node) => node.kind), ['task', 'task', 'task', 'tasksOmitted']);
    const omitted = first.at(-1)!;
    assert.equal(omitted.record.snapshot.timelineOmitted, 1500);
    run.record = sampleRecord({}, { timeline, timelineOmitted: 2500 });
    const second = tasks.childrenOf(run);
    assert.equal(second.at(-1), omitted, 'the same row, so the tree keeps it in place');
    assert.equal(second.at(-1)?.record.snapshot.timelineOmitted, 2500);
    run.record = sampleRecord({}, { timeline });
    assert.deepEqual(tasks.childrenOf(run).map((node) => node.kind), ['task', 'task', 'task']);
  });
});

describe('run details page: revealing a task', () => {
  it('a state with revealTask opens that task’s detail, outputs included', () => {
    installFakeDom();
    const page = new RunDetailsView(() => undefined, { copy: () => undefined, rerunTask: () => undefined });
    const entries: TimelineEntry[] = [{ id: 'x1', name: 'LLM', state: 'success', outputs: { text: 'hello' } }, { id: 'x2', name: 'End', state: 'success', outputs: { result: 'hi' } }];
    const message = parseHostMessage({ type: 'state', run: toRunView(sampleRecord({}, { timeline: entries }), { platformLabel: () => 'Dify' }), now: t0, revealTask: 'x2' });
    assert.ok(message.ok && message.value.type === 'state');
    page.update(message.value.run, t0);
    assert.equal(page.revealTask(message.value.revealTask!), true);
    const row = asFake(page.element).querySelector('[data-task-id="x2"]')!;
    assert.equal(row.querySelector('button')!.getAttribute('aria-expanded'), 'true');
    assert.equal(row.querySelector('[data-section="task-outputs"] pre')!.textContent, '{\n  "result": "hi"\n}');
    assert.equal(asFake(page.element).querySelector('[data-task-id="x1"] button')!.getAttribute('aria-expanded'), 'false');
    assert.equal(page.revealTask('nope'), false);
  });
});
