// Which files `test` looks at: folders searched for *.payload.json(c) (node_modules left out),
// files taken as named, globs expanded, each file once and in a stable order.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { UsageError } from '../../src/cli/args';
import { displayPath, findPayloadFiles } from '../../src/cli/discover';

let dir: string;
const names = ['a.payload.json', 'sub/b.payload.jsonc', 'sub/deeper/c.payload.json', 'sub/notes.json', 'node_modules/pkg/d.payload.json', 'e.json'];

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-runs-discover-'));
  for (const name of names) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), '{}');
  }
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

const relative = (files: string[]) => files.map((file) => displayPath(file, dir));

test('a folder: every *.payload.json and *.payload.jsonc below it, without node_modules, sorted', async () => {
  assert.deepEqual(relative(await findPayloadFiles([], dir)), ['a.payload.json', 'sub/b.payload.jsonc', 'sub/deeper/c.payload.json']);
  assert.deepEqual(relative(await findPayloadFiles(['sub'], dir)), ['sub/b.payload.jsonc', 'sub/deeper/c.payload.json']);
});

test('a file is taken as named, whatever its name; a glob is expanded; each file once', async () => {
  assert.deepEqual(relative(await findPayloadFiles(['e.json', 'sub/*.json', '**/c.payload.json', 'sub/deeper/c.payload.json'], dir)), ['e.json', 'sub/deeper/c.payload.json', 'sub/notes.json']);
});

test('a missing path or a glob matching nothing is a usage error naming it', async () => {
  await assert.rejects(findPayloadFiles(['nope'], dir), (error: unknown) => error instanceof UsageError && /^nope is neither/.test(error.message));
  await assert.rejects(findPayloadFiles(['**/*.yaml'], dir), (error: unknown) => error instanceof UsageError && /The pattern \*\*\/\*\.yaml matches no files/.test(error.message));
});

test('paths outside the current folder are shown absolute', () => {
  assert.equal(displayPath(path.join(dir, 'x', 'y.json'), dir), 'x/y.json');
  assert.equal(displayPath(os.tmpdir(), path.join(dir, 'x')), os.tmpdir());
});
