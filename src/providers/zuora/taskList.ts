// A Zuora run's task list, kept up to date while the run is followed without reading it whole on
// every change: a run of 5,000 tasks is 50 pages, and its counts change on most polls.
//
// What is read, on each change of the run's counts:
//   1. pages never read, up to the run's `tasks.total` (a last page that was not full is read again,
//      since tasks added since then land on it);
//   2. pages holding tasks that can still change (queued, pending, processing), in page order, but
//      only until the tasks known account for the run's counts: as many started and finished tasks
//      as Zuora counts. Tasks run roughly in order, so this is usually the page of the task running
//      now; pages of tasks still queued behind it are not read again while nothing there moved.
// A finished task only changes when it is rerun; the run's count of finished tasks then goes down
// (it never does otherwise), and the whole list is read again once.
import type { TaskCounts, TaskState, TimelineEntry } from '../model';

export interface TaskPageRead {
  entries: TimelineEntry[];
  /** The next page's number, or undefined on the last page. */
  next: number | undefined;
}

export type ReadTaskPage = (page: number, signal?: AbortSignal) => Promise<TaskPageRead>;

interface KnownPage {
  entries: TimelineEntry[];
  next: number | undefined;
  started: number;
  finished: number;
  open: boolean;
}

const finishedStates: ReadonlySet<TaskState> = new Set(['success', 'error', 'stopped']);

export class ZuoraTaskList {
  /** Pages by number (1-based), in order. */
  private readonly pages = new Map<number, KnownPage>();
  private pageReads = 0;
  /** The run's finished tasks at the last refresh. */
  private lastRunFinished = 0;

  constructor(
    private readonly readPage: ReadTaskPage,
    private readonly pageLength: number,
    private readonly maxPages: number,
  ) {}

  /** How many page requests this list has made (for the bench and the tests). */
  get reads(): number {
    return this.pageReads;
  }

  /** Every task known, in page order. */
  get timeline(): TimelineEntry[] {
    const entries: TimelineEntry[] = [];
    for (const number of [...this.pages.keys()].sort((a, b) => a - b)) entries.push(...this.pages.get(number)!.entries);
    return entries;
  }

  /**
   * Brings the list up to the run's `counts`. A failed read throws; the pages read before it are
   * kept, so the next refresh goes on from there.
   */
  async refresh(counts: TaskCounts, signal?: AbortSignal): Promise<TimelineEntry[]> {
    const runFinished = counts.success + counts.error + counts.stopped;
    const runStarted = counts.total - counts.queued;
    // A finished task started again (Re-run Task): any page may have changed. (Comparing with the
    // tasks known instead would misfire: the list, read after the run, is often a little ahead.)
    if (runFinished < this.lastRunFinished) this.pages.clear();
    this.lastRunFinished = runFinished;
    const readNow = new Set<number>();
    await this.readNewPages(counts.total, readNow, signal);
    for (const number of [...this.pages.keys()].sort((a, b) => a - b)) {
      const tally = this.tally();
      if (tally.finished >= runFinished && tally.started >= runStarted) break;
      if (readNow.has(number) || !this.pages.get(number)!.open) continue;
      await this.read(number, readNow, signal);
    }
    return this.timeline;
  }

  private async readNewPages(total: number, readNow: Set<number>, signal?: AbortSignal): Promise<void> {
    const numbers = [...this.pages.keys()].sort((a, b) => a - b);
    const last = numbers.at(-1);
    let page: number | undefined;
    if (last === undefined) page = 1;
    else {
      const lastPage = this.pages.get(last)!;
      if (this.known() >= total) return;
      // A short last page may have grown; a full one is followed by the next.
      page = lastPage.entries.length < this.pageLength ? last : lastPage.next;
    }
    while (page !== undefined && page <= this.maxPages && !readNow.has(page)) {
      const read = await this.read(page, readNow, signal);
      if (this.known() >= total) break;
      page = read.next;
    }
  }

  private async read(number: number, readNow: Set<number>, signal?: AbortSignal): Promise<KnownPage> {
    this.pageReads += 1;
    const { entries, next } = await this.readPage(number, signal);
    readNow.add(number);
    let started = 0;
    let finished = 0;
    for (const entry of entries) {
      if (entry.state !== 'queued') started += 1;
      if (finishedStates.has(entry.state)) finished += 1;
    }
    const page: KnownPage = { entries, next, started, finished, open: finished < entries.length };
    this.pages.set(number, page);
    return page;
  }

  private known(): number {
    let known = 0;
    for (const page of this.pages.values()) known += page.entries.length;
    return known;
  }

  private tally(): { started: number; finished: number } {
    let started = 0;
    let finished = 0;
    for (const page of this.pages.values()) {
      started += page.started;
      finished += page.finished;
    }
    return { started, finished };
  }
}
