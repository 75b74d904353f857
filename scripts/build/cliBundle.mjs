// The esbuild options of dist/cli.js, shared by esbuild.mjs (`npm run build`) and the tests that
// build the CLI into a temporary folder. One CommonJS file for Node, everything bundled: unlike the
// extension's bundles, nothing is left external, so an import of `vscode` anywhere on its path
// fails the build, naming the importer.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @type {import('esbuild').Plugin} */
export const refuseVscode = {
  name: 'refuse-vscode',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (resolved) => ({
      errors: [{ text: `dist/cli.js runs without VS Code, but ${resolved.importer} imports "vscode"` }],
    }));
  },
};

/**
 * @param {{ outdir: string, production?: boolean, metafile?: boolean }} options
 * @returns {import('esbuild').BuildOptions}
 */
export function cliBundleOptions({ outdir, production = false, metafile = false }) {
  return {
    absWorkingDir: root,
    entryPoints: { cli: 'src/cli/entry.ts' },
    outdir: path.resolve(root, outdir),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // jsonc-parser's UMD "main" requires its parts dynamically: prefer the ESM builds (as the extension does).
    mainFields: ['module', 'main'],
    // Both of undici's WebAssembly HTTP parsers stay in: CI machines are not always SIMD-capable.
    plugins: [refuseVscode],
    // fdir (under tinyglobby) builds a require() from import.meta.url in its ESM build, which a
    // CommonJS bundle does not have: give it this file's own URL.
    banner: { js: "#!/usr/bin/env node\nconst __cliFileUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__cliFileUrl' },
    minify: production,
    sourcemap: production ? false : 'linked',
    metafile,
    logLevel: 'warning',
    legalComments: 'none',
  };
}
