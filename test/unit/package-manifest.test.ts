// What the Marketplace and `vsce` see: the package holds only what runs or is shown, and the
// listing fields are set.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { packageReadmePath, readmeForPackage, writePackageReadme } from '../../scripts/package';

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;

// VS Code's list (vs/platform/extensions/common/extensions.ts, `EXTENSION_CATEGORIES`).
const marketplaceCategories = [
  'AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Extension Packs', 'Education', 'Formatters', 'Keymaps', 'Language Packs',
  'Linters', 'Machine Learning', 'Notebooks', 'Programming Languages', 'SCM Providers', 'Snippets', 'Testing', 'Themes', 'Visualization', 'Other',
];

describe('the packaged extension', () => {
  it('`vsce ls` lists only what runs or is shown in VS Code', () => {
    // As `npm run package` packages: with the README written for the package.
    writePackageReadme();
    const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const listed = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies', '--readme-path', packageReadmePath], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .sort();
    // dist/ exists only after a build: without one no bundle is listed, after one all five must be.
    const bundles = ['dist/extension.js', 'dist/services.js', 'dist/undici.js', 'dist/llhttp_simd.wasm', 'dist/webview.js'];
    const built = fs.existsSync(path.join(ROOT, 'dist', 'extension.js'));
    const expected = [
      // No l10n/bundle.l10n.json: VS Code never reads the English source bundle (translations
      // would be l10n/bundle.l10n.<language>.json).
      'CHANGELOG.md', 'LICENSE', packageReadmePath, 'package.json', 'package.nls.json',
      'media/activity-bar.svg', 'media/icon.png', 'media/payload.schema.json', 'media/webview.css',
      'media/screenshots/run-details.png', // the README's picture, shown on the extension's page in VS Code
      'media/walkthrough/connect.md', 'media/walkthrough/payload.md', 'media/walkthrough/run.md',
      ...(built ? bundles : []),
    ].sort();
    assert.deepEqual(listed, expected);
  });

  it('has a 128×128 PNG icon and a gallery banner', () => {
    assert.equal(manifest.icon, 'media/icon.png');
    const png = fs.readFileSync(path.join(ROOT, 'media', 'icon.png'));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    const banner = manifest.galleryBanner as { color?: string; theme?: string };
    assert.match(banner.color ?? '', /^#[0-9a-f]{6}$/i);
    assert.ok(banner.theme === 'dark' || banner.theme === 'light');
  });

  it('has categories from the Marketplace list, not only "Other", and keywords', () => {
    const categories = manifest.categories as string[];
    assert.ok(categories.length > 0 && categories.every((category) => marketplaceCategories.includes(category)), String(categories));
    assert.ok(categories.some((category) => category !== 'Other'));
    const keywords = manifest.keywords as string[];
    assert.ok(keywords.length >= 5 && keywords.length <= 30, `${keywords.length} keywords`);
  });

  it('runs next to the workspace in remote windows (README "Where it runs")', () => {
    assert.deepEqual(manifest.extensionKind, ['workspace', 'ui']);
    assert.ok(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').includes('`extensionKind` is `["workspace", "ui"]`'));
  });
});

describe('the packaged README (scripts/package.ts)', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const packaged = readmeForPackage(readme);
  const headings = (markdown: string) => [...markdown.matchAll(/^## (.+)$/gm)].map((match) => match[1]);

  it('keeps every section a user needs, and leaves out the ones for working on the extension', () => {
    assert.deepEqual(headings(packaged), [
      'First run', 'Install the extension', 'Where it runs: Remote-SSH, WSL, Dev Containers, Codespaces', 'Using it', 'Settings',
      'Payload files as tests', 'Testing workflows in CI', 'Networks', 'Known limits',
    ]);
    for (const kept of ['http.proxy', 'NODE_EXTRA_CA_CERTS', '**What the errors mean**', 'workflowRuns.requestTimeoutSeconds', 'media/screenshots/run-details.png']) {
      assert.ok(packaged.includes(kept), kept);
    }
    for (const left of ['npm start', 'Tested against a real proxy', 'not-in-package']) assert.ok(!packaged.includes(left), left);
    assert.ok(headings(readme).includes('Performance'), 'README.md itself keeps the developer sections');
  });

  it('cuts out marked parts only, leaving one blank line where they were', () => {
    const text = ['# T', '', 'kept', '', '<!-- not-in-package:start -->', '## Dev', 'gone', '<!-- not-in-package:end -->', '', '## Next', 'more', ''].join('\n');
    assert.equal(readmeForPackage(text), ['# T', '', 'kept', '', '## Next', 'more', ''].join('\n'));
    assert.equal(readmeForPackage('a\n`<!-- not-in-package:start -->` in a sentence\n'), 'a\n`<!-- not-in-package:start -->` in a sentence\n');
  });

  it('refuses markers that do not pair up', () => {
    assert.throws(() => readmeForPackage('<!-- not-in-package:start -->\nx\n'), /never closed/);
    assert.throws(() => readmeForPackage('x\n<!-- not-in-package:end -->\n'), /without a start/);
    assert.throws(() => readmeForPackage('<!-- not-in-package:start -->\n<!-- not-in-package:start -->\n'), /do not nest/);
  });
});
