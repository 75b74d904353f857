import * as assert from 'node:assert/strict';
import { eventually, scenario } from './scenario';

// No connection yet: the welcome view offers "Add Connection"; the wizard checks the credential
// with the platform before saving, refuses a wrong one with nothing saved, and the new
// connection appears under its exact name.
export default scenario('add a connection from the welcome view', { needsEmulator: true, connections: false }, async ({ workbench, emulator, page, screenshot }) => {
  await workbench.clickActivityBar('Workflow Runs');
  const welcome = workbench.welcomeContent('Workflows');
  const button = welcome.locator('a.monaco-button, .monaco-button', { hasText: 'Add Connection' }).first();
  await button.waitFor({ state: 'visible', timeout: 15_000 });
  await screenshot('welcome');

  const b3osUrl = emulator!.urls.b3os;
  const walk = async (key: string, name: string) => {
    await button.click();
    await workbench.answerQuickInput('B3OS');
    await workbench.answerQuickInput('Custom URL');
    await workbench.answerQuickInput(b3osUrl);
    await workbench.answerQuickInput(key);
    await workbench.answerQuickInput(name);
  };
  await walk('b3sk_wrong', 'my b3os');
  const refused = await workbench.waitForNotification(/Nothing was saved/);
  assert.equal(refused.severity, 'error');
  assert.ok(!refused.message.includes('b3sk_wrong'), 'the rejected key is not echoed');
  await workbench.clearNotifications();

  await walk('b3sk_demo', 'my b3os');
  await workbench.waitForNotification(/Connected “my b3os”/);
  await workbench.waitForTreeRow('Workflows', 'my b3os', 15_000);
  const rows = await eventually(async () => {
    const found = await workbench.treeRows('Workflows');
    return found.some((row) => row.label === 'my b3os') ? found : undefined;
  });
  assert.ok(rows.some((row) => row.label === 'my b3os'));
  await page.waitForTimeout(300);
  await screenshot('connection-added');

  // Zuora with an OAuth client (the client id goes to settings, the secret to secret storage),
  // and a Dify app: each checked before it is saved, each listed under its name.
  await workbench.runCommand('Add Connection…');
  await workbench.answerQuickInput('Zuora Workflow');
  await workbench.answerQuickInput('Custom URL');
  await workbench.answerQuickInput(emulator!.urls.zuora);
  await workbench.answerQuickInput('OAuth client');
  await workbench.answerQuickInput('demo-client');
  await workbench.answerQuickInput('demo-secret');
  await workbench.answerQuickInput('billing sandbox');
  await workbench.waitForNotification(/Connected “billing sandbox”/, 20_000);
  await (await workbench.waitForTreeRow('Workflows', 'billing sandbox', 15_000)).click();
  await workbench.waitForTreeRow('Workflows', 'Invoice sync to NetSuite', 20_000);
  // Fold it again, so the next connection's row is in view.
  await (await workbench.waitForTreeRow('Workflows', 'billing sandbox')).click();

  await workbench.runCommand('Add Connection…');
  await workbench.answerQuickInput('Dify');
  await workbench.answerQuickInput('Custom URL');
  await workbench.answerQuickInput(emulator!.urls.dify);
  await workbench.answerQuickInput('app-demo');
  await workbench.answerQuickInput('release notes');
  await workbench.waitForNotification(/Connected “release notes”/, 20_000);
  await workbench.waitForTreeRow('Workflows', 'release notes', 15_000);
  await screenshot('three-connections');
});
