// Search Runs… (docs/contract.md, "The debugging loop"): every run the extension knows, matched by
// run id, workflow, connection, status and the text of its inputs and outputs. VS Code's own quick
// pick filter only sees label/description/detail, which must stay short, so the command filters
// with this matcher over an index built once per search: one lowercase text per run, bounded, so
// a run with megabytes of outputs cannot make each keystroke slow. Pure: no vscode import.
import { keyOf, type RunRecord } from './record';

/** Characters of a run's inputs + outputs text kept for matching. */
export const maxIndexedDataChars = 32 * 1024;
/** Characters shown around a match in a row's detail. */
export const excerptChars = 160;

export interface RunSearchEntry {
  record: RunRecord;
  /** Id, workflow, connection, status (and platform status): lowercase, space-separated. */
  fields: string;
  /** JSON text of the inputs then the outputs, bounded, as written (for excerpts). */
  data: string;
  /** `data` in lowercase, for matching. */
  dataLower: string;
}

function jsonText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

export function runSearchEntry(record: RunRecord): RunSearchEntry {
  const { snapshot } = record;
  const fields = [
    snapshot.runId,
    record.workflowName,
    snapshot.workflowName,
    snapshot.workflowId,
    record.connection,
    record.platform,
    snapshot.status,
    snapshot.platformStatus,
  ]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(' ')
    .toLowerCase();
  const inputs = jsonText(record.request?.inputs ?? snapshot.inputs);
  const outputs = jsonText(snapshot.outputs ?? snapshot.error);
  // Each half gets its share first, so huge inputs cannot push the outputs out of the index.
  const half = maxIndexedDataChars / 2;
  const inputsKept = inputs.slice(0, Math.max(half, maxIndexedDataChars - outputs.length));
  const outputsKept = outputs.slice(0, maxIndexedDataChars - inputsKept.length);
  const data = [inputsKept, outputsKept].filter(Boolean).join(' ');
  return { record, fields, data, dataLower: data.toLowerCase() };
}

export function buildRunSearchIndex(records: readonly RunRecord[]): RunSearchEntry[] {
  return records.map(runSearchEntry);
}

/**
 * An index over runs listed without their large fields (RunStore.summaries: id, workflow,
 * connection and status are matched at once), filled in as the runs are read in full
 * (RunStore.allInSlices): each run's inputs and outputs are matched from the moment it is read.
 */
export class GrowingRunSearchIndex {
  /** In the order the runs were listed (newest first), as searchRuns takes them. */
  readonly entries: RunSearchEntry[];
  private readonly positions = new Map<string, number>();

  constructor(records: readonly RunRecord[]) {
    this.entries = buildRunSearchIndex(records);
    records.forEach((record, at) => this.positions.set(keyOf(record), at));
  }

  /** Takes these runs in full; runs that were not listed (started since) are left out. */
  fill(records: readonly RunRecord[]): void {
    for (const record of records) {
      const at = this.positions.get(keyOf(record));
      if (at !== undefined) this.entries[at] = runSearchEntry(record);
    }
  }
}

/** The query's words, lowercase: a run matches when each word is in its fields or its data. */
export function queryTerms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

export function matchesRun(entry: RunSearchEntry, terms: readonly string[]): boolean {
  return terms.every((term) => entry.fields.includes(term) || entry.dataLower.includes(term));
}

/** Matching runs in index order (newest first, as the store lists them), at most `limit`. */
export function searchRuns(index: readonly RunSearchEntry[], query: string, limit = 500): RunSearchEntry[] {
  const terms = queryTerms(query);
  const found: RunSearchEntry[] = [];
  for (const entry of index) {
    if (found.length >= limit) break;
    if (matchesRun(entry, terms)) found.push(entry);
  }
  return found;
}

/**
 * A short piece of the run's data for the row's detail: around the first query word found in it,
 * or its start when no word is in the data (the match was on id, workflow …).
 */
export function dataExcerpt(entry: RunSearchEntry, terms: readonly string[], width = excerptChars): string {
  if (entry.data === '') return '';
  let at = -1;
  let length = 0;
  for (const term of terms) {
    const index = entry.dataLower.indexOf(term);
    if (index >= 0 && (at < 0 || index < at)) {
      at = index;
      length = term.length;
    }
  }
  if (at < 0) return clip(entry.data, 0, width);
  const start = Math.max(0, Math.min(at - Math.floor((width - length) / 2), entry.data.length - width));
  return clip(entry.data, start, width);
}

function clip(text: string, start: number, width: number): string {
  const piece = text.slice(start, start + width).replace(/\s+/g, ' ');
  return `${start > 0 ? '…' : ''}${piece}${start + width < text.length ? '…' : ''}`;
}
