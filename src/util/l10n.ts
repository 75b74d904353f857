// Loads the translation bundle into @vscode/l10n, for the code that cannot import `vscode`: the
// client, the providers, the run details page (and a CLI later). No vscode import here.
//
// Such code translates with exactly
//     import * as l10n from '@vscode/l10n';
//     l10n.t('Message with {0}', value);
// and not through a helper re-exported from here: `npm run l10n` (@vscode/l10n-dev export) only
// collects `l10n.t(…)` calls whose `l10n` is imported from 'vscode' or '@vscode/l10n', so a `t`
// re-exported by this module would silently leave its strings out of l10n/bundle.l10n.json.
//
// @vscode/l10n holds one bundle per JavaScript bundle: the host configures the copy inside
// dist/extension.js once on activation (configureFromHost), the page configures the copy inside
// dist/webview.js from the data attribute the host wrote into its HTML (configureFromPage).
// Unconfigured (English, or tests), `l10n.t` formats the source string itself.
import * as l10n from '@vscode/l10n';

/** A bundle as VS Code hands it over (`vscode.l10n.bundle`): key → translation, or
 * `{ message, comment }` for strings exported with a translator's comment. */
export type L10nBundle = l10n.l10nJsonFormat;

/** The name of the `<body>` data attribute that carries the bundle to the run details page. */
export const pageBundleAttribute = 'data-l10n-bundle';

/**
 * Gives @vscode/l10n the bundle VS Code loaded for the display language. `vscode.l10n.bundle` is
 * undefined when the language is English or has no translation: the source strings are shown.
 */
export function configureFromHost(bundle: L10nBundle | undefined): void {
  l10n.config({ contents: bundle ?? {} });
}

/**
 * The bundle as the text of an HTML attribute value for the page, or undefined when there is
 * nothing to translate (the page then shows the source strings and the HTML stays small).
 */
export function bundleForPage(bundle: L10nBundle | undefined): string | undefined {
  return bundle && Object.keys(bundle).length > 0 ? JSON.stringify(bundle) : undefined;
}

/**
 * Reads the bundle the host put on the page's `<body>` and gives it to @vscode/l10n. Must run
 * before the page renders its first string. A missing or unreadable bundle leaves English.
 */
export function configureFromPage(body: { getAttribute(name: string): string | null }): void {
  const text = body.getAttribute(pageBundleAttribute);
  if (!text) return;
  const parsed = parseBundle(text);
  if (parsed) l10n.config({ contents: parsed });
}

/** A bundle is a flat object of translations; anything else is ignored rather than half-applied. */
export function parseBundle(text: string): L10nBundle | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.every(([, translation]) => isTranslation(translation)) ? (Object.fromEntries(entries) as L10nBundle) : undefined;
}

function isTranslation(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (!value || typeof value !== 'object') return false;
  const { message, comment } = value as { message?: unknown; comment?: unknown };
  return typeof message === 'string' && Array.isArray(comment) && comment.every((line) => typeof line === 'string');
}
