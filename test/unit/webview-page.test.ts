// The run details page rendered in a fake DOM: the waterfall rows (one element per task with the
// contract's attributes), their detail (inputs/outputs as text, folded, copyable, truncation in
// words), the buttons by capability flag, keyboard moves, untrusted text as text, and 500 nodes.
import { strict as assert } from 'node:assert';
import { beforeEach, describe, it } from 'node:test';
import { asFake, FakeEvent, installFakeDom, type FakeDocument, type FakeElement } from '../helpers/fake-dom';
import type { TimelineEntry } from '../../src/providers/model';
import type { CopyableTaskField, PageCommand, RunView } from '../../src/webview/protocol';
import { RunDetailsView } from '../../src/webview/app/view';
import { toRunView } from '../../src/webview/viewModel';
import { sampleRecord } from '../helpers/runs';

const t0 = 1_700_000_001_000;

function entries(): TimelineEntry[] {
  return [
    { id: 'n1', name: 'Start', type: 'start', state: 'success', startedAt: t0, finishedAt: t0 + 1000, inputs: { accountId: 'A-1' }, outputs: { accountId: 'A-1' } },
    {
      id: 'n2',
      name: 'Ask the model',
      type: 'llm',
      state: 'error',
      platformState: 'failed',
      startedAt: t0 + 1000,
      finishedAt: t0 + 4000,
      inputs: { prompt: 'Summarise' },
      processData: { model: 'gpt' },
      error: 'Rate limited',
      metrics: { tokens: 1234, cost: '0.0021 USD' },
    },
    { id: 'n3', name: 'Later', state: 'pending' },
  ];
}

function view(overrides: Partial<RunView> = {}, timeline: TimelineEntry[] = entries()): RunView {
  return { ...toRunView(sampleRecord({}, { status: 'failed', finishedAt: t0 + 5000, timeline }), { platformLabel: () => 'Zuora Workflow' }), ...overrides };
}

