#!/usr/bin/env node
// `npm start`: the extension in a real VS Code (code-server 4.100.3), connected to the local
// emulator of Zuora, Dify and B3OS with the demo credentials, on a demo workspace of payload files.
//
//   npm start [-- --port 8080] [--emulator-port 4010] [--no-package] [--verbose]
//
// Open the printed URL in a browser. Ctrl+C stops everything and removes the temp folders.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const port = option('--port') ? Number(option('--port')) : undefined;
const emulatorPortOption = option('--emulator-port') ? Number(option('--emulator-port')) : undefined;
const verbose = args.includes('--verbose');

const load = async (file) => {
  const module = await tsImport(path.join(ROOT, file), import.meta.url);
  return module.default && !module.ensureCodeServer && !module.DEMO_ENV ? module.default : module;
};
const codeServer = await load('test/harness/codeServer.ts');
const fixtures = await load('test/harness/fixtures.ts');
const say = (message) => process.stdout.write(`[start] ${message}\n`);

// 1. Build and package, as `npm run package` (vsce runs the production build through vscode:prepublish).
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const vsix = path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
if (!args.includes('--no-package') || !fs.existsSync(vsix)) {
  say('building and packaging the extension…');
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'package.ts')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    say('packaging failed (see above)');
    process.exit(1);
  }
}

// 2. The emulator, as its own process (`npm run emulator` does the same).
let urls;
const cli = path.join(ROOT, 'test', 'emulator', 'cli.ts');
if (!fs.existsSync(cli)) {
  say('The emulator is not built yet (test/emulator/cli.ts is missing): starting without connections.');
  say('Add connections by hand with "Workflow Runs: Add Connection…".');
} else {
  const emulatorPort = emulatorPortOption ?? (await codeServer.freePort());
  const emulator = spawn(process.execPath, ['--import', 'tsx', cli, '--port', String(emulatorPort)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  codeServer.onCleanup(() => {
    try {
      process.kill(-emulator.pid, 'SIGTERM');
    } catch {
      // gone
    }
  });
  urls = await new Promise((resolve, reject) => {
    const found = {};
    const timer = setTimeout(() => reject(new Error('the emulator did not print its URLs within 30 s')), 30_000);
    emulator.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before printing its URLs`)));
    readline.createInterface({ input: emulator.stdout }).on('line', (line) => {
      const match = /^(zuora|dify|b3os)\s+(https?:\/\/\S+)/.exec(line.trim());
      if (match) found[match[1]] = match[2];
      else if (verbose || Object.keys(found).length < 3) process.stdout.write(`[emulator] ${line}\n`);
      if (found.zuora && found.dify && found.b3os) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  }).catch((error) => {
    say(error.message);
    process.exit(1);
  });
  for (const [platform, url] of Object.entries(urls)) say(`emulator: ${platform.padEnd(5)} ${url}`);
}

// 3. The demo workspace (sample payload files are rewritten on each start; other files stay).
const workspace = fixtures.writeWorkspace(path.join(ROOT, '.cache', 'demo-workspace'));

// 4. code-server with the .vsix, the connections and the demo credentials in its environment.
const server = await codeServer.startCodeServer({
  vsixPath: vsix,
  workspaceFolder: workspace,
  port,
  verbose,
  settings: urls ? { 'workflowRuns.connections': fixtures.demoConnections(urls) } : {},
  env: fixtures.DEMO_ENV,
});
say(`workspace: ${path.relative(ROOT, workspace)}`);
say(`credentials: ${Object.keys(fixtures.DEMO_ENV).join(', ')} (set in code-server's environment)`);
say('');
say(`Open ${server.workbenchUrl()}`);
say('');
say('Ctrl+C stops code-server and the emulator.');

const code = await server.exited;
say(`code-server exited (${code})`);
process.exit(code ?? 1);
