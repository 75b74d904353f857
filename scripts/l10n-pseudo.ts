// `npm run l10n:pseudo -- [outDir]`: pseudo-localized copies of the manifest strings and of the
// source-string bundle, for testing that every string really goes through localization:
//   <outDir>/package.nls.qps-ploc.json
//   <outDir>/l10n/bundle.l10n.qps-ploc.json
// (the layout of an installed extension, so the UI test copies them over one). Default outDir:
// .test-output/l10n-pseudo. They are test material and never shipped: a package.nls.qps-ploc.json
// in the root of the repository would go into the .vsix.
//
// Same transformation as `vscode-l10n-dev generate-pseudo`, called through its API because the CLI
// writes next to its inputs, i.e. into the repository.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getL10nPseudoLocalized, type l10nJsonFormat } from '@vscode/l10n-dev';

const ROOT = path.resolve(__dirname, '..');
export const PSEUDO_LANGUAGE = 'qps-ploc';

/** Writes the two pseudo files into `outDir`; returns their paths. */
export function writePseudoLocalization(outDir = path.join(ROOT, '.test-output', 'l10n-pseudo')): { manifest: string; bundle: string } {
  const read = (relative: string) => JSON.parse(fs.readFileSync(path.join(ROOT, relative), 'utf8')) as l10nJsonFormat;
  const manifest = path.join(outDir, `package.nls.${PSEUDO_LANGUAGE}.json`);
  const bundle = path.join(outDir, 'l10n', `bundle.l10n.${PSEUDO_LANGUAGE}.json`);
  fs.mkdirSync(path.dirname(bundle), { recursive: true });
  fs.writeFileSync(manifest, `${JSON.stringify(getL10nPseudoLocalized(read('package.nls.json')), null, 2)}\n`);
  fs.writeFileSync(bundle, `${JSON.stringify(getL10nPseudoLocalized(read('l10n/bundle.l10n.json')), null, 2)}\n`);
  return { manifest, bundle };
}

if (require.main === module) {
  const written = writePseudoLocalization(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  for (const file of Object.values(written)) process.stdout.write(`${path.relative(process.cwd(), file)}\n`);
}
