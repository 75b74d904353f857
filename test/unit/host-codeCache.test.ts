// Loading a bundle with V8's code cache (src/host/codeCache.ts): the same module as require()
// gives, a cache written after a load without one and used by the next load, and a cache that
// does not fit (another build, damaged) ignored and replaced. Each load is a fresh Node process,
// as each window's extension host is.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { requireBundledWithCodeCache } from '../../src/host/codeCache';

const root = path.resolve(__dirname, '../..');
const folders: string[] = [];
after(() => {
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

/** A bundle that requires a built-in and a file beside it, and says who its module is. */
function bundleFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-code-cache-'));
  folders.push(folder);
  fs.writeFileSync(path.join(folder, 'helper.js'), 'module.exports = { twice: (n) => n * 2 };\n');
  const body = Array.from({ length: 200 }, (_, i) => `exports.f${i} = (x) => x + ${i};`).join('\n');
  fs.writeFileSync(
    path.join(folder, 'bundle.js'),
    `'use strict';\nconst path = require('node:path');\nconst helper = require('./helper.js');\n${body}\nexports.answer = helper.twice(21);\nexports.self = { filename: module.filename, dirname: __dirname, base: path.basename(__filename), cached: require.cache[__filename] === module };\n`,
  );
  return folder;
}

interface Loaded {
  cache: string;
  answer: number;
  self: { filename: string; dirname: string; base: string; cached: boolean };
  again: string;
}

/** Loads bundle.js in a fresh process (staying until a cache would be written), and once more in it. */
function load(folder: string, storage: string): Loaded {
  const script = `
    const { requireBundledWithCodeCache } = require(${JSON.stringify(path.join(root, 'src/host/codeCache.ts'))});
    const first = requireBundledWithCodeCache(${JSON.stringify(folder)}, 'bundle.js', ${JSON.stringify(storage)}, { onProblem: (m) => console.error(m), writeAfterMs: 50 });
    const again = requireBundledWithCodeCache(${JSON.stringify(folder)}, 'bundle.js', ${JSON.stringify(storage)});
    console.log(JSON.stringify({ cache: first.cache, answer: first.exports.answer, self: first.exports.self, again: again.cache }));
    setTimeout(() => {}, 400);
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim()) as Loaded;
}

function cacheFiles(storage: string): string[] {
  const folder = path.join(storage, 'code-cache');
  return fs.existsSync(folder) ? fs.readdirSync(folder).filter((name) => name.endsWith('.cache')) : [];
}

describe('loading a bundle with a code cache', () => {
  it('loads like require(), writes a cache after a load without one, and the next process uses it', () => {
    const folder = bundleFolder();
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-code-cache-storage-'));
    folders.push(storage);

    const first = load(folder, storage);
    assert.equal(first.cache, 'none');
    assert.equal(first.answer, 42, 'a relative require inside it resolves beside it');
    assert.deepEqual(first.self, { filename: path.join(folder, 'bundle.js'), dirname: folder, base: 'bundle.js', cached: true });
    assert.equal(first.again, 'loaded before', 'one module, as require() keeps it');
    assert.equal(cacheFiles(storage).length, 1, 'written once the load was over');

    const second = load(folder, storage);
    assert.equal(second.cache, 'used');
    assert.equal(second.answer, 42);
  });

  it('a cache that does not fit is ignored, the file loads, and a new cache replaces it', () => {
    const folder = bundleFolder();
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-code-cache-storage-'));
    folders.push(storage);
    load(folder, storage);
    const [name] = cacheFiles(storage);
    const file = path.join(storage, 'code-cache', name!);
    const good = fs.readFileSync(file);
    fs.writeFileSync(file, Buffer.concat([good.subarray(0, 64), Buffer.alloc(good.length - 64, 7)]));

    const damaged = load(folder, storage);
    assert.equal(damaged.cache, 'rejected');
    assert.equal(damaged.answer, 42);
    assert.equal(load(folder, storage).cache, 'used', 'rewritten after the rejected one');

    // Another build of the bundle: another name, and the old cache is removed when the new one is written.
    fs.appendFileSync(path.join(folder, 'bundle.js'), '\nexports.more = true;\n');
    assert.equal(load(folder, storage).cache, 'none');
    assert.equal(cacheFiles(storage).length, 1);
    assert.notEqual(cacheFiles(storage)[0], name);
  });

  it('a bundle that is not there (run from source) is left to require()', () => {
    assert.equal(requireBundledWithCodeCache(os.tmpdir(), 'no-such-bundle.js', os.tmpdir()), undefined);
  });
});
