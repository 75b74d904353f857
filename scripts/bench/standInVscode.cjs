// A stand-in for the `vscode` module, enough for the extension to activate and build its services
// in a plain Node process (the real module exists only inside VS Code). Views start hidden, nothing
// is visible, configuration answers with defaults. Anything not modelled is a callable,
// constructible no-op whose results are disposable. Used by activationProcess.cjs.
const Module = require('node:module');

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
  constructor() {
    this.listeners = new Set();
    this.event = (listener) => (this.listeners.add(listener), { dispose: () => this.listeners.delete(listener) });
  }
  fire(value) {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose() {
    this.listeners.clear();
  }
}

const noDisposable = () => ({ dispose() {} });
/** What the extension registered, so the driver can play the host's part (CodeLens, completion). */
const registered = { commands: new Map(), codeLens: [], completion: [], treeViews: [] };

const memento = () => {
  const map = new Map();
  return { get: (key, fallback) => (map.has(key) ? map.get(key) : fallback), update: async (key, value) => void map.set(key, value), keys: () => [...map.keys()] };
};

const target = {
  EventEmitter,
  commands: {
    registerCommand: (id, handler) => (registered.commands.set(id, handler), { dispose() {} }),
    executeCommand: async () => undefined,
  },
  window: new Proxy(
    {
      createOutputChannel: () => ({ trace() {}, debug() {}, info() {}, warn() {}, error() {}, append() {}, appendLine() {}, show() {}, dispose() {} }),
      createTreeView: (id) => {
        const view = { id, visible: false, onDidChangeVisibility: new EventEmitter().event, onDidExpandElement: noDisposable, onDidCollapseElement: noDisposable, dispose() {} };
        registered.treeViews.push(view);
        return view;
      },
      registerWebviewPanelSerializer: noDisposable,
    },
    { get: (object, key) => (key in object ? object[key] : stub(`window.${String(key)}`)) },
  ),
  languages: new Proxy(
    {
      registerCodeLensProvider: (_selector, provider) => (registered.codeLens.push(provider), { dispose() {} }),
      registerCompletionItemProvider: (_selector, provider) => (registered.completion.push(provider), { dispose() {} }),
    },
    { get: (object, key) => (key in object ? object[key] : stub(`languages.${String(key)}`)) },
  ),
  workspace: new Proxy(
    {
      getConfiguration: () => ({ get: (_key, fallback) => fallback, inspect: () => undefined, update: async () => {} }),
      onDidChangeConfiguration: noDisposable,
      textDocuments: [],
    },
    { get: (object, key) => (key in object ? object[key] : stub(`workspace.${String(key)}`)) },
  ),
  l10n: { t: (message, ...args) => message.replace(/\{(\d+)\}/g, (_m, i) => String(args[i])) },
  env: { machineId: 'bench-machine' },
};
// Paths the services really use (the history's folder under global storage): joinPath and file
// answer with real file-system paths; the rest of Uri stays a no-op.
const realUri = (fsPath) => ({ fsPath, path: fsPath, scheme: 'file', toString: () => `file://${fsPath}` });
target.Uri = new Proxy(
  { joinPath: (base, ...parts) => realUri(require('node:path').join(base.fsPath, ...parts)), file: (fsPath) => realUri(fsPath) },
  { get: (object, key) => (key in object ? object[key] : stub(`Uri.${String(key)}`)) },
);
// esbuild's ESM interop copies the module's own keys, so every namespace must be a real key.
for (const name of ['extensions', 'tests', 'TestRunProfileKind', 'Uri', 'ThemeIcon', 'ThemeColor', 'TreeItem', 'MarkdownString', 'Range', 'Position', 'CodeLens', 'Diagnostic', 'DiagnosticSeverity', 'ViewColumn', 'ProgressLocation', 'StatusBarAlignment', 'TreeItemCollapsibleState', 'ConfigurationTarget', 'QuickPickItemKind', 'CancellationError', 'Disposable', 'RelativePattern', 'CompletionItem', 'CompletionItemKind', 'CompletionList', 'TextEdit', 'SnippetString']) {
  if (!(name in target)) Object.defineProperty(target, name, { value: stub(name), enumerable: true });
}
const vscode = new Proxy(target, { get: (object, key) => (key in object ? object[key] : stub(String(key))) });

/** Makes `require('vscode')` answer with the stand-in from now on. */
function install() {
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };
}

/** A fresh folder per process (a first use after install), or WR_BENCH_STORAGE, shared by processes (later windows). */
function temporaryStorage() {
  if (process.env.WR_BENCH_STORAGE) return process.env.WR_BENCH_STORAGE;
  const fs = require('node:fs');
  const folder = fs.mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'wr-bench-storage-'));
  process.on('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
  return folder;
}

function extensionContext() {
  return {
    subscriptions: [],
    globalState: memento(),
    workspaceState: memento(),
    secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: noDisposable },
    extensionUri: stub('extensionUri'),
    // An empty history in a fresh folder: the services are built as on a first use.
    globalStorageUri: realUri(temporaryStorage()),
  };
}

/** A JSON document that is no payload file (a package.json), as the host would pass it. */
function plainJsonDocument() {
  const text = JSON.stringify({ name: 'some-project', version: '1.0.0', scripts: { test: 'node --test' } }, null, 2);
  return { uri: { path: '/workspace/package.json', toString: () => 'file:///workspace/package.json' }, languageId: 'json', getText: () => text, version: 1 };
}

module.exports = { install, extensionContext, plainJsonDocument, registered };
