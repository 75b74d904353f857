import * as assert from 'node:assert/strict';
import { remoteEmulator } from '../emulator/remote';
import { eventually, scenario } from './scenario';

// Bad answers in the real extension: faults set through the emulator's HTTP control, as a test in
// another process would. Zuora's workflow list answers an HTML error page and B3OS's a body that
// breaks the schema: each connection shows one error row in plain words (never the page), Dify
// keeps working, and a Zuora run whose trigger answers 503 once succeeds with one run started.
const files = { 'retried.payload.json': JSON.stringify({ $workflow: 'zuora-demo/19027', accountNumber: 'A00000042' }, null, 2) };

interface Recorded {
  platform: string;
  method: string;
  path: string;
}

export default scenario('bad answers: one plain error row per connection, the others work, a 503 trigger runs once', { needsEmulator: true, files, timeoutMs: 180_000 }, async ({ workbench, page, emulator, screenshot }) => {
  const control = remoteEmulator(emulator!.urls);
  const requests = (emulator as unknown as { requests: Recorded[] }).requests;
  try {
    await control.injectFault({ platform: 'zuora', method: 'GET', path: '/workflows', kind: 'html', times: 'always' });
    await control.injectFault({ platform: 'b3os', method: 'GET', path: '/v1/workflows', kind: 'badSchema', times: 'always' });

    await workbench.clickActivityBar('Workflow Runs');
    await (await workbench.waitForTreeRow('Workflows', 'zuora-demo', 20_000)).click();
    const htmlRow = await workbench.waitForTreeRow('Workflows', /answered with an HTML page instead of JSON/, 30_000);
    await (await workbench.waitForTreeRow('Workflows', 'b3os-demo')).click();
    const schemaRow = await workbench.waitForTreeRow('Workflows', /GET \/v1\/workflows: /, 30_000);
    await (await workbench.waitForTreeRow('Workflows', 'dify-demo')).click();
    await workbench.waitForTreeRow('Workflows', 'Release notes writer', 20_000);

    const rows = await workbench.treeRows('Workflows');
    const errorRows = rows.filter((row) => row.ariaLabel.startsWith('Error: '));
    assert.equal(errorRows.length, 2, `one error row per failing connection: ${JSON.stringify(errorRows)}`);
    for (const row of errorRows) assert.doesNotMatch(row.label, /<[a-z/!]|&lt;|nginx|\{"/i, `plain words, not the page or the body: ${row.label}`);
    assert.ok(await htmlRow.isVisible());
    assert.ok(await schemaRow.isVisible());
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no modal dialog');
    await screenshot('bad-answers');

    // The trigger answers 503 once, then works: Zuora's Idempotency-Key makes the retry safe.
    const runsBefore = await control.runsCreated('zuora');
    const sentBefore = requests.length;
    await control.injectFault({ platform: 'zuora', method: 'POST', path: '/workflows/19027/run', kind: 'status', status: 503 });
    await workbench.openFile('retried.payload.json');
    await workbench.runCommand('Run Payload File');
    const frame = workbench.webviewFrame();
    const status = await eventually(async () => {
      const value = await frame.locator('[data-run-status]').getAttribute('data-run-status', { timeout: 2_000 }).catch(() => null);
      return value && ['succeeded', 'failed', 'partial', 'stopped'].includes(value) ? value : undefined;
    }, { timeoutMs: 90_000 });
    assert.equal(status, 'succeeded');
    const triggerPosts = requests.slice(sentBefore).filter((r) => r.platform === 'zuora' && r.method === 'POST' && r.path === '/workflows/19027/run');
    assert.equal(triggerPosts.length, 2, 'the 503, then the retry');
    assert.equal((await control.runsCreated('zuora')) - runsBefore, 1, 'one run started');
    const twice = (await control.triggers('zuora')).filter((count) => count.runs > 1);
    assert.deepEqual(twice, [], 'no Idempotency-Key started two runs');
    await screenshot('retried-run');
  } finally {
    await control.clearFaults();
  }
});
