// History on disk, as this window knows it: which entries it has read or written and for which
// run, the entry it last wrote per run (replaced by the next), and what each run takes on disk, so
// the store can bound history by bytes.
//
// How history is kept (issue 9): until 0.1 it was one Memento value rewritten whole on every
// change, so one earlier run with a 20 MB payload made every write of a small streaming run cost
// 20 MB. Now it lives behind HistoryPersistence (files under the extension's global storage):
// - every flush writes one small entry per run that changed since the last flush, bounded per run
//   (inputs, outputs, live text, node data: see bound.ts), so a change costs in proportion to
//   that run and nothing else;
// - a compacted base holds the rest, read in one go when history is first needed and rewritten
//   only when the entries pile up (it is then the cheapest way to load: one read, one parse of
//   an index; each run's large fields are read when first used, see historyBase.ts);
// - removals are tombstones in a small shared file, so they win in every window.
// One file per run was chosen over an append log because each entry is written and replaced
// whole with a rename: two windows never write into the same file, so no lock and no torn
// line, and compaction only deletes entries it has read (by name).
import { createHash } from 'node:crypto';
import type { HistoryPersistence } from './persistence';
import type { RunRecord } from './record';
import { HistoryBase } from './historyBase';
import type { RunDetails } from './lazyRecord';
import { parseStoredRun, safeJson, serializeStoredRun, type HistoryLimits, type StoredRun } from './storedRun';

/** What a run is taken to cost on disk until it is first written. */
const assumedRunBytes = 1024;

export class HistoryFiles {
  private entrySeq = 0;
  /** Entry names read or written, by run key: what to delete when a run goes, what not to read twice. */
  private readonly entriesOf = new Map<string, Set<string>>();
  private readonly seenEntries = new Set<string>();
  /** The entry this window last wrote for a run: replaced (deleted) by the next one. */
  private readonly ownEntry = new Map<string, string>();
  private readonly storedBytes = new Map<string, number>();
  private totalStoredBytes = 0;
  private readonly base: HistoryBase;

  constructor(
    private readonly persistence: HistoryPersistence,
    /** Names this window's entries by: no two windows ever write the same entry. */
    private readonly windowId: string,
    private readonly limits: HistoryLimits,
    /** Entries (runs changed since the last compaction) that make this window compact. */
    private readonly compactAfterEntries: number,
    log?: (message: string) => void,
  ) {
    this.base = new HistoryBase(persistence, windowId, limits, log);
  }

  /** Bytes of stored history in all, as far as this window knows. */
  get totalBytes(): number {
    return this.totalStoredBytes;
  }

  /** The runs of the base; `outdated` when its format is older than the one written now. */
  readBase(): { runs: StoredRun[]; outdated: boolean } {
    return this.base.read();
  }

  /** Whether a run read from the base still has its large fields apart (see historyBase.ts). */
  hasDetailsApart(record: RunRecord): boolean {
    return this.base.hasDetailsApart(record);
  }

  /** How many task rows a run whose details were not read yet has. */
  tasksApart(record: RunRecord): number | undefined {
    return this.base.tasksApart(record);
  }

  /** The large fields of runs read from the base, read together; `taken`: see HistoryBase.readDetails. */
  readDetails(records: readonly RunRecord[], taken = true): Map<RunRecord, RunDetails> {
    return this.base.readDetails(records, taken);
  }

  /** The records in the order their large fields lie on disk (see HistoryBase.inDetailsOrder). */
  inDetailsOrder(records: readonly RunRecord[]): RunRecord[] {
    return this.base.inDetailsOrder(records);
  }

  listEntries(): string[] {
    return this.persistence.listEntries();
  }

  /** Entries other windows wrote since this window last looked. */
  freshEntries(): string[] {
    return this.persistence.listEntries().filter((name) => !this.seenEntries.has(name));
  }

  readEntries(names: string[]): Array<[string, StoredRun]> {
    const result: Array<[string, StoredRun]> = [];
    for (const name of names) {
      const text = this.persistence.readEntry(name);
      if (text === undefined) continue;
      // Entries are few (compaction folds them into the base): each is checked in full.
      const stored = parseStoredRun(safeJson(text), true);
      if (stored) result.push([name, stored]);
    }
    return result;
  }

  /** The newest stored copy of every run (base and entries), nothing noted as read. */
  readLatest(): StoredRun[] {
    const runs = new Map<string, StoredRun>();
    for (const stored of [...this.readBase().runs, ...this.readEntries(this.listEntries()).map(([, run]) => run)]) {
      const known = runs.get(stored.key);
      if (!known || known.record.updatedAt <= stored.record.updatedAt) runs.set(stored.key, stored);
    }
    return [...runs.values()];
  }

  /** An entry read for a run: not read again, and deleted with the run. */
  noteEntry(key: string, name: string): void {
    this.seenEntries.add(name);
    this.entryNamesOf(key).add(name);
  }

  /** Writes a run's entry, replacing the one this window wrote for it before. */
  writeRun(key: string, bornAt: number, record: RunRecord): void {
    const name = `${hashOf(key)}-${this.windowId}-${(this.entrySeq += 1).toString(36)}`;
    const text = serializeStoredRun(key, bornAt, record, this.limits);
    this.persistence.writeEntry(name, text);
    this.seenEntries.add(name);
    const names = this.entryNamesOf(key);
    names.add(name);
    // This window's previous entry for the run is replaced by this one.
    const previous = this.ownEntry.get(key);
    if (previous) {
      this.persistence.deleteEntry(previous);
      names.delete(previous);
    }
    this.ownEntry.set(key, name);
    this.setStoredBytes(key, text.length);
  }

  /** Counts a run this window holds but has not written yet at an assumed size. */
  assumeSize(key: string): void {
    if (!this.storedBytes.has(key)) this.setStoredBytes(key, assumedRunBytes);
  }

  /** Deletes the entries of a run this window knows of and stops counting its bytes. */
  forget(key: string): void {
    for (const name of this.entriesOf.get(key) ?? []) this.persistence.deleteEntry(name);
    this.entriesOf.delete(key);
    this.ownEntry.delete(key);
    this.setStoredBytes(key, 0);
    this.storedBytes.delete(key);
  }

  /** Whether that many entries (by default: those read or written here) call for a compaction. */
  needsCompaction(entries = this.seenEntries.size): boolean {
    return entries > this.compactAfterEntries;
  }

  /**
   * Rewrites the base with every live run and deletes the entries it took in. Only entries read
   * here are deleted: one another window writes meanwhile has a new name and survives.
   */
  compact(runs: Iterable<StoredRun>): void {
    for (const [key, bytes] of this.base.write(runs)) this.setStoredBytes(key, bytes);
    for (const name of this.seenEntries) this.persistence.deleteEntry(name);
    this.seenEntries.clear();
    this.entriesOf.clear();
    this.ownEntry.clear();
  }

  private entryNamesOf(key: string): Set<string> {
    let names = this.entriesOf.get(key);
    if (!names) this.entriesOf.set(key, (names = new Set()));
    return names;
  }

  private setStoredBytes(key: string, bytes: number): void {
    this.totalStoredBytes += bytes - (this.storedBytes.get(key) ?? 0);
    this.storedBytes.set(key, bytes);
  }
}

function hashOf(key: string): string {
  return createHash('sha1').update(key).digest('hex').slice(0, 16);
}
