#!/usr/bin/env node
// `npm test`: every check, in order, each stage reported even when an earlier one failed:
//   typecheck → lint → unit → integration → package (build + .vsix) → host → ui
// (typecheck: the host, the webview page and the tests; lint: eslint, then the import layers).
// `node scripts/test.mjs <stage> [args…]` runs one stage (`ui` also packages first); extra args
// go to that stage: `npm run test:ui -- smoke`, `npm run test:host -- --grep activates`,
// `npm run test:unit -- test/unit/payload-parse.test.ts`.
// Prints a summary and, last, exactly `N passed, N failed`; exits 1 on any failure.
// Stages that are not test runners (typecheck, lint, package) count as one check each.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MINUTE = 60_000;
const TEST_TIMEOUT_MS = Number(process.env.WORKFLOW_RUNS_TEST_TIMEOUT_MS ?? 120_000);

/** Files under `dir` (relative to ROOT) whose names end with `suffix`, sorted. */
function findFiles(dir, suffix) {
  const found = [];
  const walk = (current) => {
    if (!fs.existsSync(current)) return;
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(full);
      } else if (entry.name.endsWith(suffix)) {
        found.push(path.relative(ROOT, full));
      }
    }
  };
  walk(path.join(ROOT, dir));
  return found.sort();
}

