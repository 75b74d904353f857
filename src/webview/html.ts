// The page's HTML shell. It carries no run data at all — every run field reaches the page by
// postMessage after `ready` and is rendered with textContent — so nothing untrusted is ever parsed
// as HTML. Pure (no vscode) so the CSP is unit-tested.
import { pageBundleAttribute } from '../util/l10n';

export interface ShellOptions {
  /** webview.cspSource */
  cspSource: string;
  /** webview.asWebviewUri(dist/webview.js), as a string */
  scriptUri: string;
  /** webview.asWebviewUri(media/webview.css), as a string */
  styleUri: string;
  /** Fresh for every load: only the script carrying it may run. */
  nonce: string;
  /** The translation bundle as JSON (util/l10n bundleForPage), read by the page before it renders. */
  l10nBundle?: string;
  /** The display language (vscode.env.language), so screen readers and hyphenation follow the text. Default en. */
  language?: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function renderShell(options: ShellOptions): string {
  const attr = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="${attr(options.language ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(options.styleUri)}">
<title>Run details</title>
</head>
<body${options.l10nBundle ? ` ${pageBundleAttribute}="${attr(options.l10nBundle)}"` : ''}>
<div id="app" aria-busy="true"><p class="loading">Loading run…</p></div>
<script nonce="${attr(options.nonce)}" src="${attr(options.scriptUri)}"></script>
</body>
</html>`;
}

/** 128 random bits, base64: a CSP nonce. Web Crypto exists in Node 20 and in every webview. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The URIs and CSP source are ours, not data; escaped anyway so a path with a quote cannot break out. */
function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
