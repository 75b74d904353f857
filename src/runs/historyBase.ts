// The compacted history (the base), written by compaction and read when history is first needed.
// Issue 11: a first load of 10,000 runs was mostly JSON.parse of every run in full, though the
// views only list them. So the base is two files (format 3):
// - base.json: an index, one slim record per run (lazyRecord.ts: what trees, status bar, search
//   rows and runs in flight list), each with where its large fields are and how many task rows
//   its timeline has (a row's expand arrow): `"d":[start,length,tasks]` (no
//   key: it is the record's connection and run id; task counts without their zeros);
// - details/<generation>.json: those large fields, run after run, as ASCII JSON (characters past
//   ASCII escaped), so a position in characters is a position in bytes and one run is read alone.
// Compaction writes the details first and the index second (each renamed into place), so a reader
// never sees an index pointing into a file not yet written. Format 2 (full records in base.json)
// is still read, and the store rewrites it as format 3 at once.
import { emptyTaskCounts, type TaskCounts } from '../providers/model';
import type { HistoryPersistence } from './persistence';
import { runKey, type RunRecord } from './record';
import { joinDetails, splitDetails, type RunDetails } from './lazyRecord';
import { boundRecord, parseStoredRun, safeJson, type HistoryLimits, type StoredRun } from './storedRun';
import { maskKnownSecrets } from '../util/redact';

interface DetailsPlace {
  generation: string;
  start: number;
  length: number;
  /** Entries of the run's timeline (in the details). */
  tasks: number;
}

/** A run's details bigger than this are not read: the index is damaged (stored runs are far smaller). */
const maxDetailsChars = 16 * 1024 * 1024;
/** Details files of other windows' compactions older than this are deleted by the next compaction. */
const staleDetailsMs = 60 * 60 * 1000;
/** Problems reading details said in the log, at most: one damaged file must not flood it. */
const maxComplaints = 5;
/** Runs whose details lie within this span of one file are read with one read, else the file whole. */
const maxRangeChars = 4 * 1024 * 1024;

export class HistoryBase {
  /** Where the large fields of each run read from the base are: until the store takes them. */
  private readonly places = new WeakMap<RunRecord, DetailsPlace>();
  /** The generation this window last read or wrote: superseded by its next compaction. */
  private generation: string | undefined;
  private sequence = 0;
  private complaints = 0;
  /** The current base's places, read once another window's compaction moved the details. */
  private latest: ReturnType<HistoryBase['readIndex']>;

  constructor(
    private readonly persistence: HistoryPersistence,
    private readonly windowId: string,
    private readonly limits: HistoryLimits,
    private readonly log?: (message: string) => void,
  ) {}

  /** Every run in the base; `outdated` when it is in an older format the store should rewrite. */
  read(): { runs: StoredRun[]; outdated: boolean } {
    const base = safeJson(this.persistence.readBase()) as { v?: unknown; runs?: unknown; details?: unknown } | undefined;
    const items = Array.isArray(base?.runs) ? base.runs : [];
    const generation = base?.v === 3 && typeof base.details === 'string' ? base.details : undefined;
    if (generation) this.generation = generation;
    const runs: StoredRun[] = [];
    for (const item of items as IndexEntry[]) {
      // The base is this extension's own file, written from checked records: a structural check of
      // what the store relies on keeps a first load fast; entries get the full check.
      if (generation) keyIndexEntry(item);
      const stored = parseStoredRun(item, false);
      if (!stored) continue;
      if (generation) stored.record.snapshot.tasks = { ...emptyTaskCounts(), ...stored.record.snapshot.tasks };
      const place = generation && placeOf(item.d, generation);
      if (place) this.places.set(stored.record, place);
      runs.push(stored);
    }
    return { runs, outdated: !generation && items.length > 0 };
  }