/** Counts from node's test runner (spec: `ℹ pass 3`; tap: `# pass 3`), mocha (`N passing`) or ours. */
function parseCounts(output) {
  const last = (re) => {
    let value;
    for (const match of output.matchAll(re)) value = Number(match[1]);
    return value;
  };
  const passed = last(/^(?:\S+ )?(?:ℹ|#) pass (\d+)\s*$/gm) ?? last(/^\s*(\d+) passing\b/gm);
  const cancelled = last(/^(?:\S+ )?(?:ℹ|#) cancelled (\d+)\s*$/gm) ?? 0;
  const failedOnly = last(/^(?:\S+ )?(?:ℹ|#) fail (\d+)\s*$/gm) ?? last(/^\s*(\d+) failing\b/gm);
  // node's runner reports a timed-out or crashed file as "cancelled": that is a failure too.
  const failed = failedOnly === undefined && !cancelled ? undefined : (failedOnly ?? 0) + cancelled;
  // mocha in the extension host says `# pending N` (a test that called this.skip()).
  const skipped = ['skip(?:ped)?', 'todo', 'pending'].reduce((sum, word) => sum + (last(new RegExp(`^(?:\\S+ )?(?:ℹ|#) ${word} (\\d+)\\s*$`, 'gm')) ?? 0), 0);
  return { passed, failed, skipped };
}

let current; // the running child, for Ctrl+C

/** Runs a command in its own process group, streaming and capturing its output. */
function run(command, args, { timeoutMs, env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    current = child;
    let output = '';
    const keep = (stream) => (chunk) => {
      stream.write(chunk);
      output += chunk.toString();
      if (output.length > 2_000_000) output = output.slice(-1_000_000);
    };
    child.stdout.on('data', keep(process.stdout));
    child.stderr.on('data', keep(process.stderr));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.stderr.write(`\n[test] ${command} ${args.join(' ')}: timed out after ${timeoutMs / MINUTE} min, stopping it\n`);
      killGroup(child, 'SIGTERM');
      setTimeout(() => killGroup(child, 'SIGKILL'), 10_000).unref();
    }, timeoutMs ?? 30 * MINUTE);
    child.on('error', (error) => {
      output += `\n${error.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ code: code ?? (signal ? 128 : 1), output, timedOut });
    });
  });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // gone
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (current) {
      // The child runs in its own group (so a timeout can stop all of it): pass the signal on and
      // let its cleanup guards stop code-server, the browser and the emulator.
      killGroup(current, 'SIGTERM');
      setTimeout(() => current && killGroup(current, 'SIGKILL'), 8_000).unref();
    }
    process.exitCode = 130;
    setTimeout(() => process.exit(130), 10_000).unref();
  });
}

const node = process.execPath;
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);
const tsx = ['--import', 'tsx'];

/** A stage's result: counts plus status. */
async function checkStage(command, args, options) {
  const result = await run(command, args, options);
  const ok = result.code === 0;
  return { status: ok ? 'ok' : result.timedOut ? 'timed out' : 'failed', passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 };
}

/** Several commands as one check: all run (so every problem is reported), any failure fails it. */
async function checkStages(commands, options) {
  const results = [];
  for (const [command, args] of commands) results.push(await checkStage(command, args, options));
  const failed = results.find((result) => result.status !== 'ok');
  return failed ? { ...failed, passed: 0, failed: 1 } : results[0];
}

async function testStage(command, args, options) {
  const result = await run(command, args, options);
  const counts = parseCounts(result.output);
  let passed = counts.passed ?? 0;
  let failed = counts.failed ?? 0;
  // A crash or timeout that reported no failure still fails the stage.
  if (result.code !== 0 && failed === 0) failed = 1;
  if (result.code === 0 && counts.passed === undefined && counts.failed === undefined) passed = 0;
  const status = result.timedOut ? 'timed out' : result.code === 0 ? 'ok' : 'failed';
  return { status, passed, failed, skipped: counts.skipped };
}

function nodeTests(dir, extra) {
  const files = extra.length ? extra : findFiles(dir, '.test.ts');
  if (files.length === 0) return async () => ({ status: `skipped (no ${dir}/**/*.test.ts)`, passed: 0, failed: 0, skipped: 0 });
  return () =>
    // --test-force-exit: a file whose tests are done but left a server or socket open must not
    // hang the stage; --test-timeout bounds one test.
    testStage(node, [...tsx, '--test', '--test-reporter=spec', '--test-force-exit', `--test-timeout=${TEST_TIMEOUT_MS}`, ...files], {
      timeoutMs: 10 * MINUTE,
    });
}

const stages = {
  // Three programs: the host (Node, no DOM), the webview page (DOM, no Node) and the tests.
  typecheck: () =>
    checkStages(
      ['.', 'src/webview/app', 'test'].map((project) => [bin('tsc'), ['--noEmit', '-p', project]]),
      { timeoutMs: 5 * MINUTE },
    ),
  // eslint, then the import rules (scripts/lint-deps.mjs, as `npm run lint:deps`): a wrong-way
  // import fails the stage.
  lint: () =>
    checkStages(
      [
        [bin('eslint'), ['.']],
        [node, ['scripts/lint-deps.mjs']],
      ],
      { timeoutMs: 5 * MINUTE },
    ),
  unit: (extra) => nodeTests('test/unit', extra)(),
  integration: (extra) => nodeTests('test/integration', extra)(),
  // `npm run package`: the packaged README, then `vsce package`, which runs vscode:prepublish (the
  // production build) first.
  package: () => checkStage(node, [...tsx, 'scripts/package.ts'], { timeoutMs: 5 * MINUTE }),
  host: (extra) => testStage(node, [...tsx, 'test/harness/hostTests.ts', ...extra], { timeoutMs: 10 * MINUTE }),
  ui: (extra) => testStage(node, [...tsx, 'test/ui/run.ts', ...extra], { timeoutMs: 15 * MINUTE }),
};
const ORDER = ['typecheck', 'lint', 'unit', 'integration', 'package', 'host', 'ui'];
// A stage runs only when the stages it needs passed (or are not part of this run).
const NEEDS = { ui: ['package'] };

const [requested, ...extra] = process.argv.slice(2);
if (requested && !stages[requested]) {
  console.error(`Unknown stage "${requested}". Stages: ${ORDER.join(', ')}`);
  process.exit(2);
}
const plan = !requested ? ORDER : requested === 'ui' ? ['package', 'ui'] : [requested];

const results = [];
const startedAll = Date.now();
for (const name of plan) {
  if (process.exitCode === 130) break;
  const blocked = (NEEDS[name] ?? []).find((need) => results.find((r) => r.name === need && r.status !== 'ok'));
  if (blocked) {
    process.stdout.write(`\n[test] ── ${name}: not run, ${blocked} failed\n`);
    results.push({ name, status: `not run (${blocked} failed)`, passed: 0, failed: 1, skipped: 0, seconds: 0 });
    continue;
  }
  process.stdout.write(`\n[test] ── ${name} ${'─'.repeat(Math.max(0, 60 - name.length))}\n`);
  const started = Date.now();
  let result;
  try {
    result = await stages[name](name === requested ? extra : []);
  } catch (error) {
    console.error(error);
    result = { status: 'failed', passed: 0, failed: 1, skipped: 0 };
  }
  const seconds = (Date.now() - started) / 1000;
  results.push({ name, ...result, seconds });
  process.stdout.write(`[test] ── ${name}: ${result.status}, ${result.passed} passed, ${result.failed} failed (${seconds.toFixed(1)} s)\n`);
}

const total = results.reduce((sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed }), { passed: 0, failed: 0 });
process.stdout.write('\n[test] summary\n');
for (const r of results) {
  const skipped = r.skipped ? `, ${r.skipped} skipped` : '';
  process.stdout.write(
    `[test]   ${r.name.padEnd(12)} ${r.status.padEnd(28)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed${skipped}  ${r.seconds.toFixed(1)} s\n`,
  );
}
process.stdout.write(`[test]   total time ${((Date.now() - startedAll) / 1000).toFixed(1)} s\n`);
process.stdout.write(`${total.passed} passed, ${total.failed} failed\n`);
process.exit(total.failed > 0 || results.some((r) => r.status !== 'ok' && !r.status.startsWith('skipped')) ? 1 : process.exitCode ?? 0);
