import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkExpectations } from '../../src/testing/check';
import { hasExpect, locateExpect, rangeForExpectation, rangeForProblem, readExpect } from '../../src/testing/locate';
import type { ExpectLocation, LineRange } from '../../src/testing/locate';

const doc = [
  '{', //                                             0
  '  "$workflow": "prod/42",', //                     1
  '  // what this run must give', //                  2
  '  "$expect": {', //                                3
  '    "status": "succeeded",', //                    4
  '    "outputs": {', //                              5
  '      "total": 42,', //                            6
  '      "lines": [', //                              7
  '        { "sku": "a" },', //                       8
  '        { "sku": { "$regex": "^b" } }', //         9
  '      ],', //                                      10
  '      "a b": 1', //                                11
  '    },', //                                        12
  '    "tasks": { "error": 0 },', //                  13
  '    "maxSeconds": 30', //                          14
  '  },', //                                          15
  '  "amount": 10', //                                16
  '}',
].join('\n');

function located(text: string): ExpectLocation {
  const location = locateExpect(text);
  assert.ok(location, 'expected a $expect');
  return location;
}

const line = (range: LineRange) => range.start.line;

test('the $expect key, the whole property and every entry are located by line and character', () => {
  const location = located(doc);
  assert.deepEqual(location.key, { start: { line: 3, character: 2 }, end: { line: 3, character: 11 } });
  assert.deepEqual(location.property.start, { line: 3, character: 2 });
  assert.deepEqual(location.property.end, { line: 15, character: 3 });
  assert.deepEqual(location.entries.status, { start: { line: 4, character: 4 }, end: { line: 4, character: 12 } });
  assert.equal(line(location.entries.outputs), 5);
  assert.equal(line(location.entries['outputs.total']), 6);
  assert.equal(line(location.entries['outputs.lines']), 7);
  assert.equal(line(location.entries['outputs.lines[0]']), 8);
  assert.deepEqual(location.entries['outputs.lines[1].sku'], { start: { line: 9, character: 10 }, end: { line: 9, character: 15 } });
  assert.equal(line(location.entries['outputs["a b"]']), 11);
  assert.equal(line(location.entries['tasks.error']), 13);
  assert.equal(line(location.entries.maxSeconds), 14);
});

test('a mismatch is placed on its own entry, else the nearest written parent, else the $expect key', () => {
  const location = located(doc);
  assert.equal(line(rangeForExpectation(location, 'outputs.total')), 6);
  assert.equal(line(rangeForExpectation(location, 'outputs.lines[1].sku')), 9);
  // An extra key of the run's output is not written in $expect: its parent is.
  assert.equal(line(rangeForExpectation(location, 'outputs.lines[0].price')), 8);
  assert.equal(line(rangeForExpectation(location, 'outputs.lines[0]["odd key"]')), 8);
  assert.equal(line(rangeForExpectation(location, 'tasks.total')), 13);
  assert.equal(line(rangeForExpectation(location, 'nowhere')), 3);
  assert.equal(line(rangeForExpectation(location, '')), 3);
});

test('every mismatch the checker reports for this document can be placed on the line that wrote it', () => {
  const location = located(doc);
  const read = readExpect(doc);
  assert.ok(read.present && read.result.ok);
  const mismatches = checkExpectations(read.result.expect, { status: 'failed', outputs: { total: 41, lines: [{ sku: 'a' }, { sku: 'c' }], 'a b': 2 }, tasks: { error: 1 }, durationMs: 31_000 });
  assert.deepEqual(
    mismatches.map((mismatch) => [mismatch.expectation, line(rangeForExpectation(location, mismatch.expectation))]),
    [
      ['status', 4],
      ['outputs.total', 6],
      ['outputs.lines[1].sku', 9],
      ['outputs["a b"]', 11],
      ['tasks.error', 13],
      ['maxSeconds', 14],
    ],
  );
});