describe('run details page: the waterfall', () => {
  let document: FakeDocument;
  let sent: PageCommand[];
  let copies: Array<[string, CopyableTaskField]>;
  let reruns: string[];
  let page: RunDetailsView;
  let root: FakeElement;

  const row = (id: string): FakeElement => root.querySelector(`[data-task-id="${id}"]`)!;

  beforeEach(() => {
    document = installFakeDom();
    sent = [];
    copies = [];
    reruns = [];
    page = new RunDetailsView((command) => sent.push(command), {
      copy: (taskId, field) => copies.push([taskId, field]),
      rerunTask: (taskId) => reruns.push(taskId),
    });
    root = asFake(page.element);
    document.body.append(root);
  });

  it('Re-run is off with its reason as the tooltip when the host says the inputs were shortened, and on again without it', () => {
    page.update(view({ canRerun: false, rerunNote: 'Re-run is off: kept only in part (invoice).' }), t0 + 6000);
    const rerun = root.querySelector('button[data-command="rerun"]')!;
    assert.equal(rerun.disabled, true);
    assert.equal(rerun.getAttribute('title'), 'Re-run is off: kept only in part (invoice).');
    page.update(view({ canRerun: true }), t0 + 6000);
    assert.equal(rerun.disabled, false);
    assert.equal(rerun.hasAttribute('title'), false);
  });

  it('a Dify execution row carries its node id as data-task-id, and its execution id apart', () => {
    page.update(view({}, [{ id: 'exec-9f2', nodeId: 'llm', name: 'Ask the model', state: 'success' }, { id: 'n1', name: 'Start', state: 'success' }]), t0 + 6000);
    assert.equal(row('llm').getAttribute('data-execution-id'), 'exec-9f2');
    assert.equal(row('n1').hasAttribute('data-execution-id'), false, 'an entry whose id is its node id has no second id');
    assert.equal(root.querySelector('[data-task-id="exec-9f2"]'), null);
  });

  it('renders every task as one element with data-task-id and data-task-status, in a list', () => {
    page.update(view(), t0 + 6000);
    const rows = root.querySelectorAll('[data-task-id]');
    assert.deepEqual(rows.map((element) => [element.getAttribute('data-task-id'), element.getAttribute('data-task-status')]), [
      ['n1', 'success'],
      ['n2', 'error'],
      ['n3', 'pending'],
    ]);
    assert.equal(root.querySelector('[data-section="timeline"] ol')!.getAttribute('role'), 'list');
    for (const element of rows) assert.equal(element.getAttribute('role'), 'listitem');
    // The task counts keep their own attribute: no row uses data-task-state.
    assert.equal(root.querySelectorAll('li[data-task-state]').length, 0);
  });

  it('gives each row a real button with aria-expanded and a label with name, state, start offset and duration', () => {
    page.update(view(), t0 + 6000);
    const button = row('n2').querySelector('button.wf-toggle')!;
    assert.equal(button.getAttribute('aria-expanded'), 'false');
    assert.equal(button.getAttribute('aria-label'), 'Ask the model, Failed, starts at +1.0 s, took 3.0 s');
    assert.equal(row('n3').querySelector('button')!.getAttribute('aria-label'), 'Later, Pending, not started');
    assert.equal(button.getAttribute('title'), 'Failed (failed)');
  });

  it('places bars on one time axis from custom properties, coloured by the state class', () => {
    page.update(view(), t0 + 6000);
    const list = root.querySelector('ol.wf-rows')!;
    assert.equal(list.style.getPropertyValue('--wf-span'), '5000', 'from the first start to the run end');
    const bar = row('n2').querySelector('.wf-bar')!;
    assert.equal(bar.style.getPropertyValue('--wf-offset'), '1000');
    assert.equal(bar.style.getPropertyValue('--wf-duration'), '3000');
    assert.match(row('n2').getAttribute('class')!, /\bstate-error\b/);
    assert.equal(row('n3').querySelector('.wf-bar')!.hidden, true, 'not started: no bar');
    assert.deepEqual(
      root.querySelectorAll('.wf-tick').map((tick) => tick.textContent),
      ['0', '+1.3 s', '+2.5 s', '+3.8 s', '+5.0 s'],
    );
  });

  it('expands a row on click to its inputs and outputs as JSON text, and folds it again', () => {
    page.update(view(), t0 + 6000);
    row('n1').click();
    const button = row('n1').querySelector('button.wf-toggle')!;
    assert.equal(button.getAttribute('aria-expanded'), 'true');
    const detail = root.querySelector(`#${button.getAttribute('aria-controls')}`)!;
    assert.equal(detail.hidden, false);
    assert.equal(row('n1').querySelector('[data-section="task-inputs"] pre')!.textContent, '{\n  "accountId": "A-1"\n}');
    assert.equal(row('n1').querySelector('[data-section="task-outputs"] pre')!.textContent, '{\n  "accountId": "A-1"\n}');
    // A click inside the detail (selecting text) does not fold it away.
    row('n1').querySelector('[data-section="task-inputs"] pre')!.click();
    assert.equal(button.getAttribute('aria-expanded'), 'true');
    button.click();
    assert.equal(button.getAttribute('aria-expanded'), 'false');
    assert.equal(detail.hidden, true);
  });

  it('shows process data, error, timings and cost in the detail', () => {
    page.update(view(), t0 + 6000);
    row('n2').querySelector('button')!.click();
    const detail = row('n2').querySelector('.task-detail')!;
    assert.equal(detail.querySelector('[data-section="task-process-data"] pre')!.textContent, '{\n  "model": "gpt"\n}');
    assert.equal(detail.querySelector('[data-section="task-error"] pre')!.textContent, 'Rate limited');
    assert.equal(detail.querySelector('[data-section="task-outputs"]'), null, 'no outputs given: no section');
    const text = detail.textContent;
    for (const expected of ['Duration3.0 s', 'Tokens1,234', 'Cost0.0021 USD', 'StateFailed (failed)', 'Typellm']) assert.ok(text.includes(expected), expected);
  });

  it('copies through the host and offers Re-run Task only when the host says so', () => {
    page.update(view({ canRerunTasks: false }), t0 + 6000);
    row('n2').click();
    row('n2').querySelector('[data-section="task-inputs"] button')!.click();
    assert.deepEqual(copies, [['n2', 'inputs']]);
    const rerun = row('n2').querySelector('button[data-command="rerunTask"]')!;
    assert.equal(rerun.hidden, true);
    page.update(view({ canRerunTasks: true }), t0 + 6000);
    assert.equal(rerun.hidden, false);
    rerun.click();
    assert.deepEqual(reruns, ['n2']);
  });

  it('folds big values and says in words what was too big to keep', () => {
    const big = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`key${i}`, i]));
    const timeline: TimelineEntry[] = [
      { id: 'b', name: 'Big', state: 'success', startedAt: t0, finishedAt: t0 + 10, inputs: big, outputs: { $truncated: true, bytes: 200_000, preview: '{"text":"abc' }, truncated: ['outputs'] },
    ];
    page.update(view({}, timeline), t0 + 6000);
    row('b').click();
    const inputs = row('b').querySelector('[data-section="task-inputs"]')!;
    const fold = inputs.querySelector('details')!;
    assert.equal(fold.open, false);
    assert.match(fold.querySelector('summary')!.textContent, /^Show inputs \(.* KB, 102 lines\)$/);
    assert.equal(JSON.parse(fold.querySelector('pre')!.textContent).key99, 99, 'the whole text is there, for find and copy');
    const outputs = row('b').querySelector('[data-section="task-outputs"]')!;
    assert.equal(outputs.querySelector('pre')!.textContent, '{"text":"abc');
    assert.match(outputs.querySelector('.truncated-note')!.textContent, /Too big to keep \(195\.3 KB\): only the first 12 characters/);
    assert.match(row('b').querySelector('[data-section="task-truncated"]')!.textContent, /shortened: outputs/);
  });

  it('says how many entries were not kept', () => {
    page.update(view({ timelineOmitted: 1500 }), t0 + 6000);
    assert.equal(root.querySelector('[data-section="timeline-omitted"]')!.textContent, '1,500 more tasks/nodes not kept: the run was too big to keep whole.');
  });

  it('keeps platform text as text: no markup is ever parsed', () => {
    const hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    page.update(view({}, [{ id: 'x', name: hostile, type: hostile, state: 'error', error: hostile, inputs: { html: hostile }, startedAt: t0 }]), t0 + 6000);
    row('x').click();
    assert.equal(root.querySelector('img'), null);
    assert.equal(root.querySelector('script'), null);
    assert.equal(row('x').querySelector('.wf-name')!.textContent, hostile);
    assert.equal(row('x').querySelector('[data-section="task-error"] pre')!.textContent, hostile);
  });

  it('moves between rows with the arrow keys, one Tab stop for the list', () => {
    page.update(view(), t0 + 6000);
    const buttons = root.querySelectorAll('button.wf-toggle');
    assert.deepEqual(buttons.map((button) => button.tabIndex), [0, -1, -1]);
    buttons[0]!.dispatchEvent(new FakeEvent('keydown', { key: 'ArrowDown' }));
    assert.equal(document.activeElement, buttons[1]);
    assert.deepEqual(buttons.map((button) => button.tabIndex), [-1, 0, -1]);
    buttons[1]!.dispatchEvent(new FakeEvent('keydown', { key: 'End' }));
    assert.equal(document.activeElement, buttons[2]);
    buttons[2]!.dispatchEvent(new FakeEvent('keydown', { key: 'Home' }));
    assert.equal(document.activeElement, buttons[0]);
  });

  it('shows Retry run and Open inputs as payload by capability flag, and sends Compare with', () => {
    page.update(view({ canRetry: false, canOpenInputs: false }), t0 + 6000);
    const retry = root.querySelector('button[data-command="retryRun"]')!;
    const openInputs = root.querySelector('button[data-command="openInputsAsPayload"]')!;
    assert.equal(retry.hidden, true);
    assert.equal(openInputs.hidden, true);
    page.update(view({ canRetry: true, canOpenInputs: true }), t0 + 6000);
    assert.equal(retry.hidden, false);
    assert.equal(openInputs.hidden, false);
    retry.click();
    openInputs.click();
    root.querySelector('button[data-command="compareWith"]')!.click();
    assert.deepEqual(sent, ['retryRun', 'openInputsAsPayload', 'compareWith']);
  });

  it('updates rows in place: an expanded row stays expanded, a new node is appended', () => {
    page.update(view(), t0 + 6000);
    row('n1').click();
    const element = row('n1');
    const next = [...entries(), { id: 'n4', name: 'New', state: 'processing' as const, startedAt: t0 + 4500 }];
    next[0] = { ...next[0]!, outputs: { accountId: 'A-2' } };
    page.update(view({ inFlight: true, finishedAt: undefined }, next), t0 + 6000);
    assert.equal(row('n1'), element);
    assert.equal(element.querySelector('button')!.getAttribute('aria-expanded'), 'true');
    assert.equal(element.querySelector('[data-section="task-outputs"] pre')!.textContent, '{\n  "accountId": "A-2"\n}');
    assert.deepEqual(root.querySelectorAll('[data-task-id]').map((item) => item.getAttribute('data-task-id')), ['n1', 'n2', 'n3', 'n4']);
    // While in flight the axis grows with the clock; the running node's bar with it.
    page.tick(t0 + 9000);
    assert.equal(root.querySelector('ol.wf-rows')!.style.getPropertyValue('--wf-span'), '9000');
    assert.equal(row('n4').querySelector('.wf-bar')!.style.getPropertyValue('--wf-duration'), '4500');
  });
});

