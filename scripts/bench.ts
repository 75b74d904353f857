// `npm run bench [figure ids…]`: every figure of scripts/bench/figures/index.ts, each beside its
// baseline measured in the same run, with the machine it ran on. Not a test: nothing fails on a
// slow machine; "TARGET MISSED" is information. Builds the production bundles first.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { figures } from './bench/figures/index';
import { printFigure, printHeader } from './bench/report';
import { machine } from './bench/stats';

async function main(): Promise<void> {
  const only = new Set(process.argv.slice(2));
  const unknown = [...only].filter((id) => !figures.some((figure) => figure.id === id));
  if (unknown.length > 0) throw new Error(`unknown figure ${unknown.join(', ')}; known: ${figures.map((f) => f.id).join(', ')}`);
  printHeader(machine());
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: path.resolve(__dirname, '..'), stdio: 'inherit' });
  for (const figure of figures) {
    if (only.size > 0 && !only.has(figure.id)) continue;
    if (!figure.measure) {
      printFigure(figure, undefined);
      continue;
    }
    try {
      printFigure(figure, await figure.measure());
    } catch (error) {
      printFigure(figure, undefined, error);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
