// Compare Runs…: each side of the diff is a run as JSON, with only what runs differ in and every
// object's keys sorted, so the diff shows real differences and nothing else.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareDocument, compareDocumentShape, maxCompareDocumentChars, sortKeysDeep } from '../../src/runs/compareDocument';
import type { TimelineEntry } from '../../src/providers/model';
import { runRecord } from '../helpers/runs';

const entry = (fields: Partial<TimelineEntry> & Record<string, unknown>): TimelineEntry => ({ id: 'n', name: 'node', state: 'success', ...fields }) as TimelineEntry;

describe('compareDocument', () => {
  it('holds status, inputs, outputs, error and per task its status and outputs, in a fixed order', () => {
    const record = runRecord(
      {
        runId: 'r1',
        workflowId: 'wf',
        status: 'failed',
        platformStatus: 'Error',
        error: 'boom',
        outputs: { z: 1, a: { y: 2, b: 3 } },
        timeline: [
          entry({ id: 't2', name: 'Send', state: 'error', startedAt: 20, error: 'timeout', outputs: { code: 504 } }),
          entry({ id: 't1', name: 'Fetch', type: 'http', startedAt: 10, outputs: { rows: 3 }, inputs: { url: 'x' } }),
        ],
      },
      { workflowName: 'Invoice sync', request: { inputs: { b: 1, a: 2 }, options: {} } },
    );
    const text = compareDocument(record);
    const parsed = JSON.parse(text);
    assert.deepEqual(Object.keys(parsed), ['run', 'connection', 'workflow', 'status', 'platformStatus', 'error', 'inputs', 'outputs', 'tasks']);
    assert.equal(parsed.status, 'failed');
    assert.equal(parsed.error, 'boom');
    assert.deepEqual(Object.keys(parsed.inputs), ['a', 'b'], 'input keys sorted');
    assert.deepEqual(Object.keys(parsed.outputs), ['a', 'z']);
    assert.deepEqual(Object.keys(parsed.outputs.a), ['b', 'y'], 'sorted at every depth');
    assert.deepEqual(Object.keys(parsed.tasks[0]), ['task', 'type', 'status', 'outputs'], 'a task reads name, type, status, outputs');
    assert.deepEqual(parsed.tasks, [
      { task: 'Fetch', status: 'success', type: 'http', outputs: { rows: 3 } },
      { task: 'Send', status: 'error', error: 'timeout', outputs: { code: 504 } },
    ]);
    assert.ok(!text.includes('"t1"') && !text.includes('startedAt'), 'ids and times that always differ are left out');
    assert.ok(text.endsWith('}\n'));
  });

  it('the same run data in another key order gives the same text', () => {
    const one = runRecord({ outputs: { a: 1, b: [{ y: 1, x: 2 }] } }, { request: { inputs: { p: 1, q: 2 }, options: {} } });
    const two = runRecord({ outputs: { b: [{ x: 2, y: 1 }], a: 1 } }, { request: { inputs: { q: 2, p: 1 }, options: {} } });
    assert.equal(compareDocument(one), compareDocument(two));
  });

  it('repeated nodes (iterations, retries) keep apart, options and omitted tasks are shown', () => {
    const record = runRecord({
      options: { simulate: true },
      timelineOmitted: 4,
      timeline: [entry({ name: 'Step', iteration: { parentId: 'p', index: 0 } }), entry({ name: 'Step', iteration: { parentId: 'p', index: 1 }, retry: { index: 2 } })],
    } as never);
    const shape = compareDocumentShape(record);
    assert.deepEqual(shape.tasks.map((task) => task.task), ['Step · iteration 1', 'Step · iteration 2 · retry 2']);
    assert.deepEqual(shape.options, { simulate: true });
    assert.equal(shape.tasksOmitted, 4);
  });

  it('unknown inputs and outputs are null, not missing, so both sides have the same lines', () => {
    const parsed = JSON.parse(compareDocument(runRecord()));
    assert.equal(parsed.inputs, null);
    assert.equal(parsed.outputs, null);
    assert.deepEqual(parsed.tasks, []);
  });

  it('a huge run is cut at a line, and says so', () => {
    const record = runRecord({ outputs: { big: Array.from({ length: 40_000 }, (_, index) => `line ${index} ${'x'.repeat(60)}`) } });
    const text = compareDocument(record);
    assert.ok(text.length <= maxCompareDocumentChars + 200);
    assert.match(text, /cut here/);
  });

  it('sortKeysDeep keeps a "__proto__" key as data', () => {
    const value = JSON.parse('{"b":1,"__proto__":{"x":1}}');
    const sorted = sortKeysDeep(value) as Record<string, unknown>;
    assert.deepEqual(Object.keys(sorted), ['__proto__', 'b']);
    assert.equal(Object.getPrototypeOf(sorted), Object.prototype);
  });
});
