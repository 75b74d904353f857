// Plain words for what goes wrong on real networks: certificates that fail (and why), proxies that
// want credentials or cannot be reached. Each message names the host, the reason and the fix. The
// HTTP layer calls describeNetworkFailure() first and falls back to classifyTransportError().
// Messages never hold a credential: hosts come from URL.host (no user:pass), never from raw text.
import { WorkflowRunsError } from './errors';
import { errorCode, type TransportProblem } from './failures';
import type { ProxyDecision } from './network';

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

const fixUnknownCa =
    "If your company inspects TLS with its own certificate authority, add that CA's certificate (a PEM file) to the NODE_EXTRA_CA_CERTS environment variable and restart VS Code; if the CA is in the operating system's store, turning on http.systemCertificates with http.experimental.systemCertificatesV2 also works";

const unknownCaCodes = new Set(['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED']);

/** `host:port` of a proxy URI (which never holds credentials: ProxyDecision strips them). */
function proxyHost(route: ProxyDecision | undefined): string | undefined {
  if (route?.kind !== 'proxy') return undefined;
  try {
    return new URL(route.uri).host;
  } catch {
    return 'the proxy';
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
  const inspected = viaProxy ? ` Requests go through the proxy ${viaProxy}; a proxy that inspects TLS shows its own CA's certificates.` : '';
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return `the certificate of ${host} has expired (CERT_HAS_EXPIRED). Its administrator has to renew it; the extension does not skip this check.`;
    case 'CERT_NOT_YET_VALID':
      return `the certificate of ${host} is not valid yet (CERT_NOT_YET_VALID). Check this computer's date and time.`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return `${host} presented a self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT), which no trusted authority vouches for. If the server is your company's own, add its certificate (a PEM file) to NODE_EXTRA_CA_CERTS and restart VS Code.${inspected}`;
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `the certificate of ${host} chains to a self-signed certificate authority that is not trusted (SELF_SIGNED_CERT_IN_CHAIN). ${fixUnknownCa}.${inspected}`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID': {
      const names = certificateNames(error);
      const forNames = names ? `: it is for ${names}` : '';
      return `the certificate of ${host} is for another name (ERR_TLS_CERT_ALTNAME_INVALID)${forNames}. Check the host name in the base URL.`;
    }
    case 'CERT_REVOKED':
      return `the certificate of ${host} has been revoked (CERT_REVOKED). Its administrator has to replace it.`;
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return `${host} did not answer in TLS (ERR_SSL_WRONG_VERSION_NUMBER). If the server speaks plain HTTP, the base URL should start with http://.`;
    default:
      if (unknownCaCodes.has(code)) {
        return `the certificate of ${host} was issued by a certificate authority this computer does not know (${code}). ${fixUnknownCa}.${inspected}`;
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
  const reach = `Could not reach ${host}${context.endpoint ? ` for ${context.endpoint}` : ''}`;
  const viaProxy = proxyHost(context.route);
  const code = errorCode(error);

  if (viaProxy) {
    const status = proxyStatus(error);
    // 407 is the standard answer; some proxies (tinyproxy) answer wrong credentials with a 401.
    if (status === 407 || status === 401) {
      const sentCredentials = context.route?.kind === 'proxy' && context.route.token !== undefined;
      const message = sentCredentials
        ? `The proxy ${viaProxy} did not accept the credentials it was given (${status}): check the user and password in http.proxy (http://user:pass@host:port) or the value of http.proxyAuthorization.`
        : `The proxy ${viaProxy} wants credentials (${status}): put them in http.proxy (http://user:pass@host:port) or http.proxyAuthorization.`;
      return { kind: 'network', network: 'other', code: 'PROXY_AUTH_REQUIRED', reason: `the proxy ${viaProxy} wants credentials`, message, retryable: false };
    }
    if (status !== undefined) {
      const why =
        status === 403
          ? 'it does not allow this destination (ask its administrator, or add the host to http.noProxy if it should be reached directly)'
          : status === 502 || status === 503 || status === 504
            ? 'it could not reach the host itself (check the base URL; the proxy may also be overloaded)'
            : 'check the proxy settings';
      return {
        kind: 'network',
        network: status >= 500 ? 'refused' : 'other',
        code: `PROXY_${status}`,
        reason: `the proxy ${viaProxy} refused the connection (HTTP ${status})`,
        message: `${reach}: the proxy ${viaProxy} answered HTTP ${status} instead of opening a tunnel: ${why}.`,
        retryable: status >= 500,
      };
    }
    if (code === 'UND_ERR_PRX_TLS') {
      return {
        kind: 'network',
        network: 'other',
        code,
        reason: `the certificate of the proxy ${viaProxy} is for another name`,
        message: `${reach}: the certificate of the proxy ${viaProxy} is for another name. Check the proxy's host name in http.proxy; http.proxyStrictSSL: false skips checking the proxy's own certificate.`,
        retryable: false,
      };
    }
    // Through a tunnel the only socket this computer opens is to the proxy: a refused, unknown or
    // silent address is the proxy's (the target's own failures come back as a proxy status).
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
      const what = code === 'ECONNREFUSED' ? 'refused the connection' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'could not be found' : 'is unreachable';
      const setting = context.route?.kind === 'proxy' && context.route.source === 'environment' ? 'the HTTPS_PROXY/HTTP_PROXY environment variable' : 'http.proxy';
      return {
        kind: 'network',
        network: code === 'ECONNREFUSED' ? 'refused' : 'other',
        code,
        reason: `the proxy ${viaProxy} ${what}`,
        message: `${reach}: the proxy ${viaProxy} ${what} (${code}). Check ${setting}, or set http.proxySupport to "off" if this network has no proxy.`,
        retryable: code === 'ECONNREFUSED',
      };
    }
  }

  if (code) {
    const reason = certificateReason(code, host, error, viaProxy);
    if (reason) {
      return { kind: 'network', network: 'other', code, reason, message: `${reach}: ${reason}`, retryable: false };
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
