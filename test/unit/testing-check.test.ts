import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { emptyTaskCounts, runStatuses } from '../../src/providers/model';
import type { RunSnapshot } from '../../src/providers/model';
import { checkExpectations, describe, mismatchDiff, runDuration } from '../../src/testing/check';
import type { RunOutcome } from '../../src/testing/check';
import { parseExpect, taskCountKeys } from '../../src/testing/expect';
import type { Expect } from '../../src/testing/expect';
import { formatPath } from '../../src/testing/paths';
import type { PathSegment } from '../../src/testing/paths';

function expectOf(value: unknown): Expect {
  const result = parseExpect(value);
  if (!result.ok) assert.fail(result.problems.map((problem) => problem.message).join(' | '));
  return result.expect;
}

const succeeded: RunOutcome = { status: 'succeeded', outputs: { total: 42, name: 'INV-0042', lines: [{ sku: 'a', qty: 1 }], meta: { region: 'eu' } }, tasks: { ...emptyTaskCounts(), success: 3, total: 3 }, durationMs: 1500 };

test('a run that holds every expectation gives no mismatch; extra outputs are allowed', () => {
  const expect = expectOf({ status: 'succeeded', outputs: { total: 42, lines: [{ sku: 'a', qty: 1 }] }, tasks: { success: 3, error: 0 }, maxSeconds: 2 });
  assert.deepEqual(checkExpectations(expect, succeeded), []);
  assert.deepEqual(checkExpectations({}, succeeded), [], 'an empty $expect checks nothing');
});

test('each mismatch names the expectation with the expected and the actual value', () => {
  const expect = expectOf({ status: 'succeeded', outputs: { total: 41, meta: { region: 'us' } }, tasks: { success: 2 }, maxSeconds: 1 });
  assert.deepEqual(checkExpectations(expect, succeeded), [
    { expectation: 'outputs.total', expected: 41, actual: 42, message: 'outputs.total: expected 41, got 42' },
    { expectation: 'outputs.meta.region', expected: 'us', actual: 'eu', message: 'outputs.meta.region: expected "us", got "eu"' },
    { expectation: 'tasks.success', expected: 2, actual: 3, message: 'tasks.success: expected 2, got 3' },
    { expectation: 'maxSeconds', expected: 1, actual: 1.5, message: 'maxSeconds: expected at most 1 s, took 1.5 s' },
  ]);
});

test('a status mismatch says why the run failed when the platform said', () => {
  const [mismatch] = checkExpectations(expectOf({ status: 'succeeded' }), { status: 'failed', error: 'Task "Charge" failed: card declined' });
  assert.deepEqual(mismatch, { expectation: 'status', expected: 'succeeded', actual: 'failed', message: 'status: expected succeeded, got failed (Task "Charge" failed: card declined)' });
  assert.equal(checkExpectations(expectOf({ status: 'failed' }), { status: 'failed', error: 'x' }).length, 0);
});

test('a missing output, or a run without outputs, is a mismatch per expected key', () => {
  assert.deepEqual(checkExpectations(expectOf({ outputs: { absent: 1 } }), succeeded), [
    { expectation: 'outputs.absent', expected: 1, actual: undefined, message: 'outputs.absent: expected 1, got nothing (no such output)' },
  ]);
  const none = checkExpectations(expectOf({ outputs: { a: 1, b: null } }), { status: 'failed' });
  assert.deepEqual(none.map((m) => m.expectation), ['outputs.a', 'outputs.b']);
  // null is a value: an output that is null is not a missing one.
  assert.deepEqual(checkExpectations(expectOf({ outputs: { b: null } }), { status: 'succeeded', outputs: { b: null } }), []);
  assert.equal(checkExpectations(expectOf({ outputs: { a: 1 } }), { status: 'succeeded', outputs: 'text' }).length, 1);
});

test('below the top level outputs must be equal: an extra nested key is named', () => {
  const run: RunOutcome = { status: 'succeeded', outputs: { meta: { region: 'eu', tier: 2 } } };
  assert.deepEqual(checkExpectations(expectOf({ outputs: { meta: { region: 'eu' } } }), run), [
    { expectation: 'outputs.meta.tier', expected: undefined, actual: 2, message: 'outputs.meta.tier: expected no such key, got 2' },
  ]);
});

