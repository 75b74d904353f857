// The import rules (scripts/lint-deps.mjs with .dependency-cruiser.cjs and .dependency-cruiser.page.cjs)
// must be able to fail: each rule that guards a package (`vscode` for the client, the providers,
// the CLI and the test runner; zod for the page) is run on a small throwaway tree that breaks it.
// They once could not: the packages were left out of the graph, so no import of one was ever seen.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
let tree: string;

/** Writes the files (path → text) under the throwaway tree's src/. */
function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(tree, 'src', name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

/** `node scripts/lint-deps.mjs` as the project runs it, in the throwaway tree: exit code and output. */
function lintDeps(): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [path.join(tree, 'scripts', 'lint-deps.mjs')], { cwd: tree, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('import rules can fail', { timeout: 120_000 }, () => {
  before(() => {
    tree = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-dependency-rules-'));
    for (const name of ['.dependency-cruiser.page.cjs', 'tsconfig.json', 'package.json']) fs.copyFileSync(path.join(root, name), path.join(tree, name));
    // The project's rules as they are; node_modules below is a link to the project's, and paths
    // through it must read node_modules/… as in a real checkout, not the link's target.
    fs.writeFileSync(
      path.join(tree, '.dependency-cruiser.cjs'),
      `const rules = require(${JSON.stringify(path.join(root, '.dependency-cruiser.cjs'))});\nmodule.exports = { ...rules, options: { ...rules.options, preserveSymlinks: true } };\n`,
    );
    fs.mkdirSync(path.join(tree, 'scripts'));
    fs.copyFileSync(path.join(root, 'scripts', 'lint-deps.mjs'), path.join(tree, 'scripts', 'lint-deps.mjs'));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(tree, 'node_modules'), 'dir');
    write({ 'client/clean.ts': 'export const ok = 1;\n', 'webview/app/main.ts': "import type { Parsed } from '../protocol';\nexport type P = Parsed<number>;\n", 'webview/protocol.ts': 'export type Parsed<T> = { ok: true; value: T };\n' });
  });
  after(() => fs.rmSync(tree, { recursive: true, force: true }));

  it('a clean tree passes', () => {
    const { status, output } = lintDeps();
    assert.equal(status, 0, output);
  });

  it('the client importing vscode fails, naming the rule and both modules', () => {
    write({ 'client/editorLeak.ts': "import * as vscode from 'vscode';\nexport const leak = vscode;\n" });
    const { status, output } = lintDeps();
    fs.rmSync(path.join(tree, 'src', 'client', 'editorLeak.ts'));
    assert.equal(status, 1);
    assert.match(output, /no-editor-below-runs: src\/client\/editorLeak\.ts → node_modules\/@types\/vscode\//);
  });

  it('the test runner reaching vscode through another module fails', () => {
    write({ 'testing/runner.ts': "import { tree } from '../host/tree';\nexport const t = tree;\n", 'host/tree.ts': "import * as vscode from 'vscode';\nexport const tree = vscode;\n" });
    const { status, output } = lintDeps();
    fs.rmSync(path.join(tree, 'src', 'testing'), { recursive: true });
    fs.rmSync(path.join(tree, 'src', 'host'), { recursive: true });
    assert.equal(status, 1);
    assert.match(output, /cli-never-reaches-vscode: src\/testing\/runner\.ts/);
  });

  it('the page reaching zod at run time fails; a type-only import of the same module does not', () => {
    write({ 'webview/schemas.ts': "import { z } from 'zod';\nexport const S = z.string();\nexport type T = z.infer<typeof S>;\n" });
    write({ 'webview/app/typesOnly.ts': "import type { T } from '../schemas';\nexport type U = T;\n" });
    assert.equal(lintDeps().status, 0, 'type-only imports are not bundled');
    write({ 'webview/app/typesOnly.ts': "import { S } from '../schemas';\nexport const U = S;\n" });
    const { status, output } = lintDeps();
    fs.rmSync(path.join(tree, 'src', 'webview', 'app', 'typesOnly.ts'));
    assert.equal(status, 1);
    assert.match(output, /page-without-zod: src\/webview\/app\/typesOnly\.ts/);
  });
});
