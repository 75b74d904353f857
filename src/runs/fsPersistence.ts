// History as files under one directory (the extension's global storage):
//   base.json      the compacted history's index: the fields views list, per run
//   details/*.json the large fields of the runs in the base (one file per compaction), read by
//                  position one run at a time when something needs them
//   runs/*.json    one entry per changed run, named so no two writers ever share a name
//   removals.json  what any window removed (tombstones), read by every window
//   leases.json    which window follows which run
// Every file is written to a temporary name and renamed into place, so a reader (another window)
// sees the old file or the new one, never half of one. Synchronous on purpose: entries are small
// (bounded per run), and a write that is done when the call returns cannot be lost at deactivation.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HistoryPersistence, SharedName } from './persistence';

export class FsHistoryPersistence implements HistoryPersistence {
  private readonly runsDir: string;
  private readonly detailsDir: string;
  private temporaryCount = 0;

  constructor(private readonly directory: string) {
    this.runsDir = path.join(directory, 'runs');
    this.detailsDir = path.join(directory, 'details');
  }

  readBase(): string | undefined {
    return this.read(path.join(this.directory, 'base.json'));
  }
  writeBase(text: string): void {
    this.write(path.join(this.directory, 'base.json'), text);
  }
  listEntries(): string[] {
    return this.list(this.runsDir);
  }
  readEntry(name: string): string | undefined {
    return this.read(path.join(this.runsDir, `${safeName(name)}.json`));
  }
  writeEntry(name: string, text: string): void {
    this.write(path.join(this.runsDir, `${safeName(name)}.json`), text);
  }
  deleteEntry(name: string): void {
    this.delete(path.join(this.runsDir, `${safeName(name)}.json`));
  }
  readDetails(generation: string, start?: number, length?: number): string | undefined {
    const file = path.join(this.detailsDir, `${safeName(generation)}.json`);
    if (start === undefined) return this.read(file);
    let fd: number | undefined;
    try {
      fd = fs.openSync(file, 'r');
      const buffer = Buffer.allocUnsafe(length ?? 0);
      const read = fs.readSync(fd, buffer, 0, buffer.length, start);
      return read === buffer.length ? buffer.toString('latin1') : undefined;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }
  writeDetails(generation: string, text: string): void {
    this.write(path.join(this.detailsDir, `${safeName(generation)}.json`), text);
  }
  listDetails(): string[] {
    return this.list(this.detailsDir);
  }
  deleteDetails(generation: string): void {
    this.delete(path.join(this.detailsDir, `${safeName(generation)}.json`));
  }
  readShared(name: SharedName): string | undefined {
    return this.read(path.join(this.directory, `${name}.json`));
  }
  writeShared(name: SharedName, text: string): void {
    this.write(path.join(this.directory, `${name}.json`), text);
  }

  private list(directory: string): string[] {
    try {
      return fs.readdirSync(directory).filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length));
    } catch {
      return [];
    }
  }

  private delete(file: string): void {
    try {
      fs.unlinkSync(file);
    } catch {
      // Already gone (another window compacted): nothing to do.
    }
  }

  private read(file: string): string | undefined {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  private write(file: string, text: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Unique per process and call: two windows writing the same file never share a temporary.
    const temporary = `${file}.${process.pid}.${(this.temporaryCount += 1)}.tmp`;
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  }
}

/** Entry names are made by the store from hashes; this only guards against a path escaping the folder. */
function safeName(name: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith('.')) throw new Error(`Not a history entry name: ${name}`);
  return name;
}
