// Type-checked with the DOM types (test/tsconfig.json), not by the host's tsconfig: the page's code
// is DOM code. scripts/bench/figures/webviewFlood.ts loads it at run time.
//
// A details panel open on a Dify run that streams 5,000 node events (2,500 executions): the host's
// real path — DifyRunTracker (a batch of events at a time) → the watcher's SnapshotPace → RunStore
// (bounds, merges, change event) → the panel's Throttle → toRunView → a posted message — and the
// page's real renderer (RunDetailsView) in the fake DOM of the unit tests, in one process. Events
// arrive in small batches over ~2.5 s, as from a busy stream. Baseline: what an unthrottled host
// would post (one message per event). The page's memory is the DOM it holds at the end and the
// heap growth.
// eslint-disable-next-line no-restricted-imports -- the flood is a Dify stream reduced by its own tracker
import { DifyRunTracker } from '../../../src/providers/dify/events';
import type { RunRecord } from '../../../src/runs/record';
import { SnapshotPace } from '../../../src/runs/snapshotPace';
import { RunStore } from '../../../src/runs/store';
import { RunDetailsView } from '../../../src/webview/app/view';
import { runPagePostIntervalMs, Throttle } from '../../../src/util/throttle';
import { toRunView } from '../../../src/webview/viewModel';
import { asFake, installFakeDom, type FakeNode } from '../../../test/helpers/fake-dom';
import { MemoryMemento } from '../../../test/helpers/memento';
import type { Measurement } from '../figure';
import { gc } from '../heap';

const nodeEvents = 5_000;
const batch = 10;
const batchGapMs = 5;

function event(name: string, data: object) {
  return { event: 'message', data: JSON.stringify({ event: name, task_id: 'task-flood', workflow_run_id: 'run-flood', data }) };
}

function nodeEvent(i: number) {
  const execution = i >> 1;
  const data = { id: `exec-${execution}`, node_id: `node-${execution % 40}`, node_type: 'llm', title: `Step ${execution % 40}`, index: execution + 1, created_at: 1 + execution / 100 };
  return i % 2 === 0
    ? event('node_started', data)
    : event('node_finished', { ...data, status: 'succeeded', elapsed_time: 0.01, finished_at: 1.01 + execution / 100, outputs: { text: `answer ${execution}` } });
}

function countElements(node: FakeNode): number {
  let count = 1;
  for (const child of node.childNodes) count += countElements(child);
  return count;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureWebviewFlood(): Promise<Measurement[]> {
    const document = installFakeDom();
    const page = new RunDetailsView(() => undefined, { copy: () => undefined, rerunTask: () => undefined });
    document.body.append(asFake(page.element));
    const tracker = new DifyRunTracker({ workflowId: 'wf-flood' });
    // The history in memory (no disk in the figure), as the extension's store otherwise is.
    const store = new RunStore(new MemoryMemento(), () => 50);
    const pace = new SnapshotPace((snapshot) => store.upsert('dify', 'dify', snapshot, { workflowName: 'Flood' }));
    pace.push(tracker.apply(event('workflow_started', { id: 'run-flood', workflow_id: 'wf-flood', created_at: 1 }))!);
    let record: RunRecord | undefined = store.get('dify', 'run-flood');
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let posts = 0;
    let bytesPosted = 0;
    let renderMs = 0;
    let lastRenderEnd = 0;
    /** The run state the page last rendered: the final one only if that render came after every event. */
    let renderedState: RunRecord['snapshot'] | undefined;
    // The host side: toRunView + the structured copy postMessage makes (JSON is its stand-in), then the page renders it.
    const throttle = new Throttle(() => {
      const current = record;
      if (!current) return;
      renderedState = current.snapshot;
      const message = JSON.stringify({ type: 'state', run: toRunView(current, { platformLabel: () => 'Dify' }), now: Date.now() });
      posts += 1;
      bytesPosted += message.length;
      const started = performance.now();
      const received = JSON.parse(message) as { run: Parameters<RunDetailsView['update']>[0]; now: number };
      page.update(received.run, received.now);
      lastRenderEnd = performance.now();
      renderMs += lastRenderEnd - started;
    }, runPagePostIntervalMs);
    // What the panel hears: the store's change of its run (runDetailsPanels.ts → BoundRunPanel.update).
    const subscription = store.onDidChange((changes) => {
      for (const change of changes) {
        if (change.record.snapshot.runId !== 'run-flood') continue;
        record = change.record;
        throttle.schedule();
      }
    });
    const started = performance.now();
    /** When the last batch of events was applied (not after the gap that follows it). */
    let lastEvent = started;
    for (let i = 0; i < nodeEvents; i += batch) {
      const events = Array.from({ length: batch }, (_, j) => nodeEvent(i + j));
      const snapshot = tracker.applyAll(events);
      if (snapshot) pace.push(snapshot);
      lastEvent = performance.now();
      await sleep(batchGapMs);
    }
    // The held snapshot and the deferred post (if any) land within their intervals.
    await sleep(400);
    throttle.dispose();
    pace.dispose();
    subscription.dispose();
    const seconds = (lastEvent - started) / 1000;
    const finalDelay = Math.max(0, lastRenderEnd - lastEvent);
    // A final post that never came would leave the delay at 0 (the last render was earlier): the
    // figure counts only when the page rendered the tracker's state after its last event.
    const final = tracker.current;
    const finalShown = renderedState !== undefined && JSON.stringify(renderedState.tasks) === JSON.stringify(final.tasks) && renderedState.timeline?.length === final.timeline?.length;
    const rows = asFake(page.element).querySelectorAll('[data-task-id]').length;
    const elements = countElements(asFake(page.element));
    gc();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    store.dispose();
    return [
      {
        label: `messages a second to the page (${nodeEvents.toLocaleString('en')} events in ${seconds.toFixed(1)} s)`,
        value: Number((posts / seconds).toFixed(1)),
        unit: '/s',
        baseline: { label: 'one post per event (no throttle)', value: Number((nodeEvents / seconds).toFixed(0)) },
        met: posts / seconds <= 20,
        notes: [`${posts} posts, ${(bytesPosted / posts / 1024).toFixed(0)} KB each on average; page render ${(renderMs / posts).toFixed(1)} ms per post in the fake DOM`],
      },
      {
        label: finalShown ? 'final state rendered after the last event' : 'final state rendered after the last event: NEVER (the page kept an older state)',
        value: Number(finalDelay.toFixed(1)),
        unit: 'ms',
        met: finalShown && finalDelay <= 50,
        notes: [
          `while events keep coming the watcher hands the store at most one snapshot per 200 ms and the panel posts at most once per ${runPagePostIntervalMs} ms; when they pause the watcher hands over 16 ms after the last one and the panel posts that at once (neither within 50 ms of its previous one), plus the render`,
        ],
      },
      {
        label: 'page at the end: elements in its DOM',
        value: elements,
        unit: 'elements',
        notes: [`${rows.toLocaleString('en')} task rows for 2,500 executions; heap kept after a GC ${(heapGrowth / 1024 / 1024).toFixed(1)} MB (run state, record and page together)`],
      },
    ];
}
