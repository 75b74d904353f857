// Where a request goes (src/client/requestTarget.ts): URLs are split as text where they are plain,
// and must go exactly where `new URL` would send them, whatever the text; log lines never show
// query values.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { logPath, requestTarget } from '../../src/client/requestTarget';

/** What the client sent before: a URL object with the query set on it. */
function byUrl(raw: string, query?: Record<string, string | number | boolean | undefined>): { origin: string; path: string } {
  const url = new URL(raw);
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
  return { origin: url.origin, path: `${url.pathname}${url.search}` };
}

const origins = ['http://127.0.0.1:8080', 'https://api.b3os.org', 'https://API.Example.com:443', 'http://host:80', 'https://user:pw@host', 'http://[::1]:3000', 'https://bücher.example'];
/** Path pieces with what URL treats specially: dots, %2e, encoded and unencoded odd characters, backslashes. */
const piece = fc.oneof(
  fc.constantFrom('v1', 'runs', 'run_9k2m', '.', '..', '%2e', '%2E%2e', '.well-known', 'a b', 'a%20b', 'ü', '{id}', "(x)*+,;=:@!$&'", 'a\\b', '?q=1', '#frag', '~x', '', '%zz'),
  fc.string({ maxLength: 4 }),
);
const path = fc.array(piece, { maxLength: 5 }).map((pieces) => pieces.map((text) => `/${text}`).join(''));

describe('Request targets', () => {
  it('go where URL sends them, for plain and odd URLs alike', () => {
    fc.assert(
      fc.property(fc.constantFrom(...origins), path, (origin, rest) => {
        const raw = origin + rest;
        let expected: { origin: string; path: string } | undefined;
        try {
          expected = byUrl(raw);
        } catch {
          assert.throws(() => requestTarget(raw, undefined));
          return;
        }
        const target = requestTarget(raw, undefined);
        assert.deepEqual({ origin: target.origin, path: target.path }, expected, raw);
      }),
      { numRuns: 2000 },
    );
  });

  it('carry query values, and log only their names', () => {
    const target = requestTarget('https://api.b3os.org/v1/workflows', { limit: 50, offset: 0, cursor: undefined, token: 'secret value' });
    assert.deepEqual({ origin: target.origin, path: target.path }, byUrl('https://api.b3os.org/v1/workflows', { limit: 50, offset: 0, token: 'secret value' }));
    assert.equal(target.logged, '/v1/workflows?limit&offset&token');
    assert.equal(logPath('https://api.b3os.org/v1/runs?secret=1', { page: 2 }), '/v1/runs?secret&page');
  });

  it('log a plain path as it is sent', () => {
    assert.equal(requestTarget('http://127.0.0.1:8080/v1/runs/run_1', undefined).logged, '/v1/runs/run_1');
    assert.equal(requestTarget('http://127.0.0.1:8080', undefined).path, '/');
    assert.equal(logPath('not a url'), '(invalid URL)');
  });
});
