// The CLI's display language: VS Code hands the extension its bundle, the CLI has to find its own.
// It reads l10n/bundle.l10n.<locale>.json of the extension folder (next to dist/, where dist/cli.js
// runs from) for the locale of the environment; with none, or none that reads, it stays English.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { parseBundle, type L10nBundle } from '../util/l10n';

/**
 * The locale asked for, lower case with a hyphen ("pt-br"), from WORKFLOW_RUNS_LOCALE, else the
 * POSIX variables in their order of precedence (LC_ALL, LC_MESSAGES, LANG); undefined for English
 * defaults ("C", "POSIX", unset).
 */
export function localeFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const raw = [env.WORKFLOW_RUNS_LOCALE, env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value.trim() !== '');
  if (!raw) return undefined;
  // "de_DE.UTF-8@euro" → "de-de"
  const locale = raw.trim().split(/[.@]/)[0].replace(/_/g, '-').toLowerCase();
  return locale === '' || locale === 'c' || locale === 'posix' ? undefined : locale;
}

/** Bundle files to try for `locale`, most specific first: "pt-br", then "pt". */
export function bundleCandidates(l10nDir: string, locale: string): string[] {
  const language = locale.split('-')[0];
  const names = language !== locale ? [locale, language] : [locale];
  return names.map((name) => path.join(l10nDir, `bundle.l10n.${name}.json`));
}

/** The first candidate that exists and is a bundle; undefined leaves English. */
export function readCliBundle(l10nDir: string, locale: string | undefined): L10nBundle | undefined {
  if (!locale) return undefined;
  for (const file of bundleCandidates(l10nDir, locale)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const bundle = parseBundle(text);
    if (bundle) return bundle;
  }
  return undefined;
}

/** Configures @vscode/l10n for the CLI; `distDir` is the folder dist/cli.js runs from. */
export function configureCliLocale(distDir: string, env: NodeJS.ProcessEnv): string | undefined {
  const locale = localeFromEnv(env);
  const bundle = readCliBundle(path.join(distDir, '..', 'l10n'), locale);
  if (bundle) l10n.config({ contents: bundle });
  return bundle ? locale : undefined;
}
