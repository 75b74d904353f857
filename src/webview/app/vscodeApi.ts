// The webview's handle on VS Code, typed to this page's protocol.
import type { PageMessage, PanelState } from '../protocol';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
  setState(state: PanelState): void;
  getState(): unknown;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page load. */
export const vscodeApi: VsCodeApi = acquireVsCodeApi();
