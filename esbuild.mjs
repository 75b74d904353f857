// Bundles the extension as CommonJS files for the extension host — a small entry
// (dist/extension.js: activation only), the rest (dist/services.js: services, commands, zod,
// adapters), which the entry require()s on first need, and undici (dist/undici.js with its HTTP
// parser dist/llhttp_simd.wasm), which the services require with the first HTTP dispatcher — the
// webview page script (one browser IIFE), the command line tool (dist/cli.js,
// scripts/build/cliBundle.mjs) and, with --tests, the extension-host test suites.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { cliBundleOptions } from './scripts/build/cliBundle.mjs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests');

/**
 * The entry reaches the second bundle through `require('./servicesBundle')` (src/host/lazyServices.ts):
 * in the entry build that is `./services.js` beside it, left for Node to load at run time.
 * @type {esbuild.Plugin}
 */
const servicesBundleAsSeparateFile = {
  name: 'services-bundle-as-separate-file',
  setup(build) {
    build.onResolve({ filter: /^\.\/servicesBundle$/ }, () => ({ path: './services.js', external: true }));
  },
};

/**
 * Parts of undici the client never reaches, replaced by a module that says why it is missing:
 * - its HTTP parser ships twice as WebAssembly, with and without SIMD (≈ 70 KB each as base64);
 *   the hosts VS Code runs on (x64, arm64 with Node ≥ 20) all have SIMD, so only that one is
 *   bundled (and as a binary file, see llhttpWasmAsFile);
 * - the fetch body extractor (≈ 42 KB with what it pulls in) serves FormData request bodies,
 *   and the client sends only JSON;
 * - the HTTP/2 client (≈ 10 KB): undici only speaks HTTP/2 when a dispatcher is made with
 *   `allowH2`, and the client's never are (TLS then offers only http/1.1);
 * - `pipeline()` and `upgrade()` of the request API (≈ 4 KB): the client uses `request()` and
 *   `stream()`, and the proxy agent `connect()`.
 * Modules undici requires when it loads become a function that throws when called; the others
 * throw when required.
 * @type {esbuild.Plugin}
 */
const omitUnusedUndiciParts = {
  name: 'omit-unused-undici-parts',
  setup(build) {
    const omitted = [
      { filter: /llhttp\/llhttp-wasm\.js$/, why: 'bundles only the WebAssembly SIMD HTTP parser, and this host cannot run it' },
      { filter: /web\/fetch\/body\.js$/, why: 'sends no FormData bodies, so undici\'s fetch body support is not bundled' },
      { filter: /^\.\/client-h2\.js$/, why: 'speaks only HTTP/1.1, so undici\'s HTTP/2 client is not bundled', calledLater: true },
      { filter: /^\.\/api-(pipeline|upgrade)$/, why: 'uses only request(), stream() and connect() of undici\'s request API', calledLater: true },
    ];
    for (const { filter, why, calledLater } of omitted) {
      // Matched on the specifier as undici writes it, and only in undici's own modules.
      build.onResolve({ filter }, (resolved) => (/[\\/]node_modules[\\/]undici[\\/]/.test(resolved.importer)
        ? { path: resolved.path, namespace: 'omitted', pluginData: { why, calledLater } }
        : undefined));
    }
    build.onLoad({ filter: /.*/, namespace: 'omitted' }, (loaded) => {
      const error = `new Error(${JSON.stringify(`This build of Workflow Runs ${loaded.pluginData.why}.`)})`;
      return { contents: loaded.pluginData.calledLater ? `module.exports = function omitted() { throw ${error}; };` : `throw ${error};`, loader: 'js' };
    });
  },
};

/** The HTTP parser's WebAssembly, written beside dist/undici.js (see llhttpWasmAsFile). */
const llhttpWasmFile = 'llhttp_simd.wasm';

/**
 * undici ships its HTTP parser as base64 text in a JS module (llhttp_simd-wasm.js, 71 KB) whose
 * export is the decoded bytes. As binary the same 53 KB deflate to 18.6 KB instead of 24 KB, so
 * the build writes the bytes to dist/ and bundles a module that reads them. undici requires that
 * module only when it opens its first HTTP/1 connection, so the file is read then, not at load.
 * @type {esbuild.Plugin}
 */
const llhttpWasmAsFile = {
  name: 'llhttp-wasm-as-file',
  setup(build) {
    build.onStart(() => {
      const undiciRequire = createRequire(createRequire(import.meta.url).resolve('undici'));
      const bytes = undiciRequire('./lib/llhttp/llhttp_simd-wasm.js');
      const outdir = build.initialOptions.outdir ?? path.dirname(build.initialOptions.outfile ?? 'dist/x');
      fs.mkdirSync(outdir, { recursive: true });
      fs.writeFileSync(path.join(outdir, llhttpWasmFile), bytes);
    });
    build.onResolve({ filter: /llhttp\/llhttp_simd-wasm\.js$/ }, (resolved) => ({ path: resolved.path, namespace: 'llhttp-wasm-file' }));
    build.onLoad({ filter: /.*/, namespace: 'llhttp-wasm-file' }, () => ({
      // __dirname is the bundle's folder: the .wasm is written next to it.
      contents: `module.exports = require('node:fs').readFileSync(require('node:path').join(__dirname, ${JSON.stringify(llhttpWasmFile)}));`,
      loader: 'js',
    }));
  },
};

