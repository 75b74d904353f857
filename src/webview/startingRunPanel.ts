// The details panel of a run that is being started, opened before the platform has named the run.
// Creating a webview and loading its page is most of the time between ▶ and the first live state
// (in code-server, the webview's service worker alone can take a second), so it is done while the
// trigger request is in flight; when the run is recorded, the loaded page is handed to a
// BoundRunPanel, which posts the run's state to it at once. Until then the page shows its
// "Loading run…" shell and nothing else: no run data exists yet.
import type * as vscode from 'vscode';
import { loadRunPage } from './boundRunPanel';
import { parsePageMessage } from './protocolSchemas';

export interface LoadedRunPage {
  panel: vscode.WebviewPanel;
  /** The page said `ready`: a post reaches its listener. */
  pageReady: boolean;
}

export class StartingRunPanel {
  private pageReady = false;
  private closed = false;
  private readonly listeners: vscode.Disposable[];

  constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
  ) {
    this.listeners = [
      // The page has no buttons before it has a run: `ready` is the only message that matters.
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const parsed = parsePageMessage(raw);
        if (parsed.ok && parsed.value.type === 'ready') this.pageReady = true;
      }),
      panel.onDidDispose(() => {
        this.closed = true;
        this.stopListening();
      }),
    ];
    loadRunPage(panel.webview, extensionUri);
  }

  /** The loaded page, for the run that was just recorded; undefined when the user closed the panel meanwhile. */
  handOver(): LoadedRunPage | undefined {
    this.stopListening();
    return this.closed ? undefined : { panel: this.panel, pageReady: this.pageReady };
  }

  /** No run came (the trigger failed or was cancelled, or the run has a panel already): the panel closes. */
  discard(): void {
    this.stopListening();
    if (!this.closed) this.panel.dispose();
  }

  private stopListening(): void {
    for (const listener of this.listeners.splice(0)) listener.dispose();
  }
}
