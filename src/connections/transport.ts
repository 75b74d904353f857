// The one rule for where a credential may travel (pure: no vscode import, unit-tested).
// Plain `http://` is fine on this machine (an emulator, a local proxy); anywhere else a bearer key,
// a Basic password or the Zuora client secret would cross the network in clear, so the user must
// agree first. The host supplies how to ask; the provider pool asks before any request is made.
import { isIP } from 'node:net';

/** `localhost` (and its subdomains, which resolve to loopback per RFC 6761), 127.0.0.0/8 and [::1]. */
export function isLoopback(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host) || /^::ffff:7f[0-9a-f]{2}:/.test(host);
  return false;
}

/** True when sending a credential to this base URL needs the user's say-so first. */
export function needsPlainHttpConsent(baseUrl: string): boolean {
  let protocol: string;
  try {
    protocol = new URL(baseUrl).protocol;
  } catch {
    return false;
  }
  return protocol === 'http:' && !isLoopback(baseUrl);
}

/**
 * Asks (or recalls) whether the credential of `connection` may go over plain HTTP to `origin`.
 * Resolves false when the user declined: the caller then sends nothing to that host.
 */
export type PlainHttpGuard = (connection: { name: string; baseUrl: string }, origin: string) => Promise<boolean>;
