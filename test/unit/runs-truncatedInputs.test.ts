// Inputs the run history kept only in part are never sent again as if whole: the rule itself, the
// run controller's Re-run (the one path that re-sends stored inputs) and the payload pipeline (the
// path of "Open Inputs as Payload File", the Testing view and the CLI).
import '../helpers/fake-vscode';
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Connection } from '../../src/connections/schema';
import { payloadFromRun } from '../../src/payload/fromRun';
import { checkPayload } from '../../src/payload/pipeline';
import type { TriggerRequest, WorkflowProvider } from '../../src/providers/provider';
import { findPlatform } from '../../src/providers/registry';
import { boundValue } from '../../src/runs/bound';
import { RunController } from '../../src/runs/service';
import { RunStore } from '../../src/runs/store';
import type { RunWatchers } from '../../src/runs/watcher';
import {
  formatValuePath,
  isTruncatedInputsError,
  refuseTruncatedResend,
  truncatedInRequest,
  truncatedLocations,
  TruncatedInputsError,
} from '../../src/runs/truncatedInputs';
import type { ConnectionService, ProviderService } from '../../src/services';
import { MemoryMemento } from '../helpers/memento';
import { runRecord, runSnapshot } from '../helpers/runs';

const marker = { $truncated: true, bytes: 120_000, preview: '{"lines":[' };

describe('the rule: where a stored request holds a marker', () => {
  it('finds every marker, depth first, and names it as a payload path', () => {
    const inputs = { big: marker, small: 1, nested: { list: [1, marker] } };
    assert.deepEqual(truncatedLocations(inputs), [['big'], ['nested', 'list', 1]]);
    assert.deepEqual(truncatedInRequest({ inputs, options: { config: marker } }), ['big', 'nested.list[1]', '$options.config']);
    assert.equal(formatValuePath([]), '(all inputs)');
    assert.deepEqual(truncatedInRequest({ inputs: marker }), ['(all inputs)'], 'the whole inputs shortened');
  });

  it('a whole request, or one with a look-alike that is not a marker, passes', () => {
    assert.deepEqual(truncatedInRequest({ inputs: { a: [1, { b: 'x' }] }, options: {} }), []);
    assert.deepEqual(truncatedInRequest({ inputs: { $truncated: 'yes', note: { $truncated: false } } }), []);
    assert.doesNotThrow(() => refuseTruncatedResend(runRecord(), { inputs: { a: 1 } }));
  });

  it('agrees with what the history bound writes (runs/bound.ts)', () => {
    const huge = { rows: 'x'.repeat(5000) };
    const stored = { inputs: { huge: boundValue(huge, 100), fine: boundValue('ok', 100) } };
    assert.deepEqual(truncatedInRequest(stored), ['huge']);
  });

  it('names at most 50 paths', () => {
    const inputs = Object.fromEntries(Array.from({ length: 80 }, (_, index) => [`k${index}`, marker]));
    assert.equal(truncatedInRequest({ inputs }).length, 50);
  });

  it('refuses with an error that names the run, the paths and the way on', () => {
    assert.throws(
      () => refuseTruncatedResend(runRecord({ runId: '42' }), { inputs: { big: marker } }),
      (error: unknown) => {
        assert.ok(isTruncatedInputsError(error));
        assert.equal(error.kind, 'config');
        assert.deepEqual(error.run, { connection: 'prod', runId: '42' });
        assert.deepEqual(error.paths, ['big']);
        assert.match(error.message, /Run 42 was not re-run: the run history shortened its inputs \(big\) to fit its size limit/);
        assert.match(error.message, /Open the inputs as a payload file/);
        return true;
      },
    );
  });
});

