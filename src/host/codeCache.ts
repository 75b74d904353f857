// Loads one of the extension's own CommonJS files the way require() does, with V8's code cache.
// Compiling dist/services.js (376 KB) is most of what the services' first use costs (≈ 14 ms of
// ≈ 26 ms on a slow machine); with the cache V8 kept from the last load it is ≈ 3 ms. VS Code
// keeps such a cache for its own code; Node 20, which runs the extension host, has none for
// extensions. The cache lives in the extension's global storage, one file per build of the bundle
// and V8 version, sealed with checksums; a cache that does not fit (another build, another V8,
// damaged) is only ignored, and replaced.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import type * as vm from 'node:vm';

/** Node's module internals that require() itself uses to set up a module (stable since Node 0.x). */
interface ModuleInternals {
  new (id: string, parent?: NodeModule): NodeModule & { paths: string[]; loaded: boolean; filename: string };
  _cache: Record<string, NodeModule>;
  _nodeModulePaths(from: string): string[];
  wrap(source: string): string;
}
const Modules = Module as unknown as ModuleInternals;

/** How long after a load without a usable cache the cache is written: the functions the first use compiled are then in it too. */
const writeCacheAfterMs = 2_000;

export interface CodeCacheOptions {
  /** A folder of the extension's own (created if missing). */
  folder: string;
  /** Told when the cache could not be read or written: the file still loads, only slower. */
  onProblem?(message: string): void;
  /** How long after a load without a usable cache it is written (default 2 s). */
  writeAfterMs?: number;
}

/** A file loaded: its exports, and whether V8 used a cache (`none`: there was none; `rejected`: it did not fit: another build or V8, or damaged). */
export interface CachedLoad {
  exports: unknown;
  cache: 'used' | 'none' | 'rejected' | 'loaded before';
}

/**
 * The bundle `name` beside the calling bundle (`dir`, its __dirname), loaded with a code cache in
 * `storage`/code-cache. Undefined when there is no such file: run from source, not bundled.
 */
export function requireBundledWithCodeCache(dir: string, name: string, storage: string, options: Omit<CodeCacheOptions, 'folder'> = {}): CachedLoad | undefined {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) return undefined;
  return requireWithCodeCache(file, { ...options, folder: path.join(storage, 'code-cache') });
}

/**
 * `require(file)` with V8's code cache from `options.folder`: the same module object in
 * require.cache, the same `require` inside it (so `vscode` and relative files resolve as usual).
 * When no cache was accepted, one is written a moment later, off the caller's path.
 */
export function requireWithCodeCache(file: string, options: CodeCacheOptions): CachedLoad {
  const known = Modules._cache[file];
  if (known) return { exports: known.exports, cache: 'loaded before' };
  const source = fs.readFileSync(file, 'utf8');
  const cacheFile = path.join(options.folder, cacheName(file));
  const stored = readCache(cacheFile);
  const cachedData = stored && unsealed(source, stored);
  // Required here, not at the top: a real extension host has not loaded `vm` when the entry activates.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const { Script } = require('node:vm') as typeof vm;
  const script = new Script(Modules.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const loaded = new Modules(file, module);
  loaded.filename = file;
  loaded.paths = Modules._nodeModulePaths(path.dirname(file));
  Modules._cache[file] = loaded;
  try {
    const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: NodeModule, filename: string, dirname: string) => void;
    wrapper.call(loaded.exports, loaded.exports, Module.createRequire(file), loaded, file, path.dirname(file));
    loaded.loaded = true;
  } catch (error) {
    delete Modules._cache[file];
    throw error;
  }
  const cache = !stored ? 'none' : !cachedData || script.cachedDataRejected === true ? 'rejected' : 'used';
  if (cache !== 'used') setTimeout(() => writeCache(script, source, cacheFile, options), options.writeAfterMs ?? writeCacheAfterMs).unref();
  return { exports: loaded.exports, cache };
}

/** One name per build of the file (its size and time) and V8 version: a new build never meets an old cache. */
function cacheName(file: string): string {
  const stat = fs.statSync(file);
  const build = `${path.basename(file)}-${stat.size}-${Math.round(stat.mtimeMs)}-v8-${process.versions.v8}`;
  return `${build.replace(/[^\w.-]/g, '_')}.cache`;
}

function readCache(cacheFile: string): Buffer | undefined {
  try {
    return fs.readFileSync(cacheFile);
  } catch {
    // None yet (the first load after an install or update), or unreadable: compiled as usual.
    return undefined;
  }
}

/**
 * V8 checks a cache's version, flags and source length, not its bytes: a damaged cache can crash
 * the process. So each cache file starts with the SHA-1 of the source it was made from and of its
 * own bytes, and is given to V8 only when both match.
 */
function sealed(source: string, data: Buffer): Buffer {
  return Buffer.concat([sha1(source), sha1(data), data]);
}

function unsealed(source: string, stored: Buffer): Buffer | undefined {
  if (stored.length <= 40) return undefined;
  const data = stored.subarray(40);
  return sha1(source).equals(stored.subarray(0, 20)) && sha1(data).equals(stored.subarray(20, 40)) ? data : undefined;
}

function sha1(value: string | Buffer): Buffer {
  return createHash('sha1').update(value).digest();
}

function writeCache(script: vm.Script, source: string, cacheFile: string, options: CodeCacheOptions): void {
  try {
    const data = sealed(source, script.createCachedData());
    fs.mkdirSync(options.folder, { recursive: true });
    // Caches of earlier builds are of no further use.
    for (const name of fs.readdirSync(options.folder)) {
      if (name.endsWith('.cache') && name !== path.basename(cacheFile)) fs.rmSync(path.join(options.folder, name), { force: true });
    }
    // Written whole, then renamed: another window reading meanwhile never sees half a cache.
    const partial = `${cacheFile}.${process.pid}.partial`;
    fs.writeFileSync(partial, data);
    fs.renameSync(partial, cacheFile);
  } catch (error) {
    options.onProblem?.(`The code cache of ${path.basename(cacheFile)} could not be written: ${error instanceof Error ? error.message : String(error)}`);
  }
}
