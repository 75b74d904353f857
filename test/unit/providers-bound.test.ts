// The size bounds of a run's per-task data: what is kept whole, what becomes a visible marker,
// what is counted as left out, and that bounding twice changes nothing.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { boundSnapshot, boundText, boundTimeline, boundValue, isTruncatedValue, taskDataLimits, utf8Length, type TaskDataLimits } from '../../src/providers/bound';
import { TimelineEntrySchema, taskStates, type TimelineEntry } from '../../src/providers/model';
import { sampleRecord } from '../helpers/runs';

const small: TaskDataLimits = { fieldBytes: 200, errorChars: 50, runBytes: 1000, smallFieldBytes: 40, previewChars: 30, spentPreviewChars: 10, entries: 5 };

const entryArbitrary: fc.Arbitrary<TimelineEntry> = fc.record(
  {
    id: fc.string({ minLength: 1, maxLength: 8 }),
    name: fc.string({ maxLength: 20 }),
    state: fc.constantFrom(...taskStates),
    inputs: fc.jsonValue({ maxDepth: 3 }),
    outputs: fc.jsonValue({ maxDepth: 3 }),
    processData: fc.jsonValue({ maxDepth: 2 }),
    error: fc.string({ maxLength: 120 }),
  },
  { requiredKeys: ['id', 'name', 'state'] },
);

describe('bounding one value', () => {
  it('keeps what fits and reports its size in UTF-8 bytes', () => {
    assert.deepEqual(boundValue({ a: 'é' }, 100), { value: { a: 'é' }, bytes: 10, truncated: false });
    assert.equal(utf8Length('a€😀'), 1 + 3 + 4);
    assert.equal(utf8Length('😀'), Buffer.byteLength('😀'));
  });

  it('replaces what does not fit with a marker: its size and the start of its JSON text', () => {
    const big = { text: 'x'.repeat(500) };
    const bounded = boundValue(big, 100, 20);
    assert.equal(bounded.truncated, true);
    assert.deepEqual(bounded.value, { $truncated: true, bytes: JSON.stringify(big).length, preview: JSON.stringify(big).slice(0, 20) });
    assert.ok(isTruncatedValue(bounded.value));
    assert.equal(bounded.bytes, JSON.stringify(bounded.value).length);
  });

  it('recognises a marker by its exact shape, and nothing else', () => {
    assert.ok(isTruncatedValue({ $truncated: true, bytes: 0, preview: '' }));
    assert.ok(isTruncatedValue({ $truncated: true, bytes: 70_000, preview: '{"a":', extra: 1 }), 'other keys do not matter');
    const notMarkers: unknown[] = [
      undefined, null, true, 7, '{"$truncated":true}', [],
      [{ $truncated: true, bytes: 1, preview: '' }],
      {},
      { $truncated: 'true', bytes: 1, preview: '' },
      { $truncated: false, bytes: 1, preview: '' },
      { $truncated: true, preview: '' },
      { $truncated: true, bytes: -1, preview: '' },
      { $truncated: true, bytes: 1.5, preview: '' },
      { $truncated: true, bytes: Number.POSITIVE_INFINITY, preview: '' },
      { $truncated: true, bytes: Number.NaN, preview: '' },
      { $truncated: true, bytes: '1', preview: '' },
      { $truncated: true, bytes: 1 },
      { $truncated: true, bytes: 1, preview: 5 },
    ];
    for (const value of notMarkers) assert.equal(isTruncatedValue(value), false, JSON.stringify(value));
  });

  it('never cuts a surrogate pair in half, and marks values JSON cannot hold', () => {
    const bounded = boundValue('😀😀😀', 5, 2);
    assert.equal((bounded.value as { preview: string }).preview, '"');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.ok(isTruncatedValue(boundValue(cyclic, 1000).value));
  });

  it('property: the kept value fits, or is a marker whose preview is the start of the JSON text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 50 }), (value, max, previewChars) => {
        const text = JSON.stringify(value);
        const bounded = boundValue(value, max, previewChars);
        if (bounded.truncated) {
          assert.ok(isTruncatedValue(bounded.value));
          assert.equal(bounded.value.bytes, Buffer.byteLength(text));
          assert.ok(bounded.value.bytes > max);
          assert.ok(text.startsWith(bounded.value.preview));
          assert.ok(bounded.value.preview.length <= previewChars);
        } else {
          assert.equal(bounded.value, value);
          assert.equal(bounded.bytes, Buffer.byteLength(text));
        }
      }),
    );
  });

  it('shortens an error message and says how much was cut', () => {
    assert.deepEqual(boundText('short', 10), { text: 'short', truncated: false });
    assert.deepEqual(boundText('a'.repeat(1500), 1000), { text: `${'a'.repeat(1000)}… (500 more characters not kept)`, truncated: true });
  });
});