  /**
   * Writes every run as the new base; returns what each run takes on disk. Runs whose details
   * were never read here are copied from the details file as they are, not parsed and rewritten.
   */
  write(runs: Iterable<StoredRun>): Map<string, number> {
    const generation = `${Date.now().toString(36)}-${this.windowId}-${(this.sequence += 1).toString(36)}`;
    const sizes = new Map<string, number>();
    const index: string[] = [];
    const details: string[] = [];
    const sources = new Map<string, string | undefined>();
    const moved: Array<[RunRecord, DetailsPlace]> = [];
    let offset = 0;
    // A workflow's runs side by side, newest first: the runs a tree lists come with one read.
    for (const { key, bornAt, record } of [...runs].sort(byWorkflowNewestFirst)) {
      const kept = this.places.get(record);
      const copied = kept && this.sourceText(sources, kept);
      let slim = record;
      let text: string | undefined;
      let tasks = kept?.tasks ?? 0;
      if (kept && copied !== undefined) {
        text = asciiJson(maskKnownSecrets(copied));
      } else {
        // A run not read yet whose details file went (another window compacted): read them where
        // they are now, or the new base would hold the run without them.
        const full = kept ? joinDetails(record, this.readDetails([record]).get(record) ?? {}) : record;
        const split = splitDetails(boundRecord(full, this.limits));
        slim = split.slim;
        text = split.any ? asciiJson(maskKnownSecrets(JSON.stringify(split.details))) : undefined;
        tasks = split.details.timeline?.length ?? 0;
      }
      const place: DetailsPlace | undefined = text === undefined ? undefined : { generation, start: offset, length: text.length, tasks };
      if (text !== undefined) {
        details.push(text);
        offset += text.length;
      }
      // A run not read yet stays so: its details are in the new file now.
      if (kept && place) moved.push([record, place]);
      const indexed = { ...slim, snapshot: { ...slim.snapshot, tasks: nonZeroCounts(slim.snapshot.tasks) } };
      const entry = maskKnownSecrets(JSON.stringify({ bornAt, record: indexed, ...(place ? { d: [place.start, place.length, place.tasks] } : {}) }));
      index.push(entry);
      sizes.set(key, entry.length + (place?.length ?? 0));
    }
    this.persistence.writeDetails(generation, details.join(''));
    this.persistence.writeBase(`{"v":3,"details":${JSON.stringify(generation)},"runs":[${index.join(',')}]}`);
    // The runs here whose large fields were not read yet now read them from the new file.
    for (const [record, place] of moved) this.places.set(record, place);
    this.deleteSuperseded(generation);
    this.generation = generation;
    return sizes;
  }

  /** How many task rows a run whose details were not read yet has (undefined: not such a run). */
  tasksApart(record: RunRecord): number | undefined {
    return this.places.get(record)?.tasks;
  }

  /**
   * The records in the order their large fields lie in the details files (those without any
   * first): read in slices of this order, each slice is one short read instead of the whole file.
   */
  inDetailsOrder(records: readonly RunRecord[]): RunRecord[] {
    const position = (record: RunRecord): [string, number] => {
      const place = this.places.get(record);
      return place ? [place.generation, place.start] : ['', -1];
    };
    return records
      .map((record) => ({ record, at: position(record) }))
      .sort((a, b) => (a.at[0] === b.at[0] ? a.at[1] - b.at[1] : a.at[0] < b.at[0] ? -1 : 1))
      .map(({ record }) => record);
  }

  /** Whether the record (as read from the base) still has its large fields in the details file. */
  hasDetailsApart(record: RunRecord): boolean {
    return this.places.has(record);
  }

  /**
   * The large fields of runs read from the base, read together (one read per details file when
   * they lie close, as a workflow's runs do). A run whose details cannot be read gets none: the
   * log says why, the run still shows. `taken` (the default): the store now holds them, so the
   * place is forgotten; otherwise (a one-off read, as Search Runs does) it stays for the next read.
   */
  readDetails(records: readonly RunRecord[], taken = true): Map<RunRecord, RunDetails> {
    const result = new Map<RunRecord, RunDetails>();
    const byGeneration = new Map<string, Array<[RunRecord, DetailsPlace]>>();
    for (const record of records) {
      const place = this.places.get(record);
      if (!place) continue;
      if (taken) this.places.delete(record);
      const group = byGeneration.get(place.generation) ?? [];
      group.push([record, place]);
      byGeneration.set(place.generation, group);
    }
    for (const [generation, group] of byGeneration) {
      let first = Number.POSITIVE_INFINITY;
      let end = 0;
      for (const [, place] of group) {
        first = Math.min(first, place.start);
        end = Math.max(end, place.start + place.length);
      }
      const whole = end - first > maxRangeChars;
      const from = whole ? 0 : first;
      const text = this.persistence.readDetails(generation, whole ? undefined : first, whole ? undefined : end - first);
      for (const [record, place] of group) {
        const at = place.start - from;
        const own = text !== undefined && at + place.length <= text.length ? text.slice(at, at + place.length) : undefined;
        result.set(record, this.parseDetails(record, own ?? this.readMoved(record, place)));
      }
    }
    return result;
  }

