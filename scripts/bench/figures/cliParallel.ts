// `node dist/cli.js test` on 20 payload files with `$expect` against the local emulator (10 Dify
// runs, 10 simulated B3OS runs, emulator speed 4), once with --parallel 1 (one run after another)
// and once with --parallel 4, each in a fresh Node process as CI would start it. Wall time from
// spawning the CLI to its exit, so process start and bundle load are counted in both.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator } from '../../../test/emulator/index';
import type { Figure, Measurement } from '../figure';

const root = path.resolve(__dirname, '../../..');
const files = 20;
const speed = 4;
const env = { WORKFLOW_RUNS_DIFY_KEY: 'app-demo', WORKFLOW_RUNS_B3OS_KEY: 'b3sk_demo' };

/** Runs the CLI and returns its wall time in ms; any exit status but 0 is an error here. */
function timeCli(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args], { env: { PATH: process.env.PATH, CI: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0 && output.includes(`${files} passed, 0 failed`)) resolve(ms);
      else reject(new Error(`the CLI exited ${code}:\n${output.slice(-2000)}`));
    });
  });
}

export const cliParallelFigure: Figure = {
  id: 'cli-parallel',
  title: `CLI: ${files} payload files with $expect against the emulator, --parallel 4 vs one at a time`,
  target: 'reported',
  async measure(): Promise<Measurement[]> {
    if (!fs.existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run npm run build');
    const emulator = await startEmulator({ speed, quiet: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-runs-bench-cli-'));
    try {
      const connections = [
        { name: 'dify-demo', platform: 'dify', baseUrl: emulator.urls.dify, credentialEnv: 'WORKFLOW_RUNS_DIFY_KEY' },
        { name: 'b3os-demo', platform: 'b3os', baseUrl: emulator.urls.b3os, credentialEnv: 'WORKFLOW_RUNS_B3OS_KEY' },
      ];
      const connectionsFile = path.join(dir, 'connections.json');
      fs.writeFileSync(connectionsFile, JSON.stringify(connections));
      const tests = path.join(dir, 'tests');
      fs.mkdirSync(tests);
      for (let index = 0; index < files; index++) {
        const payload =
          index % 2 === 0
            ? { $workflow: 'dify-demo', topic: `Release ${index}`, $expect: { status: 'succeeded', outputs: { item_count: 4 } } }
            : { $workflow: 'b3os-demo/wf_9k2m4x7q1b3n', $options: { simulate: true }, threshold: 0.05, $expect: { status: 'succeeded' } };
        fs.writeFileSync(path.join(tests, `test-${String(index).padStart(2, '0')}.payload.json`), JSON.stringify(payload));
      }
      const serialMs = await timeCli(['test', tests, '--connections', connectionsFile, '--parallel', '1']);
      emulator.reset();
      const parallelMs = await timeCli(['test', tests, '--connections', connectionsFile, '--parallel', '4']);
      return [
        {
          label: `${files} files, --parallel 4`,
          value: Math.round(parallelMs),
          unit: 'ms',
          baseline: { label: '--parallel 1', value: Math.round(serialMs) },
          notes: [`speed-up ${(serialMs / parallelMs).toFixed(2)}× (ideal 4×); emulator speed ${speed}: a Dify run ≈ ${(4000 / speed / 1000).toFixed(1)} s, a B3OS simulated run shorter`],
        },
      ];
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await emulator.close();
    }
  },
};
