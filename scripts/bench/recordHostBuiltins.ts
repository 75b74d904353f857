// Records which of Node's own modules a real extension host (code-server, as the UI harness runs
// it) has already loaded when an extension activates, into scripts/bench/hostBuiltins.json. The
// stand-in host of the activation figures (activationProcess.cjs) loads the same ones first, for
// the extension and for its no-op baseline alike: in a bare Node process the first `require('tls')`
// or `require('node:crypto')` costs milliseconds that, in VS Code, the host itself paid long before
// any extension ran (its IPC, its proxy support and its own services need them).
//
//   npx tsx scripts/bench/recordHostBuiltins.ts      (runs a real code-server: take the suite lock)
//
// A throwaway probe extension activated on `*` writes `process.moduleLoadList` from inside the
// extension host; only public built-ins are kept (`require('node:module').builtinModules`).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { launchBrowser } from '../../test/harness/browser';
import { CODE_SERVER_VERSION, ROOT, startCodeServer, tempDir } from '../../test/harness/codeServer';

const output = path.join(ROOT, 'scripts/bench/hostBuiltins.json');

interface Probe {
  node: string;
  modules: string[];
}

function buildProbe(dir: string, reportFile: string): string {
  const extension = path.join(dir, 'extension');
  fs.mkdirSync(extension, { recursive: true });
  fs.writeFileSync(
    path.join(extension, 'package.json'),
    JSON.stringify({ name: 'host-builtins-probe', publisher: 'bench', version: '0.0.1', license: 'MIT', engines: { vscode: '^1.90.0' }, main: './extension.js', activationEvents: ['*'] }),
  );
  fs.writeFileSync(
    path.join(extension, 'extension.js'),
    `exports.activate = () => require('node:fs').writeFileSync(${JSON.stringify(reportFile)}, JSON.stringify({ node: process.versions.node, modules: process.moduleLoadList }));\n`,
  );
  fs.writeFileSync(path.join(extension, 'README.md'), 'probe\n');
  fs.writeFileSync(path.join(extension, 'LICENSE'), 'MIT\n');
  const vsix = path.join(dir, 'probe.vsix');
  const packed = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--allow-missing-repository', '-o', vsix], { cwd: extension, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`vsce package failed:\n${packed.stdout}\n${packed.stderr}`);
  return vsix;
}

async function waitForFile(file: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the probe extension did not activate within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main(): Promise<void> {
  const work = tempDir('host-builtins');
  const reportFile = path.join(work.dir, 'report.json');
  const workspace = path.join(work.dir, 'workspace');
  fs.mkdirSync(workspace);
  const server = await startCodeServer({ vsixPath: buildProbe(work.dir, reportFile), workspaceFolder: workspace });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(server.workbenchUrl());
    await waitForFile(reportFile, 60_000);
    // Written in one call, but read only once it parses.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const probe = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Probe;
    const publicNames = new Set(builtinModules);
    const loaded = probe.modules
      .filter((entry) => entry.startsWith('NativeModule '))
      .map((entry) => entry.slice('NativeModule '.length))
      .filter((name) => publicNames.has(name) && !name.startsWith('_'));
    const record = {
      about: 'Public Node built-ins already loaded in a real extension host when an extension activates; written by scripts/bench/recordHostBuiltins.ts',
      recordedAt: new Date().toISOString(),
      host: `code-server ${CODE_SERVER_VERSION}, Node ${probe.node}`,
      builtins: [...new Set(loaded)].sort(),
    };
    fs.writeFileSync(output, `${JSON.stringify(record, null, 2)}\n`);
    console.log(`${record.builtins.length} built-ins → ${path.relative(ROOT, output)}`);
  } finally {
    await browser.close();
    await server.stop();
    work.remove();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
