// Stream faults on Dify and B3OS: cut, truncated, endless, an endless line, slow: the run is
// followed to the state the platform recorded, memory stays bounded, nothing is triggered twice.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { assertNothingTriggeredTwice, countRequests, drain, plainError, targets, useLab } from './faults-support';

describe('faults on streams', () => {
  const lab = useLab();

  async function start(platform: 'dify' | 'b3os', inputs = targets[platform].inputs, signal?: AbortSignal) {
    const provider = await lab.provider(platform);
    const since = lab.emulator.requests.length;
    const created = lab.emulator.runsCreated(platform);
    const run = provider.trigger({ workflowId: targets[platform].workflowId, inputs, options: {}, signal });
    return { provider, run, since, created };
  }

  describe('dify', () => {
    const runStream = { platform: 'dify' as const, method: 'POST', path: targets.dify.triggerPath };

    for (const kind of ['cutStream', 'truncateStream'] as const) {
      it(`${kind} mid-run while the run goes on: re-attached, ends as Dify recorded, one request`, async () => {
        lab.emulator.injectFault({ ...runStream, kind, afterEvents: 3 });
        const { run, since } = await start('dify');
        const seen = await drain(await run);
        assert.equal(seen.at(-1)!.status, 'succeeded');
        assert.ok(countRequests(lab.emulator, 'dify', 'GET', /\/events$/, since) >= 1, 're-attached');
        assert.equal(countRequests(lab.emulator, 'dify', 'POST', targets.dify.triggerPath, since), 1);
      });
    }

    it('the re-attached stream cut too, every time: the run detail has the last word', async () => {
      lab.emulator.injectFault({ ...runStream, kind: 'cutStream', afterEvents: 3 });
      lab.emulator.injectFault({ platform: 'dify', method: 'GET', path: /\/events$/, kind: 'cutStream', afterEvents: 0, times: 'always' });
      const { run, since } = await start('dify');
      const seen = await drain(await run);
      assert.equal(seen.at(-1)!.status, 'succeeded');
      assert.ok(countRequests(lab.emulator, 'dify', 'GET', /\/workflows\/run\//, since) >= 1, 'polled the run detail');
    });

    it('a trigger stream that only pings: Cancel ends the wait, one request', async () => {
      lab.emulator.injectFault({ ...runStream, kind: 'streamNeverEnds' });
      const controller = new AbortController();
      const { run, since } = await start('dify', targets.dify.inputs, controller.signal);
      setTimeout(() => controller.abort(), 500);
      await assert.rejects(run, (error) => plainError(error, (e) => assert.equal(e.kind, 'aborted')));
      assert.equal(countRequests(lab.emulator, 'dify', 'POST', targets.dify.triggerPath, since), 1);
    });

    it('a data line that never ends: refused at the event limit with a clear error, not buffered', async () => {
      lab.emulator.injectFault({ ...runStream, kind: 'endlessSseLine' });
      const before = process.memoryUsage().rss;
      const { run, since } = await start('dify');
      await assert.rejects(run, (error) =>
        plainError(error, (e) => {
          assert.equal(e.kind, 'stream');
          assert.match(e.message, /one event of the stream was larger than 32 MB/);
        }),
      );
      assert.ok(process.memoryUsage().rss - before < 400 * 1024 * 1024, 'memory stays bounded');
      assert.equal(countRequests(lab.emulator, 'dify', 'POST', targets.dify.triggerPath, since), 1);
    });

    it('events that are not JSON are skipped; the run is confirmed from the run detail', async () => {
      lab.emulator.injectFault({ platform: 'dify', method: 'GET', path: /\/events$/, kind: 'invalidJson', times: 'always' });
      lab.emulator.injectFault({ ...runStream, kind: 'cutStream', afterEvents: 2 });
      const { run } = await start('dify');
      assert.equal((await drain(await run)).at(-1)!.status, 'succeeded');
    });

    it('slow stream headers and a slow body: followed to the end', async () => {
      lab.emulator.injectFault({ ...runStream, kind: 'slowHeaders', delayMs: 300 });
      const { run } = await start('dify');
      assert.equal((await drain(await run)).at(-1)!.status, 'succeeded');
      lab.emulator.injectFault({ ...runStream, kind: 'slowBody', delayMs: 30 });
      const second = await start('dify');
      assert.equal((await drain(await second.run)).at(-1)!.status, 'succeeded');
    });
  });

  describe('b3os', () => {
    const runStream = { platform: 'b3os' as const, method: 'GET', path: /^\/v1\/runs\/run_[^/]+\/stream$/ };

    for (const kind of ['cutStream', 'truncateStream'] as const) {
      it(`${kind} mid-run while the run goes on: polling takes over, ends as B3OS recorded`, async () => {
        lab.emulator.injectFault({ ...runStream, kind, afterEvents: 2 });
        const { run, created } = await start('b3os');
        assert.equal((await drain(await run)).at(-1)!.status, 'succeeded');
        assertNothingTriggeredTwice(lab.emulator, 'b3os', created);
      });
    }

    it('a run stream that only pings forever: the run is still seen to end', async () => {
      lab.emulator.injectFault({ ...runStream, kind: 'streamNeverEnds' });
      const { run } = await start('b3os');
      assert.equal((await drain(await run)).at(-1)!.status, 'succeeded');
    });

    it('a data line that never ends: the stream is dropped at its limit, polling follows the run', async () => {
      lab.emulator.injectFault({ ...runStream, kind: 'endlessSseLine' });
      const before = process.memoryUsage().rss;
      const { run } = await start('b3os');
      assert.equal((await drain(await run)).at(-1)!.status, 'succeeded');
      assert.ok(process.memoryUsage().rss - before < 400 * 1024 * 1024, 'memory stays bounded');
    });

    it('a stream that cannot be opened (503, then HTML): the run is polled', async () => {
      lab.emulator.injectFault({ ...runStream, kind: 'status', status: 503, times: 'always' });
      const { run } = await start('b3os');
      assert.equal((await drain(await run)).at(-1)!.status, 'succeeded');
      lab.emulator.clearFaults();
      lab.emulator.injectFault({ ...runStream, kind: 'html', times: 'always' });
      const second = await start('b3os');
      assert.equal((await drain(await second.run)).at(-1)!.status, 'succeeded');
    });

    it('polls that fail for a while (429 with Retry-After, 502): watching resumes once the fault clears', async () => {
      lab.emulator.injectFault({ ...runStream, kind: 'cutStream', afterEvents: 1 });
      lab.emulator.injectFault({ platform: 'b3os', method: 'GET', path: /^\/v1\/runs\/run_[^/]+$/, kind: 'status', status: 429, retryAfterSeconds: 0, times: 2 });
      lab.emulator.injectFault({ platform: 'b3os', method: 'GET', path: /^\/v1\/runs\/run_[^/]+$/, kind: 'status', status: 502, times: 2 });
      const { run } = await start('b3os');
      assert.equal((await drain(await run)).at(-1)!.status, 'succeeded');
    });
  });
});
