// Search Runs…: the matcher behind the quick pick finds runs by id, workflow, connection, status and
// the text of inputs and outputs, over a bounded index.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GrowingRunSearchIndex, buildRunSearchIndex, dataExcerpt, maxIndexedDataChars, queryTerms, runSearchEntry, searchRuns } from '../../src/runs/search';
import { runRecord } from '../helpers/runs';

const runs = [
  runRecord({ runId: '19063', workflowId: '512', status: 'failed', outputs: { message: 'Account A-42 not found' } }, { workflowName: 'Invoice sync', connection: 'zuora prod', request: { inputs: { accountNumber: 'A-42' }, options: {} } }),
  runRecord({ runId: 'run_7', workflowId: 'wf_9', status: 'succeeded', inputs: { threshold: 0.25 }, outputs: { moved: 'USDC' } }, { connection: 'b3', platform: 'b3os' }),
  runRecord({ runId: 'abc-1', workflowId: 'default', status: 'running' }, { workflowName: 'Summariser', connection: 'dify app', platform: 'dify', request: { inputs: { query: 'Quarterly REPORT' }, options: {} } }),
];
const index = buildRunSearchIndex(runs);
const ids = (query: string) => searchRuns(index, query).map((entry) => entry.record.snapshot.runId);

describe('run search', () => {
  it('an empty query lists every run', () => {
    assert.deepEqual(ids(''), ['19063', 'run_7', 'abc-1']);
  });

  it('matches run id, workflow, connection and status', () => {
    assert.deepEqual(ids('19063'), ['19063']);
    assert.deepEqual(ids('summariser'), ['abc-1']);
    assert.deepEqual(ids('wf_9'), ['run_7']);
    assert.deepEqual(ids('zuora prod'), ['19063'], 'each word must match');
    assert.deepEqual(ids('SUCCEEDED'), ['run_7'], 'case does not matter');
    assert.deepEqual(ids('b3os'), ['run_7'], 'the platform too');
  });

  it('matches the text of inputs and outputs, case-insensitively', () => {
    assert.deepEqual(ids('a-42'), ['19063']);
    assert.deepEqual(ids('quarterly report'), ['abc-1']);
    assert.deepEqual(ids('0.25'), ['run_7'], 'platform-reported inputs');
    assert.deepEqual(ids('usdc'), ['run_7'], 'outputs');
    assert.deepEqual(ids('not found failed'), ['19063'], 'words from data and fields together');
    assert.deepEqual(ids('nothing-like-this'), []);
  });

  it('shows the data around the match', () => {
    const [entry] = searchRuns(index, 'found');
    assert.ok(entry);
    const excerpt = dataExcerpt(entry, queryTerms('found'), 30);
    assert.match(excerpt, /found/);
    assert.ok(excerpt.length <= 32);
  });

  it('the index of one run is bounded, and huge inputs leave room for the outputs', () => {
    const huge = runRecord({ outputs: { needle: 'in the outputs' } }, { request: { inputs: { blob: 'x'.repeat(500_000) }, options: {} } });
    const entry = runSearchEntry(huge);
    assert.ok(entry.data.length <= maxIndexedDataChars + 1);
    assert.deepEqual(searchRuns([entry], 'needle').length, 1);
  });

  it('stops at the limit', () => {
    const many = buildRunSearchIndex(Array.from({ length: 50 }, (_, i) => runRecord({ runId: `r${i}` })));
    assert.equal(searchRuns(many, 'r', 10).length, 10);
  });
  it('a growing index matches ids and workflows at once, and inputs and outputs once their runs are read in full', () => {
    const { request: _request, ...slim } = runs[0]!;
    const { outputs: _outputs, ...slimSnapshot } = slim.snapshot;
    const growing = new GrowingRunSearchIndex([{ ...slim, snapshot: slimSnapshot }, runs[1]!]);
    const found = (query: string) => searchRuns(growing.entries, query).map((entry) => entry.record.snapshot.runId);
    assert.deepEqual(found('invoice sync'), ['19063'], 'listed fields match before anything is read');
    assert.deepEqual(found('a-42'), [], 'its inputs and outputs are not known yet');
    growing.fill([runs[0]!, runs[2]!]);
    assert.deepEqual(found('a-42'), ['19063'], 'read in full, its data matches');
    assert.deepEqual(found('quarterly'), [], 'a run that was not listed is not added');
    assert.deepEqual(found(''), ['19063', 'run_7'], 'the order stays as listed');
  });
});
