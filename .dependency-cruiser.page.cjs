// What the run details page (src/webview/app, bundled to dist/webview.js) may pull in at run time,
// checked by `npm run lint:deps` next to the layers of .dependency-cruiser.cjs. A rule of its own
// file because it needs the other reading of the imports: what the bundle really contains, i.e.
// without type-only imports (tsPreCompilationDeps: false), where the layer rules count those too.

const layers = require('./.dependency-cruiser.cjs');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'page-without-zod',
      comment:
        'The page checks the host\'s messages by hand (src/webview/protocol.ts parseHostMessage): zod, ' +
        'which the host uses on what the page posts, would be two thirds of dist/webview.js. Import ' +
        'the protocol\'s types with `import type`, and nothing from a module that imports zod.',
      severity: 'error',
      from: { path: '^src/webview/app/' },
      to: { path: '(^|/)node_modules/zod/', reachable: true },
    },
  ],
  options: { ...layers.options, tsPreCompilationDeps: false },
};
