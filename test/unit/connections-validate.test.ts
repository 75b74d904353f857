import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { isRecord, validateConnections } from '../../src/connections/validate';

const zuora = { name: 'Zuora Sandbox', platform: 'zuora', baseUrl: 'https://rest.test.zuora.com', clientId: 'demo-client' };
const dify = { name: 'dify-app', platform: 'dify', baseUrl: 'https://api.dify.ai/v1', user: 'me' };
const b3os = { name: 'b3', platform: 'b3os', baseUrl: 'https://api.b3os.org', credentialEnv: 'B3OS_KEY' };

describe('validateConnections', () => {
  it('keeps every valid entry as given, in order', () => {
    const { connections, problems } = validateConnections([zuora, dify, b3os]);
    assert.deepEqual(problems, []);
    assert.deepEqual(connections, [zuora, dify, b3os]);
  });

  it('accepts each Zuora auth mode with its own field', () => {
    const entries = [
      { name: 'token', platform: 'zuora', baseUrl: 'https://rest.zuora.com', auth: 'apiToken' },
      { name: 'basic', platform: 'zuora', baseUrl: 'https://rest.zuora.com', auth: 'basic', username: 'demo' },
      { name: 'oauth', platform: 'zuora', baseUrl: 'https://rest.zuora.com', auth: 'oauth', clientId: 'c', entityId: 'e', orgIds: 'a,b' },
      { name: 'quick', platform: 'zuora', baseUrl: 'https://rest.zuora.com/v2', clientId: 'c', api: 'quickstart' },
    ];
    const { connections, problems } = validateConnections(entries);
    assert.deepEqual(problems, []);
    assert.deepEqual(connections.map((c) => c.name), ['token', 'basic', 'oauth', 'quick']);
  });

  it('reports a missing name by position and keeps the valid entries', () => {
    const { connections, problems } = validateConnections([zuora, { platform: 'dify', baseUrl: 'https://api.dify.ai/v1' }, b3os]);
    assert.deepEqual(connections.map((c) => c.name), ['Zuora Sandbox', 'b3']);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /Connection #2/);
    assert.match(problems[0]!, /name/);
  });

  it('reports a blank name', () => {
    const { connections, problems } = validateConnections([{ ...dify, name: '   ' }]);
    assert.deepEqual(connections, []);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /a connection needs a name/);
  });

  it('reports a bad base URL, naming the connection', () => {
    const { connections, problems } = validateConnections([{ ...dify, baseUrl: 'api.dify.ai/v1' }, b3os]);
    assert.deepEqual(connections.map((c) => c.name), ['b3']);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /“dify-app”/);
    assert.match(problems[0]!, /baseUrl/);
  });

  it('reports an unknown platform and lists the known ones', () => {
    const { connections, problems } = validateConnections([{ name: 'gh', platform: 'github', baseUrl: 'https://api.github.com' }, zuora]);
    assert.deepEqual(connections.map((c) => c.name), ['Zuora Sandbox']);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /“gh”/);
    assert.match(problems[0]!, /github/);
    assert.match(problems[0]!, /zuora, dify, b3os/);
  });

  it('reports a second connection with the same name and keeps the first', () => {
    const { connections, problems } = validateConnections([zuora, { ...b3os, name: 'Zuora Sandbox' }, dify]);
    assert.deepEqual(connections, [zuora, dify]);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /“Zuora Sandbox”/);
    assert.match(problems[0]!, /twice/);
  });

  it('reports Zuora OAuth without a clientId (auth defaults to oauth)', () => {
    for (const entry of [
      { name: 'z-default', platform: 'zuora', baseUrl: 'https://rest.zuora.com' },
      { name: 'z-oauth', platform: 'zuora', baseUrl: 'https://rest.zuora.com', auth: 'oauth', clientId: '  ' },
    ]) {
      const { connections, problems } = validateConnections([entry, dify]);
      assert.deepEqual(connections.map((c) => c.name), ['dify-app'], entry.name);
      assert.equal(problems.length, 1, entry.name);
      assert.match(problems[0]!, new RegExp(`“${entry.name}”`));
      assert.match(problems[0]!, /clientId/);
    }
  });

  it('reports Zuora Basic without a username', () => {
    const { connections, problems } = validateConnections([{ name: 'z-basic', platform: 'zuora', baseUrl: 'https://rest.zuora.com', auth: 'basic' }, b3os]);
    assert.deepEqual(connections.map((c) => c.name), ['b3']);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /“z-basic”/);
    assert.match(problems[0]!, /username/);
  });

  it('reports other platform-specific problems (unknown Zuora auth, empty Dify user)', () => {
    const { connections, problems } = validateConnections([
      { name: 'z', platform: 'zuora', baseUrl: 'https://rest.zuora.com', auth: 'saml' },
      { ...dify, user: '' },
      b3os,
    ]);
    assert.deepEqual(connections.map((c) => c.name), ['b3']);
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /“z”.*auth/);
    assert.match(problems[1]!, /“dify-app”.*user/);
  });

  it('reports entries that are not objects', () => {
    const { connections, problems } = validateConnections(['zuora', null, 42, b3os]);
    assert.deepEqual(connections.map((c) => c.name), ['b3']);
    assert.equal(problems.length, 3);
    assert.match(problems[0]!, /Connection #1/);
    assert.match(problems[1]!, /Connection #2/);
    assert.match(problems[2]!, /Connection #3/);
  });

  it('an invalid entry does not reserve its name', () => {
    const { connections, problems } = validateConnections([{ ...dify, baseUrl: 'nope' }, dify]);
    assert.deepEqual(connections, [dify]);
    assert.equal(problems.length, 1);
    assert.doesNotMatch(problems[0]!, /twice/);
  });
});

describe('isRecord', () => {
  it('accepts plain objects only', () => {
    assert.equal(isRecord({}), true);
    assert.equal(isRecord({ a: 1 }), true);
    assert.equal(isRecord(null), false);
    assert.equal(isRecord([]), false);
    assert.equal(isRecord('x'), false);
    assert.equal(isRecord(undefined), false);
  });
});

describe('the settings JSON schema of workflowRuns.connections', () => {
  // Settings the extension accepts must not be underlined in settings.json: whatever the
  // validator keeps, the contributed schema accepts too.
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, unknown> } | Array<{ properties: Record<string, unknown> }> };
  };
  const sections = [manifest.contributes.configuration].flat();
  const setting = sections.map((section) => section.properties['workflowRuns.connections']).find(Boolean) as object;
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  ajv.addKeyword('enumDescriptions');
  ajv.addKeyword('markdownDescription');
  ajv.addKeyword('order');
  const schemaAccepts = ajv.compile(setting);

  it('accepts every connection the validator keeps, orgIds as a string or as a list', () => {
    const entries = [
      zuora,
      dify,
      b3os,
      { ...zuora, name: 'orgs as text', orgIds: 'org-1,org-2' },
      { ...zuora, name: 'orgs as list', orgIds: ['org-1', 'org-2'] },
    ];
    const { connections, problems } = validateConnections(entries);
    assert.deepEqual(problems, []);
    assert.ok(schemaAccepts(connections), JSON.stringify(schemaAccepts.errors));
  });
});
