// Dify file inputs and runs started elsewhere, with the real client and adapters against the
// emulator: `$file` → upload → run (the run echoes the upload ids), refusals that send nothing, the
// B3OS workflow runs stream, and the Workflows view's follower polling Dify only while allowed.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { createHttpClient } from '../../src/client/http';
import { WorkflowRunsError } from '../../src/client/errors';
import type { Connection } from '../../src/connections/schema';
import { createB3osProvider } from '../../src/providers/b3os/adapter';
import { createDifyProvider } from '../../src/providers/dify/adapter';
import type { RunSnapshot } from '../../src/providers/model';
import type { ProviderContext, WorkflowProvider } from '../../src/providers/provider';
import { findPlatform } from '../../src/providers/registry';
import { followWorkflowRuns } from '../../src/providers/workflowRuns';
import { preparePayloadTest } from '../../src/testing/runTest';
import { WorkflowRunsFollower } from '../../src/views/workflowRunsFollower';
import { useEmulator } from '../helpers/emulator';
import { eventually } from '../helpers/eventually';
import { silentLog as silent } from '../helpers/log';

const folder = mkdtempSync(path.join(tmpdir(), 'elsewhere-'));
const pdf = path.join(folder, 'fixture.pdf');
writeFileSync(pdf, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from([0, 0xff, 0x80, 13, 10]), Buffer.from('\n%%EOF\n')]));
writeFileSync(path.join(folder, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));

