// Faults on triggers: a lost answer never starts a second run (the emulator counts triggers per
// Idempotency-Key, client run id or request), answers without the fields we do not need still
// start the run, and server numbers never size an allocation.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isTerminal } from '../../src/providers/model';
import { assertNothingTriggeredTwice, countRequests, drain, plainError, targets, useLab } from './faults-support';

describe('faults on triggers', () => {
  const lab = useLab();

  const trigger = async (platform: 'zuora' | 'dify' | 'b3os', options: Record<string, unknown> = {}, requestTimeoutMs?: number) => {
    const provider = await lab.provider(platform, { requestTimeoutMs });
    await provider.listWorkflows(undefined);
    const since = lab.emulator.requests.length;
    const created = lab.emulator.runsCreated(platform);
    const run = provider.trigger({ workflowId: targets[platform].workflowId, inputs: targets[platform].inputs, options });
    return { provider, run, since, created };
  };

  it('Zuora: the answer lost after the work is done, every time: resent with its key, one run', async () => {
    lab.emulator.injectFault({ platform: 'zuora', method: 'POST', path: targets.zuora.triggerPath, kind: 'afterProcess', times: 2 });
    const { run, since, created } = await trigger('zuora');
    const started = await run;
    assert.ok(started.snapshot.runId);
    assert.equal(countRequests(lab.emulator, 'zuora', 'POST', targets.zuora.triggerPath, since), 3);
    assert.equal(lab.emulator.runsCreated('zuora') - created, 1);
    const key = lab.emulator.triggers('zuora').at(-1)!;
    assert.deepEqual({ requests: key.requests, runs: key.runs }, { requests: 3, runs: 1 });
    assertNothingTriggeredTwice(lab.emulator, 'zuora', created);
  });

  it('Zuora: an answer that comes after the timeout is asked again with its key: one run, followed to its end', async () => {
    lab.emulator.injectFault({ platform: 'zuora', method: 'POST', path: targets.zuora.triggerPath, kind: 'slowHeaders', delayMs: 2_000, times: 1 });
    const { provider, run, since, created } = await trigger('zuora', {}, 400);
    const started = await run;
    assert.equal(countRequests(lab.emulator, 'zuora', 'POST', targets.zuora.triggerPath, since), 2, 'asked again');
    assert.equal(lab.emulator.runsCreated('zuora') - created, 1);
    const key = lab.emulator.triggers('zuora').at(-1)!;
    assert.deepEqual({ requests: key.requests, runs: key.runs }, { requests: 2, runs: 1 });
    let last = started.snapshot;
    for await (const snapshot of provider.watch(started.snapshot)) last = snapshot;
    assert.equal(last.status, 'succeeded');
    assertNothingTriggeredTwice(lab.emulator, 'zuora', created);
  });

  it('B3OS: the answer lost after the work is done, until the retries run out: its own run id is checked and followed', async () => {
    lab.emulator.injectFault({ platform: 'b3os', method: 'POST', path: targets.b3os.triggerPath, kind: 'afterProcess', times: 'always' });
    const { run, created } = await trigger('b3os');
    const started = await run;
    lab.emulator.clearFaults();
    const seen = await drain(started);
    assert.equal(seen.at(-1)!.status, 'succeeded');
    assert.equal(lab.emulator.runsCreated('b3os') - created, 1);
    assert.equal(lab.emulator.triggers('b3os').find((t) => t.key === started.snapshot.runId)?.runs, 1);
    assertNothingTriggeredTwice(lab.emulator, 'b3os', created);
  });

  it('B3OS: a trigger answer that comes after the timeout: its own run id is checked, one run', async () => {
    lab.emulator.injectFault({ platform: 'b3os', method: 'POST', path: targets.b3os.triggerPath, kind: 'slowHeaders', delayMs: 2_000, times: 'always' });
    const { run, created } = await trigger('b3os', {}, 400);
    const started = await run;
    lab.emulator.clearFaults();
    assert.equal((await drain(started)).at(-1)!.status, 'succeeded');
    assert.equal(lab.emulator.runsCreated('b3os') - created, 1);
    assertNothingTriggeredTwice(lab.emulator, 'b3os', created);
  });

  it('B3OS: a trigger answer without data.runId is an accepted run under the id we sent', async () => {
    lab.emulator.injectFault({ platform: 'b3os', method: 'POST', path: targets.b3os.triggerPath, kind: 'reshape', omit: ['runId'] });
    const { run, since, created } = await trigger('b3os');
    const started = await run;
    const sent = JSON.parse(lab.emulator.requests.slice(since).find((r) => r.method === 'POST')!.body) as { runId: string };
    assert.equal(started.snapshot.runId, sent.runId);
    assert.equal((await drain(started)).at(-1)!.status, 'succeeded');
    assertNothingTriggeredTwice(lab.emulator, 'b3os', created);
  });

  it('B3OS: a trigger answer without data at all is still the run we sent', async () => {
    lab.emulator.injectFault({ platform: 'b3os', method: 'POST', path: targets.b3os.triggerPath, kind: 'reshape', omit: ['data'] });
    const { run } = await trigger('b3os');
    assert.equal((await drain(await run)).at(-1)!.status, 'succeeded');
  });

  it('B3OS: a 200 whose envelope code is an error is B3OS refusing the run: its reason shown, sent once, nothing followed', async () => {
    const body = { code: 400012, data: null, message: 'workflow is archived', requestId: 'req-archived' };
    lab.emulator.injectFault({ platform: 'b3os', method: 'POST', path: targets.b3os.triggerPath, kind: 'status', status: 200, body, times: 'always' });
    const { run, since } = await trigger('b3os');
    await assert.rejects(run, (error) =>
      plainError(error, (e) => {
        assert.equal(e.kind, 'http');
        assert.equal(e.code, '400012');
        assert.equal(e.requestId, 'req-archived');
        assert.equal(e.platformMessage, 'workflow is archived');
        assert.match(e.message, /workflow is archived/);
      }),
    );
    assert.equal(countRequests(lab.emulator, 'b3os', 'POST', targets.b3os.triggerPath, since), 1, 'B3OS answered: not sent again');
    assert.equal(countRequests(lab.emulator, 'b3os', 'GET', /^\/v1\/runs\/run_[^/]+$/, since), 0, 'no run to look for');
  });

  for (const [name, body] of [
    ['success:false with reasons', { success: false, reasons: [{ code: 50000040, message: 'Workflow 19027 is not active.' }] }],
    ['type:error with errors', { type: 'error', errors: [{ code: 'workflow_inactive', message: 'Workflow 19027 is not active.' }] }],
  ] as const) {
    it(`Zuora: a 200 carrying an error body (${name}) is Zuora refusing the run: its reason shown, sent once`, async () => {
      lab.emulator.injectFault({ platform: 'zuora', method: 'POST', path: targets.zuora.triggerPath, kind: 'status', status: 200, body, times: 'always' });
      const { run, since, created } = await trigger('zuora');
      await assert.rejects(run, (error) =>
        plainError(error, (e) => {
          assert.equal(e.kind, 'http');
          assert.doesNotMatch(e.message, /did not say which run/);
          assert.match(e.message, /Workflow 19027 is not active/);
        }),
      );
      assert.equal(countRequests(lab.emulator, 'zuora', 'POST', targets.zuora.triggerPath, since), 1, 'Zuora answered: not sent again');
      assert.equal(lab.emulator.runsCreated('zuora') - created, 0);
    });
  }

  it('Dify: a lost answer is never resent (one request, one run)', async () => {
    lab.emulator.injectFault({ platform: 'dify', method: 'POST', path: targets.dify.triggerPath, kind: 'afterProcess' });
    const { run, since, created } = await trigger('dify');
    await assert.rejects(run, (error) => plainError(error));
    assert.equal(countRequests(lab.emulator, 'dify', 'POST', targets.dify.triggerPath, since), 1);
    assert.equal(lab.emulator.runsCreated('dify') - created, 1);
  });

  for (const mode of ['streaming', 'blocking'] as const) {
    it(`Dify (${mode}): a lost answer says the run may have started and how to check, not "could not reach"; one request, one run`, async () => {
      lab.emulator.injectFault({ platform: 'dify', method: 'POST', path: targets.dify.triggerPath, kind: 'afterProcess' });
      const { run, since, created } = await trigger('dify', { response_mode: mode });
      await assert.rejects(run, (error) =>
        plainError(error, (e) => {
          assert.doesNotMatch(e.message, /could not reach/i);
          assert.match(e.message, /may have started/i);
          assert.match(e.message, /not sent again/);
          assert.match(e.message, /Workflows view .* recent runs are read from Dify's logs/);
        }),
      );
      assert.equal(countRequests(lab.emulator, 'dify', 'POST', targets.dify.triggerPath, since), 1);
      assert.equal(lab.emulator.runsCreated('dify') - created, 1);
    });
  }

  it('Dify: an answer that comes after the timeout says the run may have started', async () => {
    lab.emulator.injectFault({ platform: 'dify', method: 'POST', path: targets.dify.triggerPath, kind: 'slowHeaders', delayMs: 2_000 });
    const { run, since } = await trigger('dify', {}, 400);
    await assert.rejects(run, (error) => plainError(error, (e) => assert.match(e.message, /^Dify may have started the run: no answer came in time\./)));
    assert.equal(countRequests(lab.emulator, 'dify', 'POST', targets.dify.triggerPath, since), 1);
  });

  it('Zuora: an answer lost on every attempt is worded as possibly done, never "could not reach"; one run under one key', async () => {
    lab.emulator.injectFault({ platform: 'zuora', method: 'POST', path: targets.zuora.triggerPath, kind: 'afterProcess', times: 'always' });
    const { run, created } = await trigger('zuora');
    await assert.rejects(run, (error) =>
      plainError(error, (e) => {
        assert.doesNotMatch(e.message, /could not reach/i);
        assert.match(e.message, /^Zuora may have started workflow 19027: the connection closed before the answer came\. Every try carried the same Idempotency-Key/);
      }),
    );
    assert.equal(lab.emulator.runsCreated('zuora') - created, 1, 'every retry carried the same Idempotency-Key');
    assertNothingTriggeredTwice(lab.emulator, 'zuora', created);
  });

  it('Dify: a blocking answer without data.id succeeds under workflow_run_id', async () => {
    lab.emulator.injectFault({ platform: 'dify', method: 'POST', path: targets.dify.triggerPath, kind: 'reshape', omit: ['id'] });
    const { run } = await trigger('dify', { response_mode: 'blocking' });
    const started = await run;
    assert.equal(started.snapshot.status, 'succeeded');
    assert.match(started.snapshot.runId, /^[0-9a-f-]{36}$/);
  });

  it('Dify: stream events without data.id (workflow_finished included) still end the run as Dify says', async () => {
    lab.emulator.injectFault({ platform: 'dify', method: 'POST', path: targets.dify.triggerPath, kind: 'reshape', omit: ['id'] });
    const { run, since } = await trigger('dify');
    const seen = await drain(await run);
    assert.equal(seen.at(-1)!.status, 'succeeded');
    assert.ok(seen.at(-1)!.runId);
    // Ended by the stream itself: no re-attachment was needed.
    assert.equal(countRequests(lab.emulator, 'dify', 'GET', /\/events$/, since), 0);
  });

  for (const steps of [86_000_000, 5e9, 1e308]) {
    it(`Dify: total_steps of ${steps} maps quickly, without an allocation of that size`, async () => {
      lab.emulator.injectFault({ platform: 'dify', method: 'POST', path: targets.dify.triggerPath, kind: 'reshape', set: { total_steps: steps } });
      const { run } = await trigger('dify', { response_mode: 'blocking' });
      const started = Date.now();
      const snapshot = (await run).snapshot;
      assert.ok(Date.now() - started < 5_000, `mapped in ${Date.now() - started} ms`);
      assert.equal(snapshot.status, 'succeeded');
      assert.equal(snapshot.tasks.total, Math.min(steps, Number.MAX_SAFE_INTEGER));
    });
  }

  it('Dify: a run detail with a huge total_steps is read without running out of memory', async () => {
    const { run } = await trigger('dify', { response_mode: 'blocking' });
    const ref = (await run).snapshot;
    lab.emulator.injectFault({ platform: 'dify', method: 'GET', path: /\/workflows\/run\//, kind: 'reshape', set: { total_steps: 86_000_000 } });
    const provider = await lab.provider('dify');
    const started = Date.now();
    const snapshot = await provider.getRun({ runId: ref.runId, workflowId: 'default', handle: ref.handle });
    assert.ok(Date.now() - started < 5_000, `mapped in ${Date.now() - started} ms`);
    assert.ok(isTerminal(snapshot.status));
    assert.equal(snapshot.tasks.total, 86_000_000);
  });
});
