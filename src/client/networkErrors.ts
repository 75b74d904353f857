// Plain words for what goes wrong on real networks: certificates that fail (and why), proxies that
// want credentials or cannot be reached. Each message names the host, the reason and the fix. The
// HTTP layer calls describeNetworkFailure() first and falls back to classifyTransportError().
// Messages never hold a credential: hosts come from URL.host (no user:pass), never from raw text.
import { WorkflowRunsError } from './errors';
import { errorCode, type TransportProblem } from './failures';
import type { ProxyDecision } from './network';
import * as l10n from '@vscode/l10n';

export interface NetworkFailureContext {
  /** The target's `host[:port]`. */
  host: string;
  /** What the request was for, e.g. "List runs"; completes "Could not reach <host> for …". */
  endpoint?: string;
  /** The route the request took (from DispatcherFactory.routeFor); direct when absent. */
  route?: ProxyDecision;
}

export interface NetworkFailure extends TransportProblem {
  /** A whole sentence (or two) for the user. */
  message: string;
  /** Whether trying again later may help (a refused proxy may come back; a bad certificate will not). */
  retryable: boolean;
}

const fixUnknownCa = (): string =>
  l10n.t(
    "If your company inspects TLS with its own certificate authority, add that CA's certificate (a PEM file) to the NODE_EXTRA_CA_CERTS environment variable and restart VS Code; if the CA is in the operating system's store, turning on http.systemCertificates with http.experimental.systemCertificatesV2 also works",
  );

const unknownCaCodes = new Set(['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED']);

/** `host:port` of a proxy URI (which never holds credentials: ProxyDecision strips them). */
function proxyHost(route: ProxyDecision | undefined): string | undefined {
  if (route?.kind !== 'proxy') return undefined;
  try {
    return new URL(route.uri).host;
  } catch {
    return l10n.t('the proxy');
  }
}

