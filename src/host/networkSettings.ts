// VS Code's network settings (`http.*`) and the proxy environment variables, read as plain data
// for the HTTP client, which cannot import `vscode`. VS Code applies these settings to extensions'
// Node `http`/`https` modules, not to the bundled undici: the client applies them itself.
import * as vscode from 'vscode';
import { isUsableProxyUrl, proxySupportValues, type NetworkSettings, type ProxyEnvironment } from '../client/network';
import { hideProxyCredentials } from '../client/networkErrors';
import type { Logger } from '../util/logger';

const proxyVariables = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

/**
 * The settings as they apply to this window. `http.systemCertificates` only matters where the
 * extension host's Node can add the OS store to undici's connections: with
 * `http.experimental.systemCertificatesV2` on (VS Code's patched `tls.connect`), or on a Node with
 * `tls.getCACertificates`; NODE_EXTRA_CA_CERTS works everywhere.
 */
export function readNetworkSettings(log?: Logger): NetworkSettings {
  const http = vscode.workspace.getConfiguration('http');
  const proxy = http.get<unknown>('proxy');
  const noProxy = http.get<unknown>('noProxy');
  const strict = http.get<unknown>('proxyStrictSSL');
  const authorization = http.get<unknown>('proxyAuthorization');
  const support = http.get<unknown>('proxySupport');
  const system = http.get<unknown>('systemCertificates');
  const settings: NetworkSettings = {};
  if (typeof proxy === 'string' && proxy.trim()) {
    settings.proxy = proxy;
    // VS Code itself goes direct on a proxy it cannot use; say why here rather than fail silently.
    if (!isUsableProxyUrl(proxy)) log?.warn(`http.proxy "${hideProxyCredentials(proxy)}" is not a proxy URL (http://host:port); requests go directly.`);
  }
  if (Array.isArray(noProxy)) settings.noProxy = noProxy.filter((entry): entry is string => typeof entry === 'string');
  if (typeof strict === 'boolean') settings.proxyStrictSSL = strict;
  if (typeof authorization === 'string' && authorization.trim()) settings.proxyAuthorization = authorization;
  if ((proxySupportValues as readonly unknown[]).includes(support)) settings.proxySupport = support as NetworkSettings['proxySupport'];
  if (typeof system === 'boolean') settings.systemCertificates = system;
  return settings;
}

/** Only the proxy variables, so nothing else from the environment travels further. */
export function proxyEnvironment(env: NodeJS.ProcessEnv = process.env): ProxyEnvironment {
  const picked: Record<string, string> = {};
  for (const name of proxyVariables) {
    const value = env[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}
