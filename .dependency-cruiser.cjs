// The layers of src/, enforced by `npm run lint:deps` (part of `npm run lint` and so of `npm test`).
// Imports point down: client → providers → runs → views / webview / commands. client and providers
// never need an editor (a command-line tool builds them from a connections file), so they may not
// import `vscode`. See docs/architecture.md for the rooms these rules protect.

/** A rule forbidding modules under `from` to import modules under any of `to`. */
function forbid(name, comment, from, to) {
  return { name, comment, severity: 'error', from: { path: from }, to: { path: to } };
}

const inside = (...folders) => `^src/(${folders.join('|')})(/|\\.ts$)`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    forbid(
      'client-stays-low',
      'src/client is the HTTP layer: it knows nothing of platforms, runs, editors or payloads.',
      '^src/client/',
      inside('providers', 'runs', 'views', 'webview', 'commands', 'payload', 'connections'),
    ),
    forbid(
      'providers-below-runs',
      'src/providers speaks to the platforms; runs, the UI and payload files are built on top of it.',
      '^src/providers/',
      inside('runs', 'views', 'webview', 'commands', 'payload'),
    ),
    forbid(
      'runs-below-ui',
      'src/runs holds and watches runs; showing them is for views, webview and commands.',
      '^src/runs/',
      inside('views', 'webview', 'commands'),
    ),
    forbid(
      'webview-below-commands',
      'The run details panel is opened by commands, never the other way round.',
      '^src/webview/',
      inside('commands'),
    ),
    {
      name: 'platform-folders-are-private',
      comment: 'Outside src/providers/<platform>/ only the registry (lazily) may reach into it.',
      severity: 'error',
      from: { pathNot: '^src/providers/((zuora|dify|b3os)/|registry\\.ts$)' },
      to: { path: '^src/providers/(zuora|dify|b3os)/' },
    },
    {
      name: 'platforms-do-not-share-files',
      comment: 'One platform does not reach into another; shared code lives in src/providers/ itself.',
      severity: 'error',
      from: { path: '^src/providers/(zuora|dify|b3os)/' },
      to: { path: '^src/providers/(zuora|dify|b3os)/', pathNot: '^src/providers/$1/' },
    },
    {
      name: 'registry-sees-only-descriptors',
      comment:
        'The registry lists each platform by its descriptor (a name, settings schemas and a loader); ' +
        'everything else of a platform is reached through the descriptor\'s lazy load().',
      severity: 'error',
      from: { path: '^src/providers/registry\\.ts$' },
      to: { path: '^src/providers/(zuora|dify|b3os)/', pathNot: '^src/providers/(zuora|dify|b3os)/descriptor\\.ts$' },
    },
    {
      name: 'descriptors-load-lazily',
      comment: 'A descriptor is read at activation; its adapter is loaded with import() on first use only.',
      severity: 'error',
      from: { path: '^src/providers/(zuora|dify|b3os)/descriptor\\.ts$' },
      to: { path: '^src/providers/$1/', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'no-circular',
      comment:
        'A cycle makes both ends one module in disguise; cut it with a narrower interface. The one ' +
        'exception is the lazy edge descriptor → adapter (an import() on first use), which is how ' +
        'a platform is loaded late and which the rule above keeps the only way in.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['dynamic-import'] } },
    },
    {
      name: 'no-editor-below-runs',
      comment: 'src/client and src/providers must run without an editor.',
      severity: 'error',
      from: { path: '^src/(client|providers)/' },
      to: { path: '^vscode$|/@types/vscode/' },
    },
    {
      name: 'cli-never-reaches-vscode',
      comment:
        'dist/cli.js and the shared test runner (src/testing) run without an editor: nothing they ' +
        'import, directly or through other modules, may import `vscode`.',
      severity: 'error',
      from: { path: '^src/(cli|testing)/' },
      to: { path: '^vscode$|/@types/vscode/', reachable: true },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^vscode$' },
    },
  ],
  options: {
    // Packages stay in the graph as leaves (not followed into): `vscode` resolves to
    // node_modules/@types/vscode, and a rule can only see an import whose target is in the graph.
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|out)/' },
    // Type-only imports still tie two modules together, so they count.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