test('arrays of another length are one mismatch on the array; otherwise items are compared one by one', () => {
  const run: RunOutcome = { status: 'succeeded', outputs: { list: [1, 2, 3] } };
  assert.deepEqual(checkExpectations(expectOf({ outputs: { list: [1, 2] } }), run).map((m) => m.message), ['outputs.list: expected 2 items, got 3 items: [1,2,3]']);
  assert.deepEqual(checkExpectations(expectOf({ outputs: { list: [1, 5, 3] } }), run).map((m) => m.message), ['outputs.list[1]: expected 5, got 2']);
  assert.deepEqual(checkExpectations(expectOf({ outputs: { list: { 0: 1 } } }), run).map((m) => m.message), ['outputs.list: expected {"0":1}, got [1,2,3]']);
});

test('types are compared too: "42" is not 42, and null is not an object', () => {
  assert.equal(checkExpectations(expectOf({ outputs: { total: '42' } }), succeeded)[0].message, 'outputs.total: expected "42", got 42');
  assert.equal(checkExpectations(expectOf({ outputs: { meta: null } }), succeeded)[0].message, 'outputs.meta: expected null, got {"region":"eu"}');
  assert.equal(checkExpectations(expectOf({ outputs: { meta: {} } }), { status: 'succeeded', outputs: { meta: null } })[0].message, 'outputs.meta: expected {}, got null');
});

test('a $regex matcher matches a string output by search, at any depth, and never a non-string', () => {
  assert.deepEqual(checkExpectations(expectOf({ outputs: { name: { $regex: '^INV-\\d{4}$' }, lines: [{ sku: { $regex: '[a-z]' }, qty: 1 }] } }), succeeded), []);
  assert.deepEqual(checkExpectations(expectOf({ outputs: { name: { $regex: '0042' } } }), succeeded), [], 'unanchored patterns search');
  const [wrong] = checkExpectations(expectOf({ outputs: { name: { $regex: '^INV-\\d{5}$' } } }), succeeded);
  assert.deepEqual(wrong, { expectation: 'outputs.name', expected: { $regex: '^INV-\\d{5}$' }, actual: 'INV-0042', message: 'outputs.name: expected a string matching /^INV-\\d{5}$/, got "INV-0042"' });
  const [number] = checkExpectations(expectOf({ outputs: { total: { $regex: '42' } } }), succeeded);
  assert.equal(number.message, 'outputs.total: expected a string matching /42/, got 42');
});

test('output names that are not identifiers are quoted in the expectation name', () => {
  const run: RunOutcome = { status: 'succeeded', outputs: { 'a.b': { 'c d': 1 } } };
  assert.equal(checkExpectations(expectOf({ outputs: { 'a.b': { 'c d': 2 } } }), run)[0].expectation, 'outputs["a.b"]["c d"]');
});

test('"__proto__" and inherited names are compared as plain data', () => {
  const expect = expectOf(JSON.parse('{"outputs": {"__proto__": {"x": 1}, "toString": 1}}'));
  const mismatches = checkExpectations(expect, { status: 'succeeded', outputs: {} });
  assert.deepEqual(mismatches.map((m) => m.expectation), ['outputs.__proto__', 'outputs.toString']);
});

test('task counts: missing counts are reported as such', () => {
  assert.deepEqual(checkExpectations(expectOf({ tasks: { skipped: 0 } }), { status: 'succeeded', tasks: { total: 1 } }), [
    { expectation: 'tasks.skipped', expected: 0, actual: undefined, message: 'tasks.skipped: expected 0, got no count' },
  ]);
  const counts = { ...emptyTaskCounts(), error: 1, total: 4 };
  const all = checkExpectations(expectOf({ tasks: { total: 4, error: 0 } }), { status: 'partial', tasks: counts });
  assert.deepEqual(all.map((m) => m.message), ['tasks.error: expected 0, got 1'], 'in the order of the states, only the ones that differ');
});

