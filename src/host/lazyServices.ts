// Activation registers only cheap things (commands, views, CodeLens). The services behind them
// — zod schemas, the run store, adapters, the HTTP client — are built on first use.
import type * as vscode from 'vscode';
import type { Log } from '../log';
import type { Services } from '../services';

export class LazyServices implements vscode.Disposable {
  private pending: Promise<Services & vscode.Disposable> | undefined;
  private ready: (Services & vscode.Disposable) | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {}

  get(): Promise<Services> {
    this.pending ??= import('./createServices').then(({ createServices }) => {
      const started = Date.now();
      this.ready = createServices(this.context, this.log);
      this.log.debug(`Services ready in ${Date.now() - started} ms`);
      return this.ready;
    });
    return this.pending;
  }

  /** The services if they were built already; never builds them. */
  get loaded(): Services | undefined {
    return this.ready;
  }

  dispose(): void {
    this.ready?.dispose();
  }
}
