// Which files `test` runs: each argument is a file, a folder (searched for *.payload.json and
// *.payload.jsonc, skipping node_modules and dot-folders) or a glob pattern. Whether a file holds
// `$expect` is decided later, from its text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { glob, isDynamicPattern } from 'tinyglobby';
import { UsageError } from './args';

const payloadPatterns = ['**/*.payload.json', '**/*.payload.jsonc'];
const ignored = ['**/node_modules/**'];

/** Absolute paths, each once, sorted so runs and reports come in a stable order. */
export async function findPayloadFiles(patterns: readonly string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns.length > 0 ? patterns : ['.']) {
    const resolved = path.resolve(cwd, pattern);
    const stat = statOrUndefined(resolved);
    if (stat?.isDirectory()) {
      for (const file of await glob(payloadPatterns, { cwd: resolved, absolute: true, ignore: ignored })) found.add(path.normalize(file));
    } else if (stat?.isFile()) {
      found.add(resolved);
    } else if (isDynamicPattern(pattern)) {
      const matches = await glob(pattern, { cwd, absolute: true, ignore: ignored });
      if (matches.length === 0) throw new UsageError(l10n.t('The pattern {0} matches no files.', pattern));
      for (const file of matches) found.add(path.normalize(file));
    } else {
      throw new UsageError(l10n.t('{0} is neither a file, a folder nor a glob pattern that matches files.', pattern));
    }
  }
  return [...found].sort();
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

/** A path as people read it in the output: relative to the current folder, with forward slashes. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  const shown = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  return shown.split(path.sep).join('/');
}