describe('run details page: 500 nodes', () => {
  it('builds rows once and touches only the changed one on the next state', () => {
    const document = installFakeDom();
    const page = new RunDetailsView(() => undefined, { copy: () => undefined, rerunTask: () => undefined });
    document.body.append(asFake(page.element));
    const many: TimelineEntry[] = Array.from({ length: 500 }, (_, i) => ({
      id: `node-${i}`,
      name: `Node ${i}`,
      type: 'code',
      state: 'success',
      startedAt: t0 + i * 100,
      finishedAt: t0 + i * 100 + 250,
      inputs: { i, text: 'x'.repeat(200) },
      outputs: { i },
    }));
    const first = performance.now();
    page.update(view({}, many), t0 + 60_000);
    const buildMs = performance.now() - first;
    const rows = asFake(page.element).querySelectorAll('[data-task-id]');
    assert.equal(rows.length, 500);

    const changed = many.map((entry) => ({ ...entry }));
    changed[250] = { ...changed[250]!, state: 'error', error: 'Boom' };
    const before = document.mutations;
    const second = performance.now();
    page.update(view({}, changed), t0 + 60_000);
    const updateMs = performance.now() - second;
    const mutations = document.mutations - before;
    assert.deepEqual(asFake(page.element).querySelectorAll('[data-task-id]'), rows, 'the same 500 elements');
    assert.equal(rows[250]!.getAttribute('data-task-status'), 'error');
    assert.ok(mutations < 30, `one changed row: ${mutations} DOM mutations`);
    // Generous bounds for a shared 2-core machine; the figures are printed for the report.
    assert.ok(buildMs < 2000, `built 500 rows in ${buildMs.toFixed(1)} ms`);
    assert.ok(updateMs < 500, `updated in ${updateMs.toFixed(1)} ms`);
    console.log(`500 nodes: first render ${buildMs.toFixed(1)} ms, update of one changed row ${updateMs.toFixed(1)} ms, ${mutations} DOM mutations`);
  });
});
