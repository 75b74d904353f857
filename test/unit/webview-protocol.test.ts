// The page ↔ host protocol: what each side accepts, and that anything else is refused. The host
// parses what the page posts with zod (protocolSchemas.ts); the page checks the host's messages
// by hand (protocol.ts), and the host's view model is held to the full schema here.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseHostMessage, workbenchCommands } from '../../src/webview/protocol';
import { HostMessageSchema, parsePageMessage, parsePanelState, RunViewSchema } from '../../src/webview/protocolSchemas';
import { toRunView } from '../../src/webview/viewModel';
import type { TimelineEntry } from '../../src/providers/model';
import { sampleRecord } from '../helpers/runs';

describe('webview protocol: page → host', () => {
  it('accepts ready and every command', () => {
    assert.deepEqual(parsePageMessage({ type: 'ready' }), { ok: true, value: { type: 'ready' } });
    for (const command of ['rerun', 'stop', 'copyOutputs', 'copyRunId', 'openLog', 'refresh']) {
      const parsed = parsePageMessage({ type: 'command', command });
      assert.ok(parsed.ok, command);
      assert.deepEqual(parsed.value, { type: 'command', command });
    }
  });

  it('rejects unknown types, unknown commands, extra keys and non-objects', () => {
    const bad: unknown[] = [
      undefined,
      null,
      'ready',
      42,
      [],
      {},
      { type: 'hello' },
      { type: 'command' },
      { type: 'command', command: 'deleteEverything' },
      { type: 'command', command: 'RERUN' },
      { type: 'command', command: ['rerun'] },
      { type: 'ready', extra: true },
      { type: 'command', command: 'stop', runId: 'other-run' },
      { type: 'state', run: {} },
    ];
    for (const message of bad) {
      const parsed = parsePageMessage(message);
      assert.equal(parsed.ok, false, JSON.stringify(message));
      if (!parsed.ok) assert.ok(parsed.error.length > 0);
    }
  });

  it('accepts the debugging loop buttons: run commands, a task command and copying a task field', () => {
    for (const command of ['openInputsAsPayload', 'compareWith', 'retryRun']) assert.ok(parsePageMessage({ type: 'command', command }).ok, command);
    assert.deepEqual(parsePageMessage({ type: 'taskCommand', command: 'rerunTask', taskId: 't-1' }), { ok: true, value: { type: 'taskCommand', command: 'rerunTask', taskId: 't-1' } });
    for (const field of ['inputs', 'outputs', 'processData', 'error']) assert.ok(parsePageMessage({ type: 'copyTaskField', taskId: 't-1', field }).ok, field);
    const bad: unknown[] = [
      { type: 'command', command: 'rerunTask' },
      { type: 'taskCommand', command: 'rerunTask' },
      { type: 'taskCommand', command: 'rerunTask', taskId: '' },
      { type: 'taskCommand', command: 'rerunTask', taskId: 'x'.repeat(1001) },
      { type: 'taskCommand', command: 'rerunTask', taskId: 7 },
      { type: 'taskCommand', command: 'stop', taskId: 't-1' },
      { type: 'taskCommand', command: 'rerunTask', taskId: 't-1', runId: 'other' },
      { type: 'copyTaskField', taskId: 't-1', field: 'handle' },
      { type: 'copyTaskField', taskId: 't-1' },
    ];
    for (const message of bad) assert.equal(parsePageMessage(message).ok, false, JSON.stringify(message).slice(0, 80));
  });

  it('maps each workbench button to the contract command of that name', () => {
    assert.deepEqual(workbenchCommands, {
      openInputsAsPayload: 'workflowRuns.openInputsAsPayload',
      compareWith: 'workflowRuns.compareRuns',
      retryRun: 'workflowRuns.retryRun',
      rerunTask: 'workflowRuns.rerunTask',
    });
  });

  it('never echoes the offending value in the error', () => {
    const parsed = parsePageMessage({ type: 'command', command: 'secret-value-123' });
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.ok(!parsed.error.includes('secret-value-123'), parsed.error);
  });
});

