// A multipart/form-data request body built by hand (RFC 7578), so uploads need none of undici's
// FormData support (the extension bundle leaves it out to stay small). A file part is read from
// disk as it is sent, never held whole in memory, and each attempt re-opens it.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { UploadBody } from './types';
import * as l10n from '@vscode/l10n';

export type MultipartPart =
  | { name: string; value: string }
  | { name: string; file: { path: string; fileName: string; contentType: string; size: number } };

/** Quotes a header parameter: `"` and line breaks would end the header early (RFC 7578 §4.2). */
function quoted(value: string): string {
  return `"${value.replace(/\r\n|\r|\n/g, ' ').replace(/"/g, '%22')}"`;
}

function partHead(boundary: string, part: MultipartPart): Buffer {
  const lines = [`--${boundary}`];
  if ('file' in part) {
    lines.push(`Content-Disposition: form-data; name=${quoted(part.name)}; filename=${quoted(part.file.fileName)}`);
    lines.push(`Content-Type: ${part.file.contentType}`);
  } else {
    lines.push(`Content-Disposition: form-data; name=${quoted(part.name)}`);
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
}

/** A fresh boundary: 24 random bytes cannot plausibly occur inside the file. */
export function newBoundary(): string {
  return `----WorkflowRuns${randomBytes(24).toString('hex')}`;
}

/**
 * The body of one multipart request. `length` is exact (the file sizes are given), so the request
 * carries a Content-Length; a file that changed size meanwhile fails the upload rather than
 * sending a body that disagrees with it.
 */
export function multipartBody(parts: readonly MultipartPart[], boundary = newBoundary()): UploadBody {
  const heads = parts.map((part) => partHead(boundary, part));
  const crlf = Buffer.from('\r\n');
  const closing = Buffer.from(`--${boundary}--\r\n`);
  let length = closing.length;
  parts.forEach((part, index) => {
    length += heads[index]!.length + crlf.length + ('file' in part ? part.file.size : Buffer.byteLength(part.value, 'utf8'));
  });
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length,
    async *open() {
      for (const [index, part] of parts.entries()) {
        yield heads[index]!;
        if ('file' in part) {
          let sent = 0;
          // end is inclusive: never more than the size the length was computed with.
          for await (const chunk of createReadStream(part.file.path, { start: 0, end: Math.max(0, part.file.size - 1) })) {
            sent += (chunk as Buffer).length;
            yield chunk as Buffer;
          }
          if (part.file.size === 0) sent = 0;
          if (sent !== part.file.size) throw new Error(l10n.t('{0} changed while it was being uploaded.', part.file.fileName));
        } else {
          yield Buffer.from(part.value, 'utf8');
        }
        yield crlf;
      }
      yield closing;
    },
  };
}
