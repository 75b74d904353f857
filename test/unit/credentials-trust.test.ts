// `credentialEnv` is honoured only when the host allows it (an untrusted workspace's own settings
// must not choose which environment variable is sent where).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { Credentials } from '../../src/connections/credentials';

const noSecrets = {
  get: async () => undefined,
  store: async () => undefined,
  delete: async () => undefined,
  onDidChange: () => ({ dispose: () => undefined }),
} as unknown as vscode.SecretStorage;

const connection = { name: 'ci', platform: 'b3os', baseUrl: 'https://api.b3os.org', credentialEnv: 'TRANSPORT_TEST_KEY' };

describe('credentialEnv and workspace trust', () => {
  it('reads the variable when allowed', async () => {
    process.env.TRANSPORT_TEST_KEY = 'b3sk_from_env_123';
    const credentials = new Credentials(noSecrets, () => true);
    assert.equal(await credentials.get(connection), 'b3sk_from_env_123');
    assert.equal(await credentials.has(connection), true);
  });

  it('refuses it when not allowed, without reading or echoing the value', async () => {
    process.env.TRANSPORT_TEST_KEY = 'b3sk_from_env_123';
    const credentials = new Credentials(noSecrets, () => false);
    await assert.rejects(credentials.get(connection), (error: Error) => /trusted workspace/.test(error.message) && !error.message.includes('b3sk_from_env_123'));
    assert.equal(await credentials.has(connection), false);
  });
});
