// Activation and first use, each in 7 fresh Node processes with the stand-in `vscode` module
// (scripts/bench/activationProcess.cjs), timed until the event loop is idle. The baseline is a
// no-op extension loaded and activated the same way: what any extension costs at the least. Both
// start with the Node built-ins a real extension host has loaded before any extension activates.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Figure, Measurement } from '../figure';
import hostBuiltins from '../hostBuiltins.json';
import { median, spread } from '../stats';

const root = path.resolve(__dirname, '../../..');
const processScript = path.join(root, 'scripts/bench/activationProcess.cjs');
const entry = path.join(root, 'dist/extension.js');
const noop = path.join(root, 'scripts/bench/noopExtension.cjs');
const runs = 7;
/** Says which host the stand-in copies the loaded built-ins of (see recordHostBuiltins.ts). */
const builtinsNote = (who: string) => `${who} with the ${hostBuiltins.builtins.length} Node built-ins already loaded in a real extension host (${hostBuiltins.host}; scripts/bench/hostBuiltins.json)`;

interface Sample {
  ms: number;
  servicesLoaded: boolean;
  commands: number;
}

function sample(mode: 'activation' | 'services', file: string, env: Record<string, string> = {}): Sample {
  const out = execFileSync(process.execPath, [processScript, mode, file], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  return JSON.parse(out.trim().split('\n').pop()!) as Sample;
}

/** Activation of the extension and of the no-op baseline, alternated so that both see the same machine load. */
function activationSamples(): { extension: Sample[]; baseline: Sample[] } {
  const extension: Sample[] = [];
  const baseline: Sample[] = [];
  for (let i = 0; i < runs; i += 1) {
    extension.push(sample('activation', entry));
    baseline.push(sample('activation', noop));
  }
  return { extension, baseline };
}

export const activationFigure: Figure = {
  id: 'activation',
  title: 'Activation: a window opens a JSON file that is no payload, no Workflow Runs view visible',
  target: 'require() + activate() + everything it starts until the event loop is idle ≤ 3 ms (fresh process, median of 7)',
  async measure(): Promise<Measurement[]> {
    const { extension, baseline } = activationSamples();
    const value = median(extension.map((s) => s.ms));
    const loaded = extension.filter((s) => s.servicesLoaded).length;
    return [
      {
        label: 'require + activate() + CodeLens/completion asked, until idle',
        value,
        unit: 'ms',
        baseline: { label: 'no-op extension', value: median(baseline.map((s) => s.ms)) },
        met: value <= 3 && loaded === 0,
        notes: [
          `samples ${spread(extension.map((s) => s.ms))} ms; baseline ${spread(baseline.map((s) => s.ms))} ms`,
          `${extension[0].commands} commands registered; services bundle loaded in ${loaded} of ${runs} processes (must be 0)`,
          builtinsNote('both start'),
        ],
      },
    ];
  },
};

/**
 * First use with the code cache a window before left in the extension's storage (every window
 * after the first since the extension was installed or updated), and without one (that first
 * window): alternated, each in a fresh process. One process first writes the shared cache.
 */
function servicesSamples(): { warm: number[]; cold: number[] } {
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-bench-services-'));
  try {
    sample('services', entry, { WR_BENCH_STORAGE: storage, WR_BENCH_LINGER_MS: '2500' });
    if (!fs.existsSync(path.join(storage, 'code-cache')) || fs.readdirSync(path.join(storage, 'code-cache')).length === 0) {
      throw new Error('the first process wrote no code cache of dist/services.js');
    }
    const warm: number[] = [];
    const cold: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      warm.push(sample('services', entry, { WR_BENCH_STORAGE: storage }).ms);
      cold.push(sample('services', entry).ms);
    }
    return { warm, cold };
  } finally {
    fs.rmSync(storage, { recursive: true, force: true });
  }
}

export const servicesReadyFigure: Figure = {
  id: 'services-ready',
  title: 'Services ready on first use (dist/services.js loaded and the services built)',
  target: 'reported, ≤ 25 ms',
  async measure(): Promise<Measurement[]> {
    const { warm, cold } = servicesSamples();
    const value = median(warm);
    const coldValue = median(cold);
    return [
      {
        label: 'api.services() after an idle activation, code cache of an earlier window',
        value,
        unit: 'ms',
        baseline: { label: 'no code cache yet: the first window after an install or update', value: coldValue },
        met: value <= 25,
        notes: [
          `samples ${spread(warm)} ms; without a cache ${spread(cold)} ms (alternated, median of ${runs} each)`,
          'V8 keeps the compiled dist/services.js in the extension\'s global storage (src/host/codeCache.ts), written 2 s after a load that had none',
          builtinsNote('each process starts'),
        ],
      },
      {
        label: 'the same in the first window after an install or update (no cache yet)',
        value: coldValue,
        unit: 'ms',
        met: coldValue <= 25,
      },
    ];
  },
};
