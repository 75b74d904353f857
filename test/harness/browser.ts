// Debian's Chromium driven by playwright-core, and helpers for the VS Code workbench it shows.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { ROOT, tempDir } from './codeServer';

export const CHROMIUM = process.env.WORKFLOW_RUNS_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(ROOT, '.test-output', 'screenshots');

export interface Browser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install the Debian package chromium (or set WORKFLOW_RUNS_CHROMIUM).`);
  }
  const profile = tempDir('chromium');
  const context = await chromium.launchPersistentContext(profile.dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // Clipboard access for commands like Copy Run ID.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined);
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close().catch(() => undefined);
      profile.remove();
    },
  };
}

/** Opens the workbench at `url` and waits until it is usable. */
export async function openWorkbench(page: Page, url: string): Promise<Workbench> {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  const workbench = new Workbench(page);
  await workbench.waitForWorkbench();
  return workbench;
}

export interface Notification {
  message: string;
  source: string;
  severity: 'info' | 'warning' | 'error' | 'unknown';
  buttons: string[];
}

/** Workbench helpers; every method works on the given page. */
export class Workbench {
  constructor(readonly page: Page) {}

  async waitForWorkbench(timeout = 60_000): Promise<void> {
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout });
    // The status bar appears once the layout is done; extensions may still be activating.
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout });
  }

  /** F1, then type the command (with or without the "Workflow Runs: " category) and Enter. */
  async runCommand(title: string, options: { category?: string | null } = {}): Promise<void> {
    const category = options.category === undefined ? 'Workflow Runs' : options.category;
    const full = category && !title.startsWith(`${category}: `) ? `${category}: ${title}` : title;
    // The exact entry (its aria-label may end with ", <keybinding>"), not just the first match.
    const quoted = full.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    const row = this.page
      .locator(`.quick-input-widget .monaco-list-row:is([aria-label="${quoted}"], [aria-label^="${quoted}, "])`)
      .first();
    // Commands contributed by extensions appear once the extension host has registered them:
    // retry a few times rather than fail on a palette opened too early.
    // The palette can also close between finding the row and clicking it (a view or panel taking
    // focus as it loads): then the whole cycle is tried again.
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await this.openPalette();
        await this.page.keyboard.type(full);
        await row.waitFor({ state: 'visible', timeout: 3_000 });
        await row.click({ timeout: 3_000 });
        return;
      } catch (error) {
        await this.page.keyboard.press('Escape').catch(() => undefined);
        if (Date.now() > deadline) throw new Error(`The command palette has no "${full}"`, { cause: error });
      }
    }
  }

  /** Waits until the extension's contributions are in the workbench (its activity-bar entry). */
  async waitForExtension(activityBarLabel = 'Workflow Runs', timeout = 30_000): Promise<void> {
    await this.activityBarItem(activityBarLabel).waitFor({ state: 'visible', timeout });
  }

  /** Opens the command palette (F1) with ">" typed; returns its input. */
  async openPalette(): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const focused = () =>
      this.page.evaluate(() => {
        const active = document.activeElement;
        return !!active && active.matches('.quick-input-widget .quick-input-box input');
      });
    // F1 can be swallowed (a terminal or webview being created has focus) and a palette can close
    // again when something takes focus right after: retry until it stays open and focused, with
    // Ctrl+Shift+P as the alternative key and a click on the editor area in between.
    const deadline = Date.now() + 20_000;
    for (let attempt = 0; ; attempt++) {
      await this.page.keyboard.press(attempt % 2 === 0 ? 'F1' : 'Control+Shift+P');
      try {
        await input.waitFor({ state: 'visible', timeout: 1_500 });
        await this.page.waitForTimeout(200);
        if ((await input.isVisible()) && (await focused())) break;
      } catch {
        // not shown
      }
      if (Date.now() > deadline) throw new Error('The command palette does not open (F1 / Ctrl+Shift+P)');
      await this.page.keyboard.press('Escape').catch(() => undefined);
      await this.page
        .locator('.part.editor')
        .click({ position: { x: 20, y: 60 }, timeout: 2_000 })
        .catch(() => undefined);
    }
    if ((await input.inputValue()) !== '>') await input.fill('>');
    return input;
  }

  /** Labels of the rows the command palette lists for `text` (closes the palette again). */
  async paletteEntries(text: string): Promise<string[]> {
    await this.openPalette();
    await this.page.keyboard.type(text);
    const rows = this.page.locator('.quick-input-widget .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: 10_000 }).catch(() => undefined);
    await this.page.waitForTimeout(300);
    const labels = await rows.evaluateAll((elements) =>
      elements.map((element) => (element.getAttribute('aria-label') ?? element.textContent ?? '').trim()),
    );
    await this.page.keyboard.press('Escape');
    return labels;
  }

  /** The visible quick pick / input box (after a command asked something). */
  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Labels of the rows in the open quick pick. */
  async quickPickItems(): Promise<string[]> {
    const rows = this.page.locator('.quick-input-widget .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: 10_000 });
    return rows.evaluateAll((elements) =>
      elements.map((element) => (element.getAttribute('aria-label') ?? element.textContent ?? '').trim()),
    );
  }

  /** Types into the open quick input and presses Enter. */
  async answerQuickInput(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(text);
    await this.page.waitForTimeout(150);
    await this.page.keyboard.press('Enter');
  }

  /** Toasts currently shown (bottom right). */
  async readNotifications(): Promise<Notification[]> {
    const toasts = this.page.locator('.notifications-toasts .notification-toast');
    return toasts.evaluateAll((elements) =>
      elements.map((toast) => {
        const icon = toast.querySelector('.notification-list-item-icon');
        const classes = icon?.className ?? '';
        const severity = /codicon-error/.test(classes)
          ? 'error'
          : /codicon-warning/.test(classes)
            ? 'warning'
            : /codicon-info/.test(classes)
              ? 'info'
              : 'unknown';
        return {
          message: (toast.querySelector('.notification-list-item-message')?.textContent ?? '').trim(),
          source: (toast.querySelector('.notification-list-item-source')?.textContent ?? '').trim(),
          severity: severity as Notification['severity'],
          buttons: [...toast.querySelectorAll('.notification-list-item-buttons-container .monaco-button')].map(
            (button) => (button.textContent ?? '').trim(),
          ),
        };
      }),
    );
  }

  /** Waits until a toast whose message matches appears; returns it. */
  async waitForNotification(match: string | RegExp, timeout = 15_000): Promise<Notification> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = (await this.readNotifications()).find((n) =>
        typeof match === 'string' ? n.message.includes(match) : match.test(n.message),
      );
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = (await this.readNotifications()).map((n) => n.message);
        throw new Error(`No notification matching ${match} within ${timeout} ms; shown: ${JSON.stringify(seen)}`);
      }
      await this.page.waitForTimeout(200);
    }
  }

  /** Clicks a button of the toast matching `match`. */
  async clickNotificationButton(match: string | RegExp, button: string): Promise<void> {
    const toast = this.page
      .locator('.notifications-toasts .notification-toast')
      .filter({ has: this.page.locator('.notification-list-item-message', { hasText: match }) })
      .first();
    await toast.locator('.notification-list-item-buttons-container .monaco-button', { hasText: button }).first().click();
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications', { category: null }).catch(() => undefined);
  }

  /** The activity-bar entry with this aria-label (e.g. "Workflow Runs"). */
  activityBarItem(ariaLabel: string): Locator {
    return this.page
      .locator('.part.activitybar .action-item a.action-label')
      .and(this.page.locator(`[aria-label^="${ariaLabel.replace(/"/g, '\\"')}"]`))
      .first();
  }

  /** Clicks the activity-bar entry (opens its container unless it is already open). */
  async clickActivityBar(ariaLabel: string, options: { ensureOpen?: boolean } = { ensureOpen: true }): Promise<void> {
    const item = this.activityBarItem(ariaLabel);
    await item.waitFor({ state: 'visible', timeout: 15_000 });
    const checked = async () => (await item.locator('xpath=..').getAttribute('class'))?.includes('checked') ?? false;
    if (options.ensureOpen && (await checked())) return;
    await item.click();
  }

  /** The pane (view) in the side bar with this title, e.g. "Workflows". */
  view(viewTitle: string): Locator {
    return this.page
      .locator('.part.sidebar .pane')
      .filter({ has: this.page.locator('.pane-header h3.title', { hasText: new RegExp(`^${escapeRegExp(viewTitle)}$`, 'i') }) })
      .first();
  }

  /** Titles of the views in the side bar. */
  async viewTitles(): Promise<string[]> {
    const titles = this.page.locator('.part.sidebar .pane .pane-header h3.title');
    await titles.first().waitFor({ state: 'visible', timeout: 10_000 });
    return (await titles.allTextContents()).map((t) => t.trim());
  }

  /** Expands the view if collapsed. */
  async expandView(viewTitle: string): Promise<Locator> {
    const pane = this.view(viewTitle);
    const header = pane.locator('.pane-header');
    await header.waitFor({ state: 'visible', timeout: 10_000 });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    return pane;
  }

  /** Collapses the view if expanded (gives the other views of the container its height). */
  async collapseView(viewTitle: string): Promise<void> {
    const header = this.view(viewTitle).locator('.pane-header');
    await header.waitFor({ state: 'visible', timeout: 10_000 });
    if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
  }

  /** Rows of a tree view: label, description, depth (1-based), expanded, aria-label. */
  async treeRows(viewTitle: string): Promise<TreeRow[]> {
    const pane = await this.expandView(viewTitle);
    const rows = pane.locator('.monaco-list-row');
    return rows.evaluateAll((elements) =>
      elements.map((row) => ({
        label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
        description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
        ariaLabel: row.getAttribute('aria-label') ?? '',
        depth: Number(row.getAttribute('aria-level') ?? '0'),
        expanded: row.getAttribute('aria-expanded') === null ? undefined : row.getAttribute('aria-expanded') === 'true',
      })),
    );
  }

  /** Waits until the view shows a row whose label matches. */
  async waitForTreeRow(viewTitle: string, label: string | RegExp, timeout = 15_000): Promise<Locator> {
    const pane = await this.expandView(viewTitle);
    const row = pane
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: label }) })
      .first();
    await row.waitFor({ state: 'visible', timeout });
    return row;
  }

  /** The welcome (empty) content of a view, if shown. */
  welcomeContent(viewTitle: string): Locator {
    return this.view(viewTitle).locator('.welcome-view-content');
  }

  /** The ▶ Run Payload File action in the active editor's title bar. */
  runPayloadAction(): Locator {
    return this.page.locator('.editor-actions .action-label[aria-label^="Run Payload File"]').first();
  }

  /** The content of the last-opened ready webview (e.g. run details): two iframes deep. */
  webviewFrame(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
  }

  /**
   * What the run details panel shows (contract: data-run-id, data-run-status, data-task-state),
   * or undefined while no panel is ready. VS Code keeps only the visible webview's iframe, so this
   * is the panel in front.
   */
  async runDetails(): Promise<RunDetails | undefined> {
    const frame = this.webviewFrame();
    try {
      const run = frame.locator('[data-run-id]').first();
      const runId = await run.getAttribute('data-run-id', { timeout: 1_000 });
      if (!runId) return undefined;
      const status = (await run.getAttribute('data-run-status', { timeout: 1_000 })) ?? '';
      const tasks: Record<string, number> = {};
      for (const element of await frame.locator('[data-task-state]').all()) {
        const state = await element.getAttribute('data-task-state');
        if (state) tasks[state] = Number((await element.textContent())?.trim());
      }
      return { runId, status, tasks };
    } catch {
      return undefined;
    }
  }

  /**
   * Waits until the panel in front shows a run (other than `notRunId`, e.g. the run shown before
   * clicking ▶) whose status satisfies `until` (default: any).
   */
  async waitForRunDetails(
    options: { notRunId?: string; until?: (details: RunDetails) => boolean; timeout?: number } = {},
  ): Promise<RunDetails> {
    const deadline = Date.now() + (options.timeout ?? 30_000);
    let last: RunDetails | undefined;
    for (;;) {
      last = await this.runDetails();
      if (last && last.runId !== options.notRunId && (!options.until || options.until(last))) return last;
      if (Date.now() > deadline) throw new Error(`run details not as expected; last seen: ${JSON.stringify(last)}`);
      await this.page.waitForTimeout(250);
    }
  }

  /** Titles of the open editor tabs. */
  async editorTabs(): Promise<string[]> {
    return (await this.page.locator('.tabs-container .tab .label-name').allTextContents()).map((t) => t.trim());
  }

  /** Opens a workspace file by path via Quick Open (the palette without ">"). */
  async openFile(relativePath: string): Promise<void> {
    const input = await this.openPalette();
    await input.fill(relativePath);
    await this.page
      .locator('.quick-input-widget .monaco-list-row', { hasText: path.basename(relativePath) })
      .first()
      .waitFor({ state: 'visible', timeout: 10_000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: path.basename(relativePath) }).waitFor({ timeout: 10_000 });
  }

  /** Saves a PNG into .test-output/screenshots/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    return screenshot(this.page, name);
  }
}

export interface RunDetails {
  runId: string;
  status: string;
  /** data-task-state → count (queued, pending, processing, success, error, stopped, skipped, total). */
  tasks: Record<string, number>;
}

export const FINAL_STATUSES = ['succeeded', 'partial', 'failed', 'stopped'];

export interface TreeRow {
  label: string;
  description: string;
  ariaLabel: string;
  depth: number;
  expanded: boolean | undefined;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
