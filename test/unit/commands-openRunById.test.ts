// Open Run by ID called with an argument: what it is given is not asked for again, so a caller
// that passes the connection and the run id (a test, another extension) never meets a prompt.
import { fake } from '../helpers/fake-vscode';
import { strict as assert } from 'node:assert';
import { beforeEach, describe, it } from 'node:test';
import { run } from '../../src/commands/openRunById';
import type { Services } from '../../src/services';

function servicesRecording() {
  const opened: unknown[][] = [];
  const shown: unknown[] = [];
  const services = {
    connections: { list: () => [{ name: 'prod', platform: 'b3os' }, { name: 'billing', platform: 'zuora' }], platformOf: () => undefined },
    runs: {
      open: async (...args: unknown[]) => {
        opened.push(args);
        return { connection: args[0], snapshot: { runId: args[1] } };
      },
    },
    details: { show: (record: unknown) => shown.push(record) },
  } as unknown as Services;
  return { services, opened, shown };
}

describe('workflowRuns.openRunById with arguments', () => {
  beforeEach(() => {
    fake.prompts.length = 0;
  });

  it('{connection, runId} opens the run without a prompt', async () => {
    const { services, opened, shown } = servicesRecording();
    await run(services, { connection: 'prod', runId: 'run_9' });
    assert.deepEqual(opened, [['prod', 'run_9', undefined]]);
    assert.equal(shown.length, 1);
    assert.deepEqual(fake.prompts, []);
  });

  it('{connection, runId, workflowId} passes the workflow on (numbers as text)', async () => {
    const { services, opened } = servicesRecording();
    await run(services, { connection: 'billing', runId: 42, workflowId: 7 });
    assert.deepEqual(opened, [['billing', '42', '7']]);
    assert.deepEqual(fake.prompts, []);
  });

  it('(connection, runId) as two arguments still works', async () => {
    const { services, opened } = servicesRecording();
    await run(services, 'prod', 'run_1');
    assert.deepEqual(opened, [['prod', 'run_1', undefined]]);
    assert.deepEqual(fake.prompts, []);
  });

  it('asks only for what is missing: the run id when only the connection is given', async () => {
    const { services, opened } = servicesRecording();
    await run(services, { connection: 'prod' });
    assert.deepEqual(fake.prompts, ['Open Run by ID']);
    assert.deepEqual(opened, [], 'dismissed: nothing is opened');
  });
});
