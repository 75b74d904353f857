import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createDispatcherFactory, isExemptFromProxy, isUsableProxyUrl, networkSettingsSchema, proxyFor, trustedCertificates, type ProxyDecision } from '../../src/client/network';
import { describeNetworkFailure, hideProxyCredentials } from '../../src/client/networkErrors';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const exempt = (url: string, ...entries: string[]) => isExemptFromProxy(new URL(url), entries);

describe('proxyFor', () => {
  it('is direct with no proxy anywhere', () => {
    assert.deepEqual(proxyFor('https://api.zuora.com/x', {}, {}), { kind: 'direct' });
  });

  it('uses http.proxy for both schemes, and it wins over the environment', () => {
    const env = { HTTPS_PROXY: 'http://env-proxy:1', HTTP_PROXY: 'http://env-proxy:2' };
    for (const target of ['https://api.zuora.com/', 'http://dify.local/']) {
      assert.deepEqual(proxyFor(target, { proxy: 'http://corp-proxy:3128' }, env), {
        kind: 'proxy',
        uri: 'http://corp-proxy:3128',
        strictSSL: true,
        source: 'settings',
      });
    }
  });

  it('falls back to https_proxy for https and http_proxy for http, either case, lower case first', () => {
    assert.equal(route(proxyFor('https://a.example/', {}, { HTTPS_PROXY: 'http://upper:1' })), 'http://upper:1');
    assert.equal(route(proxyFor('https://a.example/', {}, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' })), 'http://lower:1');
    assert.equal(route(proxyFor('http://a.example/', {}, { http_proxy: 'http://plain:2', HTTPS_PROXY: 'http://tls:1' })), 'http://plain:2');
    assert.equal(route(proxyFor('https://a.example/', {}, { http_proxy: 'http://plain:2' })), 'direct');
    const fromEnvironment = proxyFor('https://a.example/', {}, { HTTPS_PROXY: 'http://upper:1' });
    assert.equal(fromEnvironment.kind === 'proxy' ? fromEnvironment.source : 'direct', 'environment');
  });

  it('treats a whitespace-only http.proxy as empty and reads environment proxies written without a scheme', () => {
    assert.equal(route(proxyFor('https://a.example/', { proxy: '  ' }, { HTTPS_PROXY: 'proxy.corp:3128' })), 'http://proxy.corp:3128');
  });

  it('sends everything directly with http.proxySupport off', () => {
    assert.equal(route(proxyFor('https://a.example/', { proxy: 'http://p:1', proxySupport: 'off' }, { HTTPS_PROXY: 'http://q:1' })), 'direct');
    for (const proxySupport of ['on', 'override', 'fallback'] as const) {
      assert.equal(route(proxyFor('https://a.example/', { proxy: 'http://p:1', proxySupport })), 'http://p:1', proxySupport);
    }
  });

  it('exempts http.noProxy hosts from any proxy, and NO_PROXY hosts from environment proxies only', () => {
    assert.equal(route(proxyFor('https://api.zuora.com/', { proxy: 'http://p:1', noProxy: ['zuora.com'] })), 'direct');
    assert.equal(route(proxyFor('https://api.zuora.com/', {}, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'dify.ai, zuora.com' })), 'direct');
    assert.equal(route(proxyFor('https://api.zuora.com/', {}, { https_proxy: 'http://p:1', no_proxy: 'zuora.com' })), 'direct');
    // VS Code's http.proxy is not affected by the environment's NO_PROXY.
    assert.equal(route(proxyFor('https://api.zuora.com/', { proxy: 'http://p:1' }, { NO_PROXY: 'zuora.com' })), 'http://p:1');
  });

  it('turns user:pass in the proxy URL into a Basic token and strips it from the URI', () => {
    const decision = proxyFor('https://a.example/', { proxy: 'http://al%40ice:p%3Ass@p:3128' });
    assert.deepEqual(decision, { kind: 'proxy', uri: 'http://p:3128', token: basic('al@ice', 'p:ss'), strictSSL: true, source: 'settings' });
    assert.doesNotMatch(JSON.stringify({ ...decision, token: undefined }), /p%3Ass|p:ss/);
  });

  it('prefers http.proxyAuthorization over the URL credentials and passes http.proxyStrictSSL', () => {
    const decision = proxyFor('https://a.example/', { proxy: 'https://u:p@p:3128', proxyAuthorization: 'Negotiate abc', proxyStrictSSL: false });
    assert.deepEqual(decision, { kind: 'proxy', uri: 'https://p:3128', token: 'Negotiate abc', strictSSL: false, source: 'settings' });
  });

  it('goes direct for a proxy URL it cannot use, and says which ones it can', () => {
    assert.equal(route(proxyFor('https://a.example/', { proxy: 'ftp://p:21' })), 'direct');
    assert.equal(route(proxyFor('https://a.example/', { proxy: 'http://' })), 'direct');
    assert.equal(isUsableProxyUrl('http://p:3128'), true);
    assert.equal(isUsableProxyUrl('socks5://p:1080'), true);
    assert.equal(isUsableProxyUrl('ftp://p'), false);
  });

  it('accepts settings exactly as VS Code stores them', () => {
    const parsed = networkSettingsSchema.parse({ proxy: '', noProxy: [], proxyStrictSSL: true, proxyAuthorization: null, proxySupport: 'override', systemCertificates: true });
    assert.equal(route(proxyFor('https://a.example/', parsed)), 'direct');
    assert.throws(() => networkSettingsSchema.parse({ proxySupport: 'sometimes' }));
  });
});

describe('noProxy matching', () => {
  it('matches a domain, its subdomains and the .suffix and *.suffix forms, not look-alikes', () => {
    for (const entry of ['example.com', '.example.com', '*.example.com', 'EXAMPLE.com']) {
      assert.equal(exempt('https://example.com/', entry), true, entry);
      assert.equal(exempt('https://api.eu.example.com/', entry), true, entry);
      assert.equal(exempt('https://badexample.com/', entry), false, entry);
      assert.equal(exempt('https://example.com.evil.net/', entry), false, entry);
    }
  });

  it('matches `*` for everything and ignores empty entries', () => {
    assert.equal(exempt('https://any.host:8443/', '*'), true);
    assert.equal(exempt('https://any.host/', '', '  '), false);
  });

  it('honours ports, defaulted by scheme', () => {
    assert.equal(exempt('https://example.com/', 'example.com:443'), true);
    assert.equal(exempt('http://example.com/', 'example.com:443'), false);
    assert.equal(exempt('http://example.com:8080/', 'example.com:8080'), true);
    assert.equal(exempt('https://127.0.0.1:9443/', '127.0.0.1:9443'), true);
    assert.equal(exempt('https://127.0.0.1:9444/', '127.0.0.1:9443'), false);
  });

  it('matches IP addresses exactly and CIDR ranges by prefix, IPv4 and IPv6', () => {
    assert.equal(exempt('https://10.1.2.3/', '10.1.2.3'), true);
    assert.equal(exempt('https://10.1.2.4/', '10.1.2.3'), false);
    assert.equal(exempt('https://10.1.2.3/', '10.0.0.0/8'), true);
    assert.equal(exempt('https://11.1.2.3/', '10.0.0.0/8'), false);
    assert.equal(exempt('https://[::1]:8080/', '::1'), true);
    assert.equal(exempt('https://[::1]:8080/', '[::1]:8080'), true);
    assert.equal(exempt('https://[fd00::5]/', 'fd00::/8'), true);
    assert.equal(exempt('https://[fe80::5]/', 'fd00::/8'), false);
    // An address range never matches a host name, nor a garbage range anything.
    assert.equal(exempt('https://localhost/', '127.0.0.0/8'), false);
    assert.equal(exempt('https://10.1.2.3/', '10.0.0.0/99'), false);
  });
});

describe('trusted certificates', () => {
  it('leaves Node its default store unless something is to be added', () => {
    assert.equal(trustedCertificates({}), undefined);
    const extra = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const list = trustedCertificates({}, [extra]);
    assert.ok(list && list.length > 100, 'the bundled CAs stay trusted');
    assert.equal(list.at(-1), extra);
  });
});

describe('dispatcher factory', () => {
  it('keeps its dispatchers when settings did not really change, replaces them when they did', async () => {
    const factory = createDispatcherFactory({ proxy: 'http://p:3128' }, { HTTPS_PROXY: 'http://q:1' });
    const first = factory.dispatcherFor('https://a.example');
    assert.equal(factory.dispatcherFor('https://b.example'), first, 'one proxy agent serves every origin');
    factory.update({ proxy: 'http://p:3128', noProxy: [] }, { https_proxy: 'http://q:1' });
    assert.equal(factory.dispatcherFor('https://a.example'), first);
    factory.update({ proxy: 'http://p:3129' });
    assert.notEqual(factory.dispatcherFor('https://a.example'), first);
    factory.update({ proxy: 'http://p:3129', proxySupport: 'off' });
    assert.equal(factory.routeFor('https://a.example').kind, 'direct');
    assert.notEqual(factory.dispatcherFor('https://a.example'), factory.dispatcherFor('https://b.example'), 'direct pools are per origin');
    await factory.destroy();
  });
});

describe('network failure wording', () => {
  const viaProxy: ProxyDecision = { kind: 'proxy', uri: 'http://proxy.corp:3128', strictSSL: true, source: 'settings' };
  const tlsError = (code: string) => Object.assign(new Error('tls'), { code });

  it('names the reason and the fix of every certificate failure, never bypassing', () => {
    const cases: Array<[string, RegExp]> = [
      ['CERT_HAS_EXPIRED', /certificate of api\.example:443 has expired.*renew/],
      ['DEPTH_ZERO_SELF_SIGNED_CERT', /api\.example:443 presented a self-signed certificate.*NODE_EXTRA_CA_CERTS/],
      ['SELF_SIGNED_CERT_IN_CHAIN', /self-signed certificate authority.*NODE_EXTRA_CA_CERTS.*http\.systemCertificates/],
      ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', /does not know.*add that CA's certificate.*NODE_EXTRA_CA_CERTS/],
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /does not know.*NODE_EXTRA_CA_CERTS/],
      ['ERR_TLS_CERT_ALTNAME_INVALID', /is for another name.*base URL/],
    ];
    for (const [code, pattern] of cases) {
      const failure = describeNetworkFailure(tlsError(code), { host: 'api.example:443', endpoint: 'List runs' });
      assert.ok(failure, code);
      assert.match(failure.message, /^Could not reach api\.example:443 for List runs: /);
      assert.match(failure.message, pattern, code);
      assert.equal(failure.retryable, false, code);
      assert.doesNotMatch(failure.message, /NODE_TLS_REJECT_UNAUTHORIZED|rejectUnauthorized/);
    }
  });

  it('says what a 407 means and where credentials go, without echoing them', () => {
    const error = Object.assign(new Error('Proxy response (407) !== 200 when HTTP Tunneling'), { code: 'UND_ERR_ABORTED' });
    assert.equal(
      describeNetworkFailure(error, { host: 'a:443', route: viaProxy })?.message,
      'The proxy proxy.corp:3128 wants credentials (407): put them in http.proxy (http://user:pass@host:port) or http.proxyAuthorization.',
    );
    const withToken = describeNetworkFailure(error, { host: 'a:443', route: { ...viaProxy, token: basic('bob', 'hunter22') } });
    assert.match(withToken!.message, /did not accept the credentials/);
    assert.doesNotMatch(withToken!.message, /hunter22|Ym9i/);
    // Some proxies (tinyproxy) answer wrong credentials with 401 rather than 407.
    const unauthorized = new Error('Proxy response (401) !== 200 when HTTP Tunneling');
    assert.match(describeNetworkFailure(unauthorized, { host: 'a:443', route: { ...viaProxy, token: 'Basic x' } })!.message, /did not accept the credentials it was given \(401\)/);
  });

  it('blames the proxy for refused and unknown addresses when requests go through one', () => {
    const refused = describeNetworkFailure(tlsError('ECONNREFUSED'), { host: 'a:443', route: { ...viaProxy, source: 'environment' } });
    assert.match(refused!.message, /the proxy proxy\.corp:3128 refused the connection.*HTTPS_PROXY\/HTTP_PROXY/);
    assert.equal(refused!.retryable, true);
    assert.match(describeNetworkFailure(tlsError('ENOTFOUND'), { host: 'a:443', route: viaProxy })!.message, /proxy\.corp:3128 could not be found.*http\.proxy/);
    // Direct, the same codes are the ordinary transport failures of failures.ts.
    assert.equal(describeNetworkFailure(tlsError('ECONNREFUSED'), { host: 'a:443' }), undefined);
  });

  it('explains other proxy statuses', () => {
    const error = new Error('Proxy response (403) !== 200 when HTTP Tunneling');
    assert.match(describeNetworkFailure(error, { host: 'a:443', route: viaProxy })!.message, /answered HTTP 403.*http\.noProxy/);
  });

  it('hides credentials in a raw proxy setting', () => {
    assert.equal(hideProxyCredentials('proxy http://bob:hunter22@p:3128 failed'), 'proxy http://•••@p:3128 failed');
  });
});

function route(decision: ProxyDecision): string {
  return decision.kind === 'direct' ? 'direct' : decision.uri;
}
