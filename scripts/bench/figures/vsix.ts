// The size of the .vsix as `npm run package` builds it, and of the files that matter in it.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import type { Figure, Measurement } from '../figure';
import { packageReadmePath } from '../../package';

const root = path.resolve(__dirname, '../../..');
const kb = (bytes: number) => bytes / 1024;

export const vsixFigure: Figure = {
  id: 'vsix',
  title: '.vsix size (npm run package: vsce package --no-dependencies, production bundles)',
  target: '≤ 180 KB',
  async measure(): Promise<Measurement[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-runs-bench-'));
    const file = path.join(dir, 'bench.vsix');
    try {
      execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'package.ts'), '-o', file], { cwd: root, stdio: 'ignore' });
      const size = fs.statSync(file).size;
      // The largest files, deflated as the .vsix (a zip) stores them.
      const largest = ['dist/services.js', 'dist/undici.js', 'media/screenshots/run-details.png', 'dist/webview.js', 'dist/llhttp_simd.wasm', packageReadmePath, 'dist/extension.js'];
      const notes = largest.map((name) => {
        const content = fs.readFileSync(path.join(root, name));
        return `${name}: ${kb(content.length).toFixed(1)} KB (${kb(deflateRawSync(content).length).toFixed(1)} KB deflated)`;
      });
      return [{ label: 'workflow-runs.vsix', value: Number(kb(size).toFixed(1)), unit: 'KB', met: kb(size) <= 180, notes }];
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
