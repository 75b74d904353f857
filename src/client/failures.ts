// Turns what Node, undici and zod throw into plain words and retry categories. Shared by the
// request path (http.ts) and the stream reader (sse.ts) so both describe a failure the same way.
import type { ZodError, ZodIssue } from 'zod';
import type { AttemptFailure } from './retry';
import * as l10n from '@vscode/l10n';

export interface TransportProblem {
  kind: 'network' | 'timeout';
  /** Retry category (see AttemptFailure.network). */
  network: NonNullable<AttemptFailure['network']>;
  /** A clause that completes "Could not reach <host>: …". */
  reason: string;
  code?: string;
}

const certificateCodes = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
]);

/** The first error code found along the `cause` chain (undici wraps Node's socket errors). */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_REQ_RETRY') {
      // undici reports a Node socket error as its own wrapper; the inner code is more precise.
      const inner = (current as { cause?: unknown }).cause;
      const innerCode = inner && typeof inner === 'object' ? (inner as { code?: unknown }).code : undefined;
      return typeof innerCode === 'string' ? innerCode : code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Classifies an error thrown by a socket, DNS or TLS; undefined when it is none of those. */
export function classifyTransportError(error: unknown): TransportProblem | undefined {
  const code = errorCode(error);
  if (!code) return undefined;
  if (code === 'ECONNREFUSED') {
    return { kind: 'network', network: 'refused', code, reason: l10n.t('the connection was refused (is the server running, and is the base URL right?)') };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { kind: 'network', network: 'other', code, reason: l10n.t('the host name could not be found (check the base URL and your network)') };
  }
  if (certificateCodes.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')) {
    return { kind: 'network', network: 'other', code, reason: l10n.t('its TLS certificate was not accepted ({0})', code) };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED' || code === 'ECONNABORTED') {
    return { kind: 'network', network: 'reset', code, reason: l10n.t('the connection was closed before an answer came') };
  }
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { kind: 'timeout', network: 'other', code, reason: l10n.t('the connection could not be opened in time') };
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return { kind: 'timeout', network: 'other', code, reason: l10n.t('no answer came in time') };
  }
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'ENETDOWN') {
    return { kind: 'network', network: 'other', code, reason: l10n.t('the network is unreachable') };
  }
  if (code.startsWith('E') || code.startsWith('UND_ERR')) {
    return { kind: 'network', network: 'other', code, reason: l10n.t('a network error occurred ({0})', code) };
  }
  return undefined;
}

/** "data[0].tasks.total" from a zod path; "the body" for the root. */
export function formatIssuePath(path: ReadonlyArray<string | number>): string {
  if (path.length === 0) return l10n.t('the body');
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key), '');
}

/** "field tasks.total expected number, got string" — the first issue only, never the value itself. */
export function describeZodError(error: ZodError): string {
  const issue: ZodIssue | undefined = error.issues[0];
  if (!issue) return l10n.t('the body did not match what was expected');
  const where = issue.path.length === 0 ? l10n.t('the body') : l10n.t('field {0}', formatIssuePath(issue.path));
  if (issue.code === 'invalid_type') {
    if (issue.received === 'undefined') return l10n.t('{0} is missing (expected {1})', where, issue.expected);
    return l10n.t('{0} expected {1}, got {2}', where, issue.expected, issue.received);
  }
  if (issue.code === 'invalid_enum_value') {
    return l10n.t('{0} has an unexpected value (expected one of {1})', where, issue.options.map(String).join(', '));
  }
  if (issue.code === 'invalid_union') {
    // Every alternative failed: the first one's first issue is the most telling (paths are absolute).
    const first = issue.unionErrors[0];
    return first ? describeZodError(first) : l10n.t('{0} has an unexpected shape', where);
  }
  return `${where}: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`;
}
