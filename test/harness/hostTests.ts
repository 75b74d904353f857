// Runs the mocha suites of test/host inside a real VS Code extension host (code-server 4.100.3),
// with the extension loaded from this folder (extensionDevelopmentPath), not from a .vsix.
//
//   npx tsx test/harness/hostTests.ts [--no-build] [--grep <text>] [--verbose]
//
// Exit code = number of failed tests (or 1 on a harness error / timeout).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser } from './browser';
import { ROOT, log, remoteUri, startCodeServer, tempDir, type CodeServer } from './codeServer';
import { DEMO_ENV, demoConnections, startEmulatorIfPresent, writeWorkspace, type Emulator } from './fixtures';

const PREFIX = '[host] ';
const TESTS_ENTRY = path.join(ROOT, 'out', 'host', 'index.js');

export interface HostTestOptions {
  build?: boolean;
  timeoutMs?: number;
  verbose?: boolean;
  /** Only tests whose full title contains this text (passed as WORKFLOW_RUNS_TEST_GREP). */
  grep?: string;
}

export interface HostTestResult {
  exitCode: number;
  passed: number;
  failed: number;
  seconds: number;
}

export async function runHostTests(options: HostTestOptions = {}): Promise<HostTestResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? Number(process.env.WORKFLOW_RUNS_HOST_TIMEOUT_MS ?? 300_000);
  if (options.build !== false) {
    const build = spawnSync(process.execPath, ['esbuild.mjs', '--tests'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('`node esbuild.mjs --tests` failed');
  }
  if (!fs.existsSync(TESTS_ENTRY)) throw new Error(`${TESTS_ENTRY} is missing: run \`node esbuild.mjs --tests\``);

  let emulator: Emulator | undefined;
  let server: CodeServer | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  const workspace = tempDir('host-workspace');
  let passed = 0;
  let failed = 0;
  try {
    emulator = await startEmulatorIfPresent({ speed: 20 });
    writeWorkspace(workspace.dir);
    const env: Record<string, string> = {
      ...DEMO_ENV,
      WORKFLOW_RUNS_TEST: '1',
      ...(emulator ? { WORKFLOW_RUNS_EMULATOR: JSON.stringify(emulator.urls) } : {}),
      ...(options.grep ? { WORKFLOW_RUNS_TEST_GREP: options.grep } : {}),
    };
    server = await startCodeServer({
      workspaceFolder: workspace.dir,
      settings: emulator ? { 'workflowRuns.connections': demoConnections(emulator.urls) } : {},
      env,
    });
    browser = await launchBrowser();
    const page = await browser.newPage();

    let resolveExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: unknown) => {
      resolveExit(typeof code === 'number' ? code : Number(code) || 0);
    });
    page.on('console', (message) => {
      const text = message.text();
      const index = text.indexOf(PREFIX);
      if (index >= 0) {
        const line = text.slice(index + PREFIX.length).replace(/\s*(color: [^;]*;?\s*)+$/, '');
        const pass = /^# pass (\d+)/.exec(line);
        const fail = /^# fail (\d+)/.exec(line);
        if (pass) passed = Number(pass[1]);
        if (fail) failed = Number(fail[1]);
        process.stdout.write(`${PREFIX}${line}\n`);
      } else if (options.verbose) {
        process.stdout.write(`[browser:${message.type()}] ${text}\n`);
      }
    });
    page.on('pageerror', (error) => options.verbose && process.stdout.write(`[browser:pageerror] ${error.message}\n`));

    const url = server.workbenchUrl({
      payload: [
        ['extensionDevelopmentPath', remoteUri(ROOT)],
        ['extensionTestsPath', remoteUri(TESTS_ENTRY)],
      ],
    });
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        log(`extension-host tests did not finish within ${timeoutMs / 1000} s`);
        resolve(-1);
      }, timeoutMs);
    });
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    const exitCode = code < 0 ? 1 : code;
    if (exitCode !== 0 && failed === 0) failed = Math.max(1, exitCode);
    return { exitCode, passed, failed, seconds: (Date.now() - started) / 1000 };
  } finally {
    await browser?.close();
    await server?.stop();
    await emulator?.close();
    workspace.remove();
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const grepIndex = args.indexOf('--grep');
  runHostTests({
    build: !args.includes('--no-build'),
    verbose: args.includes('--verbose'),
    grep: grepIndex >= 0 ? args[grepIndex + 1] : undefined,
  }).then(
    (result) => {
      log(`extension-host tests: ${result.passed} passed, ${result.failed} failed in ${result.seconds.toFixed(1)} s`);
      process.exit(result.exitCode === 0 ? 0 : Math.min(result.exitCode, 100));
    },
    (error) => {
      log(`extension-host tests could not run: ${(error as Error)?.stack ?? String(error)}`);
      process.exit(1);
    },
  );
}
