// The webview flood figure. Its measurement renders the real page (DOM code) in the unit tests'
// fake DOM, so it lives in ../page/webviewFlood.ts, type-checked with the DOM types by
// test/tsconfig.json; it is loaded here at run time so the host's tsconfig (no DOM) never sees it.
import * as path from 'node:path';
import type { Figure, Measurement } from '../figure';

interface FloodModule {
  measureWebviewFlood(): Promise<Measurement[]>;
}

export const webviewFloodFigure: Figure = {
  id: 'webview-flood',
  title: 'Webview: 5,000 node events while a details panel is open',
  target: '≤ 20 messages a second to the page, final state rendered ≤ 50 ms after the last event, page memory bounded',
  async measure(): Promise<Measurement[]> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path the host's type check must not follow
    const flood = require(path.join(__dirname, '..', 'page', 'webviewFlood')) as FloodModule;
    return flood.measureWebviewFlood();
  },
};
