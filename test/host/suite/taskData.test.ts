// Inside a run, in a real extension host: a payload run on each platform is recorded with each
// task/node's inputs and outputs, the record's JSON form (what the history persists) keeps them,
// and a store loaded again from that history still shows them.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TimelineEntry } from '../../../src/providers/model';
import { FsHistoryPersistence } from '../../../src/runs/fsPersistence';
import type { RunRecord } from '../../../src/runs/record';
import { RunStore } from '../../../src/runs/store';
import { eventually } from '../../helpers/eventually';
import { MemoryMemento } from '../../helpers/memento';
import { hostFixture, names, newestRun, runUntil, writePayload, type HostFixture } from './fixture';

suite('task data (inside a run)', function () {
  this.timeout(60_000);
  let f: HostFixture;
  suiteSetup(async () => {
    f = await hostFixture();
  });

  async function runToEnd(file: string, payload: object, connection: string, workflowId: string): Promise<RunRecord> {
    const uri = await writePayload(f.dir, file, payload);
    const since = Date.now();
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', uri);
    const started = newestRun(f.services, connection, workflowId, since);
    assert.ok(started, `a ${connection} run was recorded`);
    return runUntil(f.services, started, ['succeeded', 'failed', 'partial']);
  }

  /**
   * The record as a new window sees it: a store of its own reading the history files the
   * extension wrote under its global storage (what a reload reads).
   */
  async function reloaded(record: RunRecord): Promise<RunRecord | undefined> {
    await f.services.store.flush();
    const history = new FsHistoryPersistence(path.join(f.services.context.globalStorageUri.fsPath, 'history'));
    const store = new RunStore(new MemoryMemento(), () => 50, 250, { persistence: history });
    try {
      return store.get(record.connection, record.snapshot.runId);
    } finally {
      store.dispose();
    }
  }

  function entry(record: RunRecord, find: (entry: TimelineEntry) => boolean, what: string): TimelineEntry {
    const found = record.snapshot.timeline?.find(find);
    assert.ok(found, `${what} in ${JSON.stringify(record.snapshot.timeline?.map((item) => item.name))}`);
    return found;
  }

  test('Dify: node inputs, outputs and process data are kept with the run and after a reload', async () => {
    const ended = await runToEnd('nodes.payload.json', { $workflow: names.dify, topic: 'Host nodes' }, names.dify, 'default');
    assert.equal(ended.snapshot.status, 'succeeded');
    const llm = entry(ended, (item) => item.name === 'Draft release notes', 'the LLM node');
    assert.match(JSON.stringify(llm.outputs), /Host nodes/);
    assert.match(JSON.stringify(llm.processData), /Write release notes about: Host nodes/);
    const again = await reloaded(ended);
    assert.ok(again);
    assert.deepEqual(again.snapshot.timeline, ended.snapshot.timeline);
  });

  test('B3OS: node input and result are kept with the run and after a reload', async () => {
    const ended = await runToEnd('nodes-b3os.payload.json', { $workflow: `${names.b3os}/wf_9k2m4x7q1b3n`, threshold: 0.5 }, names.b3os, 'wf_9k2m4x7q1b3n');
    const fetch = entry(ended, (item) => item.id === 'fetch_price', 'fetch_price');
    assert.deepEqual(fetch.outputs, { amount: '3412.55', currency: 'USD' });
    assert.ok(fetch.inputs && typeof fetch.inputs === 'object');
    const again = await reloaded(ended);
    assert.deepEqual(again?.snapshot.timeline, ended.snapshot.timeline);
  });

  test('a run too big to keep whole: both trees end its task rows with one that says how many are not kept', async () => {
    const timeline = Array.from({ length: 1200 }, (_, i): TimelineEntry => ({ id: `t${i}`, name: `Import batch ${i + 1}`, state: 'success' }));
    const runId = 'host-too-big-to-keep';
    // Both providers, as the views call them (the fixture types them as plain tree data providers).
    type RunTree = {
      nodeFor(record: RunRecord): unknown;
      getChildren(node: unknown): Promise<unknown[]> | unknown[];
      getTreeItem(node: unknown): vscode.TreeItem;
      getParent(node: unknown): unknown;
    };
    const record = f.services.store.upsert(names.zuora, 'zuora', {
      runId,
      workflowId: '19033',
      status: 'succeeded',
      tasks: { queued: 0, pending: 0, processing: 0, success: 1500, error: 0, stopped: 0, skipped: 0, total: 1500 },
      timeline,
      // What the platform's tracker itself held no entry for (a Dify run does this); the store adds what it leaves out.
      timelineOmitted: 300,
    });
    try {
      for (const tree of [f.services.trees.runs, f.services.trees.workflows] as unknown as RunTree[]) {
        const children = (await tree.getChildren(tree.nodeFor(record))) as Array<{ kind: string }>;
        assert.equal(children.length, 1001, '1,000 task rows and the one that says the rest are not kept');
        const last = children.at(-1)!;
        assert.equal(last.kind, 'tasksOmitted');
        const item = tree.getTreeItem(last);
        assert.equal(item.label, '500 more tasks/nodes not kept');
        assert.equal(item.tooltip, '500 more tasks/nodes not kept: the run was too big to keep whole.');
        assert.equal(item.contextValue, 'tasksOmitted', 'no run or task action applies to it');
        assert.equal(item.command?.command, 'workflowRuns.showRunDetails', 'a click opens the run’s details');
        assert.equal(tree.getParent(last), tree.nodeFor(record));
      }
      // The click: the run's details panel, from the row's own argument.
      const runs = f.services.trees.runs as unknown as RunTree;
      const row = ((await runs.getChildren(runs.nodeFor(record))) as unknown[]).at(-1);
      const click = runs.getTreeItem(row);
      await vscode.commands.executeCommand(click.command!.command, ...(click.command!.arguments ?? []));
      const labels = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((candidate) => candidate.label));
      const tab = await eventually(() => labels().find((label) => label.includes(runId)), { timeoutMs: 5_000, what: 'a details tab that names the run' });
      assert.ok(tab);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      f.services.store.remove(names.zuora, runId);
    }
  });

  test('Zuora: task fields are the tasks’ inputs and outputs, kept after a reload', async () => {
    const ended = await runToEnd('nodes-zuora.payload.json', { $workflow: `${names.zuora}/19027` }, names.zuora, '19027');
    assert.equal(ended.snapshot.status, 'succeeded');
    assert.equal(ended.snapshot.timeline?.length, 5);
    const post = entry(ended, (item) => item.name === 'Post to NetSuite', 'the callout task');
    assert.deepEqual(post.inputs, { object: 'Invoice', action: 'Callout' });
    assert.ok((post.outputs as Record<string, unknown>).Invoice, 'the data the task produced');
    const again = await reloaded(ended);
    assert.deepEqual(again?.snapshot.timeline, ended.snapshot.timeline);
  });
});