describe('Dify file inputs and runs started elsewhere (emulator)', () => {
  const emulator = useEmulator({ beforeEachTest: 'reset' });
  const clients: Array<{ dispose(): Promise<void> | void }> = [];
  after(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
  });

  function context(connection: Connection, key: string): ProviderContext {
    const http = createHttpClient({ log: silent, requestTimeoutMs: 10_000, retry: { baseDelayMs: 20, maxDelayMs: 200 } });
    clients.push(http);
    return { connection, getCredential: async () => key, http, log: silent, machineId: 'machine1', pollIntervalMs: 50 };
  }
  const difyConnection = (): Connection => ({ name: 'dify', platform: 'dify', baseUrl: emulator.urls.dify, user: 'file-user' }) as Connection;
  const dify = (): WorkflowProvider => createDifyProvider(context(difyConnection(), 'app-demo'), { idleTimeoutMs: 3_000 });
  const b3os = (): WorkflowProvider => createB3osProvider(context({ name: 'b3', platform: 'b3os', baseUrl: emulator.urls.b3os } as Connection, 'b3sk_demo'), { idleTimeoutMs: 3_000 });

  /** A payload file's text read the way the CLI and the editor read it, relative to `folder`. */
  function prepare(text: string) {
    const prepared = preparePayloadTest(text, { connections: [difyConnection()], singleWorkflowOf: (c) => findPlatform(c.platform)?.singleWorkflow?.(c), platformOf: (c) => findPlatform(c.platform), files: { folder } }, { requireExpect: false });
    return prepared;
  }

  const requestsTo = (pathEnd: string) => emulator.requests.filter((request) => request.path.endsWith(pathEnd));

  it('uploads $file inputs with the run’s user and sends them as local_file references', async () => {
    const prepared = prepare('{"$workflow": "dify", "topic": "Files", "attachment": {"$file": "./fixture.pdf"}, "attachments": [{"$file": "photo.png"}]}');
    assert.ok(prepared.ok && 'test' in prepared, JSON.stringify(prepared));
    const { test } = prepared;
    const triggered = await dify().trigger({ workflowId: 'default', inputs: test.inputs, options: test.options, files: test.files });
    let last: RunSnapshot = triggered.snapshot;
    for await (const snapshot of triggered.updates ?? []) last = snapshot;
    assert.equal(last.status, 'succeeded');

    const uploads = requestsTo('/files/upload');
    assert.equal(uploads.length, 2);
    for (const upload of uploads) {
      assert.match(upload.headers['content-type'] ?? '', /^multipart\/form-data; boundary=/);
      assert.match(upload.body, /name="user"\r\n\r\nfile-user\r\n/, 'uploaded as the run’s user');
    }
    const sent = JSON.parse(requestsTo('/workflows/run')[0]!.body) as { inputs: Record<string, unknown>; user: string };
    assert.equal(sent.user, 'file-user');
    const attachment = sent.inputs.attachment as { type: string; transfer_method: string; upload_file_id: string };
    assert.equal(attachment.type, 'document');
    assert.equal(attachment.transfer_method, 'local_file');
    const list = sent.inputs.attachments as Array<{ type: string; upload_file_id: string }>;
    assert.equal(list.length, 1);
    assert.equal(list[0]!.type, 'image');
    // The run received exactly those uploads.
    assert.deepEqual((last.outputs as { files: Record<string, string[]> }).files, { attachment: [attachment.upload_file_id], attachments: [list[0]!.upload_file_id] });
  });

  it('a file over Dify’s limit (413 file_too_large) is a payload error naming the file; no run is started', async () => {
    const big = path.join(folder, 'big.txt');
    writeFileSync(big, Buffer.alloc(15 * 1024 * 1024 + 1, 0x61));
    const prepared = prepare('{"$workflow": "dify", "topic": "Big", "attachment": {"$file": "big.txt"}}');
    assert.ok(prepared.ok && 'test' in prepared);
    await assert.rejects(dify().trigger({ workflowId: 'default', inputs: prepared.test.inputs, options: {}, files: prepared.test.files }), (error: unknown) => {
      assert.ok(error instanceof WorkflowRunsError);
      assert.equal(error.kind, 'config');
      assert.equal(error.status, 413);
      assert.match(error.message, /big\.txt is too large/);
      assert.match(error.message, /not started/);
      return true;
    });
    assert.equal(requestsTo('/files/upload').length, 1);
    assert.equal(requestsTo('/workflows/run').length, 0, 'nothing was run');
  });

  it('415 unsupported_file_type is a payload error naming the file; no run is started', async () => {
    emulator.injectFault({ platform: 'dify', method: 'POST', path: '/files/upload', kind: 'status', status: 415, body: { status: 415, code: 'unsupported_file_type', message: 'File type not allowed.' } });
    const prepared = prepare('{"$workflow": "dify", "topic": "Odd", "attachment": {"$file": "./fixture.pdf"}}');
    assert.ok(prepared.ok && 'test' in prepared);
    await assert.rejects(dify().trigger({ workflowId: 'default', inputs: prepared.test.inputs, options: {}, files: prepared.test.files }), /does not accept the type of fixture\.pdf/);
    assert.equal(requestsTo('/workflows/run').length, 0);
  });

  it('the emulator answers 415 to a file part without a MIME type, as Dify documents', async () => {
    const body = '--B\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n\r\nabc\r\n--B--\r\n';
    const response = await fetch(`${emulator.urls.dify}/files/upload`, { method: 'POST', headers: { authorization: 'Bearer app-demo', 'content-type': 'multipart/form-data; boundary=B' }, body });
    assert.equal(response.status, 415);
    assert.equal(((await response.json()) as { code: string }).code, 'unsupported_file_type');
  });

  it('a missing file stops the payload before anything is sent (line and column of the $file value)', () => {
    const prepared = prepare('{\n  "$workflow": "dify",\n  "attachment": {"$file": "./missing.pdf"}\n}');
    assert.ok(!prepared.ok && 'problem' in prepared);
    assert.equal(prepared.problem.line, 3);
    assert.equal(prepared.problem.column, 27, 'the opening quote of the path');
    assert.match(prepared.problem.message, /no file at \.\/missing\.pdf/);
    assert.equal(emulator.requests.length, 0, 'the emulator received no request at all');
  });

  it('the B3OS workflow runs stream delivers a run started elsewhere', async () => {
    const controller = new AbortController();
    const pages = followWorkflowRuns(b3os(), 'wf_9k2m4x7q1b3n', controller.signal, 50)[Symbol.asyncIterator]();
    try {
      const first = await pages.next();
      assert.ok(!first.done);
      assert.ok(requestsTo('/v1/workflows/wf_9k2m4x7q1b3n/runs/stream').length === 1, 'followed by the stream, not by polling');
      const { runId } = emulator.startRunElsewhere('b3os', { workflowId: 'wf_9k2m4x7q1b3n' });
      for (;;) {
        const next = await pages.next();
        assert.ok(!next.done);
        if (next.value.some((run) => run.runId === runId)) break;
      }
    } finally {
      controller.abort();
      await pages.return?.(undefined).catch(() => undefined);
    }
  });

  it('Dify logs are polled only while the view is visible and the window focused', async () => {
    const imported: RunSnapshot[] = [];
    const provider = dify();
    const follower = new WorkflowRunsFollower(
      { providers: { get: async () => provider }, runs: { importSnapshots: (_c, _w, snapshots) => (imported.push(...snapshots), 0) }, log: silent },
      { pollIntervalMs: 40 },
    );
    const logs = () => requestsTo('/workflows/logs').length;
    try {
      follower.expand('dify', 'default');
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(logs(), 0, 'not visible yet: no request');

      follower.setVisible(true);
      await eventually(() => logs() >= 2, { what: 'the logs polled' });
      const { runId } = emulator.startRunElsewhere('dify');
      await eventually(() => imported.some((run) => run.runId === runId), { what: 'the run started elsewhere imported' });

      follower.setFocused(false);
      await new Promise((resolve) => setTimeout(resolve, 60));
      const whileBlurred = logs();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(logs(), whileBlurred, 'window not focused: zero requests');

      follower.setFocused(true);
      await eventually(() => logs() > whileBlurred, { what: 'polling again once focused' });
      follower.setVisible(false);
      await new Promise((resolve) => setTimeout(resolve, 60));
      const whileHidden = logs();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(logs(), whileHidden, 'view hidden: zero requests');
    } finally {
      follower.dispose();
    }
  });
});
