// Stored credentials are read from SecretStorage once, not with every request, and read again as
// soon as the secret changes: here, in another window, or after a failed read.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { Credentials } from '../../src/connections/credentials';

/** A SecretStorage that counts its reads and can change a value "from another window". */
function countingSecrets(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  const listeners = new Set<(event: { key: string }) => void>();
  const storage = {
    reads: 0,
    failNextRead: false,
    get: async (key: string) => {
      storage.reads += 1;
      if (storage.failNextRead) {
        storage.failNextRead = false;
        throw new Error('keychain unavailable');
      }
      return values.get(key);
    },
    store: async (key: string, value: string) => {
      values.set(key, value);
      for (const listener of listeners) listener({ key });
    },
    delete: async (key: string) => {
      values.delete(key);
      for (const listener of listeners) listener({ key });
    },
    onDidChange: (listener: (event: { key: string }) => void) => {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    /** Another window changed the secret: only the event reaches this one. */
    changeElsewhere(key: string, value: string) {
      values.set(key, value);
      for (const listener of listeners) listener({ key });
    },
    listenerCount: () => listeners.size,
  };
  return storage;
}

const connection = { name: 'prod', platform: 'b3os', baseUrl: 'https://api.b3os.org/v1' };
const key = 'workflowRuns.credential.prod@https://api.b3os.org';

describe('stored credentials', () => {
  it('are read once for many requests', async () => {
    const secrets = countingSecrets({ [key]: 'b3sk_one' });
    const credentials = new Credentials(secrets as unknown as vscode.SecretStorage);
    const values = await Promise.all(Array.from({ length: 20 }, () => credentials.get(connection)));
    assert.ok(values.every((value) => value === 'b3sk_one'));
    assert.equal(await credentials.has(connection), true);
    assert.equal(secrets.reads, 1);
  });

  it('are read again after Set Credentials, a delete, or a change in another window', async () => {
    const secrets = countingSecrets({ [key]: 'b3sk_one' });
    const credentials = new Credentials(secrets as unknown as vscode.SecretStorage);
    assert.equal(await credentials.get(connection), 'b3sk_one');
    await credentials.set(connection, 'b3sk_two');
    assert.equal(await credentials.get(connection), 'b3sk_two');
    secrets.changeElsewhere(key, 'b3sk_three');
    assert.equal(await credentials.get(connection), 'b3sk_three');
    await credentials.delete(connection);
    await assert.rejects(credentials.get(connection), /has no credential yet/);
    assert.equal(await credentials.has(connection), false);
  });

  it('keep no failed read, and stop listening when disposed', async () => {
    const secrets = countingSecrets({ [key]: 'b3sk_one' });
    const credentials = new Credentials(secrets as unknown as vscode.SecretStorage);
    secrets.failNextRead = true;
    await assert.rejects(credentials.get(connection), /keychain unavailable/);
    assert.equal(await credentials.get(connection), 'b3sk_one');
    assert.equal(secrets.reads, 2);
    assert.equal(secrets.listenerCount(), 1);
    credentials.dispose();
    assert.equal(secrets.listenerCount(), 0);
  });
});
