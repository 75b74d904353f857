// Dify file uploads in the emulator: `POST /files/upload` (multipart, parsed from the raw bytes)
// with Dify's category size limits, and the uploads a run's file inputs may refer to (an upload is
// usable only with the `user` that made it, as in Dify).
import { randomUUID } from 'node:crypto';

/** Dify's default limits by category (MB), chosen by extension as Dify's upload service does. */
const limitsMb = { image: 10, audio: 50, video: 100, other: 15 } as const;
const categories: Record<string, keyof typeof limitsMb> = {
  jpg: 'image', jpeg: 'image', png: 'image', gif: 'image', webp: 'image', svg: 'image',
  mp3: 'audio', m4a: 'audio', wav: 'audio', amr: 'audio', mpga: 'audio',
  mp4: 'video', mov: 'video', mpeg: 'video', webm: 'video',
};

export interface UploadedFile {
  id: string;
  name: string;
  size: number;
  extension: string | null;
  mime: string;
  user: string;
}

export interface MultipartField {
  name: string;
  fileName?: string;
  contentType?: string;
  content: Buffer;
}

/** The parts of a multipart/form-data body (RFC 7578), read from the bytes so binary files keep their size. */
export function parseMultipart(raw: Buffer, boundary: string): MultipartField[] {
  const fields: MultipartField[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let at = raw.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) break;
    const part = raw.subarray(start + 2, next - 2); // after CRLF, before the CRLF that precedes the next delimiter
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const head = part.subarray(0, split).toString('utf8');
      const name = /name="([^"]*)"/i.exec(head)?.[1] ?? '';
      const fileName = /filename="([^"]*)"/i.exec(head)?.[1];
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim();
      fields.push({ name, fileName, contentType, content: part.subarray(split + 4) });
    }
    at = next;
  }
  return fields;
}

export type UploadAnswer = { status: 201; file: UploadedFile } | { status: number; code: string; message: string };

export class DifyUploads {
  private readonly files = new Map<string, UploadedFile>();
  /** How many uploads were accepted (tests count them). */
  get count(): number {
    return this.files.size;
  }

  reset(): void {
    this.files.clear();
  }

  get(id: string): UploadedFile | undefined {
    return this.files.get(id);
  }

  /** Answers one upload request as Dify does (400 / 413 / 415 / 201). */
  upload(contentType: string, raw: Buffer): UploadAnswer {
    const boundary = /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
    if (!/^multipart\/form-data/i.test(contentType) || !boundary) return { status: 400, code: 'no_file_uploaded', message: 'Please upload your file.' };
    const fields = parseMultipart(raw, boundary);
    const fileParts = fields.filter((field) => field.name === 'file' && field.fileName !== undefined);
    if (fileParts.length === 0) return { status: 400, code: 'no_file_uploaded', message: 'Please upload your file.' };
    if (fileParts.length > 1) return { status: 400, code: 'too_many_files', message: 'Only one file is allowed.' };
    const part = fileParts[0]!;
    const name = part.fileName!;
    if (name === '') return { status: 400, code: 'filename_not_exists_error', message: 'The specified filename does not exist.' };
    if (/[/\\]/.test(name)) return { status: 400, code: 'invalid_param', message: 'Filename contains invalid characters.' };
    if (!part.contentType) return { status: 415, code: 'unsupported_file_type', message: 'File type not allowed.' };
    const extension = name.includes('.') ? name.split('.').pop()!.toLowerCase() : null;
    const limit = limitsMb[categories[extension ?? ''] ?? 'other'] * 1024 * 1024;
    // Dify's message is empty for this one (a known quirk the docs mention).
    if (part.content.length > limit) return { status: 413, code: 'file_too_large', message: '' };
    const user = fields.find((field) => field.name === 'user')?.content.toString('utf8') || 'DEFAULT-USER';
    const file: UploadedFile = { id: randomUUID(), name, size: part.content.length, extension, mime: part.contentType, user };
    this.files.set(file.id, file);
    return { status: 201, file };
  }

  /**
   * Checks a run's file input values (`{type, transfer_method: "local_file", upload_file_id}` or a
   * list of them) against the uploads of `user`; returns the error message Dify would give.
   */
  checkFileInputs(inputs: Record<string, unknown>, user: string): string | undefined {
    for (const [name, value] of Object.entries(inputs)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item === null || typeof item !== 'object' || (item as Record<string, unknown>).transfer_method !== 'local_file') continue;
        const id = (item as Record<string, unknown>).upload_file_id;
        const file = typeof id === 'string' ? this.files.get(id) : undefined;
        if (!file || file.user !== user) return `${name}: upload file ${String(id)} not found for this user`;
        if (!['document', 'image', 'audio', 'video', 'custom'].includes(String((item as Record<string, unknown>).type))) return `${name}: invalid file type`;
      }
    }
    return undefined;
  }
}

/** The upload ids among a run's inputs, by input name: a run echoes them in its outputs. */
export function uploadIdsOf(inputs: Record<string, unknown>): Record<string, string[]> {
  const ids: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(inputs)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const id = item !== null && typeof item === 'object' ? (item as Record<string, unknown>).upload_file_id : undefined;
      if (typeof id === 'string') (ids[name] ??= []).push(id);
    }
  }
  return ids;
}
