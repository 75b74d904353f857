// dist/cli.js against the emulator, as CI runs it: a separate Node process, the bundle built here
// into a temporary folder (the test stage runs before `npm run build`), connections from a file,
// credentials from environment variables. Every exit status, both reports, globs, folders,
// parallel runs, maxSeconds, Ctrl+C stopping the runs on the platform, and proxies from the environment.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createHttpClient } from '../../src/client/http';
import { isTinyproxyInstalled, startProxy, type TestProxy } from '../harness/proxy';
import { useEmulator } from '../helpers/emulator';
import { eventually } from '../helpers/eventually';
import { silentLog } from '../helpers/log';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = 'test/fixtures/cli';
/**
 * The CLI hands HTTPS_PROXY / HTTP_PROXY / NO_PROXY to the HTTP client as its network settings;
 * a client that cannot take them (before its dispatcher factory was wired in) is told apart by
 * its `configure` method, which came with that wiring.
 */
function clientTakesNetworkSettings(): boolean {
  const probe = createHttpClient({ log: silentLog });
  void probe.dispose();
  return 'configure' in probe;
}
const proxySkip = !isTinyproxyInstalled()
  ? 'tinyproxy is not installed (apt-get install tinyproxy)'
  : !clientTakesNetworkSettings()
    ? 'this HTTP client does not take network settings yet'
    : false;
const DEMO_ENV = { WORKFLOW_RUNS_ZUORA_SECRET: 'demo-secret', WORKFLOW_RUNS_DIFY_KEY: 'app-demo', WORKFLOW_RUNS_B3OS_KEY: 'b3sk_demo' };

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

