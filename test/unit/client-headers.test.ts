// Answer headers as the client reads them from undici's raw pairs (src/client/body.ts) must be what
// undici's own parsing, flattened, would give: one lower-case name each, repeated values joined.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { flattenHeaders, isEncoded, recordOfRawHeaders } from '../../src/client/body';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- undici's own parser, for comparison
const { parseHeaders } = require('undici/lib/core/util') as { parseHeaders(raw: Buffer[]): Record<string, string | string[]> };

const name = fc.constantFrom('Content-Type', 'content-type', 'Set-Cookie', 'set-cookie', 'X-Request-Id', 'Retry-After', 'Content-Encoding', 'constructor', 'toString', 'x-a');
const value = fc.string({ maxLength: 8 }).map((text) => text.replace(/[^\x20-\x7e]/g, 'a'));
const raw = (pairs: Array<[string, string]>) => pairs.flatMap(([key, text]) => [Buffer.from(key, 'latin1'), Buffer.from(text, 'latin1')]);

describe('Raw answer headers', () => {
  it('read as undici parses and the client flattens them', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 8 }), (pairs) => {
        assert.deepStrictEqual(recordOfRawHeaders(raw(pairs)), flattenHeaders(parseHeaders(raw(pairs))));
      }),
      { numRuns: 2000 },
    );
  });

  it('say whether the body needs decoding', () => {
    assert.equal(isEncoded(raw([['Content-Type', 'application/json'], ['Content-Encoding', ' GZIP ']])), true);
    assert.equal(isEncoded(raw([['content-encoding', 'br']])), true);
    assert.equal(isEncoded(raw([['content-encoding', 'identity']])), false);
    assert.equal(isEncoded(raw([['content-language', 'gzip']])), false);
    assert.equal(isEncoded(raw([])), false);
  });
});
