import * as assert from 'node:assert/strict';
import { eventually, scenario } from './scenario';

const files = { 'dify-nodes.payload.json': JSON.stringify({ $workflow: 'dify-demo', topic: 'Node detail' }, null, 2) };

// Inside a run: the details panel of a Dify run opens a node's detail on a click and shows the
// node's outputs (from node_finished); after a window reload the restored panel shows them again.
const panelAndReload = scenario('a Dify node’s outputs in the details panel, also after a reload', { needsEmulator: true, files, timeoutMs: 150_000 }, async ({ workbench, page, screenshot }) => {
  await workbench.runCommand('View: Close All Editors', { category: null });
  await workbench.openFile('dify-nodes.payload.json');
  const play = workbench.runPayloadAction();
  await play.waitFor({ state: 'visible', timeout: 15_000 });
  await play.click();

  const frame = () => workbench.webviewFrame();
  const runId = await eventually(
    async () => frame().locator('[data-run-status="succeeded"]').getAttribute('data-run-id', { timeout: 2_000 }).catch(() => undefined),
    { timeoutMs: 60_000 },
  );
  const llmOutputs = async (): Promise<string> => {
    const row = frame().locator('[data-task-id]', { hasText: 'Draft release notes' }).first();
    await row.locator('button').first().click();
    return eventually(async () => (await row.locator('[data-section="task-outputs"]').textContent({ timeout: 2_000 }).catch(() => null)) || undefined, { timeoutMs: 15_000 });
  };
  const before = await llmOutputs();
  assert.match(before, /## Node detail/, 'the LLM node’s outputs hold the text it wrote');
  await screenshot('node-outputs');

  await workbench.runCommand('Developer: Reload Window', { category: null });
  await page.waitForTimeout(1_000);
  await workbench.waitForWorkbench();
  await eventually(async () => (await frame().locator(`[data-run-id="${runId}"]`).count()) === 1 || undefined, { timeoutMs: 30_000 });
  const after = await llmOutputs();
  assert.equal(after, before, 'the same outputs after the reload');
  await screenshot('node-outputs-after-reload');
});

// In the Runs view a run expands to its nodes (title, state word); a click on a node row opens the
// run details panel on that node, its detail open.
const treeRows = scenario('a run in the Runs view expands to its nodes; a node row opens the panel on it', { needsEmulator: true, files, timeoutMs: 120_000 }, async ({ workbench, screenshot }) => {
  await workbench.runCommand('View: Close All Editors', { category: null });
  await workbench.openFile('dify-nodes.payload.json');
  const play = workbench.runPayloadAction();
  await play.waitFor({ state: 'visible', timeout: 15_000 });
  await play.click();
  const frame = () => workbench.webviewFrame();
  await eventually(async () => frame().locator('[data-run-status="succeeded"]').getAttribute('data-run-id', { timeout: 2_000 }).catch(() => undefined), { timeoutMs: 60_000 });
  await workbench.runCommand('View: Close All Editors', { category: null });

  await workbench.clickActivityBar('Workflow Runs');
  const runRow = await workbench.waitForTreeRow('Runs', /Release notes writer/);
  await runRow.locator('.monaco-tl-twistie').click();
  const nodeRow = await workbench.waitForTreeRow('Runs', /^Format markdown$/);
  const rows = await workbench.treeRows('Runs');
  const node = rows.find((row) => row.label === 'Format markdown');
  assert.equal(node?.description, 'success');
  assert.ok(rows.some((row) => row.label === 'Draft release notes' && row.depth === 2), 'node rows sit under their run');
  await screenshot('runs-tree-nodes');

  await nodeRow.click();
  const detail = frame().locator('[data-task-id]', { hasText: 'Format markdown' }).first();
  await eventually(async () => (await detail.locator('button').first().getAttribute('aria-expanded', { timeout: 2_000 }).catch(() => null)) === 'true' || undefined, { timeoutMs: 20_000 });
  const outputs = await detail.locator('[data-section="task-outputs"]').textContent({ timeout: 5_000 });
  assert.match(outputs ?? '', /markdown/);
  await screenshot('panel-on-node');
});

export default [panelAndReload, treeRows];
