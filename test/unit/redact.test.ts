import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { adoptSecretRegistry, redact, registerSecret, secretRegistry } from '../../src/util/redact';

describe('redact', () => {
  it('never lets a registered secret through, wherever it appears', () => {
    registerSecret('s3cr3t-Zq9!');
    registerSecret('x7Pw');
    const text = 'login failed for s3cr3t-Zq9! (again: "s3cr3t-Zq9!"), url?key=x7Pw&y=1, prefixs3cr3t-Zq9!suffix';
    const out = redact(text);
    assert.doesNotMatch(out, /s3cr3t-Zq9!/);
    assert.doesNotMatch(out, /x7Pw/);
    assert.equal(out, 'login failed for *** (again: "***"), url?key=***&y=1, prefix***suffix');
  });

  it('ignores secrets too short to be safe to mask, and empty ones', () => {
    registerSecret('abc');
    registerSecret('');
    registerSecret(undefined);
    assert.equal(redact('abc def abcabc'), 'abc def abcabc');
  });

  it('masks a secret that contains regular-expression characters literally', () => {
    registerSecret('a.b*c+d(e)');
    assert.equal(redact('pw=a.b*c+d(e) and aXbbbcd(e)'), 'pw=*** and aXbbbcd(e)');
  });

  it('masks bearer tokens', () => {
    assert.equal(redact('Authorization: Bearer 0f1e2d3c4b5a69788796a5b4c3d2e1f0'), 'Authorization: Bearer ***');
    assert.equal(redact('authorization: bearer eyJhbGciOi.J9eyJzdWIi.OiIxMjM0'), 'authorization: bearer ***');
    assert.doesNotMatch(redact('{"Authorization":"Bearer tok_ABC123xyz"}'), /tok_ABC123xyz/);
  });

  it('masks client_secret form fields and keeps the other fields', () => {
    assert.equal(
      redact('grant_type=client_credentials&client_id=demo-client&client_secret=hunter2-xyz&scope=all'),
      'grant_type=client_credentials&client_id=demo-client&client_secret=***&scope=all',
    );
    assert.equal(redact('body: client_secret=abc123 sent'), 'body: client_secret=*** sent');
  });

  it('masks API-Token headers', () => {
    assert.equal(redact('API-Token: 9f8e7d6c5b4a'), 'API-Token: ***');
    assert.equal(redact('headers api-token=zz-top-secret, accept=json'), 'headers api-token=*** accept=json');
  });

  it('masks Basic credentials', () => {
    const encoded = Buffer.from('demo:demo-secret').toString('base64');
    assert.equal(redact(`Authorization: Basic ${encoded}`), 'Authorization: Basic ***');
  });

  it('masks Dify and B3OS keys', () => {
    assert.equal(redact('key app-Ab12Cd34Ef56Gh78Ij90Kl12 refused'), 'key app-*** refused');
    assert.equal(redact('x-api-key: b3sk_9Zk2LmQ'), 'x-api-key: b3sk_***');
  });

  it('keeps connection names that start like a Dify key', () => {
    for (const text of [
      'Workflows of connection "app-marketing" could not be listed: HTTP 503',
      'Recent runs of app-marketing-2024/default could not be listed',
      'Connection “app-customer-onboarding” is ready; app-run triggered it.',
      'app-abcdefghijklmnopqrstu has no digit, so it reads as a name',
    ]) {
      assert.equal(redact(text), text);
    }
  });

  it('still masks a Dify key next to punctuation, and a registered key of any shape exactly', () => {
    assert.equal(redact('{"key":"app-9f8e7d6c5b4a39281706f5e4"}'), '{"key":"app-***"}');
    assert.equal(redact('Authorization=app-9F8E7D6C5B4A39281706F5E4.'), 'Authorization=app-***.');
    registerSecret('app-marketingKey');
    assert.equal(redact('sent app-marketingKey to app-marketing'), 'sent *** to app-marketing');
  });

  it('leaves ordinary text unchanged', () => {
    for (const text of [
      'Zuora run 2c92a0fe7 of workflow 1234 is Processing.',
      'GET /workflows/{id} answered 503; retrying in 1.2 s',
      'Connection “Zuora Sandbox” uses Basic authentication, which can run workflows but not list workflows.',
      'Bearer tokens expire: Zuora asks for a new one.',
      'Connection “billing-app-prod” has no credential; the client_secret is stored in SecretStorage.',
      'https://api.dify.ai/v1 answered with an HTML page instead of JSON (HTTP 502).',
    ]) {
      assert.equal(redact(text), text);
    }
  });

  it('shares one registry between two bundles: the adopted set holds old and new secrets', () => {
    // The entry bundle owns the set; the services bundle adopts it (host/servicesBundle.ts).
    const own = secretRegistry();
    const shared = new Set<string>(['entry-registered-secret']);
    registerSecret('registered-before-adoption');
    try {
      adoptSecretRegistry(shared);
      registerSecret('registered-after-adoption');
      assert.ok(shared.has('registered-before-adoption'), 'what was registered before is kept');
      assert.ok(shared.has('registered-after-adoption'), 'new secrets land in the shared set');
      assert.equal(redact('x entry-registered-secret y'), 'x *** y');
      shared.add('added-by-the-other-copy');
      assert.equal(redact('z added-by-the-other-copy'), 'z ***');
    } finally {
      adoptSecretRegistry(own);
    }
  });
});
