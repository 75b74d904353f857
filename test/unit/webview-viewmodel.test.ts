// RunRecord → the page's view model.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { RunViewSchema } from '../../src/webview/protocolSchemas';
import { toRunView, workflowLabel } from '../../src/webview/viewModel';
import { sampleRecord } from '../helpers/runs';

const labels = { platformLabel: (platform: string) => (platform === 'zuora' ? 'Zuora Workflow' : platform.toUpperCase()) };

describe('webview view model', () => {
  it('flattens a record and adds the display fields', () => {
    const view = toRunView(sampleRecord(), labels);
    assert.equal(RunViewSchema.safeParse(view).success, true);
    assert.equal(view.runId, '19063');
    assert.equal(view.connection, 'prod');
    assert.equal(view.workflowLabel, 'Invoice sync');
    assert.equal(view.platformLabel, 'Zuora Workflow');
    assert.equal(view.status, 'running');
    assert.deepEqual(view.inputs, { accountId: 'A-1' });
    assert.equal(view.options, undefined, 'empty options are not shown');
    assert.equal(view.inFlight, true);
    assert.equal(view.canStop, true);
    assert.equal(view.canRerun, true);
  });

  it('turns Re-run off, saying why, for a run whose stored inputs were shortened; its inputs can still be opened', () => {
    const record = sampleRecord();
    const marker = { $truncated: true, bytes: 120_000, preview: '{"lines":[' };
    const shortened = toRunView({ ...record, request: { inputs: { accountId: 'A-1', invoice: marker }, options: {} } }, labels);
    assert.equal(RunViewSchema.safeParse(shortened).success, true);
    assert.equal(shortened.canRerun, false);
    assert.match(shortened.rerunNote ?? '', /only in part \(invoice\)/);
    assert.equal(shortened.canOpenInputs, true);
    const opened = toRunView({ ...record, request: undefined, snapshot: { ...record.snapshot, inputs: { big: marker } } }, labels);
    assert.equal(opened.canRerun, false, "the platform's echo of the inputs is held to the same rule");
    const whole = toRunView(record, labels);
    assert.equal(whole.canRerun, true);
    assert.equal(whole.rerunNote, undefined);
    const unknown = toRunView({ ...record, request: undefined, snapshot: { ...record.snapshot, inputs: undefined } }, labels);
    assert.equal(unknown.canRerun, false);
    assert.equal(unknown.rerunNote, undefined, 'no inputs to send is no shortened inputs');
  });

  it('never passes the provider handle to the page', () => {
    const view = toRunView(sampleRecord(), labels) as Record<string, unknown>;
    assert.equal('handle' in view, false);
    assert.ok(!JSON.stringify(view).includes('opaque'));
  });

  it('cannot stop a finished run or one already stopping', () => {
    for (const status of ['succeeded', 'partial', 'failed', 'stopped'] as const) {
      const view = toRunView(sampleRecord({}, { status }), labels);
      assert.equal(view.inFlight, false, status);
      assert.equal(view.canStop, false, status);
    }
    const stopping = toRunView(sampleRecord({}, { status: 'stopping' }), labels);
    assert.equal(stopping.inFlight, true);
    assert.equal(stopping.canStop, false);
  });

  it('re-runs only with inputs to send: the request, or the platform echo of them', () => {
    assert.equal(toRunView(sampleRecord({ request: undefined }), labels).canRerun, false);
    const echoed = toRunView(sampleRecord({ request: undefined }, { inputs: { a: 1 } }), labels);
    assert.equal(echoed.canRerun, true);
    assert.deepEqual(echoed.inputs, { a: 1 });
  });

  it('shows options that were sent', () => {
    const view = toRunView(sampleRecord({ request: { inputs: {}, options: { async: true } } }), labels);
    assert.deepEqual(view.options, { async: true });
  });

  it('treats null outputs and empty error/live text as absent', () => {
    const view = toRunView(sampleRecord({ watchError: '' }, { outputs: null, error: '', liveText: '' }), labels);
    assert.equal(view.outputs, undefined);
    assert.equal(view.error, undefined);
    assert.equal(view.liveText, undefined);
    assert.equal(view.watchError, undefined);
    const withOutputs = toRunView(sampleRecord({}, { outputs: { total: 3 }, error: 'Boom' }), labels);
    assert.deepEqual(withOutputs.outputs, { total: 3 });
    assert.equal(withOutputs.error, 'Boom');
  });

  it('labels the workflow by name, else the snapshot name, else its id', () => {
    assert.equal(workflowLabel(sampleRecord()), 'Invoice sync');
    assert.equal(workflowLabel(sampleRecord({ workflowName: undefined }, { workflowName: 'From snapshot' })), 'From snapshot');
    assert.equal(workflowLabel(sampleRecord({ workflowName: undefined })), '512');
  });

  it('falls back to the platform id when the label function fails', () => {
    const view = toRunView(sampleRecord(), {
      platformLabel: () => {
        throw new Error('unknown');
      },
    });
    assert.equal(view.platformLabel, 'zuora');
  });
});
