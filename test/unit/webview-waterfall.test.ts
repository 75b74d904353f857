// Pure rules of the waterfall: the one time axis, bars on it, what a screen reader hears, and how
// a task's values are shown.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { taskStates, type TimelineEntry } from '../../src/providers/model';
import { barGeometry, detailFacts, roundLabel, rowLabel, shownValue, timelineAxis } from '../../src/webview/app/waterfallModel';

const t0 = 1_700_000_000_000;
const ended = { inFlight: false };

describe('waterfall axis', () => {
  it('spans from the first start to the last end; nothing started, no axis', () => {
    const entries: TimelineEntry[] = [
      { id: 'a', name: 'A', state: 'success', startedAt: t0 + 500, finishedAt: t0 + 1500 },
      { id: 'b', name: 'B', state: 'success', startedAt: t0 + 1000, durationMs: 3000 },
      { id: 'c', name: 'C', state: 'pending' },
    ];
    assert.deepEqual(timelineAxis(entries, ended, t0 + 99_000), { origin: t0 + 500, span: 3500 });
    assert.equal(timelineAxis([{ id: 'c', name: 'C', state: 'pending' }], ended, t0), undefined);
  });

  it('starts at the run start when it is close, grows with the clock while in flight', () => {
    const entries: TimelineEntry[] = [{ id: 'a', name: 'A', state: 'processing', startedAt: t0 + 1000 }];
    assert.deepEqual(timelineAxis(entries, { startedAt: t0, inFlight: true }, t0 + 5000), { origin: t0, span: 5000 });
    // Queued an hour before the first node: the bars are not squashed into the last pixel.
    assert.deepEqual(timelineAxis(entries, { startedAt: t0 - 3_600_000, inFlight: true }, t0 + 5000), { origin: t0 + 1000, span: 4000 });
  });

  it('property: every started bar lies within the axis', () => {
    const entry = fc.record({
      id: fc.string({ minLength: 1 }),
      name: fc.string(),
      state: fc.constantFrom(...taskStates),
      startedAt: fc.option(fc.integer({ min: t0, max: t0 + 1e6 }), { nil: undefined }),
      durationMs: fc.option(fc.integer({ min: 0, max: 1e5 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 20 }), fc.boolean(), (entries, inFlight) => {
        const now = t0 + 2e6;
        const axis = timelineAxis(entries, { inFlight }, now);
        for (const item of entries) {
          const bar = barGeometry(item, axis, now);
          if (item.startedAt === undefined) assert.equal(bar, undefined);
          else {
            assert.ok(axis && bar);
            assert.ok(bar.offsetMs >= 0 && bar.offsetMs + bar.durationMs <= axis.span, JSON.stringify({ bar, axis }));
          }
        }
      }),
    );
  });
});

describe('waterfall words', () => {
  it('labels a row with name, state, start offset, duration and its round', () => {
    const entry: TimelineEntry = { id: 'x', name: 'Code', state: 'processing', startedAt: t0 + 2000, iteration: { parentId: 'loop1', index: 2 }, retry: { index: 1 } };
    const axis = { origin: t0, span: 10_000 };
    assert.equal(rowLabel(entry, barGeometry(entry, axis, t0 + 2500)), 'Code, Processing, starts at +2.0 s, running for 500 ms, iteration round 3, retry 1');
    assert.equal(roundLabel({ id: 'y', name: 'Y', state: 'success', loop: { parentId: 'l', index: 0 } }), 'loop round 1');
    const facts = Object.fromEntries(detailFacts({ ...entry, metrics: { computeUnits: 3 } }, axis, t0 + 2500));
    assert.equal(facts.Iteration, 'round 3 of loop1');
    assert.equal(facts['Compute units'], '3');
  });

  it('shows small values open, big ones folded, truncated ones with the words', () => {
    assert.deepEqual(shownValue({ a: 1 }), { text: '{\n  "a": 1\n}', folded: false, size: '12 B, 3 lines' });
    assert.equal(shownValue('line\n'.repeat(50)).folded, true);
    const cut = shownValue({ $truncated: true, bytes: 70_000, preview: '{"a":' });
    assert.equal(cut.text, '{"a":');
    assert.equal(cut.truncatedNote, 'Too big to keep (68.4 KB): only the first 5 characters of its JSON text are shown.');
  });
});
