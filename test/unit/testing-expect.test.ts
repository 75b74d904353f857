import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import fc from 'fast-check';
import { runStatuses } from '../../src/providers/status';
import { expectPlace, isRegexMatcher, parseExpect, taskCountKeys } from '../../src/testing/expect';
import type { Expect, ExpectProblem } from '../../src/testing/expect';
import { formatPath } from '../../src/testing/paths';

function ok(value: unknown): Expect {
  const result = parseExpect(value);
  if (!result.ok) assert.fail(`unexpected problems: ${result.problems.map((problem) => problem.message).join(' | ')}`);
  return result.expect;
}

function problems(value: unknown): ExpectProblem[] {
  const result = parseExpect(value);
  if (result.ok) assert.fail('expected problems');
  return result.problems;
}

test('every part of $expect is optional, and each is read as written', () => {
  assert.deepEqual(ok({}), {});
  const full = { status: 'succeeded', outputs: { total: 42, name: { $regex: '^INV-\\d+$' }, nested: [{ a: { $regex: 'x' } }] }, tasks: { error: 0, total: 5 }, maxSeconds: 2.5 };
  assert.deepEqual(ok(full), full);
  for (const status of runStatuses) assert.equal(ok({ status }).status, status);
  for (const key of taskCountKeys) assert.deepEqual(ok({ tasks: { [key]: 1 } }).tasks, { [key]: 1 });
});

test('$expect itself must be an object', () => {
  for (const [value, word] of [[[], 'an array'], ['x', 'a string'], [null, 'null'], [3, 'a number']] as const) {
    const [problem] = problems(value);
    assert.deepEqual(problem.path, []);
    assert.equal(problem.message, `$expect must be an object such as {"status": "succeeded"}, not ${word}`);
  }
});

test('an unknown key is a problem naming the key, with a suggestion when it is a near miss', () => {
  const [problem, ...rest] = problems({ stauts: 'succeeded' });
  assert.equal(rest.length, 0);
  assert.deepEqual(problem.path, ['stauts']);
  assert.equal(problem.message, '$expect.stauts: unknown key "stauts": did you mean "status"? ($expect takes status, outputs, tasks, maxSeconds)');

  const [far] = problems({ verdict: 1 });
  assert.equal(far.message, '$expect.verdict: unknown key "verdict" ($expect takes status, outputs, tasks, maxSeconds)');

  const both = problems({ a: 1, b: 2 });
  assert.deepEqual(both.map((p) => p.path), [['a'], ['b']], 'one problem per unknown key, each placed on its key');
});

test('task counts take task states only, as whole numbers of 0 or more', () => {
  const [unknown] = problems({ tasks: { sucess: 1 } });
  assert.deepEqual(unknown.path, ['tasks', 'sucess']);
  assert.match(unknown.message, /^\$expect\.tasks\.sucess: unknown task state "sucess": did you mean "success"\?/);
  assert.match(unknown.message, /queued, pending, processing, success, error, stopped, skipped, total/);

  assert.equal(problems({ tasks: { error: -1 } })[0].message, '$expect.tasks.error must be 0 or more');
  assert.equal(problems({ tasks: { error: 1.5 } })[0].message, '$expect.tasks.error must be a whole number of tasks');
  assert.equal(problems({ tasks: { error: '0' } })[0].message, '$expect.tasks.error must be a whole number of tasks, not a string');
  assert.equal(problems({ tasks: [] })[0].message, '$expect.tasks must be an object of task counts such as {"error": 0}, not an array');
});

test('status must be a run status; a near miss gets a suggestion', () => {
  const [problem] = problems({ status: 'success' });
  assert.deepEqual(problem.path, ['status']);
  assert.equal(problem.message, `$expect.status must be one of ${runStatuses.join(', ')}, not "success" (did you mean succeeded?)`);
  assert.equal(problems({ status: 1 })[0].message, '$expect.status must be a run status such as "succeeded", not a number');
});

test('maxSeconds must be a positive number', () => {
  assert.equal(problems({ maxSeconds: 0 })[0].message, '$expect.maxSeconds must be more than 0 seconds');
  assert.equal(problems({ maxSeconds: -3 })[0].message, '$expect.maxSeconds must be more than 0 seconds');
  assert.equal(problems({ maxSeconds: '10' })[0].message, '$expect.maxSeconds must be a number of seconds, not a string');
  assert.equal(ok({ maxSeconds: 0.5 }).maxSeconds, 0.5);
});

test('outputs must be an object; $regex matchers are checked at any depth', () => {
  assert.equal(problems({ outputs: [1] })[0].message, '$expect.outputs must be an object of expected outputs such as {"total": 42}, not an array');

  const [broken] = problems({ outputs: { deep: { list: [1, { name: { $regex: '(' } }] } } });
  assert.deepEqual(broken.path, ['outputs', 'deep', 'list', 1, 'name', '$regex']);
  assert.match(broken.message, /^\$expect\.outputs\.deep\.list\[1\]\.name\.\$regex is not a valid regular expression \(unterminated group\)$/);

  const [notString] = problems({ outputs: { a: { $regex: 5 } } });
  assert.equal(notString.message, '$expect.outputs.a.$regex must be a regular expression written as a string, not a number');

  const [extraKey] = problems({ outputs: { a: { $regex: 'x', flags: 'i' } } });
  assert.deepEqual(extraKey.path, ['outputs', 'a', 'flags']);
  assert.equal(extraKey.message, '$expect.outputs.a.flags: a {"$regex": …} matcher takes no other keys: remove "flags"');

  // A pattern that needs the u flag to be an error stays valid: matchers use no flags.
  ok({ outputs: { id: { $regex: '^[\\w-]+$' } } });
});

