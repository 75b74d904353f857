// dist/cli.js runs without VS Code: the bundle is built here exactly as `npm run build` builds it
// (scripts/build/cliBundle.mjs), its metafile shows no `vscode` among the inputs or imports, the
// build refuses a `vscode` import, and the built file starts and prints its usage.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Metafile } from 'esbuild';

let dir: string;
let metafile: Metafile;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-runs-cli-bundle-'));
  const esbuild = await import('esbuild');
  const { cliBundleOptions } = await import('../../scripts/build/cliBundle.mjs');
  const result = await esbuild.build(cliBundleOptions({ outdir: dir, production: true, metafile: true }));
  assert.ok(result.metafile);
  metafile = result.metafile;
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('no input of the CLI bundle is, or imports, vscode', () => {
  const inputs = Object.keys(metafile.inputs);
  assert.ok(inputs.some((input) => input.endsWith('src/cli/entry.ts')));
  assert.ok(inputs.some((input) => input.endsWith('src/providers/pool.ts')), 'the extension\'s provider pool');
  assert.ok(inputs.some((input) => input.endsWith('src/client/http.ts')), 'the extension\'s HTTP client');
  assert.ok(inputs.some((input) => input.endsWith('src/testing/check.ts')), 'the extension\'s $expect checker');
  assert.deepEqual(inputs.filter((input) => /(^|\/)(vscode|@types\/vscode)(\/|$)/.test(input)), []);
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    for (const imported of imports) assert.notEqual(imported.path, 'vscode', `${input} imports vscode`);
  }
  const [output] = Object.values(metafile.outputs);
  assert.ok(output && !output.imports.some((imported) => imported.path === 'vscode'));
});

test('the build refuses an import of vscode and names the importer', async () => {
  const esbuild = await import('esbuild');
  const { refuseVscode } = await import('../../scripts/build/cliBundle.mjs');
  await assert.rejects(
    esbuild.build({
      stdin: { contents: "import * as vscode from 'vscode'; console.log(vscode);", sourcefile: 'sneaky.ts', loader: 'ts' },
      bundle: true,
      write: false,
      platform: 'node',
      logLevel: 'silent',
      plugins: [refuseVscode],
    }),
    /dist\/cli\.js runs without VS Code, but sneaky\.ts imports "vscode"/,
  );
});

test('the built file runs in a plain Node process and prints its usage', () => {
  const file = path.join(dir, 'cli.js');
  assert.ok(fs.readFileSync(file, 'utf8').startsWith('#!/usr/bin/env node\n'));
  const usage = execFileSync(process.execPath, [file, '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  assert.match(usage, /^Usage:\n {2}node dist\/cli\.js test /);
});
