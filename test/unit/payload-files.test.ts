// `$file` inputs in payload files: found with where they are written, resolved against the payload
// file's folder, and refused (with line and column) when missing, unsaved or on a platform without files.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import type { Connection } from '../../src/connections/schema';
import { checkPayload, type PayloadPipelineContext } from '../../src/payload/pipeline';

const connections: Connection[] = [
  { name: 'dify', platform: 'dify', baseUrl: 'http://dify.test/v1' } as Connection,
  { name: 'b3', platform: 'b3os', baseUrl: 'http://b3.test' } as Connection,
];
const folder = path.resolve('/payloads');
const sizes = new Map([[path.join(folder, 'invoice.pdf'), 1234], [path.join(folder, 'a.png'), 10], [path.join(folder, 'sub', 'b.mp3'), 20], [path.join(folder, 'huge.mp4'), 200 * 1024 * 1024]]);

function context(resolve: { folder: string | undefined } | null = { folder }): PayloadPipelineContext {
  return {
    connections,
    singleWorkflowOf: (connection) => (connection.platform === 'dify' ? 'default' : undefined),
    platformOf: (connection) => ({ optionsSchema: z.object({}).passthrough(), fileInputs: connection.platform === 'dify' }),
    ...(resolve ? { files: { ...resolve, sizeOf: (absolute: string) => sizes.get(absolute) } } : {}),
  };
}

describe('payload $file inputs', () => {
  it('resolves single files and lists against the payload folder', () => {
    const text = '{\n  "$workflow": "dify",\n  "invoice": {"$file": "./invoice.pdf"},\n  "more": [{"$file": "a.png"}, {"$file": "sub/b.mp3"}],\n  "topic": "x"\n}';
    const check = checkPayload(text, context());
    assert.ok(check.ok, JSON.stringify(check));
    assert.deepEqual(check.files, {
      invoice: { path: path.join(folder, 'invoice.pdf'), name: 'invoice.pdf', size: 1234 },
      more: [
        { path: path.join(folder, 'a.png'), name: 'a.png', size: 10 },
        { path: path.join(folder, 'sub', 'b.mp3'), name: 'b.mp3', size: 20 },
      ],
    });
    // The inputs keep what was written: a re-run and "Open Inputs as Payload File" show it again.
    assert.deepEqual(check.parsed.inputs.invoice, { $file: './invoice.pdf' });
  });

  it('a missing file is an error at its $file value (line and column)', () => {
    const text = '{\n  "$workflow": "dify",\n  "invoice": {"$file": "./nope.pdf"}\n}';
    const check = checkPayload(text, context());
    assert.ok(!check.ok);
    assert.equal(check.error.line, 3);
    assert.equal(check.error.column, text.split('\n')[2]!.indexOf('"./nope.pdf"') + 1);
    assert.match(check.error.message, /no file at \.\/nope\.pdf/);
  });

  it('a missing file inside a list points at that entry', () => {
    const text = '{\n  "$workflow": "dify",\n  "more": [\n    {"$file": "a.png"},\n    {"$file": "gone.png"}\n  ]\n}';
    const check = checkPayload(text, context());
    assert.ok(!check.ok);
    assert.equal(check.error.line, 5);
    assert.match(check.error.message, /gone\.png/);
  });

  it('an untitled editor is told to save first', () => {
    const check = checkPayload('{"$workflow": "dify", "invoice": {"$file": "./invoice.pdf"}}', context({ folder: undefined }));
    assert.ok(!check.ok);
    assert.match(check.error.message, /save the payload file first/);
  });

  it('refuses files over the upload bound before reading them', () => {
    const check = checkPayload('{"$workflow": "dify", "video": {"$file": "huge.mp4"}}', context());
    assert.ok(!check.ok);
    assert.match(check.error.message, /200 MB/);
  });

  it('a platform without file inputs refuses $file, even in the Problems panel (no disk access)', () => {
    const check = checkPayload('{"$workflow": "b3/wf_1", "doc": {"$file": "./invoice.pdf"}}', context(null));
    assert.ok(!check.ok);
    assert.match(check.error.message, /takes no file inputs/);
  });

  it('the Problems panel (no files context) does not look at the disk', () => {
    const check = checkPayload('{"$workflow": "dify", "invoice": {"$file": "./nope.pdf"}}', context(null));
    assert.ok(check.ok);
    assert.equal(check.files, undefined);
  });

  it('a $file object with other keys, or a list mixing files and values, is an error', () => {
    const extra = checkPayload('{"$workflow": "dify", "invoice": {"$file": "./invoice.pdf", "x": 1}}', context());
    assert.ok(!extra.ok);
    assert.match(extra.error.message, /nothing else/);
    const mixed = checkPayload('{"$workflow": "dify", "more": [{"$file": "a.png"}, "b"]}', context());
    assert.ok(!mixed.ok);
    assert.match(mixed.error.message, /only \{"\$file"/);
  });
});

describe('templates for file inputs', () => {
  it('show the $file form for Dify file and file-list inputs', async () => {
    const { buildPayloadTemplate } = await import('../../src/payload/template');
    const { inputFormToFields } = await import('../../src/providers/dify/mapping');
    const fields = inputFormToFields([{ file: { variable: 'invoice', label: 'Invoice', required: true } }, { 'file-list': { variable: 'scans', label: 'Scans', required: false } }]);
    const text = buildPayloadTemplate({ workflowRef: 'dify', fields, platform: 'dify' });
    const { parsePayload } = await import('../../src/payload/parse');
    const parsed = parsePayload(text);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.inputs, { invoice: { $file: './file.pdf' }, scans: [{ $file: './file.pdf' }] });
    assert.match(text, /uploaded with the run/);
  });
});
