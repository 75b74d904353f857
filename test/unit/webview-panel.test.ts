// The run details panels against a fake `vscode`: one panel per run, the ready handshake, batched
// posts that always end with the final state, refused messages, commands, restore and disposal.
import { fake, FakeWebviewPanel } from '../helpers/fake-vscode';
import { strict as assert } from 'node:assert';
import { afterEach, beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { RunStore } from '../../src/runs/store';
import type { RunRecord } from '../../src/runs/record';
import { RunDetailsPanels } from '../../src/webview/runDetailsPanels';
import type { HostMessage, RunCommand } from '../../src/webview/protocol';
import { sampleRecord } from '../helpers/runs';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function states(panel: FakeWebviewPanel): Extract<HostMessage, { type: 'state' }>[] {
  return (panel.posted as HostMessage[]).filter((message): message is Extract<HostMessage, { type: 'state' }> => message.type === 'state');
}

describe('run details panels', () => {
  let store: RunStore;
  let panels: RunDetailsPanels;
  let commands: Array<[RunCommand, RunRecord]>;
  let warnings: string[];
  let reusePanel: boolean;

  function add(record: RunRecord): RunRecord {
    return store.upsert(record.connection, record.platform, record.snapshot, { request: record.request, workflowName: record.workflowName });
  }

  beforeEach(() => {
    fake.panels.length = 0;
    fake.clipboard.length = 0;
    fake.statusMessages.length = 0;
    fake.errorMessages.length = 0;
    store = new RunStore({ get: () => undefined, update: async () => undefined }, () => 50, 10_000);
    commands = [];
    warnings = [];
    reusePanel = true;
    panels = new RunDetailsPanels({
      extensionUri: vscode.Uri.file('/ext'),
      store,
      reusePanel: () => reusePanel,
      platformLabel: (platform) => (platform === 'zuora' ? 'Zuora Workflow' : platform),
      onCommand: (command, record) => {
        commands.push([command, record]);
      },
      log: { warn: (message: string) => warnings.push(message), debug: () => undefined },
    });
  });

  afterEach(() => {
    panels.dispose();
    store.dispose();
  });

  it('opens one panel beside, without focus, titled by workflow and run, with a strict shell and no run data', () => {
    const record = add(sampleRecord({}, { error: 'secret <b>error</b>' }));
    panels.show(record, { preserveFocus: true });
    assert.equal(fake.panels.length, 1);
    const panel = fake.panels[0]!;
    assert.equal(panel.viewType, 'workflowRuns.runDetails');
    assert.equal(panel.title, 'Invoice sync · run 19063');
    assert.deepEqual(panel.showOptions, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    const options = panel.options as { enableScripts: boolean; retainContextWhenHidden: boolean; enableFindWidget: boolean; localResourceRoots: Array<{ path: string }> };
    assert.equal(options.enableScripts, true);
    assert.equal(options.retainContextWhenHidden, false);
    assert.equal(options.enableFindWidget, true);
    assert.deepEqual(options.localResourceRoots.map((uri) => uri.path), ['/ext/dist', '/ext/media']);
    assert.match(panel.webview.html, /script-src 'nonce-[^']+'/);
    assert.ok(panel.webview.html.includes('webview/ext/dist/webview.js'));
    for (const text of ['19063', 'Invoice sync', 'secret', 'A-1']) assert.ok(!panel.webview.html.includes(text), text);
    assert.equal(panel.posted.length, 0, 'nothing is posted before the page is ready');

    panels.show(record, { preserveFocus: false });
    assert.equal(fake.panels.length, 1, 'shown again, the panel is revealed');
    assert.deepEqual(panel.revealed, [{ preserveFocus: false }]);
    assert.ok(panels.isOpen('prod', '19063'));
  });

  it('posts the state on ready, batches bursts and always ends with the final state', async () => {
    const record = add(sampleRecord());
    panels.show(record);
    const panel = fake.panels[0]!;
    panel.send({ type: 'ready' });
    assert.equal(states(panel).length, 1);
    assert.equal(states(panel)[0]!.run.runId, '19063');
    assert.equal(states(panel)[0]!.run.platformLabel, 'Zuora Workflow');

    // A burst: a change on every turn of the event loop for 300 ms.
    const started = Date.now();
    let changes = 0;
    while (Date.now() - started < 300) {
      changes += 1;
      add(sampleRecord({}, { tasks: { queued: 0, pending: 0, processing: 1, success: changes, error: 0, stopped: 0, skipped: 0, total: 1_000_000 } }));
      await new Promise((resolve) => setImmediate(resolve));
    }
    add(sampleRecord({}, { status: 'succeeded', finishedAt: 1_700_000_090_000, tasks: { queued: 0, pending: 0, processing: 0, success: changes + 1, error: 0, stopped: 0, skipped: 0, total: changes + 1 } }));
    const elapsed = Date.now() - started;
    await wait(250);
    const posted = states(panel);
    // Far fewer posts than changes, never two within 50 ms: at most 20 a second, plus the one on
    // ready and the trailing one. (One per 100 ms while changes come closer than 16 ms apart, which
    // a loaded machine does not always keep to, is the throttle's own test with a fake clock.)
    assert.ok(posted.length >= 2 && posted.length <= Math.ceil(elapsed / 50) + 2, `posted ${posted.length} in ${elapsed} ms`);
    assert.ok(posted.length < changes / 5, `posted ${posted.length} for ${changes} changes`);
    const last = posted.at(-1)!.run;
    assert.equal(last.status, 'succeeded');
    assert.equal(last.tasks.success, changes + 1);
    assert.equal(last.canStop, false);
  });

  it('holds posts while hidden and sends the latest when shown', async () => {
    panels.show(add(sampleRecord()));
    const panel = fake.panels[0]!;
    panel.send({ type: 'ready' });
    panel.visible = false;
    panel.viewState.fire({});
    await wait(120);
    add(sampleRecord({}, { status: 'failed', error: 'Boom' }));
    await wait(150);
    assert.equal(states(panel).length, 1);
    panel.visible = true;
    panel.viewState.fire({});
    await wait(150);
    assert.equal(states(panel).at(-1)!.run.status, 'failed');
  });

  it('logs and ignores messages outside the protocol', () => {
    panels.show(add(sampleRecord()));
    const panel = fake.panels[0]!;
    panel.send({ type: 'command', command: 'format-disk' });
    panel.send('ready');
    panel.send({ type: 'ready', extra: 1 });
    assert.equal(warnings.length, 3);
    assert.equal(commands.length, 0);
    assert.equal(panel.posted.length, 0);
  });

  it('hands rerun/stop/openLog/refresh to onCommand with the latest record, and copies itself', async () => {
    panels.show(add(sampleRecord()));
    const panel = fake.panels[0]!;
    add(sampleRecord({}, { status: 'succeeded', outputs: { total: 3 } }));
    for (const command of ['rerun', 'stop', 'openLog', 'refresh'] as const) panel.send({ type: 'command', command });
    panel.send({ type: 'command', command: 'copyRunId' });
    panel.send({ type: 'command', command: 'copyOutputs' });
    await wait(10);
    assert.deepEqual(commands.map(([command]) => command), ['rerun', 'stop', 'openLog', 'refresh']);
    assert.equal(commands[0]![1].snapshot.status, 'succeeded');
    assert.deepEqual(fake.clipboard, ['19063', '{\n  "total": 3\n}']);
  });

  it('shows a plain error when a command fails', async () => {
    panels.dispose();
    panels = new RunDetailsPanels({
      extensionUri: vscode.Uri.file('/ext'),
      store,
      platformLabel: (platform) => platform,
      reusePanel: () => true,
      onCommand: async () => {
        throw new Error('The platform refused the stop.');
      },
      log: { warn: (message: string) => warnings.push(message), debug: () => undefined },
    });
    panels.show(add(sampleRecord()));
    fake.panels[0]!.send({ type: 'command', command: 'stop' });
    await wait(10);
    // The same error notification as every entry point: the platform's words, no stack.
    assert.deepEqual(fake.errorMessages, ['The platform refused the stop.']);
  });

  it('says so when the run leaves the history', async () => {
    panels.show(add(sampleRecord()));
    const panel = fake.panels[0]!;
    panel.send({ type: 'ready' });
    await wait(120);
    store.remove('prod', '19063');
    await wait(150);
    assert.deepEqual(panel.posted.at(-1), { type: 'missing', connection: 'prod', runId: '19063' });
  });

  // The serializer extension.ts registers at activation hands each restored panel to `restore`.
  it('restores panels after a reload: the run from the store, or a missing message', async () => {
    add(sampleRecord());
    const restored = new FakeWebviewPanel('workflowRuns.runDetails', 'old title', {}, {});
    await panels.restore(restored as unknown as vscode.WebviewPanel, { connection: 'prod', runId: '19063' });
    assert.equal(restored.title, 'Invoice sync · run 19063');
    assert.equal((restored.webview.options as { enableScripts: boolean }).enableScripts, true);
    restored.send({ type: 'ready' });
    assert.equal(states(restored)[0]!.run.runId, '19063');

    const gone = new FakeWebviewPanel('workflowRuns.runDetails', 'old', {}, {});
    await panels.restore(gone as unknown as vscode.WebviewPanel, { connection: 'prod', runId: 'nope' });
    gone.send({ type: 'ready' });
    assert.deepEqual(gone.posted, [{ type: 'missing', connection: 'prod', runId: 'nope' }]);

    const junk = new FakeWebviewPanel('workflowRuns.runDetails', 'old', {}, {});
    await panels.restore(junk as unknown as vscode.WebviewPanel, undefined);
    assert.equal(junk.disposed, true);
  });

  it('lets go of everything when the panel closes', async () => {
    panels.show(add(sampleRecord()));
    const panel = fake.panels[0]!;
    panel.send({ type: 'ready' });
    panel.dispose();
    assert.equal(panels.isOpen('prod', '19063'), false);
    assert.equal(panel.listenerCount(), 0);
    const before = panel.posted.length;
    add(sampleRecord({}, { status: 'failed' }));
    await wait(150);
    assert.equal(panel.posted.length, before);
    panels.show(store.get('prod', '19063')!);
    assert.equal(fake.panels.length, 2, 'a closed panel is opened anew');
  });
  describe('a run being started', () => {
    it('opens the panel before the run exists, then gives the loaded page the run at once, without reloading it', () => {
      const starting = panels.starting('Starting “Invoice sync” on prod…', { preserveFocus: true });
      assert.equal(fake.panels.length, 1);
      const panel = fake.panels[0]!;
      assert.equal(panel.title, 'Starting “Invoice sync” on prod…');
      assert.deepEqual(panel.showOptions, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
      assert.equal((panel.options as { retainContextWhenHidden: boolean }).retainContextWhenHidden, false);
      assert.match(panel.webview.html, /script-src 'nonce-[^']+'/);
      const shell = panel.webview.html;
      panel.send({ type: 'ready' });
      panel.send({ type: 'command', command: 'rerun' });
      assert.equal(panel.posted.length, 0, 'no run yet: nothing to post');
      assert.equal(commands.length, 0, 'no run yet: no command to run');

      starting.show(add(sampleRecord()));
      assert.equal(fake.panels.length, 1, 'the same panel');
      assert.equal(panel.webview.html, shell, 'the page is not loaded again');
      assert.equal(states(panel).length, 1, 'posted at once: the page said ready before');
      assert.equal(states(panel)[0]!.run.runId, '19063');
      assert.equal(panel.title, 'Invoice sync · run 19063');
      assert.ok(panels.isOpen('prod', '19063'));
      panel.send({ type: 'command', command: 'rerun' });
      assert.deepEqual(commands.map(([command]) => command), ['rerun']);
    });

    it('posts when the page says ready, if the run came first', () => {
      const starting = panels.starting('Starting…');
      const panel = fake.panels[0]!;
      starting.show(add(sampleRecord()));
      assert.equal(panel.posted.length, 0);
      panel.send({ type: 'ready' });
      assert.equal(states(panel).length, 1);
    });

    it('closes when no run came, and is not opened again once the user closed it', () => {
      panels.starting('Starting…').discard();
      assert.equal(fake.panels[0]!.disposed, true);

      const closedByUser = panels.starting('Starting…');
      fake.panels[1]!.dispose();
      closedByUser.show(add(sampleRecord()));
      assert.equal(fake.panels.length, 2);
      assert.equal(panels.isOpen('prod', '19063'), false);
      assert.equal(fake.panels[1]!.listenerCount(), 0);
    });

    it('gives way to the panel the run has already', () => {
      const record = add(sampleRecord());
      panels.show(record);
      const starting = panels.starting('Starting…');
      starting.show(record);
      assert.equal(fake.panels[1]!.disposed, true);
      assert.equal(fake.panels[0]!.revealed.length, 1);
      assert.equal(fake.panels[0]!.disposed, false);
    });

    describe('with a panel whose run has ended', () => {
      const ended = (runId: string) => add(sampleRecord({}, { runId, status: 'succeeded', finishedAt: 1_700_000_090_000 }));
      /** The workflow of sampleRecord's runs: only its panels are taken over. */
      const invoiceSync = { workflow: { connection: 'prod', workflowId: '512' } };

      it('takes that panel over: it keeps showing its run until the new one is recorded, then shows the new one without reloading', () => {
        panels.show(ended('100'));
        const panel = fake.panels[0]!;
        panel.send({ type: 'ready' });
        const shell = panel.webview.html;
        const starting = panels.starting('Starting…', { preserveFocus: true, ...invoiceSync });
        assert.equal(fake.panels.length, 1, 'no new panel');
        assert.equal(panel.title, 'Invoice sync · run 100', 'still the ended run while the trigger is sent');

        starting.show(add(sampleRecord({}, { runId: '101' })));
        assert.equal(fake.panels.length, 1);
        assert.equal(panel.webview.html, shell, 'the page is not loaded again');
        assert.equal(states(panel).at(-1)!.run.runId, '101', 'posted at once: the page is ready');
        assert.equal(panel.title, 'Invoice sync · run 101');
        assert.deepEqual(panel.revealed.at(-1), { preserveFocus: true });
        assert.ok(panels.isOpen('prod', '101'));
        assert.equal(panels.isOpen('prod', '100'), false, 'the ended run has no panel now');

        // The panel follows the new run only: the ended one's changes no longer reach it.
        const posts = panel.posted.length;
        add(sampleRecord({}, { runId: '100', status: 'succeeded', outputs: { late: true } }));
        add(sampleRecord({}, { runId: '101', status: 'succeeded' }));
        panel.send({ type: 'command', command: 'rerun' });
        assert.equal(commands.at(-1)![1].snapshot.runId, '101');
        panels.show(store.get('prod', '100')!);
        assert.equal(fake.panels.length, 2, 'the ended run opens in a panel of its own again');
        assert.ok(panel.posted.length >= posts);
        assert.ok(states(panel).every((state, index) => index < 1 || state.run.runId === '101'));
      });

      it('never takes a panel whose run is in flight, and prefers the one in front, else the one active last', () => {
        panels.show(add(sampleRecord({}, { runId: '200' })));
        panels.show(ended('201'));
        panels.show(ended('202'));
        const [inFlight, hidden, inFront] = fake.panels;
        hidden!.visible = false;
        panels.starting('Starting…', invoiceSync).show(add(sampleRecord({}, { runId: '203' })));
        assert.equal(fake.panels.length, 3);
        assert.ok(inFront!.title.endsWith('run 203'));
        assert.ok(inFlight!.title.endsWith('run 200'));
        assert.ok(hidden!.title.endsWith('run 201'));

        // 203 is in flight now: the next run takes the hidden ended panel.
        panels.starting('Starting…', invoiceSync).show(add(sampleRecord({}, { runId: '204' })));
        assert.equal(fake.panels.length, 3);
        assert.ok(hidden!.title.endsWith('run 204'));

        // All in flight: a new panel.
        panels.starting('Starting…', invoiceSync).show(add(sampleRecord({}, { runId: '205' })));
        assert.equal(fake.panels.length, 4);
      });

      it('leaves the panel showing its run when no run came, and opens a new panel if it was closed meanwhile', () => {
        panels.show(ended('300'));
        const panel = fake.panels[0]!;
        panels.starting('Starting…', invoiceSync).discard();
        assert.equal(panel.disposed, false);
        assert.ok(panels.isOpen('prod', '300'));

        const starting = panels.starting('Starting…', invoiceSync);
        panel.dispose();
        starting.show(add(sampleRecord({}, { runId: '301' })));
        assert.equal(fake.panels.length, 2);
        assert.ok(panels.isOpen('prod', '301'));
        assert.ok(fake.panels[1]!.title.endsWith('run 301'));
      });

      it('opens a panel per run when workflowRuns.reuseDetailsPanel is off', () => {
        reusePanel = false;
        panels.show(ended('400'));
        panels.starting('Starting…', invoiceSync).show(add(sampleRecord({}, { runId: '401' })));
        assert.equal(fake.panels.length, 2);
        assert.ok(panels.isOpen('prod', '400'));
        assert.ok(panels.isOpen('prod', '401'));
      });

      it("leaves another workflow's panel alone: a run of another workflow, or of the same id elsewhere, opens its own", () => {
        panels.show(ended('500'));
        panels.starting('Starting…', { workflow: { connection: 'prod', workflowId: '999' } }).show(add(sampleRecord({}, { runId: '501', workflowId: '999' })));
        panels.starting('Starting…', { workflow: { connection: 'staging', workflowId: '512' } }).show(add(sampleRecord({ connection: 'staging' }, { runId: '502' })));
        panels.starting('Starting…').show(add(sampleRecord({}, { runId: '503' })));
        assert.equal(fake.panels.length, 4, 'a panel each');
        assert.ok(panels.isOpen('prod', '500'));
      });
    });
  });

});

describe('run details panels: the debugging loop buttons', () => {
  let store: RunStore;
  let panels: RunDetailsPanels;
  let commands: RunCommand[];

  beforeEach(() => {
    fake.panels.length = 0;
    fake.clipboard.length = 0;
    fake.executedCommands.length = 0;
    store = new RunStore({ get: () => undefined, update: async () => undefined }, () => 50, 10_000);
    commands = [];
    panels = new RunDetailsPanels({
      extensionUri: vscode.Uri.file('/ext'),
      store,
      platformLabel: (platform) => platform,
      reusePanel: () => true,
      onCommand: (command) => {
        commands.push(command);
      },
    });
  });

  afterEach(() => {
    panels.dispose();
    store.dispose();
  });

  const timeline = [{ id: 'task-7', name: 'Fetch', state: 'error' as const, inputs: { id: 1 }, outputs: { rows: [1, 2] }, error: 'Boom' }];

  it('runs the contract commands with the run (and the task) as a tree row would pass them', async () => {
    const record = store.upsert('prod', 'zuora', sampleRecord({}, { status: 'failed', timeline }).snapshot, { request: sampleRecord().request });
    panels.show(record);
    const panel = fake.panels[0]!;
    for (const command of ['openInputsAsPayload', 'compareWith', 'retryRun'] as const) panel.send({ type: 'command', command });
    panel.send({ type: 'taskCommand', command: 'rerunTask', taskId: 'task-7' });
    await wait(10);
    assert.deepEqual(fake.executedCommands.map((call) => call.id), ['workflowRuns.openInputsAsPayload', 'workflowRuns.compareRuns', 'workflowRuns.retryRun', 'workflowRuns.rerunTask']);
    assert.equal((fake.executedCommands[0]!.args[0] as RunRecord).snapshot.runId, '19063');
    const taskArgument = fake.executedCommands[3]!.args[0] as { kind: string; record: RunRecord; taskId: string };
    assert.equal(taskArgument.kind, 'task');
    assert.equal(taskArgument.taskId, 'task-7');
    assert.equal(taskArgument.record.connection, 'prod');
    assert.deepEqual(commands, [], 'none of them reaches the lead handler');
  });

  it('copies a task field from its own record, as the page shows it', async () => {
    panels.show(store.upsert('prod', 'zuora', sampleRecord({}, { status: 'failed', timeline }).snapshot));
    const panel = fake.panels[0]!;
    panel.send({ type: 'copyTaskField', taskId: 'task-7', field: 'outputs' });
    panel.send({ type: 'copyTaskField', taskId: 'task-7', field: 'processData' });
    panel.send({ type: 'copyTaskField', taskId: 'nope', field: 'inputs' });
    await wait(10);
    assert.deepEqual(fake.clipboard, ['{\n  "rows": [\n    1,\n    2\n  ]\n}']);
  });

});
