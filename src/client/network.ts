// Which way a request leaves the machine (direct or through a proxy) and the undici dispatcher that
// takes it there. VS Code routes extensions' Node `http`/`https` through its proxy settings, but not
// a bundled undici: so this module reads the same settings and applies the same rules itself.
// No `vscode` import: the host reads the settings and hands them over as plain data.
//
// Certificates, as measured (Node 20.20 here; code-server 4.100.3 = VS Code 1.100's extension host):
// - Node reads NODE_EXTRA_CA_CERTS once, at process start; setting it later has no effect, and any
//   explicit `ca` option replaces the whole default store, extra CAs included (integration tests).
//   So the factory passes no `ca` unless it must add something.
// - The extension host replaces `tls.connect` on the shared `tls` module object (so `node:tls`, which
//   the bundled undici uses, is covered too). With `http.systemCertificates` and
//   `http.experimental.systemCertificatesV2` on, that patch adds the OS store's CAs to connections
//   made without `ca`; with the default V1 mode only the `http`/`https` modules get them. Node 20 has
//   no API to read the OS store itself (`tls.getCACertificates` arrives in Node 22.15).
// - VS Code also intercepts `require('undici')` by that exact name; the deep paths used here are
//   bundled, so its proxy patching never applies and routing stays this module's job.
import { BlockList, isIP } from 'node:net';
import * as tls from 'node:tls';
import { z } from 'zod';
import { createPool } from './undici';
import { createProxyAgent } from './undiciProxy';
import type { Dispatcher } from 'undici';

export const proxySupportValues = ['off', 'on', 'override', 'fallback'] as const;

/** VS Code's `http.*` settings as the extension sees them; every field optional, as in settings.json. */
export const networkSettingsSchema = z.object({
  /** `http.proxy`: wins over the environment when not empty. */
  proxy: z.string().optional(),
  /** `http.noProxy`: hosts that are always reached directly. */
  noProxy: z.array(z.string()).optional(),
  /** `http.proxyStrictSSL`: verify the proxy's own certificate (an `https://` proxy). Default true. */
  proxyStrictSSL: z.boolean().optional(),
  /** `http.proxyAuthorization`: the whole Proxy-Authorization header value, e.g. `Basic dXNlcjpwYXNz`. */
  proxyAuthorization: z.string().nullable().optional(),
  /** `http.proxySupport`: `off` sends everything directly; the other values let the proxy rules apply. */
  proxySupport: z.enum(proxySupportValues).optional(),
  /** `http.systemCertificates`: also trust the operating system's CAs, where this Node can load them. */
  systemCertificates: z.boolean().optional(),
});
export type NetworkSettings = z.infer<typeof networkSettingsSchema>;

/** Only these environment variables are read (either case; lower case wins, as in curl). */
export type ProxyEnvironment = Readonly<Record<string, string | undefined>>;

export type ProxyDecision =
  | { kind: 'direct' }
  | {
      kind: 'proxy';
      /** The proxy URL without credentials: safe to show and log. */
      uri: string;
      /** The Proxy-Authorization header value, from the URL's user:pass or `http.proxyAuthorization`. */
      token?: string;
      /** Whether the proxy's own certificate is verified (an `https://` proxy only). */
      strictSSL: boolean;
      /** Where the proxy came from, for the log and for error messages. */
      source: 'settings' | 'environment';
    };

const supportedProxyProtocols = new Set(['http:', 'https:', 'socks:', 'socks5:']);

/** The value of an environment variable in either case; the lower-case one wins, as in curl. */
function envValue(env: ProxyEnvironment, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value && value.trim() !== '' ? value.trim() : undefined;
}

/** Environment proxies are often written without a scheme (`proxy.corp:3128`): that means http. */
function parseProxyUrl(raw: string): URL | undefined {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  try {
    const url = new URL(text);
    return supportedProxyProtocols.has(url.protocol) && url.hostname ? url : undefined;
  } catch {
    return undefined;
  }
}