/**
 * Every module that writes `import * as vscode from 'vscode'` would get its own copy of the API
 * object in a CommonJS bundle (esbuild's __toESM defines a getter per export: ~46 modules × the
 * API's hundreds of names at load). Routed through one ES module that re-exports it, the copy is
 * made once per bundle.
 * @type {esbuild.Plugin}
 */
const vscodeApiCopiedOnce = {
  name: 'vscode-api-copied-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (resolved) => (resolved.namespace === 'vscode-api'
      ? { path: 'vscode', external: true }
      : { path: 'vscode', namespace: 'vscode-api' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-api' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

/** The parts of undici src/client/undici.ts and undiciProxy.ts require, by the name dist/undici.js exports them as. */
const undiciParts = {
  'undici/lib/dispatcher/dispatcher': 'Dispatcher',
  'undici/lib/api': 'api',
  'undici/lib/dispatcher/pool': 'Pool',
  'undici/lib/dispatcher/proxy-agent': 'ProxyAgent',
};

/**
 * undici is required with the first dispatcher (src/client/undici.ts), after the services are
 * built: in a third file, dist/undici.js, it is not even compiled when dist/services.js loads
 * (a quarter of that file's size). The services bundle requires each part from it at that moment.
 * @type {esbuild.Plugin}
 */
const undiciAsSeparateFile = {
  name: 'undici-as-separate-file',
  setup(build) {
    build.onResolve({ filter: /^undici\/lib\// }, (resolved) => {
      const part = undiciParts[resolved.path];
      if (!part) throw new Error(`${resolved.path} is not in dist/undici.js: add it to undiciParts in esbuild.mjs`);
      return { path: resolved.path, namespace: 'undici-part', pluginData: part };
    });
    build.onResolve({ filter: /^\.\/undici\.js$/, namespace: 'undici-part' }, () => ({ path: './undici.js', external: true }));
    build.onLoad({ filter: /.*/, namespace: 'undici-part' }, (loaded) => ({
      contents: `module.exports = require('./undici.js').${loaded.pluginData};`,
      loader: 'js',
    }));
  },
};

/**
 * jsonc-parser's modules only define functions, except the formatter's string cache
 * (impl/string-intern.js: 1,200 whitespace strings built at load, ≈ 1 ms). esbuild keeps a module
 * with top-level statements unless told it has no side effects; told so, it drops the formatter and
 * the editor, which the extension never calls (it parses, scans and locates only).
 * @type {esbuild.Plugin}
 */
const jsoncParserWithoutSideEffects = {
  name: 'jsonc-parser-without-side-effects',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (resolved) => {
      if (resolved.pluginData === 'resolving') return undefined;
      const inPackage = resolved.path === 'jsonc-parser' || /[\\/]node_modules[\\/]jsonc-parser[\\/]/.test(resolved.importer);
      if (!inPackage) return undefined;
      const result = await build.resolve(resolved.path, { kind: resolved.kind, importer: resolved.importer, resolveDir: resolved.resolveDir, pluginData: 'resolving' });
      return result.errors.length > 0 ? { errors: result.errors } : { ...result, sideEffects: false };
    });
  },
};

/** What both extension-host bundles share. @type {esbuild.BuildOptions} */
const hostBundle = {
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
  logLevel: 'warning',
  legalComments: 'none',
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  // Activation only. Whatever this imports is paid in every window that opens a JSON file.
  { ...hostBundle, entryPoints: { extension: 'src/extension.ts' }, plugins: [vscodeApiCopiedOnce, servicesBundleAsSeparateFile] },
  // Loaded on first need. Modules with state that both files import (the log, the redaction
  // registry) are owned by the entry and handed over in startServices(), never duplicated.
  { ...hostBundle, entryPoints: { services: 'src/host/servicesBundle.ts' }, plugins: [vscodeApiCopiedOnce, undiciAsSeparateFile, jsoncParserWithoutSideEffects] },
  // Loaded with the first HTTP dispatcher, by the services bundle.
  {
    ...hostBundle,
    outdir: undefined,
    outfile: 'dist/undici.js',
    stdin: {
      contents: Object.entries(undiciParts).map(([specifier, part]) => `exports.${part} = require(${JSON.stringify(specifier)});`).join('\n'),
      resolveDir: '.',
      sourcefile: 'undici-parts.js',
      loader: 'js',
    },
    plugins: [omitUnusedUndiciParts, llhttpWasmAsFile],
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
  cliBundleOptions({ outdir: 'dist', production }),
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
