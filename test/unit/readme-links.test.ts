// The README, CHANGELOG and walkthrough pages are shown on the extension's page in VS Code, where
// only the packaged files exist: a relative link to anything else (docs/, src/) is a dead link
// there. Such paths are named as code in the text instead; the repository still has them.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readmeForPackage } from '../../scripts/package';

const ROOT = path.resolve(__dirname, '..', '..');

/** The `!pattern` lines of .vscodeignore (what is packaged), as regular expressions. */
function packagedPatterns(): RegExp[] {
  return fs
    .readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('!'))
    .map((line) => new RegExp(`^${line.slice(1).split('**').map(globSegment).join('.*')}$`));
}

/** A piece of a .vscodeignore pattern without `**`: `*` stays within one folder. */
function globSegment(piece: string): string {
  return piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
}

/** Link and image targets of a Markdown file that are paths in the package, not URLs or anchors. */
function relativeTargets(markdown: string): string[] {
  const targets = [...markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]!);
  return targets.filter((target) => !/^([a-z][a-z0-9+.-]*:|#)/i.test(target)).map((target) => target.replace(/[#?].*$/, ''));
}

/** Markdown pages as they are shown: path in the package (links resolve from its folder) → text. */
function shownPages(): Map<string, string> {
  const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
  const walkthrough = fs.readdirSync(path.join(ROOT, 'media', 'walkthrough')).filter((name) => name.endsWith('.md')).map((name) => `media/walkthrough/${name}`);
  return new Map([
    // The package's readme.md (at its root): README.md without its developer parts, written to
    // out/package/README.md by scripts/package.ts. README.md itself is checked too: the source.
    ['readme.md', readmeForPackage(read('README.md'))],
    ['README.md', read('README.md')],
    ['CHANGELOG.md', read('CHANGELOG.md')],
    ...walkthrough.map((page): [string, string] => [page, read(page)]),
  ]);
}

describe('Markdown shown in VS Code', () => {
  const pages = shownPages();
  // What .vscodeignore packages.
  const packaged = packagedPatterns();

  it('links only to files that are in the package', () => {
    const dead: string[] = [];
    for (const [page, text] of pages) {
      const base = path.posix.dirname(page);
      for (const target of relativeTargets(text)) {
        const file = path.posix.normalize(path.posix.join(base, target));
        if (!fs.existsSync(path.join(ROOT, file)) || !packaged.some((pattern) => pattern.test(file))) dead.push(`${page} → ${target}`);
      }
    }
    assert.deepEqual(dead, []);
  });

  it('finds the links it checks (the packaged README shows its screenshot)', () => {
    for (const [page, text] of pages) {
      if (page.toLowerCase() === 'readme.md') assert.ok(relativeTargets(text).includes('media/screenshots/run-details.png'), page);
    }
  });
});
