import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eventually, scenario } from './scenario';

/**
 * The extension's log file of the newest extension host: code-server writes each window's
 * LogOutputChannel to <user data>/logs/<session>/exthost<N>/<extension id>/Workflow Runs.log.
 */
function newestExtensionLog(userDataDir: string, notBefore: number): string | undefined {
  const found: Array<{ file: string; mtime: number }> = [];
  const visit = (dir: string, depth: number) => {
    if (depth > 5 || !fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full, depth + 1);
      else if (entry.name === 'Workflow Runs.log') found.push({ file: full, mtime: fs.statSync(full).mtimeMs });
    }
  };
  visit(path.join(userDataDir, 'logs'), 0);
  return found.filter((item) => item.mtime >= notBefore).sort((a, b) => b.mtime - a.mtime)[0]?.file;
}

// The activation case, in the real workbench: a window that opens a JSON file with no
// payload in it, no Workflow Runs view visible. The extension activates (onLanguage:json), the
// editor asks its CodeLens and completion, and nothing loads dist/services.js; showing the view
// does. Runs first (by file name), before any scenario leaves runs in flight in the shared global
// state, which would rightly load the services at activation to watch them again.
export default scenario(
  'a plain JSON file activates the extension without loading its services; the view loads them',
  { files: { 'settings-export.json': '{\n  "theme": "dark",\n  "items": [1, 2, 3]\n}\n' } },
  async ({ workbench, page, server, screenshot }) => {
    const opened = Date.now() - 1_000;
    await workbench.openFile('settings-export.json');
    const logFile = await eventually(async () => newestExtensionLog(server.userDataDir, opened), { timeoutMs: 30_000 });
    assert.ok(logFile, 'the extension did not activate on a JSON file (no log written)');
    const read = () => fs.readFileSync(logFile, 'utf8');
    await eventually(async () => /Activated/.test(read()), { timeoutMs: 15_000 });
    // Time for the editor to ask CodeLens, completion (a typed quote asks it), and for anything
    // activation started.
    await page.keyboard.press('End');
    await page.keyboard.type('"');
    await page.waitForTimeout(1_000);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Z');
    await page.waitForTimeout(2_000);
    const early = read();
    assert.doesNotMatch(early, /Services loaded/, `a plain JSON file loaded the services:\n${early}`);
    await screenshot('plain-json');

    await workbench.clickActivityBar('Workflow Runs');
    const loaded = await eventually(async () => /Services loaded for ([^\n]+) in/.exec(read())?.[1], { timeoutMs: 30_000 });
    assert.match(loaded ?? '', /visible Workflow Runs view|Workflows view|Runs view/);

    // The next window compiles dist/services.js from the code cache this one left in the
    // extension's global storage (written 2 s after the load: src/host/codeCache.ts).
    const firstLoad = /Services loaded for [^\n]*/.exec(read())?.[0] ?? '';
    assert.match(firstLoad, /code cache: (none|rejected|used)\)/, `the bundled services were loaded with the code cache: ${firstLoad}`);
    await page.waitForTimeout(3_000);
    const reloadedAt = Date.now();
    await workbench.runCommand('Developer: Reload Window', { category: null });
    await page.waitForTimeout(1_000);
    await workbench.waitForWorkbench();
    const nextLog = await eventually(async () => {
      const newest = newestExtensionLog(server.userDataDir, reloadedAt);
      return newest !== logFile ? newest : undefined;
    }, { timeoutMs: 30_000 });
    assert.ok(nextLog, 'the reloaded window wrote its log');
    const nextLoad = await eventually(async () => /Services loaded for [^\n]*/.exec(fs.readFileSync(nextLog, 'utf8'))?.[0], { timeoutMs: 30_000 });
    assert.match(nextLoad, /code cache: used\)/, nextLoad);
    console.log(`  first window: ${firstLoad.replace(/^Services loaded for /, '')}; after a reload: ${nextLoad.replace(/^Services loaded for /, '')}`);
  },
);
