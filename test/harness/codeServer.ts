// code-server (= VS Code 1.100.3 in a browser) for the extension-host and UI tests, and for
// `npm start`. It is installed on demand into the ignored .cache folder, never as a project
// dependency. test/harness/README.md describes the stages that use it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildPseudoLanguagePack, pseudoLocalizeInstalledExtension, registerPseudoLanguagePack } from './pseudoLocale';

export const CODE_SERVER_VERSION = '4.100.3';
/** The project folder: the nearest folder above this file whose package.json is workflow-runs. */
export const ROOT = findRoot();

function findRoot(): string {
  // __filename, not __dirname: when loaded through tsx's tsImport (scripts/start.mjs), __dirname
  // is not a path.
  const starts = [path.dirname(__filename), process.cwd()];
  for (const start of starts) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
        if (pkg.name === 'workflow-runs') return dir;
      } catch {
        // no package.json here
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error('Cannot find the workflow-runs project folder');
}
export const CACHE_DIR = path.join(ROOT, '.cache');
export const CODE_SERVER_DIR = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
const MARKER = path.join(CODE_SERVER_DIR, '.installed');
const ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

// @vscode/ripgrep (a code-server dependency) downloads ripgrep from GitHub in its postinstall,
// unless this archive is already in its cache folder.
const RIPGREP_CACHE = path.join(os.tmpdir(), 'vscode-ripgrep-cache-1.15.11');
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export const DEBIAN_PACKAGES = ['chromium', 'libkrb5-dev', 'pkg-config', 'ripgrep'] as const;

export function log(message: string): void {
  process.stderr.write(`[harness] ${message}\n`);
}

