// Pure display rules: the stacked bar, durations, JSON text.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { emptyTaskCounts, type TaskCounts } from '../../src/providers/model';
import { barDescription, barSegments, displayDurationMs, entryDurationMs, formatJson, metricRows } from '../../src/webview/display';
import { toRunView } from '../../src/webview/viewModel';
import { sampleRecord } from '../helpers/runs';

function counts(partial: Partial<TaskCounts>): TaskCounts {
  return { ...emptyTaskCounts(), ...partial };
}

function sum(values: number[]): number {
  return Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;
}

describe('proportional bar', () => {
  it('is empty without tasks', () => {
    assert.deepEqual(barSegments(emptyTaskCounts()), []);
  });

  it('gives each state with tasks a width proportional to its count, in bar order', () => {
    const segments = barSegments(counts({ success: 6, error: 1, processing: 2, queued: 1, total: 10 }));
    assert.deepEqual(
      segments.map((segment) => [segment.state, segment.count, segment.percent]),
      [
        ['success', 6, 60],
        ['error', 1, 10],
        ['processing', 2, 20],
        ['queued', 1, 10],
      ],
    );
  });

  it('adds up to exactly 100 when every task is accounted for, even with thirds', () => {
    const segments = barSegments(counts({ success: 1, error: 1, skipped: 1, total: 3 }));
    assert.equal(sum(segments.map((segment) => segment.percent)), 100);
    for (const segment of segments) assert.ok(Math.abs(segment.percent - 33.33) < 0.011, String(segment.percent));
  });

  it('leaves announced but unreported tasks as empty track', () => {
    const segments = barSegments(counts({ success: 1, processing: 1, total: 8 }));
    assert.deepEqual(segments.map((segment) => segment.percent), [12.5, 12.5]);
  });

  it('never exceeds 100 when the states add up to more than the total', () => {
    const segments = barSegments(counts({ success: 5, error: 5, total: 4 }));
    assert.equal(sum(segments.map((segment) => segment.percent)), 100);
    assert.deepEqual(segments.map((segment) => segment.percent), [50, 50]);
  });

  it('never exceeds 100 for any mix', () => {
    for (let seed = 1; seed < 200; seed += 1) {
      const pick = (n: number) => (seed * (n + 3) * 7919) % 13;
      const tasks = counts({ queued: pick(1), pending: pick(2), processing: pick(3), success: pick(4), error: pick(5), stopped: pick(6), skipped: pick(7), total: pick(8) });
      const segments = barSegments(tasks);
      const total = sum(segments.map((segment) => segment.percent));
      assert.ok(total <= 100, `${JSON.stringify(tasks)} → ${total}`);
      for (const segment of segments) assert.ok(segment.percent >= 0);
    }
  });

  it('describes itself for screen readers', () => {
    assert.equal(barDescription(counts({ success: 3, error: 1, total: 10 })), '3 succeeded, 1 failed of 10 tasks');
    assert.equal(barDescription(counts({ total: 1 })), 'No tasks reported (1 task)');
  });
});

describe('durations', () => {
  const labels = { platformLabel: (platform: string) => platform };

  it('ticks from the start while in flight', () => {
    const run = toRunView(sampleRecord({}, { status: 'running', startedAt: 1_000 }), labels);
    assert.equal(displayDurationMs(run, 4_000), 3_000);
    assert.equal(displayDurationMs(run, 9_000), 8_000);
  });

  // Queued runs have not started: no duration, as in the trees (runs/wording.ts holds the one rule).
  it('shows no duration while queued, then ticks from the trigger once running without a start', () => {
    const queued = toRunView(sampleRecord({ triggeredAt: 500 }, { status: 'queued', startedAt: undefined }), labels);
    assert.equal(displayDurationMs(queued, 1_500), undefined);
    const running = toRunView(sampleRecord({ triggeredAt: 500 }, { status: 'running', startedAt: undefined, createdAt: undefined }), labels);
    assert.equal(displayDurationMs(running, 1_500), 1_000);
  });

  it('stays fixed once the run ended', () => {
    const given = toRunView(sampleRecord({}, { status: 'succeeded', startedAt: 1_000, finishedAt: 3_000, durationMs: 1_900 }), labels);
    assert.equal(displayDurationMs(given, 99_000), 1_900);
    const computed = toRunView(sampleRecord({}, { status: 'failed', startedAt: 1_000, finishedAt: 3_000 }), labels);
    assert.equal(displayDurationMs(computed, 99_000), 2_000);
    const unknown = toRunView(sampleRecord({}, { status: 'stopped', startedAt: 1_000 }), labels);
    assert.equal(displayDurationMs(unknown, 99_000), undefined);
  });

  it('times timeline entries; only a processing one counts up to now', () => {
    assert.equal(entryDurationMs({ id: 'a', name: 'a', state: 'success', durationMs: 42 }, 0), 42);
    assert.equal(entryDurationMs({ id: 'a', name: 'a', state: 'success', startedAt: 10, finishedAt: 30 }, 1_000), 20);
    assert.equal(entryDurationMs({ id: 'a', name: 'a', state: 'processing', startedAt: 10 }, 1_000), 990);
    assert.equal(entryDurationMs({ id: 'a', name: 'a', state: 'error', startedAt: 10 }, 1_000), undefined);
  });
});

describe('formatJson', () => {
  it('pretty-prints values and keeps strings as they are', () => {
    assert.equal(formatJson({ a: 1 }), '{\n  "a": 1\n}');
    assert.equal(formatJson('line 1\nline 2'), 'line 1\nline 2');
    assert.equal(formatJson(undefined), '');
    assert.equal(formatJson(null), 'null');
  });
});

describe('metricRows', () => {
  it('lists the metrics given, in order', () => {
    assert.deepEqual(metricRows({ computeUnits: 3, cpuTime: '00:01:04', tokens: 12345 }), [
      ['CPU time', '00:01:04'],
      ['Tokens', '12,345'],
      ['Compute units', '3'],
    ]);
    assert.deepEqual(metricRows(undefined), []);
  });
});
