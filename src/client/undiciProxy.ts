// The proxy-capable part of undici, loaded the same way as ./undici (deep paths, not the package
// entry that would bundle fetch, WebSocket, caches and mocks) and, like it, with the first dispatcher.
import type { ProxyAgent } from 'undici';
import { loadUndiciRequestApi } from './undici';

/** A dispatcher that reaches every origin through one proxy. */
export function createProxyAgent(options: ProxyAgent.Options): ProxyAgent {
  // First: it gives every dispatcher (ProxyAgent and its inner Agent included) request()/stream().
  loadUndiciRequestApi();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deep path, no ES module or type entry
  const ProxyAgentImpl: typeof ProxyAgent = require('undici/lib/dispatcher/proxy-agent');
  return new ProxyAgentImpl(options);
}
