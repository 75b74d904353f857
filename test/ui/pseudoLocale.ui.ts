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

    // Add Connection's quick picks show the platform descriptor's texts (made when shown, after the
    // bundle is loaded): Zuora's data centres, then its auth modes. The platform names are brands.
    await workbench.runCommand(manifest['command.addConnection.title'], { category: manifest['command.category'] });
    await workbench.answerQuickInput('Zuora Workflow');
    const dataCentres = await eventually(async () => {
      const found = await workbench.quickPickItems();
      return found.some((label) => label.includes(sourceString('US Production (Cloud 1)'))) ? found : undefined;
    });
    assert.ok(!dataCentres.some((label) => /US Production|Custom URL/.test(label)), `English data centres: ${JSON.stringify(dataCentres)}`);
    await workbench.answerQuickInput(sourceString('Custom URL…'));
    await workbench.answerQuickInput('https://rest.test.zuora.com');
    const authModes = await eventually(async () => {
      const found = await workbench.quickPickItems();
      return found.some((label) => label.includes(sourceString('OAuth client'))) ? found : undefined;
    });
    assert.ok(!authModes.some((label) => /OAuth client|Basic authentication|Workflow API token/.test(label)), `English auth modes: ${JSON.stringify(authModes)}`);
    await screenshot('pseudo-locale-add-connection');
    await workbench.page.keyboard.press('Escape');

    await screenshot('pseudo-locale');
  },
);

// A run in the pseudo locale: the notification and the Runs tree row are host strings; the run
// details page translates its own strings with the bundle the host put in its HTML.
//
// "No English left" is checked on text with the user's and the platform's data taken out (the
// workflow's name, ids, connection names, JSON values, timestamps, platform states): in the pseudo
// locale every letter of a translated string is an accented one, so any ASCII word left in the
// rest is a string that did not go through l10n. The labels the page is known to show are also
// looked for in their pseudo form, so an empty page cannot pass.
const asciiWords = (text: string) => text.match(/[A-Za-z]{2,}/g) ?? [];
/** `text` with every occurrence of the data strings removed (longest first). */
const withoutData = (text: string, data: string[]) =>
  [...data].filter(Boolean).sort((a, b) => b.length - a.length).reduce((rest, value) => rest.split(value).join(' '), text);

/** Page labels that must show, translated, on a finished run's page (header, sections, buttons). */
const pageLabels = {
  facts: ['Connection', 'Platform', 'Run ID', 'Finished', 'Duration'],
  // Timeline and Outputs only show when the platform gave them.
  sections: ['Tasks', 'Inputs'],
  buttons: ['↻ Re-run', '■ Stop', 'Open inputs as payload', 'Compare with…', 'Refresh', 'Copy run ID', 'Show log'],
};

