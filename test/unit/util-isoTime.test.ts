// parseIsoTime reads the common ISO layout from its digits; whatever the text, it must say what
// Date.parse says (the same epoch ms, or NaN for both).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseIsoTime } from '../../src/util/isoTime';

function same(text: string): void {
  const expected = Date.parse(text);
  const actual = parseIsoTime(text);
  assert.ok(actual === expected || (Number.isNaN(actual) && Number.isNaN(expected)), `${text}: ${actual} ≠ ${expected}`);
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

describe('ISO times read from their digits', () => {
  it('agrees with Date.parse on the layout it reads, in range and out of it (30 February, hour 24, year 0001 …)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 33 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 0, max: 61 }),
        fc.option(fc.integer({ min: 0, max: 999 })),
        (year, month, day, hour, minute, second, millisecond) =>
          same(`${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${millisecond === null ? '' : `.${pad(millisecond, 3)}`}Z`),
      ),
      { numRuns: 5000 },
    );
  });

  it('hands every other text to Date.parse', () => {
    for (const text of ['', 'x', '0001-01-01T00:00:00Z', '2026-11-30T15:48:52.41Z', '2026-11-30 15:48:52Z', '2026-11-30T15:48:52+02:00', '2026-11-30T15:48:52.410+00:00', '2026-1a-30T15:48:52Z', '+002026-11-30T15:48:52Z', 'Mon, 30 Nov 2026 18:46:18 GMT']) same(text);
    fc.assert(fc.property(fc.string({ maxLength: 26 }), same));
  });
});
