// History as files under one directory (the extension's global storage):
//   base.json      the compacted history, rewritten only by compaction
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
  private temporaryCount = 0;

  constructor(private readonly directory: string) {
    this.runsDir = path.join(directory, 'runs');
  }

  readBase(): string | undefined {
    return this.read(path.join(this.directory, 'base.json'));
  }
  writeBase(text: string): void {
    this.write(path.join(this.directory, 'base.json'), text);
  }
  listEntries(): string[] {
    try {
      return fs.readdirSync(this.runsDir).filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length));
    } catch {
      return [];
    }
  }
  readEntry(name: string): string | undefined {
    return this.read(path.join(this.runsDir, `${safeName(name)}.json`));
  }
  writeEntry(name: string, text: string): void {
    this.write(path.join(this.runsDir, `${safeName(name)}.json`), text);
  }
  deleteEntry(name: string): void {
    try {
      fs.unlinkSync(path.join(this.runsDir, `${safeName(name)}.json`));
    } catch {
      // Already gone (another window compacted): nothing to do.
    }
  }
  readShared(name: SharedName): string | undefined {
    return this.read(path.join(this.directory, `${name}.json`));
  }
  writeShared(name: SharedName, text: string): void {
    this.write(path.join(this.directory, `${name}.json`), text);
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
