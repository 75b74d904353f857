// `$file` inputs of a payload file: `"invoice": {"$file": "./invoice.pdf"}` (or a list of them for a
// `file-list` input) names a file on disk, relative to the payload file's folder. This is the one
// place that rule lives: the run command, the Testing view and the CLI all reach it through the
// payload pipeline. Errors point at the `$file` value, line and column, like every payload error.
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { maxUploadBytes, type FileInputs, type LocalFile } from '../providers/localFiles';
import { payloadErrorAt, type OffsetRange, type ParsedPayload, type PayloadError } from './parse';
import * as l10n from '@vscode/l10n';

/** One `{"$file": …}` of the document, with where its path is written. */
export interface FileReference {
  input: string;
  /** The path as written. */
  written: string;
  /** Position in a list input; undefined for a single file. */
  index?: number;
  range: OffsetRange;
}

/** `{"$file": "<path>"}` and nothing else. */
export function isFileReference(value: unknown): value is { $file: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$file' && typeof (value as { $file: unknown }).$file === 'string';
}

function hasFileKey(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && '$file' in value;
}

/** The `$file` references among the inputs, or the first malformed one as an error. */
export function fileReferences(text: string, parsed: ParsedPayload): FileReference[] | PayloadError {
  const found: FileReference[] = [];
  let root: Node | undefined;
  const rangeAt = (location: Array<string | number>): OffsetRange => {
    root ??= parseTree(text);
    const node = root ? findNodeAtLocation(root, location) : undefined;
    return node ? { offset: node.offset, length: node.length } : parsed.positions.keys[String(location[0])] ?? parsed.positions.root;
  };
  for (const [input, value] of Object.entries(parsed.inputs)) {
    if (hasFileKey(value)) {
      if (!isFileReference(value)) return payloadErrorAt(text, l10n.t('"{0}": a file input is written {1} and nothing else', input, '{"$file": "<path relative to this file>"}'), rangeAt([input]));
      found.push({ input, written: value.$file, range: rangeAt([input, '$file']) });
    } else if (Array.isArray(value) && value.some(hasFileKey)) {
      for (const [index, item] of value.entries()) {
        if (!isFileReference(item)) return payloadErrorAt(text, l10n.t('"{0}": a list of files holds only {1} entries', input, '{"$file": "<path>"}'), rangeAt([input, index]));
        found.push({ input, written: item.$file, index, range: rangeAt([input, index, '$file']) });
      }
    }
  }
  return found;
}

/** What resolving needs to know of the file system and the payload. */
export interface FileResolution {
  /** The payload file's folder; undefined for an editor never saved (its `$file` paths have no base). */
  folder: string | undefined;
  /** Size of a regular file, undefined when there is none (tests pass a fake). */
  sizeOf?: (absolutePath: string) => number | undefined;
}

function fileSize(absolutePath: string): number | undefined {
  try {
    const stats = statSync(absolutePath);
    return stats.isFile() ? stats.size : undefined;
  } catch {
    return undefined;
  }
}

/** The files the references name, each checked to exist and to fit an upload. */
export function resolveFileInputs(text: string, references: readonly FileReference[], resolution: FileResolution): { ok: true; files: FileInputs } | PayloadError {
  const files: FileInputs = {};
  for (const reference of references) {
    if (reference.written.trim() === '') return payloadErrorAt(text, l10n.t('"{0}": the $file path is empty', reference.input), reference.range);
    if (resolution.folder === undefined && !path.isAbsolute(reference.written)) {
      return payloadErrorAt(text, l10n.t('"{0}": save the payload file first: $file paths are relative to its folder', reference.input), reference.range);
    }
    const absolute = path.resolve(resolution.folder ?? '', reference.written);
    const size = (resolution.sizeOf ?? fileSize)(absolute);
    if (size === undefined) return payloadErrorAt(text, l10n.t('"{0}": no file at {1} ({2})', reference.input, reference.written, absolute), reference.range);
    if (size > maxUploadBytes) {
      return payloadErrorAt(text, l10n.t('"{0}": {1} is {2} MB; files over {3} MB are not uploaded', reference.input, reference.written, Math.ceil(size / 1048576), maxUploadBytes / 1048576), reference.range);
    }
    const file: LocalFile = { path: absolute, name: path.basename(absolute), size };
    if (reference.index === undefined) files[reference.input] = file;
    else {
      const list = files[reference.input];
      if (Array.isArray(list)) list.push(file);
      else files[reference.input] = [file];
    }
  }
  return { ok: true, files };
}
