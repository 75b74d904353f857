// Runs every test/ui/*.ui.ts scenario against ONE code-server with the packaged .vsix installed.
//
//   npx tsx test/ui/run.ts [--vsix <file>] [--package] [--verbose] [name filter …]
//
// Without --vsix it uses workflow-runs-<version>.vsix from `npm run package` (--package runs it
// first). Prints `# pass N` / `# fail N` / `# skip N` and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser, openWorkbench, screenshot as takeScreenshot, Workbench } from '../harness/browser';
import { ROOT, log, startCodeServer, tempDir } from '../harness/codeServer';
import { DEMO_ENV, demoConnections, startEmulatorIfPresent, writeWorkspace } from '../harness/fixtures';
import type { Scenario } from './scenario';

const UI_DIR = path.join(ROOT, 'test', 'ui');

function defaultVsix(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
}

function loadScenarios(filters: string[]): Scenario[] {
  const files = fs
    .readdirSync(UI_DIR)
    .filter((name) => name.endsWith('.ui.ts'))
    .sort();
  const scenarios: Scenario[] = [];
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(path.join(UI_DIR, file)) as { default?: Scenario | Scenario[] };
    const list = Array.isArray(loaded.default) ? loaded.default : loaded.default ? [loaded.default] : [];
    if (list.length === 0) throw new Error(`${file} has no default export made with scenario()`);
    for (const item of list) scenarios.push({ ...item, file });
  }
  return filters.length === 0
    ? scenarios
    : scenarios.filter((s) => filters.some((f) => s.name.includes(f) || s.file?.includes(f)));
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
    }),
  ]);
}

export interface UiResult {
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
}

export async function runUiTests(options: { vsix?: string; filters?: string[]; verbose?: boolean } = {}): Promise<UiResult> {
  const started = Date.now();
  const vsix = options.vsix ?? defaultVsix();
  if (!fs.existsSync(vsix)) throw new Error(`${path.relative(ROOT, vsix)} is missing: run \`npm run package\` first`);
  const scenarios = loadScenarios(options.filters ?? []);
  if (scenarios.length === 0) throw new Error('no UI scenario matches');

  const emulatorSpeed = Number(process.env.WORKFLOW_RUNS_EMULATOR_SPEED) || undefined;
  const emulator = await startEmulatorIfPresent({ speed: emulatorSpeed });
  const home = tempDir('ui-workspaces');
  const server = await startCodeServer({
    vsixPath: vsix,
    workspaceFolder: home.dir,
    env: { ...DEMO_ENV, WORKFLOW_RUNS_TEST: '1' },
    verbose: options.verbose,
    // Only when a scenario asks for it: it installs one more extension (a language pack).
    pseudoLocale: scenarios.some((item) => item.options.locale === 'qps-ploc'),
  });
  const browser = await launchBrowser();
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const retries = Number(process.env.WORKFLOW_RUNS_UI_RETRIES ?? 1);
  const flaky: string[] = [];

  async function runScenario(item: (typeof scenarios)[number], index: number, attempt: number): Promise<{ ok: boolean; seconds: number; error: string; shot?: string }> {
    const scenarioStarted = Date.now();
    const slug = `${String(index + 1).padStart(2, '0')}-${item.name}${attempt > 1 ? `-attempt${attempt}` : ''}`.replace(/[^\w.-]+/g, '-');
    const workspace = writeWorkspace(path.join(home.dir, slug), item.options.files);
    const settings: Record<string, unknown> = {
      ...(emulator && item.options.connections !== false ? { 'workflowRuns.connections': demoConnections(emulator.urls) } : {}),
      ...item.options.settings,
    };
    server.setUserSettings(settings);
    server.setLocale(item.options.locale);
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
      if (options.verbose) process.stdout.write(`  [browser:${message.type()}] ${message.text()}\n`);
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    try {
      await withTimeout(
        (async () => {
          const url = server.workbenchUrl({ folder: workspace });
          let workbench: Workbench;
          if (item.options.noWait) {
            workbench = new Workbench(page);
            await page.goto(url, { waitUntil: 'domcontentloaded' });
          } else {
            workbench = await openWorkbench(page, url);
            await workbench.waitForExtension();
          }
          await item.body({
            page,
            workbench,
            emulator,
            server,
            workspace,
            settings,
            consoleErrors,
            screenshot: (name) => takeScreenshot(page, `${slug}-${name}`),
            log: (message) => process.stdout.write(`  ${message}\n`),
          });
        })(),
        item.options.timeoutMs ?? 120_000,
        `scenario "${item.name}"`,
      );
      return { ok: true, seconds: (Date.now() - scenarioStarted) / 1000, error: '' };
    } catch (error) {
      const shot = await takeScreenshot(page, `${slug}-FAILED`).catch(() => undefined);
      return { ok: false, seconds: (Date.now() - scenarioStarted) / 1000, error: (error as Error)?.stack ?? String(error), shot };
    } finally {
      await page.close().catch(() => undefined);
    }
  }

  try {
    for (const [index, item] of scenarios.entries()) {
      const label = `${item.name} (${item.file})`;
      if (item.options.needsEmulator && !emulator) {
        skipped++;
        process.stdout.write(`- ${label}: skipped, the emulator does not exist yet\n`);
        continue;
      }
      // A scenario that fails is run once more on a fresh page and workspace (the workbench has
      // timing races of its own); a pass on the second attempt is reported as such, never hidden.
      const attempts = 1 + retries;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const outcome = await runScenario(item, index, attempt);
        if (outcome.ok) {
          passed++;
          if (attempt > 1) flaky.push(item.name);
          process.stdout.write(`✔ ${label}${attempt > 1 ? ` — passed on attempt ${attempt}` : ''} (${outcome.seconds.toFixed(1)} s)\n`);
          break;
        }
        const last = attempt === attempts;
        process.stdout.write(`${last ? '✖' : '↻'} ${label}${last ? '' : ` — attempt ${attempt} failed, trying once more`} (${outcome.seconds.toFixed(1)} s)\n`);
        process.stdout.write(`${indent(outcome.error)}\n`);
        if (outcome.shot) process.stdout.write(`  screenshot: ${path.relative(ROOT, outcome.shot)}\n`);
        if (last) failed++;
      }
    }
  } finally {
    await browser.close();
    await server.stop();
    await emulator?.close();
    home.remove();
  }
  if (flaky.length > 0) process.stdout.write(`[harness] passed only on a second attempt: ${flaky.join('; ')}\n`);
  process.stdout.write(`# pass ${passed}\n# fail ${failed}\n# skip ${skipped}\n`);
  return { passed, failed, skipped, seconds: (Date.now() - started) / 1000 };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const filters: string[] = [];
  let vsix: string | undefined;
  let doPackage = false;
  let verbose = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--vsix') vsix = path.resolve(args[++i]);
    else if (args[i] === '--package') doPackage = true;
    else if (args[i] === '--verbose') verbose = true;
    else filters.push(args[i]);
  }
  if (doPackage) {
    const result = spawnSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) process.exit(1);
  }
  runUiTests({ vsix, filters, verbose }).then(
    (result) => {
      log(`UI tests: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped in ${result.seconds.toFixed(1)} s`);
      process.exit(result.failed === 0 ? 0 : 1);
    },
    (error) => {
      log(`UI tests could not run: ${(error as Error)?.stack ?? String(error)}`);
      process.exit(1);
    },
  );
}
