// The pseudo locale (qps-ploc) in code-server, so a UI test can see which strings are localized:
// every translated string reads "Ŧřȧȧƞşŀȧȧŧḗḗḓ", every string left in English stands out.
//
// VS Code shows an extension's package.nls.<language>.json and l10n/bundle.l10n.<language>.json
// only when the display language is <language>, and code-server sets a display language only when
// a language pack for it is installed (otherwise it falls back to English). So the harness:
//   1. installs a language pack for qps-ploc that translates nothing of VS Code itself (the
//      workbench stays English; only the extension under test changes),
//   2. writes the pseudo-localized files into the installed copy of the extension (test material,
//      never in the .vsix),
//   3. selects the language per page with the user's argv.json `locale`, which code-server reads
//      on every page load (CodeServer.setLocale).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PSEUDO_LANGUAGE, writePseudoLocalization } from '../../scripts/l10n-pseudo';

export { PSEUDO_LANGUAGE };

const ROOT = path.resolve(__dirname, '..', '..');
const LANGUAGE_PACK_ID = 'workflow-runs-tests.test-language-pack-qps-ploc';

/** Builds the empty qps-ploc language pack as a .vsix in `dir`; returns its path. */
export function buildPseudoLanguagePack(dir: string): string {
  const source = path.join(dir, 'language-pack');
  fs.mkdirSync(path.join(source, 'translations'), { recursive: true });
  const manifest = {
    name: 'test-language-pack-qps-ploc',
    publisher: 'workflow-runs-tests',
    displayName: 'Pseudo language pack (tests)',
    description: 'Makes qps-ploc a display language without translating VS Code itself.',
    version: '0.0.1',
    license: 'MIT',
    engines: { vscode: '^1.100.0' },
    categories: ['Language Packs'],
    contributes: {
      localizations: [
        {
          languageId: PSEUDO_LANGUAGE,
          languageName: 'Pseudo Language',
          localizedLanguageName: 'Pseudo Language',
          translations: [{ id: 'vscode', path: './translations/main.i18n.json' }],
        },
      ],
    },
  };
  fs.writeFileSync(path.join(source, 'package.json'), JSON.stringify(manifest, null, 2));
  // No message of VS Code's own is translated: each falls back to English.
  fs.writeFileSync(path.join(source, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  fs.writeFileSync(path.join(source, 'README.md'), '# Pseudo language pack for tests\n');
  const vsix = path.join(dir, 'test-language-pack-qps-ploc.vsix');
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix],
    { cwd: source, encoding: 'utf8', timeout: 60_000 },
  );
  if (result.status !== 0) throw new Error(`Building the pseudo language pack failed:\n${result.stdout}\n${result.stderr}`);
  return vsix;
}

/**
 * Registers the installed language pack the way VS Code's language-pack service would on an
 * install it sees (`<user data>/languagepacks.json`). code-server reads that file to resolve a
 * display language, but installing from the command line does not write it. The format is VS Code's
 * (1.100) LanguagePacksCache: language id → { hash, extensions, translations: { vscode: file } }.
 */
export function registerPseudoLanguagePack(userDataDir: string, extensionsDir: string): void {
  const folder = fs.readdirSync(extensionsDir).find((name) => name.startsWith(`${LANGUAGE_PACK_ID}-`));
  if (!folder) throw new Error(`${LANGUAGE_PACK_ID} is not installed in ${extensionsDir}`);
  const version = folder.slice(LANGUAGE_PACK_ID.length + 1);
  const packs = {
    [PSEUDO_LANGUAGE]: {
      // Any string that changes with the pack: code-server caches the generated messages under it.
      hash: createHash('md5').update(LANGUAGE_PACK_ID).update(version).digest('hex'),
      extensions: [{ extensionIdentifier: { id: LANGUAGE_PACK_ID }, version }],
      translations: { vscode: path.join(extensionsDir, folder, 'translations', 'main.i18n.json') },
      label: 'Pseudo Language',
    },
  };
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
}

/** Writes the pseudo-localized manifest strings and bundle into every installed copy of `extensionId`. */
export function pseudoLocalizeInstalledExtension(extensionsDir: string, extensionId = 'workflow-runs.workflow-runs'): string[] {
  const folders = fs
    .readdirSync(extensionsDir)
    .filter((name) => name.toLowerCase().startsWith(`${extensionId.toLowerCase()}-`))
    .map((name) => path.join(extensionsDir, name));
  if (folders.length === 0) throw new Error(`${extensionId} is not installed in ${extensionsDir}`);
  for (const folder of folders) writePseudoLocalization(folder);
  return folders;
}
