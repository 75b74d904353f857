// The compiled fast path of answer validation (src/client/jsonSchemaCheck.ts) must never disagree
// with zod: whatever JSON it is given, its result is zod's result (success, and on success the same
// data), for the platforms' real answer schemas and for schemas made to probe each kind it compiles.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { safeParseJson } from '../../src/client/jsonSchemaCheck';
import * as b3os from '../../src/providers/b3os/schemas';
import * as dify from '../../src/providers/dify/schemas';
import * as zuora from '../../src/providers/zuora/schemas';

/** Asserts that the fast path and zod agree on `value`. */
function agrees(schema: z.ZodTypeAny, value: unknown): void {
  const fast = safeParseJson(schema, value);
  const slow = schema.safeParse(value);
  assert.equal(fast.success, slow.success, JSON.stringify(value));
  if (fast.success && slow.success) assert.deepStrictEqual(fast.data, slow.data);
}

/** JSON values near a schema's shape: its keys, with values of any JSON type or right type. */
const scalar = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const keys = ['id', 'status', 'data', 'code', 'items', 'executionState', 'type', 'startedAt', 'runId', 'a', 'b', '__proto__', 'secretKeys', 'iterations', 'extra'];
const nearJson = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...keys), tie('value'), { maxKeys: 6 }),
  ),
})).value.map((value) => JSON.parse(JSON.stringify(value)) as unknown);

/** A valid B3OS run answer with random extra fields, so the fast path is exercised, not skipped. */
const b3osRunAnswer = fc
  .record({
    id: fc.string(),
    status: fc.constantFrom('running', 'success', 'failure'),
    totalCu: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
    executionState: fc.dictionary(fc.string({ maxLength: 6 }), fc.record({ status: fc.string(), startedAt: fc.option(fc.string(), { nil: null }), input: nearJson }), { maxKeys: 4 }),
    extra: nearJson,
  })
  .map((data) => JSON.parse(JSON.stringify({ code: 200, data, message: 'success' })) as unknown);

describe('JSON answers checked without zod where zod would only copy them', () => {
  const modules: Array<Record<string, unknown>> = [b3os, dify, zuora];
  const real = modules.flatMap((exports) => Object.values(exports)).filter((value): value is z.ZodTypeAny => value instanceof z.ZodType);

  it('agrees with zod on every platform answer schema, for JSON of any shape', () => {
    assert.ok(real.length > 20, 'the answer schemas are found');
    for (const schema of real) fc.assert(fc.property(nearJson, (value) => agrees(schema, value)), { numRuns: 150 });
  });

  it('agrees with zod on valid B3OS run answers with extra fields, and returns them as they are', () => {
    fc.assert(
      fc.property(b3osRunAnswer, (value) => {
        agrees(b3os.B3osRunResponseSchema, value);
        const fast = safeParseJson(b3os.B3osRunResponseSchema, value);
        assert.ok(fast.success);
        assert.equal(fast.data, value, 'vouched for: no copy made');
      }),
    );
  });

  it('leaves to zod what only zod can do: stripped keys, strict objects, transforms, checks, defaults, __proto__ keys', () => {
    const cases: Array<[z.ZodTypeAny, unknown]> = [
      [z.object({ a: z.string() }), { a: 'x', b: 1 }],
      [z.object({ a: z.string() }).strict(), { a: 'x', b: 1 }],
      [z.union([z.object({ a: z.string() }), z.object({ a: z.string() }).passthrough()]), { a: 'x', b: 1 }],
      [z.string().transform((text) => text.length), 'abc'],
      [z.string().min(2), 'a'],
      [z.number().int(), 1.5],
      [z.object({ a: z.number().default(3) }).passthrough(), {}],
      [z.object({}).passthrough(), JSON.parse('{"__proto__": {"polluted": true}, "a": 1}')],
      [z.record(z.number()), JSON.parse('{"__proto__": 1, "a": 2}')],
      [z.array(z.string()).min(1), []],
      [z.enum(['a', 'b']), 'c'],
      [z.literal('a'), 'a'],
      [z.coerce.number(), '12'],
      [z.object({ a: z.string().nullish() }).passthrough(), { a: null, b: [1, { c: 2 }] }],
    ];
    for (const [schema, value] of cases) agrees(schema, value);
  });

  it('is zod for a Zuora schema with transforms (its output differs from its input)', () => {
    const value = { id: 12, status: 'Processing' };
    const fast = safeParseJson(zuora.ZuoraIdSchema, value.id);
    assert.deepStrictEqual(fast, zuora.ZuoraIdSchema.safeParse(value.id));
    assert.equal(fast.success && fast.data, '12');
  });
});
