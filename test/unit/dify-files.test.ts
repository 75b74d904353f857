// Dify file inputs, the pure parts: the file type by extension, the MIME type announced, and the
// multipart body built by hand (byte for byte what a server parses).
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { multipartBody } from '../../src/client/multipart';
import { difyFileType, mimeTypeOf, uploadedFileInput } from '../../src/providers/dify/files';
import { parseMultipart } from '../emulator/dify/files';

async function bytesOf(body: ReturnType<typeof multipartBody>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body.open()) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('Dify file types', () => {
  it('chooses document, image, audio, video or custom by extension, whatever the case', () => {
    assert.equal(difyFileType('invoice.pdf'), 'document');
    assert.equal(difyFileType('notes.MD'), 'document');
    assert.equal(difyFileType('photo.JPeG'), 'image');
    assert.equal(difyFileType('call.mp3'), 'audio');
    assert.equal(difyFileType('demo.webm'), 'video');
    assert.equal(difyFileType('archive.zip'), 'custom');
    assert.equal(difyFileType('Makefile'), 'custom');
    assert.equal(difyFileType('.pdf'), 'custom', 'a dot file has no extension');
  });

  it('always announces a MIME type (Dify answers 415 without one)', () => {
    assert.equal(mimeTypeOf('a.pdf'), 'application/pdf');
    assert.equal(mimeTypeOf('a.png'), 'image/png');
    assert.equal(mimeTypeOf('a.unknown'), 'application/octet-stream');
  });

  it('refers to an upload as a local_file input', () => {
    assert.deepEqual(uploadedFileInput('scan.png', 'f-1'), { type: 'image', transfer_method: 'local_file', upload_file_id: 'f-1' });
  });
});

describe('multipart body', () => {
  it('streams the file and fields with an exact length, and parses back to the same parts', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'multipart-'));
    const file = path.join(folder, 'bin.pdf');
    const content = Buffer.from([0, 1, 2, 0xff, 0xfe, 13, 10, 45, 45, 0x80]);
    writeFileSync(file, content);
    const body = multipartBody(
      [
        { name: 'file', file: { path: file, fileName: 'bin "quoted".pdf', contentType: 'application/pdf', size: content.length } },
        { name: 'user', value: 'user-é' },
      ],
      'BOUNDARY123',
    );
    assert.equal(body.contentType, 'multipart/form-data; boundary=BOUNDARY123');
    const bytes = await bytesOf(body);
    assert.equal(bytes.length, body.length, 'Content-Length matches the bytes sent');
    const parts = parseMultipart(bytes, 'BOUNDARY123');
    assert.equal(parts.length, 2);
    assert.equal(parts[0]!.name, 'file');
    assert.equal(parts[0]!.fileName, 'bin %22quoted%22.pdf', 'a quote cannot end the header parameter');
    assert.equal(parts[0]!.contentType, 'application/pdf');
    assert.deepEqual(parts[0]!.content, content, 'binary content kept byte for byte');
    assert.equal(parts[1]!.content.toString('utf8'), 'user-é');
    // Each attempt re-reads the file: a retried upload sends the same bytes.
    assert.deepEqual(await bytesOf(body), bytes);
  });

  it('fails instead of sending a body that disagrees with its length when the file changed', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'multipart-'));
    const file = path.join(folder, 'a.txt');
    writeFileSync(file, 'short');
    const body = multipartBody([{ name: 'file', file: { path: file, fileName: 'a.txt', contentType: 'text/plain', size: 50 } }]);
    await assert.rejects(bytesOf(body), /changed while it was being uploaded/);
  });
});