const run = scenario(
  'pseudo locale: a run’s notification, tree row and page are localized',
  // No panel on run: a run whose panel is visible in a focused window is not announced (the panel
  // shows its end), and this scenario reads the notification first, then opens the page from it.
  { locale: 'qps-ploc', needsEmulator: true, noWait: true, timeoutMs: 150_000, settings: { 'workflowRuns.openDetailsOnRun': false } },
  async ({ workbench, page, settings, screenshot }) => {
    const connectionNames = ((settings['workflowRuns.connections'] as Array<{ name: string }> | undefined) ?? []).map((entry) => entry.name);
    await workbench.waitForExtension(manifest['viewsContainer.workflowRuns.title'], 60_000);
    await workbench.openFile('invoice-sync.payload.json');
    const play = page.locator(`.editor-actions .action-label[aria-label^="${manifest['command.runPayloadFile.title']}"]`).first();
    await play.waitFor({ state: 'visible', timeout: 20_000 });
    await play.click();

    // The notification when it ends: "Run <id> of “<workflow>” succeeded after <duration>", and its button.
    const succeeded = sourceString('succeeded');
    const toast = await workbench.waitForNotification(succeeded, 60_000);
    assert.ok(toast.message.startsWith(sourceString('Run {0} of “{1}” {2}', '').split(' ')[0]), toast.message);
    await workbench.clickNotificationButton(succeeded, sourceString('Show Details'));

    // The page got the display language's bundle on its <body>.
    const frame = workbench.webviewFrame();
    await frame.locator('[data-run-id]').first().waitFor({ state: 'attached', timeout: 30_000 });
    const delivered = parseBundle((await frame.locator('body').getAttribute(pageBundleAttribute)) ?? '');
    assert.ok(delivered, 'the page has a bundle');
    assert.equal(delivered['Succeeded'], bundle['Succeeded']);
    const details = await workbench.waitForRunDetails({ until: (shown) => shown.status === 'succeeded', timeout: 30_000 });
    const workflowLabel = /“([^”]*)”/.exec(toast.message)?.[1] ?? '';
    assert.ok(workflowLabel, toast.message);
    const toastLeft = asciiWords(withoutData(toast.message, [details.runId, `“${workflowLabel}”`]));
    assert.deepEqual(toastLeft, [], `English in the notification: ${toast.message}`);
    assert.ok(toast.buttons.includes(sourceString('Show Details')), JSON.stringify(toast.buttons));
    assert.deepEqual(toast.buttons.flatMap(asciiWords), [], `English buttons: ${JSON.stringify(toast.buttons)}`);

    // The run details page: status word, section titles, fact labels, buttons, and no English at all
    // once the data is taken out.
    // (No named functions inside evaluate: the test's build would wrap them in a helper the page lacks.)
    const shown = await frame.locator('body').evaluate((body) => {
      const [status, headings, factLabels, buttons, counts] = ['.status-label', 'h2, h3', 'dt', '.actions button', '.count-label'].map((selector) =>
        [...body.querySelectorAll(selector)].map((element) => (element.textContent ?? '').trim()),
      );
      const [buttonLabels, sectionLabels] = ['.actions button', '[role="group"], [role="list"], [role="region"]'].map((selector) =>
        [...body.querySelectorAll(selector)].map((element) => element.getAttribute('aria-label') ?? ''),
      );
      const chrome = body.cloneNode(true) as HTMLElement;
      // Data, not words of ours: names, ids, JSON, fact values (times, platform's labels), task names and types.
      for (const element of chrome.querySelectorAll('pre, code, dd, .workflow-name, .wf-name, .wf-type, script, style')) element.remove();
      return { status, headings, factLabels, buttons, buttonLabels, sectionLabels, counts, chrome: chrome.textContent ?? '' };
    });
    assert.deepEqual(shown.status, [sourceString('Succeeded')]);
    for (const label of pageLabels.sections) assert.ok(shown.headings.includes(sourceString(label)), `section “${label}” not shown translated: ${JSON.stringify(shown.headings)}`);
    assert.ok(shown.factLabels.includes(sourceString('Started')) || shown.factLabels.includes(sourceString('Triggered')), JSON.stringify(shown.factLabels));
    for (const label of pageLabels.facts) assert.ok(shown.factLabels.includes(sourceString(label)), `fact “${label}” not shown translated: ${JSON.stringify(shown.factLabels)}`);
    for (const label of pageLabels.buttons) assert.ok(shown.buttons.includes(sourceString(label)), `button “${label}” not shown translated: ${JSON.stringify(shown.buttons)}`);
    assert.ok(shown.counts.includes(sourceString('Succeeded')) && shown.counts.includes(sourceString('Total')), JSON.stringify(shown.counts));
    const english = [...Object.values(pageLabels).flat(), 'Started', 'Triggered', 'Timeline', 'Outputs', 'Succeeded', 'Total'];
    const everything = [...shown.status, ...shown.headings, ...shown.factLabels, ...shown.buttons, ...shown.buttonLabels, ...shown.sectionLabels, ...shown.counts];
    assert.deepEqual(everything.filter((text) => english.includes(text)), [], 'English labels on the page');
    assert.deepEqual(everything.flatMap(asciiWords), [], `English on the page: ${JSON.stringify(everything)}`);
    const pageLeft = asciiWords(withoutData(shown.chrome, [details.runId, workflowLabel, ...connectionNames]));
    assert.deepEqual(pageLeft, [], `English in the page's text: ${shown.chrome}`);

    // The Runs view row: "<status> · <when> · <duration>" (+ the connection's name, data).
    await workbench.clickActivityBar(manifest['viewsContainer.workflowRuns.title']);
    const rows = await eventually(async () => {
      const found = await workbench.treeRows(manifest['view.runs.name']);
      return found.some((row) => row.description.startsWith(sourceString('Succeeded'))) ? found : undefined;
    }, { timeoutMs: 20_000 });
    assert.ok(!rows.some((row) => row.description.startsWith('Succeeded')), JSON.stringify(rows));
    const row = rows.find((candidate) => candidate.description.startsWith(sourceString('Succeeded')))!;
    const rowLeft = asciiWords(withoutData(row.description, connectionNames));
    assert.deepEqual(rowLeft, [], `English in the Runs row: ${row.description}`);
    await screenshot('pseudo-locale-run');
  },
);

export default [manifestAndHost, run];