/** The status a proxy answered a CONNECT (or proxied request) with, from undici's error text. */
function proxyStatus(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string') {
      // undici: "Proxy response (407) !== 200 when HTTP Tunneling" / "Proxy Authentication Required (407)".
      const match = /^Proxy (?:response|Authentication Required) \((\d{3})\)/.exec(message);
      if (match) return Number(match[1]);
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The names a certificate is for ("DNS:a.example, IP Address:10.0.0.1"), from Node's altname error. */
function certificateNames(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const cert = (current as { cert?: { subjectaltname?: unknown; subject?: { CN?: unknown } } }).cert;
    const names = typeof cert?.subjectaltname === 'string' ? cert.subjectaltname : typeof cert?.subject?.CN === 'string' ? `CN=${cert.subject.CN}` : undefined;
    if (names) {
      const list = names.replace(/DNS:|IP Address:/g, '').split(/,\s*/).filter(Boolean);
      return list.length > 4 ? `${list.slice(0, 4).join(', ')}, …` : list.join(', ');
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function certificateReason(code: string, host: string, error: unknown, viaProxy: string | undefined): string | undefined {
  const inspected = viaProxy ? l10n.t(" Requests go through the proxy {0}; a proxy that inspects TLS shows its own CA's certificates.", viaProxy) : '';
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return l10n.t('the certificate of {0} has expired (CERT_HAS_EXPIRED). Its administrator has to renew it; the extension does not skip this check.', host);
    case 'CERT_NOT_YET_VALID':
      return l10n.t("the certificate of {0} is not valid yet (CERT_NOT_YET_VALID). Check this computer's date and time.", host);
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return l10n.t("{0} presented a self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT), which no trusted authority vouches for. If the server is your company's own, add its certificate (a PEM file) to NODE_EXTRA_CA_CERTS and restart VS Code.", host) + inspected;
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return l10n.t('the certificate of {0} chains to a self-signed certificate authority that is not trusted (SELF_SIGNED_CERT_IN_CHAIN). {1}.', host, fixUnknownCa()) + inspected;
    case 'ERR_TLS_CERT_ALTNAME_INVALID': {
      const names = certificateNames(error);
      const forNames = names ? l10n.t(': it is for {0}', names) : '';
      return l10n.t('the certificate of {0} is for another name (ERR_TLS_CERT_ALTNAME_INVALID){1}. Check the host name in the base URL.', host, forNames);
    }
    case 'CERT_REVOKED':
      return l10n.t('the certificate of {0} has been revoked (CERT_REVOKED). Its administrator has to replace it.', host);
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return l10n.t('{0} did not answer in TLS (ERR_SSL_WRONG_VERSION_NUMBER). If the server speaks plain HTTP, the base URL should start with http://.', host);
    default:
      if (unknownCaCodes.has(code)) {
        return l10n.t('the certificate of {0} was issued by a certificate authority this computer does not know ({1}). {2}.', host, code, fixUnknownCa()) + inspected;
      }
      return undefined;
  }
}

/**
 * A user-facing description of a proxy or certificate failure, or undefined when the error is
 * neither (the caller then uses classifyTransportError for refused/reset/DNS/timeouts).
 */
export function describeNetworkFailure(error: unknown, context: NetworkFailureContext): NetworkFailure | undefined {
  const host = context.host;
  const reach = context.endpoint ? l10n.t('Could not reach {0} for {1}', host, context.endpoint) : l10n.t('Could not reach {0}', host);
  const viaProxy = proxyHost(context.route);
  const code = errorCode(error);

  if (viaProxy) {
    const status = proxyStatus(error);
    // 407 is the standard answer; some proxies (tinyproxy) answer wrong credentials with a 401.
    if (status === 407 || status === 401) {
      const sentCredentials = context.route?.kind === 'proxy' && context.route.token !== undefined;
      const message = sentCredentials
        ? l10n.t('The proxy {0} did not accept the credentials it was given ({1}): check the user and password in http.proxy (http://user:pass@host:port) or the value of http.proxyAuthorization.', viaProxy, status)
        : l10n.t('The proxy {0} wants credentials ({1}): put them in http.proxy (http://user:pass@host:port) or http.proxyAuthorization.', viaProxy, status);
      return { kind: 'network', network: 'other', code: 'PROXY_AUTH_REQUIRED', reason: l10n.t('the proxy {0} wants credentials', viaProxy), message, retryable: false };
    }
    if (status !== undefined) {
      const why =
        status === 403
          ? l10n.t('it does not allow this destination (ask its administrator, or add the host to http.noProxy if it should be reached directly)')
          : status === 502 || status === 503 || status === 504
            ? l10n.t('it could not reach the host itself (check the base URL; the proxy may also be overloaded)')
            : l10n.t('check the proxy settings');
      return {
        kind: 'network',
        network: status >= 500 ? 'refused' : 'other',
        code: `PROXY_${status}`,
        reason: l10n.t('the proxy {0} refused the connection (HTTP {1})', viaProxy, status),
        message: l10n.t('{0}: the proxy {1} answered HTTP {2} instead of opening a tunnel: {3}.', reach, viaProxy, status, why),
        retryable: status >= 500,
      };
    }
    if (code === 'UND_ERR_PRX_TLS') {
      return {
        kind: 'network',
        network: 'other',
        code,
        reason: l10n.t('the certificate of the proxy {0} is for another name', viaProxy),
        message: l10n.t("{0}: the certificate of the proxy {1} is for another name. Check the proxy's host name in http.proxy; http.proxyStrictSSL: false skips checking the proxy's own certificate.", reach, viaProxy),
        retryable: false,
      };
    }
    // Through a tunnel the only socket this computer opens is to the proxy: a refused, unknown or
    // silent address is the proxy's (the target's own failures come back as a proxy status).
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
      const what = code === 'ECONNREFUSED' ? l10n.t('refused the connection') : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? l10n.t('could not be found') : l10n.t('is unreachable');
      const setting = context.route?.kind === 'proxy' && context.route.source === 'environment' ? l10n.t('the HTTPS_PROXY/HTTP_PROXY environment variable') : 'http.proxy';
      return {
        kind: 'network',
        network: code === 'ECONNREFUSED' ? 'refused' : 'other',
        code,
        reason: l10n.t('the proxy {0} {1}', viaProxy, what),
        message: l10n.t('{0}: the proxy {1} {2} ({3}). Check {4}, or set http.proxySupport to "off" if this network has no proxy.', reach, viaProxy, what, code, setting),
        retryable: code === 'ECONNREFUSED',
      };
    }
  }

  if (code) {
    const reason = certificateReason(code, host, error, viaProxy);
    if (reason) {
      return { kind: 'network', network: 'other', code, reason, message: l10n.t({ message: '{0}: {1}', args: [reach, reason], comment: ['{0} says what could not be reached, {1} why the certificate was refused.'] }), retryable: false };
    }
  }
  return undefined;
}

/** The same as a WorkflowRunsError, for callers that throw it as is. */
export function networkFailureError(
  error: unknown,
  context: NetworkFailureContext & { connection?: string },
): WorkflowRunsError | undefined {
  const failure = describeNetworkFailure(error, context);
  if (!failure) return undefined;
  return new WorkflowRunsError(failure.message, {
    kind: failure.kind,
    code: failure.code,
    retryable: failure.retryable,
    endpoint: context.endpoint,
    connection: context.connection,
    cause: error,
  });
}

/** `http://user:secret@proxy:3128` → `http://•••@proxy:3128`, for logging a setting's raw value. */
export function hideProxyCredentials(text: string): string {
  return text.replace(/(\/\/)[^/@\s]*@/g, '$1•••@');
}
