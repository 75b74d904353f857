import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eventually, scenario } from './scenario';

// A connection whose credential is refused shows one error row with a fix; the other
// connections keep working; no modal dialog.
export default scenario('a failing connection does not break the others', { needsEmulator: true }, async ({ workbench, emulator, workspace, settings, screenshot }) => {
  const demo = settings['workflowRuns.connections'] as Array<Record<string, unknown>>;
  const broken = [
    { name: 'dify-wrong-key', platform: 'dify', baseUrl: emulator!.urls.dify, credentialEnv: 'WORKFLOW_RUNS_WRONG_KEY_UNSET' },
  ];
  // Workspace settings, written while the window is open: the views follow without a reload.
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'workflowRuns.connections': [...broken, ...demo] }, null, 2));

  await workbench.clickActivityBar('Workflow Runs');
  await (await workbench.waitForTreeRow('Workflows', 'dify-wrong-key', 20_000)).click();
  const errorRow = await workbench.waitForTreeRow('Workflows', /WORKFLOW_RUNS_WRONG_KEY_UNSET/, 20_000);
  assert.ok(await errorRow.isVisible());
  await errorRow.hover();
  const inline = errorRow.locator('.actions .action-label[aria-label^="Set Credentials"]');
  await inline.waitFor({ state: 'visible', timeout: 5_000 });

  // The others still load.
  await (await workbench.waitForTreeRow('Workflows', 'b3os-demo')).click();
  await workbench.waitForTreeRow('Workflows', 'Treasury rebalance alert', 20_000);
  assert.equal(await workbench.page.locator('.monaco-dialog-box').count(), 0, 'no modal dialog');
  const rows = await eventually(async () => {
    const found = await workbench.treeRows('Workflows');
    return found.length > 4 ? found : undefined;
  });
  assert.ok(rows.some((row) => row.label === 'zuora-demo'));
  await screenshot('connection-error');
});
