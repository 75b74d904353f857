// The scenario API of the UI tests. A scenario is one file test/ui/<name>.ui.ts:
//
//   import * as assert from 'node:assert/strict';
//   import { scenario } from './scenario';
//
//   export default scenario('runs a payload file', { files: { 'x.payload.json': '{…}' } },
//     async ({ workbench, emulator, screenshot }) => {
//       await workbench.clickActivityBar('Workflow Runs');
//       assert.ok(…);
//       await screenshot('after-run');
//     });
//
// Every scenario gets a fresh page (so a fresh extension host), a fresh workspace folder holding
// the sample payload files (test/harness/fixtures.ts) plus `files`, and user settings = quiet
// defaults + connections to the emulator (unless `connections: false`) + `settings`.
// code-server, the browser and the emulator are shared by all scenarios of a run; so are
// SecretStorage and global state (use distinct connection names when that matters).
import type { Page } from 'playwright-core';
import type { Workbench } from '../harness/browser';
import type { CodeServer } from '../harness/codeServer';
import type { Emulator } from '../harness/fixtures';
import type { TestPki } from '../harness/tls';

export interface ScenarioContext {
  page: Page;
  workbench: Workbench;
  /** The emulator, when test/emulator/index.ts exists (scenarios with `needsEmulator` can rely on it). */
  emulator: Emulator | undefined;
  server: CodeServer;
  /** The tests' CA (trusted by the extension host through NODE_EXTRA_CA_CERTS) and its server certificates. */
  pki: TestPki;
  /** Absolute path of this scenario's workspace folder. */
  workspace: string;
  /** The user settings this scenario's page was opened with. */
  settings: Record<string, unknown>;
  /** Saves .test-output/screenshots/<scenario>-<name>.png. */
  screenshot(name: string): Promise<string>;
  /** Browser console errors and page errors seen so far. */
  consoleErrors: string[];
  log(message: string): void;
}

export interface ScenarioOptions {
  /** Extra user settings (merged over the defaults and the demo connections). */
  settings?: Record<string, unknown>;
  /** Add `workflowRuns.connections` for the emulator (default true when it runs). */
  connections?: boolean;
  /** Extra files for the workspace folder (path relative to it → content). */
  files?: Record<string, string>;
  /** Skip (not fail) when the emulator does not exist yet. */
  needsEmulator?: boolean;
  /** Per-scenario time limit (default 120 s). */
  timeoutMs?: number;
  /** Do not wait for the workbench (and the extension's activity-bar entry) before the body. */
  noWait?: boolean;
  /** Display language of the page; only 'qps-ploc' (pseudo-localized, see harness/pseudoLocale.ts). */
  locale?: 'qps-ploc';
}

export type ScenarioBody = (context: ScenarioContext) => Promise<void>;

export interface Scenario {
  name: string;
  options: ScenarioOptions;
  body: ScenarioBody;
  /** Set by the runner: the file the scenario came from. */
  file?: string;
}

export function scenario(name: string, body: ScenarioBody): Scenario;
export function scenario(name: string, options: ScenarioOptions, body: ScenarioBody): Scenario;
export function scenario(name: string, a: ScenarioOptions | ScenarioBody, b?: ScenarioBody): Scenario {
  if (typeof a === 'function') return { name, options: {}, body: a };
  if (!b) throw new Error(`scenario "${name}" has no body`);
  return { name, options: a, body: b };
}

/** Scenarios wait with the same helper as the other suites (a truthy value, or `until`). */
export { eventually } from '../helpers/eventually';

/**
 * Chooses the quick-pick row showing `text`. Waits until the quick pick has finished loading
 * (rows arriving re-render the list under the pointer), then clicks the row (Enter could reach
 * the next quick pick that replaces this one).
 */
/** Moves the pointer to the middle of the editor area, so that no tree row's hover opens or stays open. */
export async function moveOffTheSideBar(page: Page): Promise<void> {
  const editor = await page.locator('.part.editor').boundingBox();
  if (editor) await page.mouse.move(editor.x + editor.width / 2, editor.y + editor.height / 2);
}

export async function pickQuickItem(page: Page, text: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-box input').fill(text);
  await page
    .locator('.quick-input-widget .monaco-progress-container.active, .quick-input-widget .monaco-progress-container.infinite')
    .first()
    .waitFor({ state: 'hidden', timeout: 20_000 })
    .catch(() => undefined);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  // A hover left open over a tree row can cover the picker's rows.
  await moveOffTheSideBar(page);
  await page.waitForTimeout(200);
  await row.click();
  await row.waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
}
