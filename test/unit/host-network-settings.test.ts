// The host's reading of VS Code's `http.*` settings and the proxy variables for the HTTP client.
import '../helpers/fake-vscode';
import { strict as assert } from 'node:assert';
import { afterEach, describe, it } from 'node:test';
import { proxyFor } from '../../src/client/network';
import { proxyEnvironment, readNetworkSettings } from '../../src/host/networkSettings';
import { fake } from '../helpers/fake-vscode';
import { recordingLog } from '../helpers/log';

afterEach(() => {
  fake.settings = {};
});

describe('readNetworkSettings', () => {
  it('reads every proxy and certificate setting VS Code has', () => {
    fake.settings = {
      'http.proxy': 'http://proxy.example:3128',
      'http.noProxy': ['internal.example', '10.0.0.0/8'],
      'http.proxyStrictSSL': false,
      'http.proxyAuthorization': 'Basic dXNlcjpwYXNz',
      'http.proxySupport': 'override',
      'http.systemCertificates': true,
    };
    assert.deepEqual(readNetworkSettings(), {
      proxy: 'http://proxy.example:3128',
      noProxy: ['internal.example', '10.0.0.0/8'],
      proxyStrictSSL: false,
      proxyAuthorization: 'Basic dXNlcjpwYXNz',
      proxySupport: 'override',
      systemCertificates: true,
    });
  });

  it('leaves out empty and mistyped values, so the defaults (and the environment) apply', () => {
    fake.settings = { 'http.proxy': '  ', 'http.noProxy': ['a.example', 3], 'http.proxyStrictSSL': 'no', 'http.proxyAuthorization': null, 'http.proxySupport': 'sometimes' };
    const settings = readNetworkSettings();
    assert.deepEqual(settings, { noProxy: ['a.example'] });
    assert.equal(proxyFor('https://api.example', settings, { HTTPS_PROXY: 'http://env-proxy:8080' }).kind, 'proxy');
  });

  it('warns about a proxy setting it cannot use, without its credentials', () => {
    const { log, lines } = recordingLog();
    fake.settings = { 'http.proxy': 'ftp://user:hunter2@proxy.example' };
    readNetworkSettings(log);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /http\.proxy "ftp:\/\/•••@proxy\.example" is not a proxy URL/);
    assert.doesNotMatch(lines[0]!, /hunter2/);
  });
});

describe('proxyEnvironment', () => {
  it('passes on only the proxy variables, in either case', () => {
    assert.deepEqual(proxyEnvironment({ HTTPS_PROXY: 'http://a:1', no_proxy: 'x', PATH: '/bin', API_KEY: 'secret' }), { HTTPS_PROXY: 'http://a:1', no_proxy: 'x' });
  });
});