describe('Re-run of a run whose stored inputs were shortened', () => {
  const connection = { name: 'prod', platform: 'zuora', baseUrl: 'https://example.com', clientId: 'c' } as Connection;
  function controller() {
    const store = new RunStore(new MemoryMemento(), () => 50, 60_000);
    const sent: TriggerRequest[] = [];
    const provider = {
      trigger: async (request: TriggerRequest) => {
        sent.push(request);
        return { snapshot: runSnapshot(`new-${sent.length}`, 'running') };
      },
    } as unknown as WorkflowProvider;
    const connections = { get: (name: string) => (name === 'prod' ? connection : undefined), platformOf: (c: Connection) => findPlatform(c.platform) } as unknown as ConnectionService;
    const providers = { get: async () => provider } as unknown as ProviderService;
    const watchers = { watch: () => undefined } as unknown as RunWatchers;
    return { runs: new RunController(store, connections, providers, watchers), store, sent };
  }

  it('sends nothing and throws the refusal, for a request or for inputs the platform reported', async () => {
    const { runs, sent } = controller();
    const fromRequest = runRecord({ runId: 'a', status: 'succeeded' }, { request: { inputs: { big: marker, small: 1 }, options: {} } });
    await assert.rejects(runs.rerun(fromRequest), TruncatedInputsError);
    const fromPlatform = runRecord({ runId: 'b', status: 'failed', inputs: { nested: [marker] } });
    await assert.rejects(runs.rerun(fromPlatform), (error: unknown) => isTruncatedInputsError(error) && error.paths[0] === 'nested[0]');
    const optionsCut = runRecord({ runId: 'c', status: 'failed' }, { request: { inputs: {}, options: marker as unknown as Record<string, unknown> } });
    await assert.rejects(runs.rerun(optionsCut), TruncatedInputsError);
    assert.equal(sent.length, 0, 'nothing reached the platform');
  });

  it('a whole run is re-run as before', async () => {
    const { runs, sent } = controller();
    const whole = runRecord({ runId: 'w', status: 'succeeded' }, { request: { inputs: { small: 1 }, options: {} } });
    const again = await runs.rerun(whole);
    assert.equal(again?.snapshot.runId, 'new-1');
    assert.deepEqual(sent.map((request) => request.inputs), [{ small: 1 }]);
  });
});

describe('a payload file holding a marker is not sent', () => {
  const context = { connections: [{ name: 'prod', platform: 'zuora', baseUrl: 'https://example.com', clientId: 'c' }] as Connection[], singleWorkflowOf: () => undefined };

  it('Open Inputs as Payload File writes markers the pipeline refuses, placed on the first one', () => {
    const record = runRecord({ status: 'succeeded' }, { request: { inputs: { small: 1, big: marker }, options: {} } });
    const payload = payloadFromRun(record);
    assert.deepEqual(payload.truncatedPaths, ['big']);
    const check = checkPayload(payload.text, context);
    assert.equal(check.ok, false);
    if (check.ok) return;
    assert.match(check.error.message, /kept only the start of big \(120000 bytes\).*Nothing is sent while it is here/);
    assert.equal(payload.text.slice(check.error.offset, check.error.offset + check.error.length), '"$truncated": true');
  });

  it('all of the inputs shortened: the document itself is the marker, nothing is dropped or passed off as inputs', () => {
    const record = runRecord({ status: 'succeeded' }, { request: { inputs: marker as unknown as Record<string, unknown>, options: {} } });
    const payload = payloadFromRun(record);
    assert.deepEqual(payload.truncatedPaths, ['(all inputs)']);
    assert.deepEqual(payload.droppedInputs, []);
    const check = checkPayload(payload.text, context);
    assert.equal(check.ok, false);
    assert.match(check.ok ? '' : check.error.message, /kept only the start of the inputs/);
  });

  it('a marker in $options or $expect is refused too; restoring the value makes the file runnable', () => {
    const inOptions = `{ "$workflow": "prod/1", "$options": { "x": { "$truncated": true, "bytes": 9, "preview": "" } } }`;
    assert.equal(checkPayload(inOptions, context).ok, false);
    const restored = `{ "$workflow": "prod/1", "big": { "lines": [1, 2] } }`;
    assert.equal(checkPayload(restored, context).ok, true);
    const mentioned = `// a "$truncated" marker was here\n{ "$workflow": "prod/1", "note": "$truncated" }`;
    assert.equal(checkPayload(mentioned, context).ok, true, 'the word alone is no marker');
  });
});
