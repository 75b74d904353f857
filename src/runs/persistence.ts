// Where run history lives, behind the smallest interface the store needs. The store writes one
// small entry per changed run, so a change costs in proportion to that run; a compacted "base"
// holds everything else and is rewritten only now and then (see historyFiles.ts for the argument).
// No vscode here: the extension passes a directory path (from globalStorageUri) to the fs
// implementation; unit tests use the in-memory one.

export interface HistoryPersistence {
  /** The compacted history, or undefined when there is none yet. */
  readBase(): string | undefined;
  writeBase(text: string): void;
  /** Names of the per-run entries written since the last compaction (any window's). */
  listEntries(): string[];
  readEntry(name: string): string | undefined;
  writeEntry(name: string, text: string): void;
  deleteEntry(name: string): void;
  /**
   * The large fields of the runs in the base (inputs, outputs, timeline …), one file per
   * compaction ("generation"), read one run at a time by position (ASCII text: chars = bytes).
   * Without a range, the whole file.
   */
  readDetails(generation: string, start?: number, length?: number): string | undefined;
  writeDetails(generation: string, text: string): void;
  listDetails(): string[];
  deleteDetails(generation: string): void;
  /** Small state every window shares, one file each: removals (tombstones) and leases. */
  readShared(name: SharedName): string | undefined;
  writeShared(name: SharedName, text: string): void;
}

/** Leases change every few seconds while runs are followed: kept apart from the larger removals. */
export type SharedName = 'removals' | 'leases';

/** Counts what goes through a persistence: the figure issue 9 asks about is bytes written. */
export interface WriteCounts {
  writes: number;
  bytes: number;
}

/** History in memory: for unit tests, and shareable between two stores to act as two windows. */
export class MemoryHistoryPersistence implements HistoryPersistence {
  private base: string | undefined;
  private readonly shared = new Map<SharedName, string>();
  readonly entries = new Map<string, string>();
  readonly details = new Map<string, string>();
  readonly counts: WriteCounts = { writes: 0, bytes: 0 };

  readBase(): string | undefined {
    return this.base;
  }
  writeBase(text: string): void {
    this.count(text);
    this.base = text;
  }
  listEntries(): string[] {
    return [...this.entries.keys()];
  }
  readEntry(name: string): string | undefined {
    return this.entries.get(name);
  }
  writeEntry(name: string, text: string): void {
    this.count(text);
    this.entries.set(name, text);
  }
  deleteEntry(name: string): void {
    this.entries.delete(name);
  }
  readDetails(generation: string, start?: number, length?: number): string | undefined {
    const text = this.details.get(generation);
    if (text === undefined || start === undefined) return text;
    return start + (length ?? 0) <= text.length ? text.slice(start, start + (length ?? text.length)) : undefined;
  }
  writeDetails(generation: string, text: string): void {
    this.count(text);
    this.details.set(generation, text);
  }
  listDetails(): string[] {
    return [...this.details.keys()];
  }
  deleteDetails(generation: string): void {
    this.details.delete(generation);
  }
  readShared(name: SharedName): string | undefined {
    return this.shared.get(name);
  }
  writeShared(name: SharedName, text: string): void {
    this.count(text);
    this.shared.set(name, text);
  }

  private count(text: string): void {
    this.counts.writes += 1;
    this.counts.bytes += Buffer.byteLength(text);
  }
}

/** Wraps any persistence and counts its writes (tests and the bench measure through this). */
export function countingPersistence(inner: HistoryPersistence): HistoryPersistence & { counts: WriteCounts } {
  const counts: WriteCounts = { writes: 0, bytes: 0 };
  const count = (text: string) => {
    counts.writes += 1;
    counts.bytes += Buffer.byteLength(text);
  };
  return {
    counts,
    readBase: () => inner.readBase(),
    writeBase: (text) => (count(text), inner.writeBase(text)),
    listEntries: () => inner.listEntries(),
    readEntry: (name) => inner.readEntry(name),
    writeEntry: (name, text) => (count(text), inner.writeEntry(name, text)),
    deleteEntry: (name) => inner.deleteEntry(name),
    readDetails: (generation, start, length) => inner.readDetails(generation, start, length),
    writeDetails: (generation, text) => (count(text), inner.writeDetails(generation, text)),
    listDetails: () => inner.listDetails(),
    deleteDetails: (generation) => inner.deleteDetails(generation),
    readShared: (name) => inner.readShared(name),
    writeShared: (name, text) => (count(text), inner.writeShared(name, text)),
  };
}