describe('bounding a timeline', () => {
  it('keeps small entries untouched', () => {
    const entries: TimelineEntry[] = [{ id: '1', name: 'LLM', state: 'success', inputs: { q: 'hi' }, outputs: { text: 'hello' } }];
    assert.deepEqual(boundTimeline(entries), { timeline: entries, omitted: 0 });
  });

  it('marks big fields, names them in `truncated`, and shortens long errors', () => {
    const entries: TimelineEntry[] = [{ id: '1', name: 'LLM', state: 'error', inputs: { q: 'hi' }, outputs: 'y'.repeat(300), error: 'e'.repeat(80) }];
    const [entry] = boundTimeline(entries, small).timeline;
    assert.deepEqual(entry!.inputs, { q: 'hi' });
    assert.ok(isTruncatedValue(entry!.outputs));
    assert.match(entry!.error!, /^e{50}… \(30 more characters not kept\)$/);
    assert.deepEqual(entry!.truncated, ['outputs', 'error']);
  });

  it('keeps at most `entries` entries, failed ones first, in order, counting the rest', () => {
    const entries: TimelineEntry[] = Array.from({ length: 9 }, (_, i) => ({ id: String(i), name: `n${i}`, state: i === 7 ? 'error' : 'success' }));
    const { timeline, omitted } = boundTimeline(entries, small);
    assert.deepEqual(timeline.map((entry) => entry.id), ['0', '1', '2', '3', '7']);
    assert.equal(omitted, 4);
    const snapshot = boundSnapshot(sampleRecord({}, { timeline: entries }).snapshot, small);
    assert.equal(snapshot.timelineOmitted, 4);
    assert.equal(boundSnapshot(snapshot, small).timelineOmitted, 4, 'bounding again keeps the count');
  });

  it('at the default limits, a 10 MB output is kept as a 64 KiB-capped marker', () => {
    const { timeline } = boundTimeline([{ id: '1', name: 'Big', state: 'success', outputs: { body: 'z'.repeat(10_000_000) } }]);
    const outputs = timeline[0]!.outputs;
    assert.ok(isTruncatedValue(outputs));
    assert.equal(outputs.preview.length, taskDataLimits.previewChars);
    assert.ok(outputs.bytes > 10_000_000);
  });

  it('property: within the limits, valid, every cut named, and stable when bounded again', () => {
    fc.assert(
      fc.property(fc.array(entryArbitrary, { maxLength: 12 }), (entries) => {
        const { timeline, omitted } = boundTimeline(entries, small);
        assert.equal(timeline.length, Math.min(entries.length, small.entries));
        assert.equal(omitted, entries.length - timeline.length);
        for (const entry of timeline) {
          assert.ok(TimelineEntrySchema.safeParse(entry).success);
          for (const field of ['inputs', 'outputs', 'processData'] as const) {
            if (entry[field] === undefined) continue;
            assert.ok(utf8Length(JSON.stringify(entry[field])) <= small.fieldBytes + 100, field);
            if (isTruncatedValue(entry[field])) assert.ok(entry.truncated?.includes(field), field);
          }
          if (entry.error !== undefined) assert.ok(entry.error.length <= small.errorChars + 60);
        }
        const failedBefore = entries.filter((entry) => entry.state === 'error').length;
        const failedAfter = timeline.filter((entry) => entry.state === 'error').length;
        assert.equal(failedAfter, Math.min(failedBefore, small.entries), 'failed entries are kept first');
        assert.deepEqual(boundTimeline(timeline, small).timeline, timeline);
      }),
    );
  });
});
