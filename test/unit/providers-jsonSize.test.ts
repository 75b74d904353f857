// jsonSize counts the UTF-8 bytes of a value's JSON text without writing it: exactly what
// JSON.stringify writes for plain data, and no answer for what only JSON.stringify can judge.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { jsonSize } from '../../src/providers/jsonSize';

/** What JSON.stringify writes, in UTF-8 bytes: the reference (its text is always well-formed). */
const written = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** Any UTF-16 text: controls, quotes, backslashes, non-ASCII, pairs and lone halves of surrogate pairs. */
const anyText = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
    fc.constantFrom('"', '\\', '\n', '\u0000', '\u007f', '\u2028', 'é', '€', '😀', '\ud800', '\udfff', 'a'),
  ),
  maxLength: 40,
});

/** Plain data as JSON.parse gives it, and what else JSON.stringify takes in stride (omitted fields, NaN, -0, null prototypes). */
const plainData = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyText,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('item'), { maxLength: 5 }),
    fc.dictionary(anyText, tie('field'), { maxKeys: 5 }),
    fc.dictionary(anyText, tie('field'), { maxKeys: 3 }).map((fields) => Object.assign(Object.create(null) as object, fields)),
  ),
  item: fc.oneof(tie('value'), fc.constantFrom(undefined, () => 1, Symbol('s'))),
  field: fc.oneof(tie('value'), fc.constantFrom(undefined, () => 1, Symbol('s'))),
})).value;

describe('jsonSize', () => {
  it('property: counts exactly the bytes JSON.stringify writes, for any plain data', () => {
    fc.assert(
      fc.property(plainData, (value) => {
        assert.equal(jsonSize(value), written(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('property: the same for JSON text read back, any Unicode in it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.json(), (value, text) => {
        assert.equal(jsonSize(value), written(value));
        const parsed: unknown = JSON.parse(text);
        assert.equal(jsonSize(parsed), written(parsed));
      }),
      { numRuns: 1_000 },
    );
  });

  it('counts escapes and UTF-8 as JSON writes them', () => {
    for (const value of ['', 'plain', 'a"b\\c', '\b\t\n\f\r', '\u0001\u001f\u007f', 'é€😀', '\ud800x', 'x\udc00', '\u2028', -0, 1e21, 1e-7, 0.1 + 0.2, NaN, -Infinity, [undefined, () => 1], { a: undefined, b: 1 }, {}, []]) {
      assert.equal(jsonSize(value), written(value), JSON.stringify(value));
    }
  });

  it('leaves to JSON.stringify what is not plain data', () => {
    class Point {
      x = 1;
    }
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100; i++) deep = [deep];
    const throwing = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    for (const value of [undefined, () => 1, Symbol('s'), 10n, new Date(0), new Map(), new Point(), { toJSON: () => 'x' }, [{ when: new Date(0) }], cycle, deep, throwing]) {
      assert.equal(jsonSize(value), undefined, String(typeof value));
    }
  });
});