  private parseDetails(record: RunRecord, text: string | undefined): RunDetails {
    const details = safeJson(text);
    if (typeof details === 'object' && details !== null && !Array.isArray(details)) return details as RunDetails;
    const why = text === undefined ? 'its details file is gone and the current history does not hold this copy' : 'its details are damaged';
    if ((this.complaints += 1) <= maxComplaints) {
      this.log?.(`The stored inputs, outputs and tasks of run ${record.snapshot.runId} could not be read (${why}): the run is shown without them.`);
    }
    return {};
  }

  /** Another window compacted since this one read the base: the same copy of the run, in the new file. */
  private readMoved(record: RunRecord, place: DetailsPlace): string | undefined {
    const key = runKey(record.connection, record.snapshot.runId);
    const readFrom = (latest: HistoryBase['latest']) => {
      const moved = latest?.places.get(key);
      if (!moved || moved.generation === place.generation || moved.updatedAt !== record.updatedAt) return undefined;
      return this.persistence.readDetails(moved.generation, moved.start, moved.length);
    };
    // The index read last time serves every run that moved with it; read again when it is stale.
    const cached = this.latest && readFrom(this.latest);
    if (cached !== undefined) return cached;
    this.latest = this.readIndex();
    return readFrom(this.latest);
  }

  /** Where the current base keeps each run's details (read only when a file moved under this window). */
  private readIndex(): { generation: string; places: Map<string, DetailsPlace & { updatedAt: number }> } | undefined {
    const base = safeJson(this.persistence.readBase()) as { v?: unknown; runs?: unknown; details?: unknown } | undefined;
    if (base?.v !== 3 || typeof base.details !== 'string' || !Array.isArray(base.runs)) return undefined;
    const places = new Map<string, DetailsPlace & { updatedAt: number }>();
    for (const item of base.runs as IndexEntry[]) {
      const place = placeOf(item?.d, base.details);
      if (!place || !keyIndexEntry(item) || typeof item.record?.updatedAt !== 'number') continue;
      places.set(item.key as string, { ...place, updatedAt: item.record.updatedAt });
    }
    return { generation: base.details, places };
  }

  /** The stored text of a run's details, reading each details file at most once per compaction. */
  private sourceText(sources: Map<string, string | undefined>, place: DetailsPlace): string | undefined {
    if (!sources.has(place.generation)) sources.set(place.generation, this.persistence.readDetails(place.generation));
    const text = sources.get(place.generation);
    if (text === undefined || place.start + place.length > text.length) return undefined;
    return text.slice(place.start, place.start + place.length);
  }

  /** This window's previous details file, and any other left behind long ago (a crash, a race). */
  private deleteSuperseded(current: string): void {
    const now = Date.now();
    for (const generation of this.persistence.listDetails()) {
      if (generation === current) continue;
      const writtenAt = Number.parseInt(generation.split('-')[0] ?? '', 36);
      if (generation === this.generation || !(now - writtenAt < staleDetailsMs)) this.persistence.deleteDetails(generation);
    }
  }
}

/** Task counts without the zeros (most of them, in most runs): the index read at every first load is smaller. */
function nonZeroCounts(counts: TaskCounts): Partial<TaskCounts> {
  const kept: Partial<TaskCounts> = {};
  for (const [state, count] of Object.entries(counts) as Array<[keyof TaskCounts, number]>) if (count !== 0) kept[state] = count;
  return kept;
}

function byWorkflowNewestFirst(a: StoredRun, b: StoredRun): number {
  const workflowA = runKey(a.record.connection, a.record.snapshot.workflowId);
  const workflowB = runKey(b.record.connection, b.record.snapshot.workflowId);
  return workflowA < workflowB ? -1 : workflowA > workflowB ? 1 : b.record.triggeredAt - a.record.triggeredAt;
}

function placeOf(value: unknown, generation: string): DetailsPlace | undefined {
  if (!Array.isArray(value) || value.length !== 3) return undefined;
  const [start, length, tasks] = value as unknown[];
  if (typeof start !== 'number' || typeof length !== 'number' || typeof tasks !== 'number') return undefined;
  if (start < 0 || length <= 0 || length > maxDetailsChars) return undefined;
  return { generation, start, length, tasks };
}

/** One run in the index as parsed: given back its key (left out on disk) when its record has what makes one. */
type IndexEntry = Partial<StoredRun> & { d?: unknown };

function keyIndexEntry(item: IndexEntry | null | undefined): boolean {
  const record = item?.record;
  if (typeof record?.connection !== 'string' || typeof record.snapshot?.runId !== 'string') return false;
  item!.key = runKey(record.connection, record.snapshot.runId);
  return true;
}

/** JSON text with every character past ASCII escaped: still the same JSON, one byte per character. */
function asciiJson(text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
