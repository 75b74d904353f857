// The CLI's connections file and credentials: an entry is refused only when a run needs it and
// the CLI cannot get its credential from the environment.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../src/cli/args';
import { credentialFromEnv, readConnectionsFile, requireUsable } from '../../src/cli/connectionsFile';
import { WorkflowRunsError } from '../../src/client/errors';

const withEnv = { name: 'ci', platform: 'b3os', baseUrl: 'https://api.b3os.org', credentialEnv: 'B3OS_KEY' };
const withoutEnv = { name: 'desk', platform: 'dify', baseUrl: 'https://api.dify.ai/v1' };

function connectionsFile(value: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-runs-connections-'));
  const file = path.join(dir, 'connections.json');
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

test('an entry without credentialEnv is read: only a run that uses it needs one', () => {
  const connections = readConnectionsFile(connectionsFile([withEnv, withoutEnv]));
  assert.deepEqual(connections.map((connection) => connection.name), ['ci', 'desk']);
  const ci = connections.find((connection) => connection.name === 'ci')!;
  assert.doesNotThrow(() => requireUsable([ci], { B3OS_KEY: 'b3sk_x' }));
});

test('a used connection without credentialEnv, or with its variable unset, is a UsageError naming the connection', () => {
  const connections = readConnectionsFile(connectionsFile([withEnv, withoutEnv]));
  assert.throws(
    () => requireUsable(connections, {}),
    (error: unknown) =>
      error instanceof UsageError &&
      /^Connection “desk” has no "credentialEnv": name the environment variable/m.test(error.message) &&
      /^The environment variable B3OS_KEY named by connection “ci” is not set/m.test(error.message),
  );
});

test('reading the credential applies the same rule, as a configuration error', () => {
  const desk = readConnectionsFile(connectionsFile([withoutEnv]))[0]!;
  assert.throws(() => credentialFromEnv(desk, {}), (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'config' && /Connection “desk” has no "credentialEnv"/.test(error.message));
  assert.equal(credentialFromEnv(readConnectionsFile(connectionsFile([withEnv]))[0]!, { B3OS_KEY: 'b3sk_x' }), 'b3sk_x');
});
