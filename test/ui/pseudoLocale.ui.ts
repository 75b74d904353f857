import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getL10nPseudoLocalized, type l10nJsonFormat } from '@vscode/l10n-dev';
import { ROOT } from '../harness/codeServer';
import { eventually, scenario } from './scenario';

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

export default scenario(
  'pseudo locale: manifest and host strings are localized',
  {
    locale: 'qps-ploc',
    connections: false,
    noWait: true,
    // One entry the settings check refuses: its error row shows a host string (`vscode.l10n.t`).
    settings: { 'workflowRuns.connections': [{ name: 'broken-entry', platform: 'zuora' }] },
  },
  async ({ workbench, screenshot }) => {
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

    // Welcome content of the Runs view (there is a connection entry, so "no runs yet").
    const welcome = workbench.welcomeContent(manifest['view.runs.name']);
    await eventually(async () => (await welcome.innerText()).includes(firstLine(manifest['viewsWelcome.runs.noRuns'])));
    assert.ok(!(await welcome.innerText()).includes('No runs yet'));

    // A host string: the settings problem's row, read by screen readers as "Error: <message>".
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