/** `http://user:pass@host:3128/` → `http://host:3128` (credentials never leave this module in text). */
export function proxyUriWithoutCredentials(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/** The target's host (no brackets) and port as a string, defaulted by scheme. */
function hostAndPort(target: URL): { host: string; port: string } {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return { host, port };
}

/** Splits `host:port`, `[v6]:port`, bare IPv6 and CIDR entries of a noProxy list. */
function parseNoProxyEntry(raw: string): { name: string; port?: string } | undefined {
  const entry = raw.trim().toLowerCase();
  if (!entry) return undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1]!, port: bracketed[2] };
  // A bare IPv6 address (or range) has several colons: no port can be attached without brackets.
  if ((entry.match(/:/g) ?? []).length > 1) return { name: entry };
  const withPort = /^(.+):(\d+)$/.exec(entry);
  return withPort ? { name: withPort[1]!, port: withPort[2] } : { name: entry };
}

function matchesCidr(host: string, cidr: string): boolean {
  const [address, bitsText] = cidr.split('/');
  const family = isIP(address ?? '');
  const hostFamily = isIP(host);
  const bits = Number(bitsText);
  if (!family || family !== hostFamily || !Number.isInteger(bits)) return false;
  if (bits < 0 || bits > (family === 4 ? 32 : 128)) return false;
  const list = new BlockList();
  list.addSubnet(address!, bits, family === 4 ? 'ipv4' : 'ipv6');
  return list.check(host, hostFamily === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Whether `target` is exempt by a noProxy list (`http.noProxy` entries or NO_PROXY split on commas
 * and spaces): `*` matches everything; `example.com`, `.example.com` and `*.example.com` match the
 * domain and every subdomain (curl's and VS Code's reading); `host:port` only that port; IP addresses
 * match exactly and `10.0.0.0/8`-style ranges by prefix.
 */
export function isExemptFromProxy(target: URL, entries: readonly string[]): boolean {
  const { host, port } = hostAndPort(target);
  for (const raw of entries) {
    const entry = parseNoProxyEntry(raw);
    if (!entry) continue;
    if (entry.name === '*') return true;
    if (entry.port && entry.port !== port) continue;
    if (entry.name.includes('/')) {
      if (matchesCidr(host, entry.name)) return true;
      continue;
    }
    if (isIP(entry.name)) {
      if (isIP(host) && sameAddress(host, entry.name)) return true;
      continue;
    }
    const domain = entry.name.replace(/^\*?\.?/, '');
    if (domain && (host === domain || host.endsWith(`.${domain}`))) return true;
  }
  return false;
}

function sameAddress(a: string, b: string): boolean {
  if (a === b) return true;
  const family = isIP(a);
  if (family !== isIP(b)) return false;
  const list = new BlockList();
  list.addAddress(b, family === 4 ? 'ipv4' : 'ipv6');
  return list.check(a, family === 4 ? 'ipv4' : 'ipv6');
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter((entry) => entry !== '');
}

/** A Basic token from the user:pass of a proxy URL (percent-decoded, as browsers and curl do). */
function basicToken(url: URL): string | undefined {
  if (!url.username && !url.password) return undefined;
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/**
 * The route of one request, with VS Code's rules: `http.proxySupport: off` → direct; `http.noProxy`
 * exempts hosts from any proxy; a non-empty `http.proxy` wins; otherwise `https_proxy` for https
 * targets and `http_proxy` for http ones (either case), exempting NO_PROXY hosts. Credentials come
 * from `http.proxyAuthorization` when set, else from the proxy URL's user:pass.
 * An unusable proxy URL means direct, like VS Code (the host may warn about the setting).
 */
export function proxyFor(targetUrl: string | URL, settings: NetworkSettings, env: ProxyEnvironment = {}): ProxyDecision {
  if (settings.proxySupport === 'off') return { kind: 'direct' };
  const target = typeof targetUrl === 'string' ? new URL(targetUrl) : targetUrl;
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return { kind: 'direct' };
  if (isExemptFromProxy(target, settings.noProxy ?? [])) return { kind: 'direct' };

  let raw = settings.proxy?.trim() || undefined;
  let source: 'settings' | 'environment' = 'settings';
  if (!raw) {
    raw = target.protocol === 'https:' ? envValue(env, 'https_proxy') : envValue(env, 'http_proxy');
    source = 'environment';
    if (!raw) return { kind: 'direct' };
    if (isExemptFromProxy(target, splitList(envValue(env, 'no_proxy')))) return { kind: 'direct' };
  }
  const proxyUrl = parseProxyUrl(raw);
  if (!proxyUrl) return { kind: 'direct' };
  const token = settings.proxyAuthorization?.trim() || basicToken(proxyUrl);
  return {
    kind: 'proxy',
    uri: proxyUriWithoutCredentials(proxyUrl),
    ...(token ? { token } : {}),
    strictSSL: settings.proxyStrictSSL ?? true,
    source,
  };
}

/** Whether a setting string names a proxy this module can use (for a warning in the host). */
export function isUsableProxyUrl(raw: string): boolean {
  return parseProxyUrl(raw.trim()) !== undefined;
}

export interface DispatcherOptions {
  connectTimeoutMs?: number;
  /** Sockets per origin (direct) or per origin behind one proxy; null: no cap (streams). Default 16. */
  connections?: number | null;
  keepAliveTimeoutMs?: number;
  /**
   * PEM certificates trusted on top of Node's bundled CAs. The extension leaves it unset (it relies
   * on NODE_EXTRA_CA_CERTS and http.systemCertificates); tests that cannot restart Node set it.
   */
  extraCaCertificates?: readonly string[];
}

export interface DispatcherFactory {
  /**
   * The dispatcher for an origin under the current settings. Pass `origin` in every request's
   * options: a proxy agent serves many origins and needs it; a direct Pool ignores it.
   */
  dispatcherFor(origin: string): Dispatcher;
  /** The route an origin takes under the current settings (for logs and error messages). */
  routeFor(origin: string): ProxyDecision;
  /**
   * New settings (and environment) from now on. Dispatchers made under the old ones are closed
   * gracefully: requests and streams already running on them finish; new requests get new ones.
   */
  update(settings: NetworkSettings, env?: ProxyEnvironment): void;
  /** Closes everything at once (extension deactivation). */
  destroy(): Promise<void>;
}

/**
 * CAs for `requestTls`. Undefined (Node's default store: bundled Mozilla CAs plus NODE_EXTRA_CA_CERTS
 * read at process start) unless `http.systemCertificates` asks for the OS store and this Node can
 * read it (`tls.getCACertificates`, Node ≥ 22.15; absent in Node 20, where only the default store
 * is available). Passing `ca` replaces the default store, hence "default" is listed again.
 */
export function trustedCertificates(settings: NetworkSettings, extra: readonly string[] = []): string[] | undefined {
  const read = (tls as { getCACertificates?: (kind: 'default' | 'system') => string[] }).getCACertificates;
  const system = settings.systemCertificates && typeof read === 'function' ? readStore(() => read('system')) : [];
  if (system.length === 0 && extra.length === 0) return undefined;
  // Node 20 has no getCACertificates: its bundled list stands in for "default" (without NODE_EXTRA_CA_CERTS).
  const defaults = typeof read === 'function' ? readStore(() => read('default')) : [...tls.rootCertificates];
  return [...new Set([...defaults, ...system, ...extra])];
}

function readStore(read: () => string[]): string[] {
  try {
    return read();
  } catch {
    return []; // A store that cannot be read must not stop the default one from working.
  }
}

function sameSettings(a: NetworkSettings, aEnv: ProxyEnvironment, b: NetworkSettings, bEnv: ProxyEnvironment): boolean {
  const proxyEnv = (env: ProxyEnvironment) =>
    ['https_proxy', 'http_proxy', 'no_proxy'].map((name) => envValue(env, name) ?? '').join('\n');
  const normal = (settings: NetworkSettings) =>
    JSON.stringify([settings.proxy ?? '', settings.noProxy ?? [], settings.proxyStrictSSL ?? true, settings.proxyAuthorization ?? '', settings.proxySupport ?? 'override', settings.systemCertificates ?? false]);
  return normal(a) === normal(b) && proxyEnv(aEnv) === proxyEnv(bEnv);
}

export function createDispatcherFactory(
  initialSettings: NetworkSettings,
  initialEnv: ProxyEnvironment = {},
  options: DispatcherOptions = {},
): DispatcherFactory {
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const connections = options.connections === undefined ? 16 : options.connections;
  const keepAliveTimeout = options.keepAliveTimeoutMs ?? 30_000;
  let settings = initialSettings;
  let env = initialEnv;
  let ca = trustedCertificates(settings, options.extraCaCertificates);
  /** Direct pools by origin; proxy agents by proxy + credentials + strictness (one agent serves many origins). */
  let direct = new Map<string, Dispatcher>();
  let proxied = new Map<string, Dispatcher>();
  /** The dispatcher each origin was routed to under the current settings: deciding costs URL parses per request. */
  let routed = new Map<string, Dispatcher>();

  function directPool(origin: string): Dispatcher {
    let pool = direct.get(origin);
    if (!pool) {
      // One pool per origin keeps TLS sessions and sockets warm across polls of the same platform.
      pool = createPool(origin, { connections, keepAliveTimeout, connect: { timeout: connectTimeoutMs, ...(ca ? { ca } : {}) } });
      direct.set(origin, pool);
    }
    return pool;
  }

  function proxyAgent(decision: Extract<ProxyDecision, { kind: 'proxy' }>): Dispatcher {
    const key = JSON.stringify([decision.uri, decision.token ?? '', decision.strictSSL]);
    let agent = proxied.get(key);
    if (!agent) {
      agent = createProxyAgent({
        uri: decision.uri,
        ...(decision.token ? { token: decision.token } : {}),
        connections,
        keepAliveTimeout,
        // The target's certificate is always verified (through the CONNECT tunnel); only the
        // proxy's own certificate follows http.proxyStrictSSL, as VS Code defines it.
        requestTls: { timeout: connectTimeoutMs, ...(ca ? { ca } : {}) },
        proxyTls: { timeout: connectTimeoutMs, rejectUnauthorized: decision.strictSSL, ...(ca ? { ca } : {}) },
      });
      proxied.set(key, agent);
    }
    return agent;
  }

  return {
    dispatcherFor(origin) {
      const known = routed.get(origin);
      if (known) return known;
      const decision = proxyFor(origin, settings, env);
      const dispatcher = decision.kind === 'direct' ? directPool(new URL(origin).origin) : proxyAgent(decision);
      // Bounded by the origins of the configured connections (a handful), emptied on every change.
      routed.set(origin, dispatcher);
      return dispatcher;
    },
    routeFor(origin) {
      return proxyFor(origin, settings, env);
    },
    update(nextSettings, nextEnv = env) {
      if (sameSettings(settings, env, nextSettings, nextEnv)) return;
      const retired = [...direct.values(), ...proxied.values()];
      settings = nextSettings;
      env = nextEnv;
      ca = trustedCertificates(settings, options.extraCaCertificates);
      direct = new Map();
      proxied = new Map();
      routed = new Map();
      // close() lets running requests and streams end on their own; only then are sockets freed.
      for (const dispatcher of retired) dispatcher.close().catch(() => undefined);
    },
    async destroy() {
      const all = [...direct.values(), ...proxied.values()];
      direct = new Map();
      proxied = new Map();
      routed = new Map();
      await Promise.all(all.map((dispatcher) => dispatcher.destroy().catch(() => undefined)));
    },
  };
}