describe('webview protocol: host → page', () => {
  it('accepts a state built from a record, and missing', () => {
    const run = toRunView(sampleRecord(), { platformLabel: () => 'Zuora Workflow' });
    const state = parseHostMessage({ type: 'state', run, now: 1_000 });
    assert.ok(state.ok);
    assert.equal(state.value.type, 'state');
    const missing = parseHostMessage({ type: 'missing', connection: 'prod', runId: '19063' });
    assert.ok(missing.ok);
  });

  it('survives the JSON round trip of postMessage unchanged', () => {
    const run = toRunView(sampleRecord({}, { outputs: { total: 3 }, timeline: [{ id: 't1', name: 'Fetch', state: 'success', durationMs: 5 }] }), {
      platformLabel: () => 'Zuora Workflow',
    });
    const sent = JSON.parse(JSON.stringify({ type: 'state', run, now: 5 }));
    const parsed = parseHostMessage(sent);
    assert.ok(parsed.ok);
    assert.deepEqual(JSON.parse(JSON.stringify(parsed.value)), sent);
    assert.ok(parseHostMessage(structuredClone({ type: 'state', run, now: 5 })).ok);
  });

  it('carries per-task data, rounds, truncation and the capability flags through the round trip', () => {
    const timeline: TimelineEntry[] = [
      {
        id: 'n1',
        name: 'LLM',
        type: 'llm',
        state: 'success',
        startedAt: 1,
        finishedAt: 5,
        durationMs: 4,
        inputs: { q: 'hi' },
        outputs: { $truncated: true, bytes: 99_999, preview: '{"text":"hel' },
        processData: { prompts: [] },
        metrics: { tokens: 12, cost: '0.001 USD' },
        iteration: { parentId: 'it', index: 2 },
        retry: { index: 1 },
        truncated: ['outputs'],
      },
    ];
    const run = toRunView(sampleRecord({ platform: 'zuora' }, { status: 'failed', timeline, timelineOmitted: 3 }), { platformLabel: () => 'Zuora Workflow' });
    assert.equal(run.canRerunTasks, true);
    assert.equal(run.canRetry, false);
    assert.equal(run.canOpenInputs, true);
    const sent = JSON.parse(JSON.stringify({ type: 'state', run, now: 5 }));
    const parsed = parseHostMessage(sent);
    assert.ok(parsed.ok && parsed.value.type === 'state');
    assert.deepEqual(parsed.value.run.timeline, timeline);
    assert.equal(parsed.value.run.timelineOmitted, 3);
  });

  it('decides the capabilities in the host: Zuora tasks once the run ended, retry for failed B3OS runs', () => {
    const view = (platform: string, status: 'running' | 'failed' | 'succeeded') =>
      toRunView(sampleRecord({ platform }, { status, timeline: [{ id: 't', name: 'T', state: 'error' }] }), { platformLabel: () => platform });
    assert.equal(view('zuora', 'running').canRerunTasks, false);
    assert.equal(view('zuora', 'failed').canRerunTasks, true);
    assert.equal(view('b3os', 'failed').canRerunTasks, false);
    assert.equal(view('b3os', 'failed').canRetry, true);
    assert.equal(view('b3os', 'succeeded').canRetry, false);
    assert.equal(view('dify', 'failed').canRetry, false);
    assert.equal(toRunView(sampleRecord({ request: undefined }), { platformLabel: () => '' }).canOpenInputs, false);
  });

  it('the host always fills the capability flags: the schema of what it posts requires them', () => {
    const records = [
      sampleRecord(),
      sampleRecord({ request: undefined }),
      sampleRecord({ platform: 'b3os' }, { status: 'failed' }),
      sampleRecord({ platform: 'zuora' }, { status: 'failed', timeline: [{ id: 't', name: 'T', state: 'error' }] }),
    ];
    for (const record of records) {
      const run = toRunView(record, { platformLabel: () => 'Label' });
      for (const flag of ['canOpenInputs', 'canRerunTasks', 'canRetry'] as const) assert.equal(typeof run[flag], 'boolean', flag);
      assert.ok(HostMessageSchema.safeParse({ type: 'state', run, now: 1 }).success);
      const { canRetry: _dropped, ...withoutFlag } = run;
      assert.equal(RunViewSchema.safeParse(withoutFlag).success, false, 'no default fills a missing flag');
    }
  });

  it('refuses messages the page cannot render, saying where, never quoting the value', () => {
    const run = toRunView(sampleRecord(), { platformLabel: () => 'Zuora Workflow' });
    const bad: Array<[unknown, string]> = [
      [undefined, '(message)'],
      [null, '(message)'],
      ['state', '(message)'],
      [[{ type: 'state', run, now: 1 }], '(message)'],
      [{ type: 'ready' }, 'type'],
      [{ type: 'State', run, now: 1 }, 'type'],
      [{ run, now: 1 }, 'type'],
      [{ type: 'state', now: 1 }, 'run'],
      [{ type: 'state', run: [run], now: 1 }, 'run'],
      [{ type: 'state', run: { ...run, runId: 19063 }, now: 1 }, 'run.runId'],
      [{ type: 'state', run: { ...run, connection: undefined }, now: 1 }, 'run.connection'],
      [{ type: 'state', run: { ...run, workflowLabel: null }, now: 1 }, 'run.workflowLabel'],
      [{ type: 'state', run: { ...run, status: { secret: 'secret-value-123' } }, now: 1 }, 'run.status'],
      [{ type: 'state', run: { ...run, tasks: 'secret-value-123' }, now: 1 }, 'run.tasks'],
      [{ type: 'state', run: { ...run, timeline: {} }, now: 1 }, 'run.timeline'],
      [{ type: 'state', run }, 'now'],
      [{ type: 'state', run, now: '1' }, 'now'],
      [{ type: 'state', run, now: Number.NaN }, 'now'],
      [{ type: 'state', run, now: 1, revealTask: 7 }, 'revealTask'],
      [{ type: 'missing', runId: '1' }, 'connection'],
      [{ type: 'missing', connection: 'prod', runId: 19063 }, 'runId'],
    ];
    for (const [message, where] of bad) {
      const parsed = parseHostMessage(message);
      assert.equal(parsed.ok, false, JSON.stringify(message)?.slice(0, 80));
      if (parsed.ok) continue;
      assert.ok(parsed.error.startsWith(`${where}:`), `${parsed.error} (expected ${where})`);
      assert.ok(!parsed.error.includes('secret-value-123'), parsed.error);
    }
  });

  it('hands the page the message as posted, with nothing added or removed', () => {
    const run = toRunView(sampleRecord(), { platformLabel: () => 'Zuora Workflow' });
    const message = { type: 'state', run, now: 7, revealTask: 't1' };
    const parsed = parseHostMessage(message);
    assert.ok(parsed.ok);
    assert.equal(parsed.value, message);
  });
});

describe('webview protocol: saved panel state', () => {
  it('accepts {connection, runId} and nothing less', () => {
    assert.ok(parsePanelState({ connection: 'prod', runId: '19063' }).ok);
    assert.equal(parsePanelState(undefined).ok, false);
    assert.equal(parsePanelState({ runId: '19063' }).ok, false);
    assert.equal(parsePanelState({ connection: 'prod', runId: 19063 }).ok, false);
  });
});
