// `npm run lint:deps`, also the lint stage of `npm test`: the import rules, written once here.
// .dependency-cruiser.cjs holds the layering of the extension (providers and client never import
// vscode, the page never imports the host …); .dependency-cruiser.page.cjs what the run details
// page may bundle (no zod at run time). A wrong-way import exits non-zero.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const depcruise = path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const checks = [
  ['src', '.dependency-cruiser.cjs'],
  ['src/webview/app', '.dependency-cruiser.page.cjs'],
];

let failed = false;
for (const [folder, config] of checks) {
  const result = spawnSync(process.execPath, [depcruise, folder, '--config', config], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