test('maxSeconds uses the platform duration, else its times, else the measured time, and says when none is known', () => {
  assert.equal(runDuration({ status: 'succeeded', durationMs: 10, startedAt: 0, finishedAt: 5000, elapsedMs: 9000 }), 10);
  assert.equal(runDuration({ status: 'succeeded', startedAt: 1000, finishedAt: 4000, elapsedMs: 9000 }), 3000);
  assert.equal(runDuration({ status: 'succeeded', createdAt: 500, finishedAt: 4000 }), 3500);
  assert.equal(runDuration({ status: 'succeeded', startedAt: 1000, elapsedMs: 9000 }), 9000);
  assert.equal(runDuration({ status: 'succeeded' }), undefined);

  assert.deepEqual(checkExpectations(expectOf({ maxSeconds: 3 }), { status: 'succeeded', elapsedMs: 3000 }), [], 'exactly the limit passes');
  assert.equal(checkExpectations(expectOf({ maxSeconds: 5 }), { status: 'succeeded', elapsedMs: 5000.4 })[0].message, 'maxSeconds: expected at most 5 s, took 5.0004 s', 'rounding never hides the overrun');
  assert.equal(checkExpectations(expectOf({ maxSeconds: 0.01 }), { status: 'succeeded', elapsedMs: 40 })[0].message, 'maxSeconds: expected at most 0.01 s, took 0.04 s');
  assert.deepEqual(checkExpectations(expectOf({ maxSeconds: 5 }), { status: 'succeeded' }), [
    { expectation: 'maxSeconds', expected: 5, actual: undefined, message: "maxSeconds: expected at most 5 s, but the run's duration is not known" },
  ]);
});

test('a RunSnapshot can be checked as it is', () => {
  const snapshot: RunSnapshot = { runId: 'r1', workflowId: 'w', status: 'succeeded', tasks: { ...emptyTaskCounts(), success: 1, total: 1 }, outputs: { ok: true }, startedAt: 0, finishedAt: 200 };
  assert.deepEqual(checkExpectations(expectOf({ status: 'succeeded', outputs: { ok: true }, tasks: { total: 1 }, maxSeconds: 1 }), snapshot), []);
});

test('long values are cut in messages but kept whole in the mismatch', () => {
  const long = 'x'.repeat(1000);
  const [mismatch] = checkExpectations(expectOf({ outputs: { text: 'short' } }), { status: 'succeeded', outputs: { text: long } });
  assert.equal(mismatch.actual, long);
  assert.ok(mismatch.message.length < 300, `${mismatch.message.length} chars`);
  assert.match(mismatch.message, /…$/);
  assert.equal(describe(undefined), 'nothing');
});

test('mismatchDiff gives both sides as pretty JSON for a diff view, bounded', () => {
  const [objects] = checkExpectations(expectOf({ outputs: { meta: [1, 2] } }), { status: 'succeeded', outputs: { meta: { region: 'eu' } } });
  assert.deepEqual(mismatchDiff(objects), { expected: '[\n  1,\n  2\n]', actual: '{\n  "region": "eu"\n}' });
  const [missing] = checkExpectations(expectOf({ outputs: { gone: { $regex: '^a' } } }), { status: 'succeeded', outputs: {} });
  assert.deepEqual(mismatchDiff(missing), { expected: 'a string matching /^a/', actual: '(nothing)' });
  const huge = mismatchDiff({ expectation: 'outputs.x', expected: 1, actual: 'y'.repeat(50_000), message: '' });
  assert.ok(huge.actual.length < 20_100);
  assert.match(huge.actual, /cut at 20000 characters\)$/);
});

// ---- properties ----------------------------------------------------------------------------------

// Keys are never "$regex": an object with that key in $expect is a matcher, not a literal.
const key = fc.string({ maxLength: 6 }).filter((text) => text !== '$regex');
const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true })),
})).value;
const outputs = fc.dictionary(key, json, { maxKeys: 5, noNullPrototype: true });
const taskCounts = fc.record(Object.fromEntries(taskCountKeys.map((state) => [state, fc.nat(20)])) as Record<(typeof taskCountKeys)[number], fc.Arbitrary<number>>, { noNullPrototype: true });
const run = fc.record({ status: fc.constantFrom(...runStatuses), outputs, tasks: taskCounts, durationMs: fc.nat(600_000) }, { noNullPrototype: true });

test('property: a run checked against its own status, outputs, tasks and duration always passes', () => {
  fc.assert(
    fc.property(run, (outcome) => {
      const expect = expectOf({ status: outcome.status, outputs: outcome.outputs, tasks: outcome.tasks, maxSeconds: Math.max(outcome.durationMs / 1000, 0.001) });
      assert.deepEqual(checkExpectations(expect, outcome), []);
    }),
    { numRuns: 300 },
  );
});

test('property: any subset of the outputs passes (extra outputs are allowed)', () => {
  fc.assert(
    fc.property(run, fc.func(fc.boolean()), (outcome, keep) => {
      const subset = Object.fromEntries(Object.entries(outcome.outputs).filter(([name]) => keep(name)));
      assert.deepEqual(checkExpectations(expectOf({ outputs: subset }), outcome), []);
    }),
    { numRuns: 200 },
  );
});