function isDebianPackageInstalled(name: string): boolean {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

/** Installs the Debian packages the tests need when missing (as root), or fails saying how. */
export function ensureDebianPackages(): void {
  const hasDpkg = spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status === 0;
  const missing = hasDpkg
    ? DEBIAN_PACKAGES.filter((name) => !isDebianPackageInstalled(name))
    : (['chromium', 'ripgrep'] as const).filter((name) => !fs.existsSync(`/usr/bin/${name === 'ripgrep' ? 'rg' : name}`));
  if (missing.length === 0) return;
  const command = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${DEBIAN_PACKAGES.join(' ')}`;
  if (!hasDpkg || typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new Error(
      `Missing system packages: ${missing.join(', ')}. Install them first (as root):\n  ${command}`,
    );
  }
  log(`installing Debian packages: ${missing.join(', ')} (about 30 s)`);
  const started = Date.now();
  const result = spawnSync('sh', ['-c', command.replace('apt-get update', 'apt-get update -qq').replace('-y', '-y -qq')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) throw new Error(`Installing Debian packages failed (exit ${result.status}): ${command}`);
  log(`Debian packages installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function installedVersion(): string | undefined {
  if (!fs.existsSync(MARKER) || !fs.existsSync(ENTRY)) return undefined;
  const temp = tempDir('code-server-version');
  const result = spawnSync(process.execPath, [ENTRY, '--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...throwawayXdg(temp.dir) },
  });
  temp.remove();
  if (result.status !== 0) return undefined;
  // `4.100.3 <commit> with Code 1.100.3`, possibly after log lines.
  return /^(\d+\.\d+\.\d+) /m.exec(result.stdout)?.[1];
}

function throwawayXdg(base: string): Record<string, string> {
  const env = {
    XDG_CONFIG_HOME: path.join(base, 'xdg-config'),
    XDG_DATA_HOME: path.join(base, 'xdg-data'),
    XDG_CACHE_HOME: path.join(base, 'xdg-cache'),
    XDG_STATE_HOME: path.join(base, 'xdg-state'),
  };
  for (const dir of Object.values(env)) fs.mkdirSync(dir, { recursive: true });
  return env;
}

function prepareRipgrepCache(): void {
  const archive = path.join(RIPGREP_CACHE, RIPGREP_ARCHIVE);
  if (fs.existsSync(archive) && fs.statSync(archive).size > 0) return;
  const rg = '/usr/bin/rg';
  if (!fs.existsSync(rg)) throw new Error(`${rg} is missing: install the Debian package ripgrep.`);
  fs.mkdirSync(RIPGREP_CACHE, { recursive: true });
  const partial = `${archive}.${process.pid}.partial`;
  const result = spawnSync('tar', ['-czf', partial, '-C', path.dirname(rg), 'rg'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('Could not build the ripgrep archive for @vscode/ripgrep.');
  fs.renameSync(partial, archive);
}

/**
 * Makes sure code-server is installed and working in .cache/code-server-<version>; installs it
 * (about a minute, 300 MB) when the cache is missing, partial or broken. Returns the entry script.
 */
export function ensureCodeServer(): string {
  ensureDebianPackages();
  if (installedVersion() === CODE_SERVER_VERSION) return ENTRY;
  if (fs.existsSync(CODE_SERVER_DIR)) {
    log(`removing incomplete code-server cache ${path.relative(ROOT, CODE_SERVER_DIR)}`);
    fs.rmSync(CODE_SERVER_DIR, { recursive: true, force: true });
  }
  prepareRipgrepCache();
  fs.mkdirSync(CODE_SERVER_DIR, { recursive: true });
  fs.writeFileSync(path.join(CODE_SERVER_DIR, 'package.json'), '{ "private": true }\n');
  log(`installing code-server@${CODE_SERVER_VERSION} into ${path.relative(ROOT, CODE_SERVER_DIR)} (about a minute)`);
  const started = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const temp = tempDir('code-server-install');
  const result = spawnSync(
    npm,
    ['install', '--prefix', CODE_SERVER_DIR, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`],
    {
      cwd: CODE_SERVER_DIR,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        ...throwawayXdg(temp.dir),
        npm_config_yes: 'true',
        npm_config_unsafe_perm: 'true',
        npm_config_update_notifier: 'false',
      },
    },
  );
  temp.remove();
  if (result.status !== 0) {
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${result.status}); see the output above.`);
  }
  fs.writeFileSync(MARKER, `${CODE_SERVER_VERSION}\n`);
  const version = installedVersion();
  if (version !== CODE_SERVER_VERSION) {
    fs.rmSync(MARKER, { force: true });
    throw new Error(`code-server installed but \`--version\` says ${version ?? 'nothing'}, expected ${CODE_SERVER_VERSION}.`);
  }
  log(`code-server installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return ENTRY;
}

/** A free TCP port on 127.0.0.1, found by binding port 0. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Cleanup guard: whatever happens (exception, Ctrl+C, kill), started servers and temp folders go.

type Cleanup = () => void;
const cleanups = new Set<Cleanup>();
let guardInstalled = false;

function installGuard(): void {
  if (guardInstalled) return;
  guardInstalled = true;
  process.on('exit', runCleanups);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      runCleanups();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

function runCleanups(): void {
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup();
    } catch {
      // best effort
    }
  }
  cleanups.clear();
}

/** Registers a synchronous cleanup run on exit or signal; returns a function that runs it now. */
export function onCleanup(cleanup: Cleanup): () => void {
  installGuard();
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cleanups.delete(once);
    cleanup();
  };
  cleanups.add(once);
  return once;
}

/** A temp folder removed on exit. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wr-${prefix}-`));
  const remove = onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  return { dir, remove };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

// ---------------------------------------------------------------------------------------------

export interface CodeServerOptions {
  /** A .vsix to install before starting. */
  vsixPath?: string;
  /** User settings merged over the quiet defaults. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and its extension host (e.g. credentials). */
  env?: Record<string, string>;
  /** The folder the workbench opens (used by workbenchUrl). */
  workspaceFolder: string;
  /** Fixed port (default: a free one). */
  port?: number;
  /** Print code-server's own output. */
  verbose?: boolean;
  /** Make the pseudo locale qps-ploc available to pages (see pseudoLocale.ts); they pick it with setLocale. */
  pseudoLocale?: boolean;
}

export interface CodeServer {
  /** Base URL, e.g. http://127.0.0.1:41234/ */
  url: string;
  port: number;
  workspaceFolder: string;
  userDataDir: string;
  extensionsDir: string;
  /** URL of the workbench opening `folder` (default: the workspace folder), with optional payload. */
  workbenchUrl(options?: { folder?: string; payload?: Array<[string, string]> }): string;
  /** Rewrites the user settings (quiet defaults + these); read by the next page load. */
  setUserSettings(settings: Record<string, unknown>): void;
  /** The display language of the next page load (argv.json `locale`); undefined = English. */
  setLocale(locale: string | undefined): void;
  /** Resolves when the code-server process ends (by stop() or on its own). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export const QUIET_SETTINGS: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'window.restoreWindows': 'none',
  // The emulator listens on local ports: no "Your application is available" toasts.
  'remote.autoForwardPorts': false,
  'remote.restoreForwardedPorts': false,
  'files.hotExit': 'off',
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
};

function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        reject(new Error(`code-server exited early (${child.exitCode ?? child.signalCode})`));
        return;
      }
      const request = http.get(`${url}healthz`, (response) => {
        response.resume();
        if (response.statusCode && response.statusCode < 500) resolve();
        else retry();
      });
      request.on('error', retry);
      request.setTimeout(2000, () => request.destroy());
    };
    const retry = () => {
      if (Date.now() > deadline) reject(new Error(`code-server did not answer on ${url} within ${timeoutMs} ms`));
      else setTimeout(attempt, 150);
    };
    attempt();
  });
}

/** Installs (if asked) the .vsix and starts code-server in its own process group. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const entry = ensureCodeServer();
  const temp = tempDir('code-server');
  const userDataDir = path.join(temp.dir, 'user-data');
  const extensionsDir = path.join(temp.dir, 'extensions');
  const xdg = throwawayXdg(temp.dir);
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const setUserSettings = (settings: Record<string, unknown> = {}) =>
    fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  setUserSettings(options.settings);
  // TMPDIR too: code-server's IPC sockets and the extension host's temp files go with the folder.
  const tmp = path.join(temp.dir, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...xdg,
    TMPDIR: tmp,
    ...options.env,
  };
  // code-server must not think it runs inside a VS Code terminal of another instance.
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.VSCODE_PROXY_URI;
  delete env.ELECTRON_RUN_AS_NODE;
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  const install = (vsixPath: string) => {
    const started = Date.now();
    const result = spawnSync(process.execPath, [entry, ...common, '--install-extension', path.resolve(vsixPath), '--force'], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (result.status !== 0) {
      temp.remove();
      throw new Error(`Installing ${vsixPath} into code-server failed:\n${result.stdout}\n${result.stderr}`);
    }
    log(`installed ${path.basename(vsixPath)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  if (options.vsixPath) install(options.vsixPath);
  if (options.pseudoLocale) {
    install(buildPseudoLanguagePack(temp.dir));
    registerPseudoLanguagePack(userDataDir, extensionsDir);
    if (options.vsixPath) pseudoLocalizeInstalledExtension(extensionsDir);
  }
  // code-server reads the display language from here on every page load (before the cookie and
  // the browser's Accept-Language), as VS Code's "Configure Display Language" writes it.
  const argvFile = path.join(userDataDir, 'User', 'argv.json');
  const setLocale = (locale: string | undefined) => {
    if (locale) fs.writeFileSync(argvFile, JSON.stringify({ locale }));
    else fs.rmSync(argvFile, { force: true });
  };

  const port = options.port ?? (await freePort());
  const args = [
    entry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    ...common,
    '--ignore-last-opened',
    options.workspaceFolder,
  ];
  // detached = setsid(2): its own session and process group, so stop() kills file watchers and
  // extension hosts with it (`kill -- -pgid`).
  const child = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', options.verbose ? 'inherit' : 'pipe', options.verbose ? 'inherit' : 'pipe'],
    detached: true,
  });
  const exitedPromise = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let stopped = false;
  const killNow = onCleanup(() => {
    stopped = true;
    killGroup(child, 'SIGKILL');
  });
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHttp(url, child, 60_000);
  } catch (error) {
    killNow();
    temp.remove();
    throw new Error(`${(error as Error).message}\n--- code-server output ---\n${output}`, { cause: error });
  }

  const server: CodeServer = {
    url,
    port,
    workspaceFolder: options.workspaceFolder,
    userDataDir,
    extensionsDir,
    workbenchUrl({ folder, payload } = {}) {
      // Slashes stay readable in the folder; the payload is fully encoded.
      let query = `folder=${encodeURIComponent(folder ?? options.workspaceFolder).replace(/%2F/g, '/')}`;
      if (payload) query += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return `${url}?${query}`;
    },
    setUserSettings,
    setLocale,
    exited: exitedPromise,
    async stop() {
      if (!stopped) {
        stopped = true;
        killGroup(child, 'SIGTERM');
        const exited = child.exitCode !== null || child.signalCode !== null
          ? Promise.resolve()
          : new Promise<void>((resolve) => child.once('exit', () => resolve()));
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
        // Anything left in the group (watchers, extension hosts) goes now.
        killGroup(child, 'SIGKILL');
        killNow();
      }
      temp.remove();
    },
  };
  return server;
}

/** `vscode-remote://remote<abs path>`: how code-server's workbench URL payload names a server path. */
export function remoteUri(absPath: string): string {
  return `vscode-remote://remote${path.resolve(absPath)}`;
}
