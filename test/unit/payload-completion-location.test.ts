// Where `$workflow` value completion applies (the provider itself runs in the host suites).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isInWorkflowRefValue } from '../../src/payload/location';

const at = (textWithCursor: string) => {
  const offset = textWithCursor.indexOf('|');
  return isInWorkflowRefValue(textWithCursor.replace('|', ''), offset);
};

describe('$workflow value completion applies', () => {
  it('inside the top-level $workflow string, empty or not', () => {
    assert.equal(at('{ "$workflow": "|" }'), true);
    assert.equal(at('{ "$workflow": "zuora/19|" }'), true);
    assert.equal(at('{\n  // comment\n  "$workflow": "|",\n  "a": 1,\n}'), true);
  });

  it('not in keys, other values, nested $workflow keys or $options', () => {
    assert.equal(at('{ "$work|flow": "x" }'), false);
    assert.equal(at('{ "$workflow": "x", "topic": "|" }'), false);
    assert.equal(at('{ "nested": { "$workflow": "|" } }'), false);
    assert.equal(at('{ "$options": { "simulate": | } }'), false);
  });
});
