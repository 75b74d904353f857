// Dify file inputs: the file type Dify expects for an extension, the MIME type announced for the
// upload (Dify answers 415 to a part without one), and the input value that refers to an upload.
// The extension lists follow Dify's own (core/file/constants and the upload docs).

export type DifyFileType = 'document' | 'image' | 'audio' | 'video' | 'custom';

const extensionsByType: Record<Exclude<DifyFileType, 'custom'>, readonly string[]> = {
  document: ['txt', 'md', 'markdown', 'mdx', 'pdf', 'html', 'htm', 'xlsx', 'xls', 'vtt', 'properties', 'doc', 'docx', 'csv', 'eml', 'msg', 'pptx', 'ppt', 'xml', 'epub'],
  image: ['jpg', 'jpeg', 'png', 'gif', 'webp', 'svg'],
  audio: ['mp3', 'm4a', 'wav', 'amr', 'mpga'],
  video: ['mp4', 'mov', 'mpeg', 'webm'],
};

const mimeTypes: Record<string, string> = {
  txt: 'text/plain', md: 'text/markdown', markdown: 'text/markdown', mdx: 'text/markdown', pdf: 'application/pdf',
  html: 'text/html', htm: 'text/html', csv: 'text/csv', xml: 'application/xml', json: 'application/json', vtt: 'text/vtt',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', xls: 'application/vnd.ms-excel',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', doc: 'application/msword',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ppt: 'application/vnd.ms-powerpoint',
  eml: 'message/rfc822', msg: 'application/vnd.ms-outlook', epub: 'application/epub+zip',
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml',
  mp3: 'audio/mpeg', mpga: 'audio/mpeg', m4a: 'audio/mp4', wav: 'audio/wav', amr: 'audio/amr',
  mp4: 'video/mp4', mov: 'video/quicktime', mpeg: 'video/mpeg', webm: 'video/webm',
};

/** The lower-case extension of a file name, without the dot ('' when it has none). */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

/** The `type` Dify wants for a file: by extension, `custom` for any other. */
export function difyFileType(fileName: string): DifyFileType {
  const extension = extensionOf(fileName);
  for (const [type, extensions] of Object.entries(extensionsByType) as Array<[DifyFileType, readonly string[]]>) {
    if (extensions.includes(extension)) return type;
  }
  return 'custom';
}

/** The MIME type sent with the upload; every part declares one, so Dify never answers 415 for its absence. */
export function mimeTypeOf(fileName: string): string {
  return mimeTypes[extensionOf(fileName)] ?? 'application/octet-stream';
}

/** The input value of an uploaded file, as `POST /workflows/run` takes it. */
export function uploadedFileInput(fileName: string, uploadFileId: string): { type: DifyFileType; transfer_method: 'local_file'; upload_file_id: string } {
  return { type: difyFileType(fileName), transfer_method: 'local_file', upload_file_id: uploadFileId };
}
