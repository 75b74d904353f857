// A translation is looked up when `l10n.t` is called. The bundle is loaded on activation (and by
// the page and the CLI before they render), after every module of the bundle has been evaluated,
// so an `l10n.t(…)` that runs while a module loads — in a constant, a descriptor's literal, a zod
// schema's message — would stay English for good. Every call must sit in a function, a getter or a
// class member, which run when the text is shown.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** `l10n.t(…)` calls evaluated when their module loads, as `file:line`. */
function callsAtLoad(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node, deferred: boolean): void => {
    // Function bodies and getters run when called; an instance field when its object is made. A
    // static field or block runs with the class, i.e. at load.
    const isStatic = ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword);
    const later = deferred || ts.isFunctionLike(node) || (ts.isPropertyDeclaration(node) && !isStatic);
    if (ts.isCallExpression(node) && /(^|\.)l10n\.t$/.test(node.expression.getText(source)) && !later) {
      found.push(`${path.relative(ROOT, file).split(path.sep).join('/')}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`);
    }
    ts.forEachChild(node, (child) => visit(child, later));
  };
  visit(source, false);
  return found;
}

describe('l10n.t timing', () => {
  it('no message is translated while a module loads (before the bundle is there)', () => {
    assert.deepEqual(sourceFiles(path.join(ROOT, 'src')).flatMap(callsAtLoad), []);
  });

  it('finds a call at load when there is one', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-l10n-timing-'));
    const probe = path.join(folder, 'probe.ts');
    fs.writeFileSync(
      probe,
      [
        "import * as l10n from '@vscode/l10n';",
        "export const label = l10n.t('Too early');",
        "export const later = () => l10n.t('In time');",
        "export const descriptor = { get label() { return l10n.t('In time'); } };",
        "export class Page { title = l10n.t('In time'); static heading = l10n.t('Too early'); }",
        '',
      ].join('\n'),
    );
    try {
      assert.deepEqual(callsAtLoad(probe).map((at) => at.replace(/^.*:/, '')), ['2', '5']);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