test('property: every string output matches a $regex of itself, escaped', () => {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const toMatchers = (value: unknown): unknown => {
    if (typeof value === 'string') return { $regex: `^${escape(value)}$` };
    if (Array.isArray(value)) return value.map(toMatchers);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, toMatchers(item)]));
    return value;
  };
  fc.assert(
    fc.property(run, (outcome) => {
      assert.deepEqual(checkExpectations(expectOf({ outputs: toMatchers(outcome.outputs) }), outcome), []);
    }),
    { numRuns: 200 },
  );
});

/** Every path to a value (leaf or container) inside `value`, the value itself excluded. */
function paths(value: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  const found: PathSegment[][] = [];
  const entries: Array<[PathSegment, unknown]> = Array.isArray(value) ? value.map((item, index) => [index, item]) : value && typeof value === 'object' ? Object.entries(value) : [];
  for (const [segment, item] of entries) found.push([...prefix, segment], ...paths(item, [...prefix, segment]));
  return found;
}

function getAt(value: unknown, path: readonly PathSegment[]): unknown {
  return path.reduce<unknown>((current, segment) => (current as Record<PathSegment, unknown>)[segment], value);
}

function withValueAt(value: unknown, path: readonly PathSegment[], replacement: unknown): unknown {
  const copy = structuredClone(value);
  const parent = getAt(copy, path.slice(0, -1)) as Record<PathSegment, unknown>;
  Object.defineProperty(parent, path[path.length - 1], { value: replacement, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Equal as JSON values (0 and -0 are one number). */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b) && typeof a === typeof b;
}

test('property: changing one value in the expected outputs yields exactly one mismatch, naming its path', () => {
  fc.assert(
    fc.property(run.filter((outcome) => Object.keys(outcome.outputs).length > 0), fc.nat(), json, (outcome, pick, replacement) => {
      const all = paths(outcome.outputs);
      const path = all[pick % all.length];
      const original = getAt(outcome.outputs, path);
      fc.pre(!sameJson(original, replacement));
      const expect = expectOf({ outputs: withValueAt(outcome.outputs, path, replacement) });
      const mismatches = checkExpectations(expect, outcome);
      // Replacing a container with another can differ in several keys; a scalar on either side is one difference.
      const scalarInvolved = !(original && typeof original === 'object') || !(replacement && typeof replacement === 'object');
      const arraysOfOtherLength = Array.isArray(original) && Array.isArray(replacement) && original.length !== replacement.length;
      if (scalarInvolved || arraysOfOtherLength || Array.isArray(original) !== Array.isArray(replacement)) {
        assert.equal(mismatches.length, 1, JSON.stringify(mismatches));
        assert.equal(mismatches[0].expectation, formatPath(['outputs', ...path]));
        assert.deepEqual(mismatches[0].expected, replacement);
        assert.deepEqual(mismatches[0].actual, original);
        assert.ok(mismatches[0].message.startsWith(`${formatPath(['outputs', ...path])}: expected `), mismatches[0].message);
      } else {
        assert.ok(mismatches.length >= 1);
        for (const mismatch of mismatches) assert.ok(mismatch.expectation.startsWith(formatPath(['outputs', ...path])), mismatch.expectation);
      }
    }),
    { numRuns: 500 },
  );
});

test('property: changing the status or one task count yields exactly that mismatch', () => {
  fc.assert(
    fc.property(run, fc.constantFrom(...runStatuses), fc.constantFrom(...taskCountKeys), fc.integer({ min: 1, max: 5 }), (outcome, status, state, delta) => {
      const statusMismatches = checkExpectations(expectOf({ status, outputs: outcome.outputs, tasks: outcome.tasks }), outcome);
      assert.deepEqual(statusMismatches.map((m) => m.expectation), status === outcome.status ? [] : ['status']);
      const tasks = { ...outcome.tasks, [state]: outcome.tasks[state] + delta };
      const taskMismatches = checkExpectations(expectOf({ status: outcome.status, tasks }), outcome);
      assert.deepEqual(taskMismatches, [{ expectation: `tasks.${state}`, expected: tasks[state], actual: outcome.tasks[state], message: `tasks.${state}: expected ${tasks[state]}, got ${outcome.tasks[state]}` }]);
    }),
    { numRuns: 200 },
  );
});
