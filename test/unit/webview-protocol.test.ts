// The page ↔ host protocol: what each side accepts, and that anything else is refused.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseHostMessage, parsePageMessage, parsePanelState } from '../../src/webview/protocol';
import { toRunView } from '../../src/webview/viewModel';
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

  it('rejects a state whose run is malformed', () => {
    const run = toRunView(sampleRecord(), { platformLabel: () => 'Zuora Workflow' });
    assert.equal(parseHostMessage({ type: 'state', run: { ...run, status: 'exploded' }, now: 1 }).ok, false);
    assert.equal(parseHostMessage({ type: 'state', run: { ...run, tasks: { total: -1 } }, now: 1 }).ok, false);
    assert.equal(parseHostMessage({ type: 'state', run }).ok, false);
    assert.equal(parseHostMessage({ type: 'missing', runId: '1' }).ok, false);
    assert.equal(parseHostMessage({ type: 'ready' }).ok, false);
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
