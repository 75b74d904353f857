// Activation registers only cheap things (commands, views, CodeLens). The services behind them
// — zod schemas, the run store, adapters, the HTTP client — live in a second bundle
// (dist/services.js) that is loaded and built on first need.
import type * as vscode from 'vscode';
import type * as CodeCache from './codeCache';
import type { CommandName } from '../commands/names';
import type { Log } from '../log';
import type { Services } from '../services';
import { secretRegistry } from '../util/redact';
import type * as ServicesBundle from './servicesBundle';

/**
 * Loads the second bundle. Bundled, it is `services.js` beside the entry, compiled with V8's code
 * cache kept in the extension's global storage (./codeCache.ts). Otherwise esbuild.mjs resolves
 * the specifier below to that same file; run from source (tsx), it is the module itself.
 */
function loadServicesBundle(context: vscode.ExtensionContext, log: Log): { bundle: typeof ServicesBundle; codeCache?: CodeCache.CachedLoad['cache'] } {
  if (context.globalStorageUri.scheme === 'file') {
    // Required at this moment, not at activation: its Node imports have a cost of their own.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
    const { requireBundledWithCodeCache } = require('./codeCache') as typeof CodeCache;
    const loaded = requireBundledWithCodeCache(__dirname, 'services.js', context.globalStorageUri.fsPath, { onProblem: (message) => log.warn(message) });
    if (loaded) return { bundle: loaded.exports as typeof ServicesBundle, codeCache: loaded.cache };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous, separate file on purpose
  return { bundle: require('./servicesBundle') };
}

export class LazyServices implements vscode.Disposable {
  private pending: Promise<ServicesBundle.LoadedServices> | undefined;
  private ready: ServicesBundle.LoadedServices | undefined;
  private readonly readyListeners: Array<(services: Services) => void> = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {}

  /**
   * The services, built first if nothing built them yet. `reason` names what needs them, in the
   * words of the log line the first use writes ("… loaded for <reason> in N ms").
   */
  get(reason: string): Promise<Services> {
    return this.load(reason).then((loaded) => loaded.services);
  }

  /** Runs a command's module (in the services bundle) once the services are ready. */
  async runCommand(name: CommandName, args: unknown[]): Promise<unknown> {
    return (await this.load(`the command workflowRuns.${name}`)).runCommand(name, args);
  }

  /** The Testing view's payload tests on `controller` (host/testing.ts), once the services are ready. */
  async attachTests(controller: vscode.TestController, reason: string): Promise<ServicesBundle.LoadedTests> {
    return (await this.load(reason)).attachTests(controller);
  }

  /** Calls `listener` once the services are built, by whatever needed them first. */
  whenReady(listener: (services: Services) => void): void {
    if (this.ready) listener(this.ready.services);
    else this.readyListeners.push(listener);
  }

  /** The services if they were built already; never builds them. */
  get loaded(): Services | undefined {
    return this.ready?.services;
  }

  dispose(): void {
    this.readyListeners.length = 0;
    this.ready?.services.dispose();
  }

  private load(reason: string): Promise<ServicesBundle.LoadedServices> {
    // A resolved promise first: callers are never re-entered synchronously from get().
    this.pending ??= Promise.resolve().then(() => {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const { bundle, codeCache } = loadServicesBundle(this.context, this.log);
      this.ready = bundle.startServices(this.context, { log: this.log, secrets: secretRegistry() });
      // At info level: whoever wonders why the extension loaded more than its entry sees what
      // needed it (and the UI suite checks that a plain JSON file needs nothing). CPU time too:
      // a window that is still restoring itself stretches the wall time, not the work.
      const cpu = process.cpuUsage(cpuBefore);
      const details = [`CPU ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms`, ...(codeCache ? [`code cache: ${codeCache}`] : [])];
      this.log.info(`Services loaded for ${reason} in ${(performance.now() - started).toFixed(1)} ms (${details.join(', ')})`);
      for (const listener of this.readyListeners.splice(0)) {
        try {
          listener(this.ready.services);
        } catch (error) {
          // One listener's failure (a view's title) must not make the services unavailable.
          this.log.error(`After the services were built: ${String(error)}`);
        }
      }
      return this.ready;
    });
    return this.pending;
  }
}
