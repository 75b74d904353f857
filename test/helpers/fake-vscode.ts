// Just enough of the `vscode` module for editor code to run under node:test (the run details
// panels' handshake, batching and command handling; loading the command modules), without an
// extension host. Import this before anything that imports 'vscode' (the real module exists only
// inside VS Code). Add what a new test needs here, not in a copy.
import Module from 'node:module';

type Listener<T> = (value: T) => void;

class FakeEvent<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  get size(): number {
    return this.listeners.size;
  }
}

class FakeUri {
  constructor(readonly path: string) {}
  static file(path: string): FakeUri {
    return new FakeUri(path);
  }
  static joinPath(base: FakeUri, ...parts: string[]): FakeUri {
    return new FakeUri([base.path, ...parts].join('/'));
  }
  toString(): string {
    return `file://${this.path}`;
  }
}

export class FakeWebviewPanel {
  title: string;
  visible = true;
  disposed = false;
  readonly posted: unknown[] = [];
  readonly revealed: Array<{ preserveFocus?: boolean }> = [];
  readonly received = new FakeEvent<unknown>();
  readonly viewState = new FakeEvent<unknown>();
  readonly disposedEvent = new FakeEvent<void>();
  readonly webview = {
    options: {} as Record<string, unknown>,
    html: '',
    cspSource: 'https://fake.csp.source',
    asWebviewUri: (uri: FakeUri) => new FakeUri(`webview${uri.path}`),
    postMessage: async (message: unknown) => {
      this.posted.push(message);
      return true;
    },
    onDidReceiveMessage: this.received.event,
  };
  readonly onDidChangeViewState = this.viewState.event;
  readonly onDidDispose = this.disposedEvent.event;

  constructor(
    readonly viewType: string,
    title: string,
    readonly showOptions: unknown,
    readonly options: unknown,
  ) {
    this.title = title;
  }

  reveal(_column?: unknown, preserveFocus?: boolean): void {
    this.revealed.push({ preserveFocus });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposedEvent.fire();
  }

  /** What the page would send. */
  send(message: unknown): void {
    this.received.fire(message);
  }

  listenerCount(): number {
    return this.received.size + this.viewState.size + this.disposedEvent.size;
  }
}

export const fake = {
  panels: [] as FakeWebviewPanel[],
  clipboard: [] as string[],
  statusMessages: [] as string[],
  errorMessages: [] as string[],
  executedCommands: [] as Array<{ id: string; args: unknown[] }>,
  serializers: new Map<string, { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> }>(),
  /** Input boxes and quick picks shown (their title or placeholder); each is dismissed at once. */
  prompts: [] as string[],
  /** Settings by full key (`http.proxy`), read by workspace.getConfiguration(section).get(key). */
  settings: {} as Record<string, unknown>,
};

const vscode = {
  Uri: FakeUri,
  CancellationError: class CancellationError extends Error {},
  commands: {
    executeCommand: async (id: string, ...args: unknown[]) => {
      fake.executedCommands.push({ id, args });
      return undefined;
    },
  },
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  workspace: {
    getConfiguration: (section: string) => ({
      get: <T>(key: string, fallback?: T): T | undefined => {
        const full = `${section}.${key}`;
        return full in fake.settings ? (fake.settings[full] as T) : fallback;
      },
    }),
  },
  l10n: { t: (message: string, ...args: unknown[]) => message.replace(/\{(\d+)\}/g, (_, index: string) => String(args[Number(index)])) },
  env: {
    clipboard: {
      writeText: async (text: string) => {
        fake.clipboard.push(text);
      },
    },
  },
  window: {
    createWebviewPanel: (viewType: string, title: string, showOptions: unknown, options: unknown) => {
      const panel = new FakeWebviewPanel(viewType, title, showOptions, options);
      fake.panels.push(panel);
      return panel;
    },
    registerWebviewPanelSerializer: (viewType: string, serializer: { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> }) => {
      fake.serializers.set(viewType, serializer);
      return { dispose: () => fake.serializers.delete(viewType) };
    },
    setStatusBarMessage: (text: string) => {
      fake.statusMessages.push(text);
      return { dispose() {} };
    },
    showErrorMessage: async (text: string) => {
      fake.errorMessages.push(text);
      return undefined;
    },
    showInputBox: async (options: { title?: string; prompt?: string }) => {
      fake.prompts.push(options.title ?? options.prompt ?? 'input box');
      return undefined;
    },
    showQuickPick: async (_items: unknown, options?: { placeHolder?: string; title?: string }) => {
      fake.prompts.push(options?.title ?? options?.placeHolder ?? 'quick pick');
      return undefined;
    },
    withProgress: async <T>(_options: unknown, task: (progress: { report(value: unknown): void }, token: unknown) => Promise<T>): Promise<T> =>
      task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) }),
  },
};

// The test files run as CommonJS (tsx): route require('vscode') to the fake.
const moduleInternals = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const originalLoad = moduleInternals._load;
moduleInternals._load = function (request: string, parent: unknown, isMain: boolean): unknown {
  if (request === 'vscode') return vscode;
  return originalLoad.call(this, request, parent, isMain);
};
