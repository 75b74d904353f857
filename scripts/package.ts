// `npm run package [-- <vsce package options>]`: the .vsix, with the README a user reads.
//
// README.md is both the repository's front page and the extension's page in VS Code. The parts
// between `<!-- not-in-package:start -->` and `<!-- not-in-package:end -->` lines (set-up, how it
// is built, contributing, tests, performance, reliability) are for people working on the
// extension: they stay in README.md and are left out of the package. This script writes README.md
// without them to out/package/README.md, then runs `vsce package --readme-path` on it (vsce runs
// vscode:prepublish, the production build, first). One source; the copy is build output.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** Where the packaged README is written, relative to the repository (gitignored out/). */
export const packageReadmePath = 'out/package/README.md';

const startMarker = '<!-- not-in-package:start -->';
const endMarker = '<!-- not-in-package:end -->';

/**
 * README.md without its not-in-package parts. Markers stand on lines of their own and do not nest;
 * anything else is an error rather than a guess. Links stay as written: the packaged copy becomes
 * the package's readme.md, at the root like README.md.
 */
export function readmeForPackage(markdown: string): string {
  const kept: string[] = [];
  let openedAt: number | undefined;
  let afterSection = false;
  markdown.split('\n').forEach((line, index) => {
    const marker = line.trim();
    if (marker === startMarker) {
      if (openedAt !== undefined) throw new Error(`README.md:${index + 1}: not-in-package sections do not nest (one opened on line ${openedAt})`);
      openedAt = index + 1;
    } else if (marker === endMarker) {
      if (openedAt === undefined) throw new Error(`README.md:${index + 1}: ${endMarker} without a start`);
      openedAt = undefined;
      afterSection = true;
    } else if (openedAt === undefined) {
      // One blank line where a section was cut out, not two.
      if (afterSection && line.trim() === '' && (kept.at(-1) ?? '').trim() === '') return;
      afterSection = false;
      kept.push(line);
    }
  });
  if (openedAt !== undefined) throw new Error(`README.md:${openedAt}: ${startMarker} is never closed`);
  return kept.join('\n');
}

/** Writes out/package/README.md from README.md; returns its absolute path. */
export function writePackageReadme(root = ROOT): string {
  const target = path.join(root, packageReadmePath);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, readmeForPackage(fs.readFileSync(path.join(root, 'README.md'), 'utf8')));
  return target;
}

if (require.main === module) {
  writePackageReadme();
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const args = ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--readme-path', packageReadmePath];
  const result = spawnSync(process.execPath, [vsce, ...args, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