describe('CLI (dist/cli.js) against the emulator', () => {
  const emulator = useEmulator({ beforeEachTest: 'reset' });
  let dir: string;
  let cli: string;
  let connectionsFile: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-runs-cli-'));
    const esbuild = await import('esbuild');
    const { cliBundleOptions } = await import('../../scripts/build/cliBundle.mjs');
    await esbuild.build(cliBundleOptions({ outdir: dir }));
    cli = path.join(dir, 'cli.js');
    connectionsFile = writeJson('connections.json', demoConnections());
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function demoConnections(): Array<Record<string, unknown>> {
    return [
      { name: 'zuora-demo', platform: 'zuora', baseUrl: emulator.urls.zuora, auth: 'oauth', clientId: 'demo-client', credentialEnv: 'WORKFLOW_RUNS_ZUORA_SECRET' },
      { name: 'dify-demo', platform: 'dify', baseUrl: emulator.urls.dify, credentialEnv: 'WORKFLOW_RUNS_DIFY_KEY' },
      { name: 'b3os-demo', platform: 'b3os', baseUrl: emulator.urls.b3os, credentialEnv: 'WORKFLOW_RUNS_B3OS_KEY' },
    ];
  }

  const plainHttpConnections = () =>
    writeJson('plain-http.json', [...demoConnections(), { name: 'lan-b3os', platform: 'b3os', baseUrl: 'http://b3os.example.test:8080', credentialEnv: 'WORKFLOW_RUNS_B3OS_KEY' }]);
  const plainHttpPayload = () => writeJson('plain-http/alert.payload.json', { $workflow: 'lan-b3os/wf_alert', amount: 1, $expect: { status: 'succeeded' } });

  function writeJson(name: string, value: unknown): string {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
    return file;
  }

  /** Spawns the CLI from the repository root (paths print relative to it), not on a terminal. */
  function start(args: string[], env: Record<string, string | undefined> = DEMO_ENV) {
    const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, CI: 'true' };
    for (const [name, value] of Object.entries(env)) if (value !== undefined) childEnv[name] = value;
    const child = spawn(process.execPath, [cli, ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
    return { child, done };
  }

  const runCli = (args: string[], env?: Record<string, string | undefined>) => start(args, env).done;
  const lines = (text: string) => text.trim().split('\n');

  it('--help prints the usage and exits 0', async () => {
    const result = await runCli(['--help']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /node dist\/cli\.js test \[paths or globs…\] --connections <file\.json>/);
    assert.match(result.stdout, /node dist\/cli\.js run <payload file> --connections <file\.json>/);
  });

  it('exit 0: a folder of passing tests, one line per file and the count last; a file without $expect is skipped', async () => {
    const result = await runCli(['test', `${FIXTURES}/passing`, '--connections', connectionsFile]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const out = lines(result.stdout);
    assert.equal(out.at(-1), '3 passed, 0 failed');
    assert.equal(out.length, 4, result.stdout);
    for (const name of ['release-notes.payload.json', 'treasury-alert.payload.jsonc', 'invoice-sync.payload.json']) {
      assert.ok(out.some((line) => line.startsWith(`✓ ${FIXTURES}/passing/${name} (`) && / run \S+$/.test(line)), `${name} in:\n${result.stdout}`);
    }
    assert.ok(!result.stdout.includes('no-expect'), 'a file without $expect is not a test');
    assert.equal(emulator.runsCreated('dify') + emulator.runsCreated('b3os') + emulator.runsCreated('zuora'), 3);
  });

  it('exit 1: failed tests name the expectation, the expected and the actual value', async () => {
    const result = await runCli(['test', `${FIXTURES}/failing`, '--connections', connectionsFile]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const out = lines(result.stdout);
    assert.equal(out.at(-1), '0 passed, 2 failed');
    assert.ok(out.some((line) => line.startsWith(`✗ ${FIXTURES}/failing/wrong-count.payload.json — outputs.item_count: expected 5, got 4 (run `)), result.stdout);
    assert.ok(out.some((line) => line.startsWith(`✗ ${FIXTURES}/failing/failed-run.payload.json — status: expected succeeded, got failed`)), result.stdout);
  });

  it('exit 1: a malformed file or $expect fails with line and column, and nothing is sent', async () => {
    const result = await runCli(['test', `${FIXTURES}/broken`, '--connections', connectionsFile]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const out = lines(result.stdout);
    assert.equal(out.at(-1), '0 passed, 2 failed');
    assert.ok(out.includes(`✗ ${FIXTURES}/broken/syntax.payload.json:3:12 — unexpected character (nothing was sent)`), result.stdout);
    assert.ok(out.some((line) => line.startsWith(`✗ ${FIXTURES}/broken/bad-expect.payload.json:5:5 — $expect.status must be one of`)), result.stdout);
    assert.equal(emulator.requests.length, 0, 'no request reached any platform');
  });

  it('a connection without credentialEnv that no selected file uses does not stop the others', async () => {
    const connections = writeJson('unused-no-env.json', [...demoConnections(), { name: 'desk-only', platform: 'b3os', baseUrl: emulator.urls.b3os }]);
    const payload = `${FIXTURES}/passing/release-notes.payload.json`;
    const tested = await runCli(['test', payload, '--connections', connections]);
    assert.equal(tested.code, 0, tested.stdout + tested.stderr);
    assert.equal(lines(tested.stdout).at(-1), '1 passed, 0 failed');
    const ran = await runCli(['run', payload, '--connections', connections]);
    assert.equal(ran.code, 0, ran.stderr);
  });

  it('maxSeconds: a run still going when the time is up is stopped on the platform and fails', async () => {
    const result = await runCli(['test', `${FIXTURES}/slow/too-slow.payload.json`, '--connections', connectionsFile]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /^✗ test\/fixtures\/cli\/slow\/too-slow\.payload\.json — maxSeconds: expected at most 1 s, still running after [\d.]+ s; it was stopped \(run \S+\)$/m);
    assert.ok(emulator.requests.some((request) => request.method === 'POST' && /\/workflows\/tasks\/[^/]+\/stop$/.test(request.path)), 'the stop reached Dify');
  });

  describe('exit 2: usage and configuration errors say what to fix, and nothing is sent', () => {
    const cases: Array<{ what: string; args: () => string[]; env?: Record<string, string | undefined>; message: RegExp }> = [
      { what: 'no command', args: () => [], message: /Say what to do: "test" or "run"/ },
      { what: 'an unknown command', args: () => ['tset'], message: /Unknown command "tset"/ },
      { what: 'an unknown option', args: () => ['test', '--conections', connectionsFile], message: /Unknown option --conections/ },
      { what: 'no --connections', args: () => ['test', FIXTURES], message: /--connections <file\.json> is required/ },
      { what: 'a bad --parallel', args: () => ['test', FIXTURES, '--connections', connectionsFile, '--parallel', 'many'], message: /--parallel must be a whole number from 1 to 64, not "many"/ },
      { what: 'a bad --reporter', args: () => ['test', FIXTURES, '--connections', connectionsFile, '--reporter', 'xunit'], message: /--reporter must be one of tap, junit, not "xunit"/ },
      { what: 'a connections file that does not exist', args: () => ['test', FIXTURES, '--connections', path.join(dir, 'nope.json')], message: /The connections file .*nope\.json does not exist/ },
      { what: 'a connections file that is not JSON', args: () => ['test', FIXTURES, '--connections', writeJson('bad-syntax.json', '[{"name": "x",, }]')], message: /bad-syntax\.json, line 1, column 15: the connections file is not valid JSON/ },
      { what: 'a connections file that is not an array', args: () => ['test', FIXTURES, '--connections', writeJson('object.json', { name: 'x' })], message: /must hold a JSON array of connections/ },
      {
        what: 'an entry without baseUrl',
        args: () => ['test', FIXTURES, '--connections', writeJson('no-url.json', [{ name: 'dify-demo', platform: 'dify', credentialEnv: 'WORKFLOW_RUNS_DIFY_KEY' }])],
        message: /Connection “dify-demo”: baseUrl — /,
      },
      {
        what: 'an unknown platform',
        args: () => ['test', FIXTURES, '--connections', writeJson('platform.json', [{ name: 'x', platform: 'zapier', baseUrl: 'https://example.com', credentialEnv: 'X' }])],
        message: /Connection “x”: unknown platform “zapier”/,
      },
      {
        what: 'an entry without credentialEnv',
        args: () => ['test', FIXTURES, '--connections', writeJson('no-env.json', [{ name: 'dify-demo', platform: 'dify', baseUrl: emulator.urls.dify }])],
        message: /Connection “dify-demo” has no "credentialEnv": name the environment variable/,
      },
      {
        what: 'a missing credential environment variable',
        args: () => ['test', `${FIXTURES}/passing`, '--connections', connectionsFile],
        env: { ...DEMO_ENV, WORKFLOW_RUNS_DIFY_KEY: undefined },
        message: /The environment variable WORKFLOW_RUNS_DIFY_KEY named by connection “dify-demo” is not set/,
      },
      {
        what: 'plain HTTP to a host outside the loopback range, without WORKFLOW_RUNS_ALLOW_HTTP=1',
        args: () => ['test', plainHttpPayload(), '--connections', plainHttpConnections()],
        message: /Connection “lan-b3os” uses plain HTTP to http:\/\/b3os\.example\.test:8080, so its credential would travel unencrypted; nothing was sent\. Use https:\/\/, or set WORKFLOW_RUNS_ALLOW_HTTP=1/,
      },
      {
        what: 'run: plain HTTP to a host outside the loopback range',
        args: () => ['run', plainHttpPayload(), '--connections', plainHttpConnections()],
        message: /Connection “lan-b3os” uses plain HTTP .* set WORKFLOW_RUNS_ALLOW_HTTP=1/,
      },
      { what: 'a path that does not exist', args: () => ['test', 'no/such/folder', '--connections', connectionsFile], message: /no\/such\/folder is neither a file, a folder nor a glob pattern/ },
      { what: 'a glob that matches nothing', args: () => ['test', 'test/fixtures/cli/**/*.nothing.json', '--connections', connectionsFile], message: /The pattern .* matches no files/ },
      { what: 'no file with $expect', args: () => ['test', `${FIXTURES}/passing/no-expect.payload.json`, '--connections', connectionsFile], message: /No payload file with "\$expect" was found/ },
      { what: 'run without a file', args: () => ['run', '--connections', connectionsFile], message: /"run" takes exactly one payload file, got 0/ },
      { what: 'run with a file that does not parse', args: () => ['run', `${FIXTURES}/broken/syntax.payload.json`, '--connections', connectionsFile], message: /syntax\.payload\.json:3:12: unexpected character\. Nothing was sent\./ },
      {
        what: 'run with a file whose problem is a whole sentence: one period, not two',
        args: () => ['run', writeJson('no-workflow-id.payload.json', { $workflow: 'zuora-demo', amount: 1 }), '--connections', connectionsFile],
        message: /no-workflow-id\.payload\.json:\d+:\d+: \$workflow "zuora-demo" names the connection "zuora-demo" but no workflow: write "zuora-demo\/<workflow id>"\. Nothing was sent\.$/m,
      },
    ];
    for (const { what, args, env, message } of cases) {
      it(what, async () => {
        const result = await runCli(args(), env);
        assert.equal(result.code, 2, `${result.stdout}\n${result.stderr}`);
        assert.match(result.stderr, message);
        assert.equal(emulator.requests.length, 0, 'nothing was sent');
      });
    }
  });

  it('TAP on standard output: a plan, a test point per file as it finishes, and the plain last line', async () => {
    const result = await runCli(['test', `${FIXTURES}/passing`, `${FIXTURES}/failing`, '--connections', connectionsFile, '--reporter', 'tap']);
    assert.equal(result.code, 1, result.stderr);
    const tap = parseTap(result.stdout);
    assert.equal(tap.version, 13);
    assert.equal(tap.plan, 5);
    assert.equal(tap.points.length, 5);
    assert.deepEqual(tap.points.map((point) => point.number), [1, 2, 3, 4, 5]);
    assert.equal(tap.points.filter((point) => point.ok).length, 3);
    const failed = tap.points.find((point) => point.description === `${FIXTURES}/failing/wrong-count.payload.json`);
    assert.equal(failed?.ok, false);
    assert.match(failed?.yaml ?? '', /expectation: "outputs\.item_count"\n\s+expected: 5\n\s+actual: 4/);
    const out = lines(result.stdout);
    assert.equal(out.at(-1), '3 passed, 2 failed', 'the last line is the same in every mode');
    // Everything before it is TAP: the version, the plan, test points and their YAML blocks.
    const tapLine = /^(TAP version 13|1\.\.\d+|(not )?ok \d+ - .*| {2}.*)$/;
    assert.deepEqual(out.slice(0, -1).filter((line) => !tapLine.test(line)), []);
    // The test points are the per-file lines: they are not repeated on standard error.
    assert.doesNotMatch(result.stderr, /^[✓✗] /m);
  });

  it('JUnit to a file, read back by a JUnit parser', async () => {
    const out = path.join(dir, 'reports', 'junit.xml');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const result = await runCli(['test', `${FIXTURES}/passing`, `${FIXTURES}/failing`, `${FIXTURES}/broken`, '--connections', connectionsFile, '--reporter', 'junit', '--out', out]);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(lines(result.stdout).at(-1), '3 passed, 4 failed');
    const { parse } = await import('junit2json');
    const report = await parse(fs.readFileSync(out, 'utf8'));
    assert.ok(report && 'testsuite' in report);
    const [suite] = report.testsuite ?? [];
    assert.equal(suite?.tests, 7);
    assert.equal(suite?.failures, 2, 'a mismatch is a failure');
    assert.equal(suite?.errors, 2, 'a file that could not run is an error');
    const cases = suite?.testcase ?? [];
    const wrong = cases.find((testcase) => testcase.name === `${FIXTURES}/failing/wrong-count.payload.json`);
    assert.match(wrong?.failure?.[0]?.message ?? '', /outputs\.item_count: expected 5, got 4/);
    const passing = cases.find((testcase) => testcase.name === `${FIXTURES}/passing/release-notes.payload.json`);
    assert.equal(passing?.failure, undefined);
    assert.equal(passing?.error, undefined);
  });

  it('--out alone: a .xml file gets JUnit XML, any other file TAP, and standard output stays the plain lines', async () => {
    const payload = `${FIXTURES}/passing/release-notes.payload.json`;
    const xml = path.join(dir, 'reports', 'bare.xml');
    const junit = await runCli(['test', payload, '--connections', connectionsFile, '--out', xml]);
    assert.equal(junit.code, 0, junit.stdout + junit.stderr);
    assert.equal(junit.stderr, '', 'nothing extra is said');
    assert.deepEqual(lines(junit.stdout).slice(-1), ['1 passed, 0 failed']);
    const { parse } = await import('junit2json');
    const report = await parse(fs.readFileSync(xml, 'utf8'));
    assert.equal(report && 'testsuite' in report ? report.testsuite?.[0]?.tests : undefined, 1);

    const tapFile = path.join(dir, 'reports', 'bare.tap');
    const tap = await runCli(['test', payload, '--connections', connectionsFile, '--out', tapFile]);
    assert.equal(tap.code, 0, tap.stdout + tap.stderr);
    assert.equal(parseTap(fs.readFileSync(tapFile, 'utf8')).points.length, 1);
  });

  it('globs pick files across folders; several arguments add up, each file once', async () => {
    const result = await runCli(['test', 'test/fixtures/cli/**/release-*.payload.json', `${FIXTURES}/passing/release-notes.payload.json`, `${FIXTURES}/**/*.jsonc`, '--connections', connectionsFile]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const out = lines(result.stdout);
    assert.equal(out.length, 3, result.stdout);
    assert.equal(out.at(-1), '2 passed, 0 failed');
    assert.ok(out.some((line) => line.includes('release-notes.payload.json')));
    assert.ok(out.some((line) => line.includes('treasury-alert.payload.jsonc')));
  });

  it('--parallel 4 runs four slow tests at once: the wall time is far below the sum of their times', async () => {
    const slowFolder = path.join(dir, 'slow-four');
    for (let index = 1; index <= 4; index++) {
      writeJson(path.join('slow-four', `slow-${index}.payload.json`), { $workflow: 'dify-demo', topic: `Slow ${index}`, scenario: 'slow', $expect: { status: 'succeeded' } });
    }
    const started = Date.now();
    const result = await runCli(['test', slowFolder, '--connections', connectionsFile, '--parallel', '4', '--reporter', 'tap']);
    const wallMs = Date.now() - started;
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const durations = [...result.stdout.matchAll(/duration_ms: (\d+)/g)].map((match) => Number(match[1]));
    assert.equal(durations.length, 4);
    const sum = durations.reduce((total, ms) => total + ms, 0);
    assert.ok(wallMs < sum * 0.75, `wall ${wallMs} ms vs the tests' own ${durations.join(' + ')} ms: they ran one after another`);
  });

  it('run: prints the finished run as JSON and exits 0 when it succeeded, 1 when it did not', async () => {
    const ok = await runCli(['run', `${FIXTURES}/passing/release-notes.payload.json`, '--connections', connectionsFile]);
    assert.equal(ok.code, 0, ok.stderr);
    const snapshot = JSON.parse(ok.stdout) as { runId: string; status: string; outputs: { item_count: number }; tasks: { success: number } };
    assert.equal(snapshot.status, 'succeeded');
    assert.equal(snapshot.outputs.item_count, 4);
    assert.equal(snapshot.tasks.success, 5);
    assert.ok(snapshot.runId);

    // $expect is not checked by run: the run failed, so the exit status is 1.
    const failed = await runCli(['run', `${FIXTURES}/failing/failed-run.payload.json`, '--connections', connectionsFile]);
    assert.equal(failed.code, 1, failed.stderr);
    assert.equal((JSON.parse(failed.stdout) as { status: string }).status, 'failed');
  });

  it('Ctrl+C stops the runs in flight on the platform and exits 130', async () => {
    const payload = writeJson('interrupt/slow.payload.json', { $workflow: 'dify-demo', topic: 'Stop me', scenario: 'slow', $expect: { status: 'succeeded' } });
    const { child, done } = start(['test', payload, '--connections', connectionsFile]);
    // The slow run takes ~2.3 s at the emulator's speed; interrupt once it is under way.
    await eventually(() => emulator.runsCreated('dify') === 1, { what: 'the run was created' });
    child.kill('SIGINT');
    const result = await done;
    assert.equal(result.code, 130, result.stdout + result.stderr);
    assert.match(result.stderr, /Interrupted: stopping the runs in flight/);
    assert.ok(emulator.requests.some((request) => request.method === 'POST' && /\/workflows\/tasks\/[^/]+\/stop$/.test(request.path)), 'the stop reached Dify');
  });

  describe('proxies from the environment', { skip: proxySkip }, () => {
    let proxy: TestProxy;
    before(async () => {
      proxy = await startProxy();
    });
    after(async () => {
      await proxy?.stop();
    });

    it('HTTP_PROXY carries every request; NO_PROXY exempts the platform', async () => {
      const payload = `${FIXTURES}/passing/release-notes.payload.json`;
      const difyHost = new URL(emulator.urls.dify).host;
      let mark = proxy.mark();
      const proxied = await runCli(['test', payload, '--connections', connectionsFile], { ...DEMO_ENV, HTTP_PROXY: proxy.url });
      assert.equal(proxied.code, 0, proxied.stdout + proxied.stderr);
      assert.ok(proxy.requestsSince(mark).some((request) => request.target.includes(difyHost)), JSON.stringify(proxy.requestsSince(mark)));

      mark = proxy.mark();
      const direct = await runCli(['test', payload, '--connections', connectionsFile], { ...DEMO_ENV, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
      assert.equal(direct.code, 0, direct.stdout + direct.stderr);
      assert.deepEqual(proxy.requestsSince(mark), []);
    });
  });
});

interface TapPoint {
  ok: boolean;
  number: number;
  description: string;
  yaml: string;
}

/** A small TAP 13 reader: version, plan, test points with their YAML blocks. */
function parseTap(text: string): { version?: number; plan?: number; points: TapPoint[] } {
  const result: { version?: number; plan?: number; points: TapPoint[] } = { points: [] };
  let current: TapPoint | undefined;
  let inYaml = false;
  for (const line of text.split('\n')) {
    if (inYaml) {
      if (line === '  ...') inYaml = false;
      else if (current) current.yaml += `${line}\n`;
      continue;
    }
    const version = /^TAP version (\d+)$/.exec(line);
    if (version) result.version = Number(version[1]);
    const plan = /^1\.\.(\d+)$/.exec(line);
    if (plan) result.plan = Number(plan[1]);
    const point = /^(not ok|ok) (\d+) - (.*)$/.exec(line);
    if (point) {
      current = { ok: point[1] === 'ok', number: Number(point[2]), description: point[3]!, yaml: '' };
      result.points.push(current);
    }
    if (line === '  ---') inYaml = true;
  }
  return result;
}
