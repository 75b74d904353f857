// What the Testing view makes of the workspace's file events, without `vscode`. A deleted or moved
// folder is one event for the folder itself (nothing for the files in it), so a delete removes
// every test under its path, and a created path that may be a folder (a folder moved or copied in)
// is looked into for payload files.
import { isPayloadFileName } from './results';

/** Paths (URI strings) compare by segments: `a/b` holds `a/b/c`, not `a/bc`. */
export function isSameOrUnder(path: string, folder: string): boolean {
  const base = folder.endsWith('/') ? folder.slice(0, -1) : folder;
  return path === base || path.startsWith(`${base}/`);
}

/** A folder whose contents are never tests (the discovery excludes it too). */
export function isIgnoredPath(path: string): boolean {
  return /(^|\/)node_modules(\/|$)/.test(path);
}

/**
 * Of the paths created since the last look, those that may be folders holding payload files:
 * not payload files themselves (each has its own event), nothing ignored, and only the topmost of
 * nested ones (looking into a folder finds what is below it). In the order first seen.
 */
export function foldersToScan(createdPaths: Iterable<string>): string[] {
  const candidates = [...new Set(createdPaths)].filter((path) => !isPayloadFileName(path) && !isIgnoredPath(path));
  // Shortest first, so a folder is kept before anything below it; each path then checks only its
  // own ancestors (a build writing thousands of files costs thousands of look-ups, not millions).
  const kept = new Set<string>();
  for (const path of [...candidates].sort((a, b) => a.length - b.length)) {
    if (!ancestorsOf(path).some((ancestor) => kept.has(ancestor))) kept.add(path);
  }
  return candidates.filter((path) => kept.has(path));
}

function ancestorsOf(path: string): string[] {
  const ancestors: string[] = [];
  for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) ancestors.push(path.slice(0, slash));
  return ancestors;
}