test('problems in $expect come in document order with the range of the key they are about', () => {
  const text = '{\n  "$expect": {\n    "stauts": "ok",\n    "tasks": { "error": -1 },\n    "outputs": { "a": { "$regex": "(" } }\n  }\n}';
  const read = readExpect(text);
  assert.ok(read.present);
  assert.equal(read.result.ok, false);
  assert.deepEqual(
    read.problems.map((problem) => [line(problem.range), problem.message]),
    [
      [2, '$expect.stauts: unknown key "stauts": did you mean "status"? ($expect takes status, outputs, tasks, maxSeconds)'],
      [3, '$expect.tasks.error must be 0 or more'],
      [4, '$expect.outputs.a.$regex is not a valid regular expression (unterminated group)'],
    ],
  );
  const notObject = readExpect('{ "$expect": "succeeded" }');
  assert.ok(notObject.present);
  assert.deepEqual(notObject.problems.map((problem) => problem.range.start), [{ line: 0, character: 2 }]);
  assert.deepEqual(rangeForProblem(located(text), { path: [] }), located(text).key);
});

test('a valid $expect is read with its values; files without one are not tests', () => {
  const read = readExpect(doc);
  assert.ok(read.present && read.result.ok);
  assert.deepEqual(read.result.expect, {
    status: 'succeeded',
    outputs: { total: 42, lines: [{ sku: 'a' }, { sku: { $regex: '^b' } }], 'a b': 1 },
    tasks: { error: 0 },
    maxSeconds: 30,
  });
  assert.deepEqual(read.problems, []);
  assert.equal(hasExpect(doc), true);
  for (const text of ['{}', '{ "x": { "$expect": {} } }', '["$expect"]', '{ "note": "\\"$expect\\"" }', '', '{ "$expect": ']) {
    assert.equal(hasExpect(text), text === '{ "$expect": ', `hasExpect(${JSON.stringify(text)})`);
  }
  assert.deepEqual(readExpect('{ "a": 1 }'), { present: false });
  assert.deepEqual(readExpect('{ "nested": { "$expect": { "status": "failed" } } }'), { present: false }, 'only a top-level $expect counts');
});

test('with a duplicate $expect the last one counts, as in JSON.parse', () => {
  const text = '{\n  "$expect": { "status": "failed" },\n  "$expect": { "status": "succeeded" }\n}';
  const read = readExpect(text);
  assert.ok(read.present && read.result.ok);
  assert.equal(read.result.expect.status, 'succeeded');
  assert.equal(line(read.location.key), 2);
});

test('line breaks of every kind count as the editor counts them; characters are UTF-16 units', () => {
  for (const eol of ['\n', '\r\n', '\r']) {
    const text = ['{', '  "é😀": 1,', '  "$expect": { "status": "failed" }', '}'].join(eol);
    const location = located(text);
    assert.deepEqual(location.key.start, { line: 2, character: 2 }, JSON.stringify(eol));
    assert.deepEqual(location.entries.status.start, { line: 2, character: 15 });
  }
  const sameLine = located('{"😀": 1, "$expect": {}}');
  assert.deepEqual(sameLine.key.start, { line: 0, character: 10 });
});

test('property: the located key range always spans the text "$expect" in the document', () => {
  const filler = fc.array(fc.constantFrom(' ', '\n', '\r\n', '\t', '/* c */', '// c\n'), { maxLength: 4 }).map((parts) => parts.join(''));
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }), fc.nat(4), filler, (entries, at, gap) => {
      const properties = entries.filter(([name]) => name !== '$expect').map(([name, value]) => `${JSON.stringify(name)}:${gap}${JSON.stringify(value)}`);
      properties.splice(Math.min(at, properties.length), 0, `"$expect":${gap}{${gap}"status": "succeeded"}`);
      const text = `{${gap}${properties.join(`,${gap}`)}${gap}}`;
      const location = located(text);
      const lines = text.split(/\r\n|\r|\n/);
      const { start, end } = location.key;
      assert.equal(start.line, end.line);
      assert.equal(lines[start.line].slice(start.character, end.character), '"$expect"');
      assert.equal(lines[location.entries.status.start.line].slice(location.entries.status.start.character, location.entries.status.end.character), '"status"');
    }),
    { numRuns: 300 },
  );
});
