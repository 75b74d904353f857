// Plain HTTP in the CLI: nobody can confirm it, so it takes WORKFLOW_RUNS_ALLOW_HTTP=1; loopback
// hosts and https need nothing.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { usage } from '../../src/cli/args';
import { plainHttpProblem } from '../../src/cli/plainHttp';
import { createCliProviderPool } from '../../src/cli/providers';
import { WorkflowRunsError } from '../../src/client/errors';
import type { Connection } from '../../src/connections/schema';
import { silentLog } from '../helpers/log';

const lan = { name: 'lan', platform: 'b3os', baseUrl: 'http://b3os.intranet:8080', credentialEnv: 'KEY' } as Connection;

test('only plain HTTP outside the loopback range needs the opt-in, and the message says how to give it', () => {
  assert.equal(plainHttpProblem({ ...lan, baseUrl: 'https://b3os.intranet' }, {}), undefined);
  assert.equal(plainHttpProblem({ ...lan, baseUrl: 'http://127.0.0.1:4012' }, {}), undefined);
  assert.equal(plainHttpProblem({ ...lan, baseUrl: 'http://localhost:4012' }, {}), undefined);
  assert.equal(plainHttpProblem(lan, { WORKFLOW_RUNS_ALLOW_HTTP: '1' }), undefined);
  const problem = plainHttpProblem(lan, { WORKFLOW_RUNS_ALLOW_HTTP: 'yes please' });
  assert.match(problem ?? '', /^Connection “lan” uses plain HTTP to http:\/\/b3os\.intranet:8080, .* Use https:\/\/, or set WORKFLOW_RUNS_ALLOW_HTTP=1/);
  assert.doesNotMatch(problem ?? '', /confirm/, 'the CLI cannot ask');
  assert.match(usage(), /WORKFLOW_RUNS_ALLOW_HTTP=1/);
});

test("the CLI's provider pool refuses the connection without the opt-in, as a configuration error, and allows it with", async () => {
  const refusing = createCliProviderPool({ connections: [lan], env: { KEY: 'b3sk_x' }, log: silentLog });
  await assert.rejects(refusing.ensureCredentialMayTravel(lan), (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'config' && /WORKFLOW_RUNS_ALLOW_HTTP=1/.test(error.message));
  const allowing = createCliProviderPool({ connections: [lan], env: { KEY: 'b3sk_x', WORKFLOW_RUNS_ALLOW_HTTP: '1' }, log: silentLog });
  await allowing.ensureCredentialMayTravel(lan);
  refusing.dispose();
  allowing.dispose();
});
