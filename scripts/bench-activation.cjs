// Measures one activation of the built extension in this fresh process with a stub `vscode`
// module: the time to load the bundle, to run activate(), and to run the first command (which
// builds the services). Prints one JSON line. Used by scripts/bench.ts.
const Module = require('node:module');
const path = require('node:path');

/** Anything not modelled below is a callable, constructible no-op whose results are disposable. */
function stub(name) {
  const fn = function () {};
  return new Proxy(fn, {
    get(_target, key) {
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => name;
      if (key === 'dispose') return () => {};
      return stub(`${name}.${String(key)}`);
    },
    set: () => true,
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`),
  });
}

class EventEmitter {
  constructor() { this.listeners = new Set(); this.event = (listener) => (this.listeners.add(listener), { dispose: () => this.listeners.delete(listener) }); }
  fire(value) { for (const listener of this.listeners) listener(value); }
  dispose() { this.listeners.clear(); }
}
const commands = new Map();
const memento = () => { const map = new Map(); return { get: (k, d) => (map.has(k) ? map.get(k) : d), update: async (k, v) => void map.set(k, v), keys: () => [...map.keys()] }; };
const vscodeTarget = {
    EventEmitter,
    commands: { registerCommand: (id, handler) => (commands.set(id, handler), { dispose() {} }), executeCommand: async () => undefined },
    workspace: new Proxy({
      getConfiguration: () => ({ get: (_key, fallback) => fallback, inspect: () => undefined, update: async () => {} }),
      onDidChangeConfiguration: () => ({ dispose() {} }),
    }, { get: (target, key) => (key in target ? target[key] : stub(`workspace.${String(key)}`)) }),
    l10n: { t: (message, ...args) => message.replace(/\{(\d+)\}/g, (_m, i) => String(args[i])) },
    env: { machineId: 'bench-machine' },
};
const vscode = new Proxy(vscodeTarget, { get: (target, key) => (key in target ? target[key] : stub(String(key))) });
// esbuild's ESM interop copies the module's own keys, so every namespace must be a real key.
for (const name of ['window', 'languages', 'extensions', 'Uri', 'ThemeIcon', 'ThemeColor', 'TreeItem', 'MarkdownString', 'Range', 'Position', 'CodeLens', 'Diagnostic', 'DiagnosticSeverity', 'ViewColumn', 'ProgressLocation', 'StatusBarAlignment', 'TreeItemCollapsibleState', 'ConfigurationTarget', 'QuickPickItemKind', 'CancellationError', 'Disposable', 'RelativePattern']) {
  if (!(name in vscode)) Object.defineProperty(vscodeTarget, name, { value: stub(name), enumerable: true });
}
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

const context = {
  subscriptions: [],
  globalState: memento(),
  workspaceState: memento(),
  secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: () => ({ dispose() {} }) },
  extensionUri: stub('extensionUri'),
};

(async () => {
  let started = performance.now();
  const extension = require(path.resolve(__dirname, '../dist/extension.js'));
  const loadMs = performance.now() - started;
  started = performance.now();
  const api = extension.activate(context);
  const activateMs = performance.now() - started;
  started = performance.now();
  await api.services();
  const firstUseMs = performance.now() - started;
  console.log(JSON.stringify({ load: loadMs, activate: activateMs, firstUse: firstUseMs, commands: commands.size }));
  process.exit(0);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
