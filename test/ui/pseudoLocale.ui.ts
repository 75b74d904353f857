import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getL10nPseudoLocalized, type l10nJsonFormat } from '@vscode/l10n-dev';
import { ROOT } from '../harness/codeServer';
import { eventually, scenario } from './scenario';
import { parseBundle, pageBundleAttribute } from '../../src/util/l10n';

// In the pseudo locale every localized string reads "Ẇǿǿřķƒŀǿǿẇş": the manifest's strings
// (package.nls.qps-ploc.json) and the host's `vscode.l10n.t` strings (l10n/bundle.l10n.qps-ploc.json)
// must show that way, so an English one left behind stands out.
const read = (relative: string) => JSON.parse(fs.readFileSync(path.join(ROOT, relative), 'utf8')) as l10nJsonFormat;
const manifest = getL10nPseudoLocalized(read('package.nls.json')) as Record<string, string>;
const bundle = getL10nPseudoLocalized(read('l10n/bundle.l10n.json')) as Record<string, string>;
/** The pseudo form of a source string of the bundle, with its `{0}`s filled. */
const sourceString = (message: string, ...args: string[]) =>
  bundle[message].replace(/\{(\d+)\}/g, (_, index: string) => args[Number(index)] ?? '');
/** The first line of a welcome text, without its markdown. */
const firstLine = (text: string) => text.split('\n')[0];

const manifestAndHost = scenario(
  'pseudo locale: manifest and host strings are localized',
  {
    locale: 'qps-ploc',
    // No connection at first, so the Workflows view shows its welcome content.
    connections: false,
    noWait: true,
  },
  async ({ workbench, workspace, screenshot }) => {
    // The activity-bar entry carries the container's title (package.nls: viewsContainer title).
    const containerTitle = manifest['viewsContainer.workflowRuns.title'];
    assert.notEqual(containerTitle, 'Workflow Runs');
    await workbench.waitForExtension(containerTitle, 60_000);
    await workbench.clickActivityBar(containerTitle);

    // View names.
    const titles = await eventually(async () => {
      const found = await workbench.viewTitles();
      return found.includes(manifest['view.workflows.name']) && found.includes(manifest['view.runs.name']) ? found : undefined;
    });
    assert.ok(!titles.some((title) => /^(workflows|runs)$/i.test(title)), `English view titles: ${titles.join(', ')}`);

    // Welcome content of the Workflows view, with its button. (Not the Runs view's: the run history
    // is shared by the scenarios of a run, so it may not be empty.)
    const welcome = workbench.welcomeContent(manifest['view.workflows.name']);
    await eventually(async () => (await welcome.innerText()).includes(firstLine(manifest['viewsWelcome.workflows.noConnection'])));
    assert.ok(!(await welcome.innerText()).includes('No workflow platform'));
    const buttonLabel = /\[([^\]]+)\]\(command:workflowRuns\.addConnection\)/.exec(manifest['viewsWelcome.workflows.noConnection'])?.[1];
    assert.ok(buttonLabel && buttonLabel !== 'Add Connection', String(buttonLabel));
    await welcome.locator('a.monaco-button, .monaco-button', { hasText: buttonLabel }).first().waitFor({ state: 'visible', timeout: 10_000 });

    // A host string: an entry the settings check refuses gets an error row, read by screen readers
    // as "Error: <message>". Workspace settings written while the window is open: no reload needed.
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'workflowRuns.connections': [{ name: 'broken-entry', platform: 'zuora' }] }));
    const pane = await workbench.expandView(manifest['view.workflows.name']);
    const errorPrefix = sourceString('Error: {0}', '');
    assert.notEqual(errorPrefix, 'Error: ');
    const row = pane.locator(`.monaco-list-row[aria-label^="${errorPrefix}"]`).first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });

    // Command titles and their category in the palette: "<category>: <title>", both localized.
    const paletteLabel = `${manifest['command.category']}: ${manifest['command.addConnection.title']}`;
    const entries = await eventually(async () => {
      const found = await workbench.paletteEntries(manifest['command.addConnection.title']);
      return found.some((label) => label.includes(paletteLabel)) ? found : undefined;
    });
    assert.ok(!entries.some((label) => label.includes('Workflow Runs: Add Connection')), `English palette entry: ${JSON.stringify(entries)}`);

    await screenshot('pseudo-locale');
  },
);

// A run in the pseudo locale: the notification and the Runs tree row are host strings; the run
// details page receives the bundle from the host in its HTML (the page's own strings are not
// translated yet, so only the delivery is checked there).
const run = scenario(
  'pseudo locale: a run’s notification, tree row and page bundle',
  { locale: 'qps-ploc', needsEmulator: true, noWait: true, timeoutMs: 150_000 },
  async ({ workbench, page, screenshot }) => {
    await workbench.waitForExtension(manifest['viewsContainer.workflowRuns.title'], 60_000);
    await workbench.openFile('invoice-sync.payload.json');
    const play = page.locator(`.editor-actions .action-label[aria-label^="${manifest['command.runPayloadFile.title']}"]`).first();
    await play.waitFor({ state: 'visible', timeout: 20_000 });
    await play.click();

    // The page got the display language's bundle on its <body>.
    const frame = workbench.webviewFrame();
    await frame.locator('[data-run-id]').first().waitFor({ state: 'attached', timeout: 30_000 });
    const delivered = parseBundle((await frame.locator('body').getAttribute(pageBundleAttribute)) ?? '');
    assert.ok(delivered, 'the page has a bundle');
    assert.equal(delivered['Succeeded'], bundle['Succeeded']);

    // The notification when it ends: "Run <id> of “<workflow>” succeeded …", all localized.
    const succeeded = sourceString('succeeded');
    const toast = await workbench.waitForNotification(succeeded, 60_000);
    assert.ok(toast.message.startsWith(sourceString('Run {0} of “{1}” {2}', '').split(' ')[0]), toast.message);
    assert.ok(!/\b(Run|succeeded|after)\b/.test(toast.message), `English in: ${toast.message}`);

    // The Runs view row: "<status> · <when> · <duration>".
    await workbench.clickActivityBar(manifest['viewsContainer.workflowRuns.title']);
    const rows = await eventually(async () => {
      const found = await workbench.treeRows(manifest['view.runs.name']);
      return found.some((row) => row.description.startsWith(sourceString('Succeeded'))) ? found : undefined;
    }, { timeoutMs: 20_000 });
    assert.ok(!rows.some((row) => row.description.startsWith('Succeeded')), JSON.stringify(rows));
    await screenshot('pseudo-locale-run');
  },
);

export default [manifestAndHost, run];
