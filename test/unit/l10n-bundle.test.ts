// The localization files stay in step with what they translate: l10n/bundle.l10n.json with the
// `l10n.t(…)` calls in src (as `npm run l10n` exports them), package.nls.json with the manifest,
// and the pseudo-localized copies the UI test loads.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { getL10nJson } from '@vscode/l10n-dev';

const ROOT = path.resolve(__dirname, '..', '..');
const readJson = <T>(relative: string): T => JSON.parse(fs.readFileSync(path.join(ROOT, relative), 'utf8')) as T;
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-l10n-test-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

describe('l10n/bundle.l10n.json', () => {
  it('is what `npm run l10n` exports from src today (run it after changing a message)', () => {
    // The same command line as the npm script, into a temp folder.
    const cli = path.join(ROOT, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
    execFileSync(process.execPath, [cli, 'export', '--outDir', temp, path.join(ROOT, 'src')], { cwd: ROOT, stdio: 'pipe' });
    const fresh = JSON.parse(fs.readFileSync(path.join(temp, 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
    const committed = readJson<Record<string, unknown>>('l10n/bundle.l10n.json');
    const missing = Object.keys(fresh).filter((key) => !(key in committed));
    const stale = Object.keys(committed).filter((key) => !(key in fresh));
    assert.deepEqual({ missing, stale }, { missing: [], stale: [] }, 'l10n/bundle.l10n.json is out of date: run `npm run l10n`');
    assert.deepEqual(committed, fresh);
  });

  it('misses no call: every file calling l10n.t(…) is one the exporter reads', async () => {
    // The exporter only sees `l10n.t` whose `l10n` comes from 'vscode' or '@vscode/l10n'; a call
    // through anything else (a re-export, a wrapper) would be shown untranslated, silently.
    const unseen: string[] = [];
    for (const file of sourceFiles(path.join(ROOT, 'src'))) {
      const contents = fs.readFileSync(file, 'utf8');
      const code = contents.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      const calls = code.match(/\bl10n\.t\(/g)?.length ?? 0;
      if (calls === 0) continue;
      const exported = Object.keys(await getL10nJson([{ contents, extension: path.extname(file) }])).length;
      if (exported === 0) unseen.push(`${path.relative(ROOT, file)} (${calls} calls)`);
    }
    assert.deepEqual(unseen, []);
  });

  it('is declared in the manifest; translations are packaged, the English source is not', () => {
    // VS Code loads no bundle when the display language is English (the keys are the English
    // strings) and otherwise only l10n/bundle.l10n.<language>.json: the source bundle is for
    // translators. The manifest's English strings (package.nls.json) are needed in every language.
    assert.equal(readJson<{ l10n?: string }>('package.json').l10n, './l10n');
    const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!l10n/bundle.l10n.*.json'), '.vscodeignore keeps translated bundles');
    assert.ok(!ignore.includes('!l10n/bundle.l10n.json'), '.vscodeignore leaves out the English source bundle');
    assert.ok(ignore.includes('!package.nls.json'), '.vscodeignore keeps package.nls.json');
    assert.ok(ignore.includes('!package.nls.*.json'), '.vscodeignore keeps translated manifest strings');
  });
});

/** Manifest keys whose string values users read. */
const localizedKeys = new Set([
  'displayName', 'description', 'markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions',
  'title', 'name', 'contextualTitle', 'contents', 'category', 'deprecationMessage', 'markdownDeprecationMessage', 'label',
]);
const placeholder = /^%([\w.-]+)%$/;

/** [json path, value] of every user-facing string under `value`. */
function userFacingStrings(value: unknown, at: string, key = ''): Array<[string, string]> {
  if (typeof value === 'string') return localizedKeys.has(key) ? [[at, value]] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => userFacingStrings(item, `${at}[${index}]`, key));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([child, item]) =>
      // A settings schema names its properties: "name" there is a setting, not a label.
      userFacingStrings(item, `${at}.${child}`, at.endsWith('.properties') ? '' : child),
    );
  }
  return [];
}

describe('package.nls.json', () => {
  const manifest = readJson<Record<string, unknown>>('package.json');
  const nls = readJson<Record<string, string>>('package.nls.json');
  const strings = [
    ...userFacingStrings(manifest.displayName, 'displayName', 'displayName'),
    ...userFacingStrings(manifest.description, 'description', 'description'),
    ...userFacingStrings(manifest.capabilities, 'capabilities'),
    ...userFacingStrings(manifest.contributes, 'contributes'),
  ];

  it('holds every user-facing manifest string: package.json has only %key% placeholders', () => {
    assert.ok(strings.length > 60, `found ${strings.length} strings`);
    const literal = strings.filter(([, value]) => !placeholder.test(value)).map(([at, value]) => `${at}: ${JSON.stringify(value)}`);
    assert.deepEqual(literal, [], 'move these to package.nls.json');
  });

  it('defines every placeholder, and every key it defines is used', () => {
    const used = new Set(strings.map(([, value]) => placeholder.exec(value)?.[1]).filter((key): key is string => !!key));
    assert.deepEqual([...used].filter((key) => !(key in nls)), [], 'placeholders without a string');
    assert.deepEqual(Object.keys(nls).filter((key) => !used.has(key)), [], 'strings no placeholder uses');
  });

  it('keeps the names of the contract: category, container, views, display name', () => {
    assert.equal(nls['displayName'], 'Workflow Runs');
    assert.equal(nls['command.category'], 'Workflow Runs');
    assert.equal(nls['viewsContainer.workflowRuns.title'], 'Workflow Runs');
    assert.equal(nls['view.workflows.name'], 'Workflows');
    assert.equal(nls['view.runs.name'], 'Runs');
    const commands = (manifest.contributes as { commands: Array<{ command: string; title: string }> }).commands;
    const titles = Object.fromEntries(commands.map((c) => [c.command, nls[placeholder.exec(c.title)?.[1] ?? '']]));
    assert.equal(titles['workflowRuns.addConnection'], 'Add Connection…');
    assert.equal(titles['workflowRuns.runPayloadFile'], 'Run Payload File');
    assert.equal(titles['workflowRuns.openRunById'], 'Open Run by ID…');
  });
});

describe('pseudo-localization (npm run l10n:pseudo)', () => {
  it('writes both files with every key translated and the {placeholders} and command links kept', () => {
    const out = path.join(temp, 'pseudo');
    execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'l10n-pseudo.ts'), out], { cwd: ROOT, stdio: 'pipe' });
    const pairs: Array<[string, string]> = [
      ['package.nls.json', 'package.nls.qps-ploc.json'],
      ['l10n/bundle.l10n.json', 'l10n/bundle.l10n.qps-ploc.json'],
    ];
    for (const [source, pseudo] of pairs) {
      const english = readJson<Record<string, string | { message: string }>>(source);
      const translated = JSON.parse(fs.readFileSync(path.join(out, pseudo), 'utf8')) as Record<string, string | { message: string }>;
      assert.deepEqual(Object.keys(translated).sort(), Object.keys(english).sort(), pseudo);
      for (const [key, value] of Object.entries(english)) {
        const before = typeof value === 'string' ? value : value.message;
        const afterEntry = translated[key];
        const after = typeof afterEntry === 'string' ? afterEntry : afterEntry.message;
        if (/[a-z]{2}/i.test(before.replace(/\{\w+\}|\$\([\w~-]+\)|\(command:[^)]*\)/g, ''))) assert.notEqual(after, before, `${pseudo}: ${key}`);
        const kept = (text: string) => [...text.matchAll(/\{\w+\}|\(command:[^)]*\)|\$\([\w~-]+\)/g)].map((m) => m[0]);
        assert.deepEqual(kept(after), kept(before), `${pseudo}: ${key}`);
      }
    }
  });
});
