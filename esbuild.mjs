// Bundles the extension (one CommonJS file for the extension host), the webview page script
// (one browser IIFE) and, with --tests, the extension-host test suites.
import * as esbuild from 'esbuild';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests');

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    // jsonc-parser's UMD "main" requires its parts dynamically, which a bundle cannot resolve:
    // prefer the ESM builds that packages publish under "module".
    mainFields: ['module', 'main'],
    minify: production,
    sourcemap: production ? false : 'linked',
    // Heavy modules are reached through dynamic import(); esbuild keeps them in this one file but
    // evaluates them lazily, on first use.
    logLevel: 'warning',
    legalComments: 'none',
  },
  {
    entryPoints: { webview: 'src/webview/app/main.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    minify: production,
    sourcemap: production ? false : 'linked',
    logLevel: 'warning',
    legalComments: 'none',
  },
];

if (withTests) {
  builds.push({
    entryPoints: { index: 'test/host/index.ts' },
    outdir: 'out/host',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    mainFields: ['module', 'main'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