test('every problem is reported, not just the first, and never as raw zod text', () => {
  const all = problems({ status: 'done', tasks: { error: -1 }, maxSeconds: 0, extra: true, outputs: { a: { $regex: '[' } } });
  assert.equal(all.length, 5);
  for (const problem of all) {
    assert.match(problem.message, /^\$expect/);
    assert.doesNotMatch(problem.message, /Expected|received|invalid_|Invalid enum/);
  }
});

test('places are written the way mismatches and locations name them', () => {
  assert.equal(expectPlace([]), '$expect');
  assert.equal(expectPlace(['outputs', 'a b', 0, 'c']), '$expect.outputs["a b"][0].c');
  assert.equal(formatPath(['outputs', 'x.y']), 'outputs["x.y"]');
  assert.equal(formatPath(['outputs', '$regex']), 'outputs.$regex');
});

test('isRegexMatcher only accepts an object whose single key is a string $regex', () => {
  assert.equal(isRegexMatcher({ $regex: 'a' }), true);
  assert.equal(isRegexMatcher({ $regex: 1 }), false);
  assert.equal(isRegexMatcher({ $regex: 'a', b: 1 }), false);
  assert.equal(isRegexMatcher(['$regex']), false);
  assert.equal(isRegexMatcher(null), false);
});

// ---- the payload JSON schema agrees with parseExpect --------------------------------------------

const schema = JSON.parse(readFileSync(join(__dirname, '../../media/payload.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true });
ajv.addKeyword('enumDescriptions');
const validatePayload = ajv.compile(schema);
const schemaAccepts = (expect: unknown) => validatePayload({ $workflow: 'c/w', $expect: expect }) as boolean;

test('the payload schema describes $expect with the same statuses and task states', () => {
  const expectSchema = schema.properties.$expect;
  assert.deepEqual([...expectSchema.properties.status.enum].sort(), [...runStatuses].sort());
  assert.equal(expectSchema.properties.status.enumDescriptions.length, expectSchema.properties.status.enum.length);
  assert.deepEqual(Object.keys(expectSchema.properties.tasks.properties), [...taskCountKeys]);
  for (const part of ['status', 'outputs', 'tasks', 'maxSeconds']) assert.ok(expectSchema.properties[part].description, `${part} has a description`);
});

test('the payload schema accepts and rejects the same $expect values as parseExpect (examples)', () => {
  const cases: unknown[] = [
    {},
    { status: 'succeeded', outputs: { a: 1, b: { $regex: '^x' }, c: [{ d: { $regex: 'y' } }] }, tasks: { error: 0 }, maxSeconds: 3 },
    { status: 'success' },
    { stauts: 'succeeded' },
    { tasks: { sucess: 1 } },
    { tasks: { error: -1 } },
    { tasks: { error: 1.5 } },
    { maxSeconds: 0 },
    { outputs: [] },
    { outputs: { a: { $regex: 1 } } },
    { outputs: { a: { $regex: 'x', other: 1 } } },
    { outputs: { a: [{ $regex: 'x', other: 1 }] } },
    [],
    'succeeded',
  ];
  for (const value of cases) assert.equal(schemaAccepts(value), parseExpect(value).ok, JSON.stringify(value));
});

const jsonLeaf = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const safePattern = fc.stringMatching(/^[a-z0-9^$.*+?]{0,8}$/).filter((pattern) => {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
});
const expectedValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, jsonLeaf, safePattern.map(($regex) => ({ $regex })), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.string().filter((key) => key !== '$regex'), tie('value'), { maxKeys: 3, noNullPrototype: true })),
})).value;
const validExpect = fc.record(
  {
    status: fc.constantFrom(...runStatuses),
    outputs: fc.dictionary(fc.string(), expectedValue, { maxKeys: 4, noNullPrototype: true }),
    tasks: fc.record(Object.fromEntries(taskCountKeys.map((key) => [key, fc.nat(50)])), { requiredKeys: [], noNullPrototype: true }),
    maxSeconds: fc.double({ min: 0.001, max: 1e6, noNaN: true }),
  },
  { requiredKeys: [], noNullPrototype: true },
);

test('property: every well-formed $expect is accepted by parseExpect and by the schema, unchanged', () => {
  fc.assert(
    fc.property(validExpect, (value) => {
      const result = parseExpect(value);
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(result.expect, value);
      assert.equal(schemaAccepts(value), true);
    }),
    { numRuns: 300 },
  );
});

test('property: an unknown key anywhere at the top or in tasks is one problem naming it, in both checks', () => {
  const knownTop = new Set(['status', 'outputs', 'tasks', 'maxSeconds']);
  fc.assert(
    fc.property(validExpect, fc.string({ minLength: 1 }), fc.boolean(), (value, key, inTasks) => {
      fc.pre(inTasks ? !(taskCountKeys as readonly string[]).includes(key) : !knownTop.has(key));
      const broken: Record<string, unknown> = inTasks ? { ...value, tasks: { ...(value.tasks ?? {}), [key]: 1 } } : { ...value, [key]: 1 };
      const found = problems(broken);
      assert.equal(found.length, 1);
      assert.deepEqual(found[0].path, inTasks ? ['tasks', key] : [key]);
      assert.ok(found[0].message.includes(JSON.stringify(key).slice(1, -1)), found[0].message);
      assert.equal(schemaAccepts(broken), false);
    }),
    { numRuns: 200 },
  );
});
