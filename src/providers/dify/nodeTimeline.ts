// The node executions of one Dify run, as timeline entries, built from the stream's node,
// iteration, loop and retry events. A run may have tens of thousands of executions (an iteration
// over a long list), so every event costs O(1): entries sit in one array in arrival order, found
// by execution id through a map, replaced in place (entries themselves are never mutated), and the
// task counts are kept as a running tally instead of being recounted. Each entry's inputs, outputs,
// process data and error are bounded as they are filled (providers/bound.ts), against a budget for
// the whole run: 10,000 nodes that each returned 20 KB must not all be held whole until the run ends.
// Nor are all executions held as entries: a stored run keeps `taskDataLimits.entries` of them
// (failed ones first, then the earliest: providers/bound.ts), so entries are made for the first
// that many and for as many failed ones after them — the ones a stored run can keep, whatever
// comes later — and every other execution is only counted (`omitted`): an iteration over a
// million items costs a bounded list, not a million entries.
import { boundTaskField, taskDataLimits } from '../bound';
import { type BoundedTaskField, type TaskCounts, type TaskMetrics, type TaskState, type TimelineEntry } from '../model';
import { difyNodeState, formatCost, secondsToMs, toNumber } from './mapping';
import type { DifyNodeData, DifyRoundEventData } from './schemas';

type RoundKind = 'iteration' | 'loop';

/** A container (iteration or loop node) seen in the stream: its entry, and the round now running. */
interface OpenRound {
  entryId: string;
  index: number;
}

export class DifyNodeTimeline {
  /** The live list, in the order executions were first seen. Shared with snapshots: see `entries`. */
  private readonly list: TimelineEntry[] = [];
  private readonly positions = new Map<string, number>();
  private readonly tally: Record<TaskState, number> = { queued: 0, pending: 0, processing: 0, success: 0, error: 0, stopped: 0, skipped: 0 };
  /** Iteration and loop containers by graph node id (what inner executions name as their parent). */
  private readonly rounds: Record<RoundKind, Map<string, OpenRound>> = { iteration: new Map(), loop: new Map() };
  /** Price summed over finished executions (containers excluded: their price is their rounds'). */
  private priceSum = 0;
  private currency: string | undefined;
  private costText: { sum: number; currency: string | undefined; text: string } | undefined;
  /** What is left of the run's budget for per-task data (taskDataLimits.runBytes). */
  private budget: number = taskDataLimits.runBytes;
  /**
   * What each kept field costs that budget, at `position * 4 + field` (fieldSlots): an event that
   * sends a field again (node_finished repeats the inputs) gives back what the old one cost.
   */
  private readonly costs: number[] = [];
  /** Entries made after the first `entries` ones: failed executions only (see the header). */
  private failedBeyond = 0;
  /**
   * The state of each execution that has no entry, for the counts: so its node_finished moves it
   * from processing to done, and a replayed one (re-attached stream) is not counted again.
   * Remembered up to `untrackedIdsLimit`; past that, only finished executions are counted.
   */
  private readonly untracked = new Map<string, TaskState>();
  /** Executions seen that have no entry. */
  private omittedCount = 0;

  constructor(initial: readonly TimelineEntry[] = []) {
    for (const entry of initial) this.put(this.positions.get(entry.id), entry.id, entry);
  }

  get size(): number {
    return this.list.length;
  }

  /** Executions seen that have no entry (counted in `counts`, not in `entries`). */
  get omitted(): number {
    return this.omittedCount;
  }

  /**
   * The entries in arrival order. This is the live array, not a copy (copying 25,000 entries on
   * each of 50,000 events is what made long runs never finish): a snapshot that holds it shows the
   * latest state. Callers that keep an older state must copy it.
   */
  get entries(): TimelineEntry[] {
    return this.list;
  }

  get(id: string): TimelineEntry | undefined {
    const at = this.positions.get(id);
    return at === undefined ? undefined : this.list[at];
  }

  /** Counts by state; `total` is at least `declaredTotal` (Dify's total_steps). */
  counts(declaredTotal?: number): TaskCounts {
    const { queued, pending, processing, success, error, stopped, skipped } = this.tally;
    return { queued, pending, processing, success, error, stopped, skipped, total: Math.max(this.list.length + this.omittedCount, declaredTotal ?? 0) };
  }

  /** The summed price of the executions, as the run's display string, when there is one. */
  get cost(): string | undefined {
    if (this.priceSum <= 0) return undefined;
    // Formatted once per change of the sum, not once per event.
    if (this.costText?.sum !== this.priceSum || this.costText.currency !== this.currency) {
      this.costText = { sum: this.priceSum, currency: this.currency, text: formatCost(this.priceSum, this.currency) };
    }
    return this.costText.text;
  }

  /** node_started / node_finished. Returns false when the data names no execution. */
  node(data: DifyNodeData, finished: boolean): boolean {
    const id = data.id ?? data.node_id;
    if (!id) return false;
    const at = this.positions.get(id);
    const previous = at === undefined ? undefined : this.list[at];
    const platformState = finished ? (data.status ?? 'succeeded') : 'running';
    const state = difyNodeState(platformState);
    const counted = this.countedWithoutEntry(at, id, state);
    if (counted) {
      if (finished && (counted.before === undefined || !isDone(counted.before))) this.addPrice(data);
      return true;
    }
    const entry = this.fill(nextEntry(previous, id, data.title ?? previous?.name ?? data.node_id ?? id, state, platformState), data, previous, finished, at);
    this.placeInRounds(entry, data);
    // A replayed node_finished (re-attached stream) must not count its price twice.
    if (finished && (previous?.state !== entry.state || previous.finishedAt === undefined)) this.addPrice(data);
    this.put(at, id, entry);
    return true;
  }

  /**
   * node_retry: an attempt of a node that failed and will be run again. It gets an entry of its
   * own (`<execution id>#retry-<index>`), since Dify may reuse the execution id for the attempt
   * that finally finishes, and that one must not overwrite the failed attempt.
   */
  retry(data: DifyNodeData): boolean {
    const base = data.id ?? data.node_id;
    if (!base) return false;
    const index = wholeIndex(data.retry_index) ?? 0;
    const id = `${base}#retry-${index}`;
    const at = this.positions.get(id);
    if (this.countedWithoutEntry(at, id, 'error')) return true;
    const previous = at === undefined ? undefined : this.list[at];
    const entry = nextEntry(previous, id, data.title ?? previous?.name ?? data.node_id ?? base, 'error', 'retry');
    entry.retry = { index };
    this.fill(entry, data, previous, true, at);
    this.placeInRounds(entry, data);
    this.put(at, id, entry);
    return true;
  }

  /** iteration_* / loop_*: the container's own entry, and which round its inner nodes belong to. */
  round(kind: RoundKind, phase: 'started' | 'next' | 'completed', data: DifyRoundEventData): boolean {
    const id = data.id ?? data.node_id;
    if (!id) return false;
    const graphNode = data.node_id ?? id;
    const open = this.rounds[kind].get(graphNode);
    // A graph has tens of containers, not thousands: a stream naming ever new ones is not
    // followed into a map without end (their inner nodes then name the graph node as parent).
    const followed = open !== undefined || this.rounds[kind].size < roundContainersLimit;
    if (phase === 'next') {
      const index = wholeIndex(data.index);
      if (followed) this.rounds[kind].set(graphNode, { entryId: open?.entryId ?? id, index: index ?? (open ? open.index + 1 : 0) });
      // A new round changes no entry the user sees.
      return false;
    }
    if (phase === 'started' && followed) this.rounds[kind].set(graphNode, { entryId: id, index: 0 });
    const finished = phase === 'completed';
    const at = this.positions.get(id);
    const previous = at === undefined ? undefined : this.list[at];
    const platformState = finished ? (data.status ?? 'succeeded') : 'running';
    const state = difyNodeState(platformState);
    if (this.countedWithoutEntry(at, id, state)) return true;
    const entry = nextEntry(previous, id, data.title ?? previous?.name ?? graphNode, state, platformState);
    entry.type = data.node_type ?? previous?.type ?? kind;
    this.fill(entry, data, previous, finished, at);
    const tokens = toNumber(data.total_tokens);
    if (tokens !== undefined && entry.metrics?.tokens === undefined) entry.metrics = { ...entry.metrics, tokens };
    // A nested iteration is itself a round of its parent.
    this.placeInRounds(entry, data);
    this.put(at, id, entry);
    return true;
  }

  /** Once the run has ended, executions still marked running will never finish: stopped. */
  settle(): boolean {
    let changed = false;
    this.list.forEach((entry, at) => {
      if (entry.state !== 'processing') return;
      this.replaceAt(at, { ...entry, state: 'stopped' });
      changed = true;
    });
    for (const [id, state] of this.untracked) {
      if (state !== 'processing') continue;
      this.untracked.set(id, 'stopped');
      this.tally.processing -= 1;
      this.tally.stopped += 1;
      changed = true;
    }
    return changed;
  }

  /**
   * For an execution seen for the first time (`at` undefined) that gets no entry: counts it and
   * returns the state it was counted in before, if known. Undefined when it has or gets an entry.
   */
  private countedWithoutEntry(at: number | undefined, id: string, state: TaskState): { before: TaskState | undefined } | undefined {
    if (at !== undefined || this.claimEntry(id, state)) return undefined;
    return { before: this.countOnly(id, state) };
  }

  /**
   * Whether an execution seen for the first time gets an entry (and if so, takes it): one of the
   * first `entries`, or a failed one while fewer than `entries` were added after those. One that
   * was only counted until it failed stops being counted as such: its entry counts it now.
   */
  private claimEntry(id: string, state: TaskState): boolean {
    if (this.list.length - this.failedBeyond < taskDataLimits.entries) return true;
    if (state !== 'error' || this.failedBeyond >= taskDataLimits.entries) return false;
    this.failedBeyond += 1;
    const before = this.untracked.get(id);
    if (before !== undefined) {
      this.untracked.delete(id);
      this.tally[before] -= 1;
      this.omittedCount -= 1;
    }
    return true;
  }

  /** Counts an execution that has no entry; returns the state it was counted in before, if known. */
  private countOnly(id: string, state: TaskState): TaskState | undefined {
    const before = this.untracked.get(id);
    if (before !== undefined) {
      this.tally[before] -= 1;
    } else {
      // Not remembered and not finished: counted once it finishes, so processing never overcounts.
      if (this.untracked.size >= untrackedIdsLimit && !isDone(state)) return undefined;
      this.omittedCount += 1;
    }
    this.tally[state] += 1;
    if (before !== undefined || this.untracked.size < untrackedIdsLimit) this.untracked.set(id, state);
    return before;
  }

  /** `at` is the entry's position, undefined for an execution seen for the first time. */
  private fill(entry: TimelineEntry, data: DifyNodeData, previous: TimelineEntry | undefined, finished: boolean, at: number | undefined): TimelineEntry {
    const type = data.node_type ?? previous?.type;
    if (type) entry.type = type;
    // The entry is one execution (Dify's `id`); the node of the graph it executed is `node_id`.
    if (data.node_id && data.node_id !== entry.id) entry.nodeId = data.node_id;
    const startedAt = previous?.startedAt ?? secondsToMs(data.created_at);
    if (startedAt !== undefined) entry.startedAt = startedAt;
    const position = at ?? this.list.length;
    if (data.inputs !== undefined && data.inputs !== null) this.keep(entry, position, 'inputs', data.inputs);
    if (data.outputs !== undefined && data.outputs !== null) this.keep(entry, position, 'outputs', data.outputs);
    if (data.process_data !== undefined && data.process_data !== null) this.keep(entry, position, 'processData', data.process_data);
    if (finished) {
      const finishedAt = secondsToMs(data.finished_at);
      if (finishedAt !== undefined) entry.finishedAt = finishedAt;
      const duration = secondsToMs(data.elapsed_time);
      if (duration !== undefined) entry.durationMs = duration;
      if (data.error) this.keep(entry, position, 'error', data.error);
      const metrics = nodeMetrics(data);
      if (metrics) entry.metrics = metrics;
    }
    return entry;
  }

  /** Sets one of the entry's large fields, bounded; `truncated` names it while it is a cut copy. */
  private keep(entry: TimelineEntry, position: number, field: BoundedTaskField, value: unknown): void {
    const slot = position * 4 + fieldSlots[field];
    this.budget += this.costs[slot] ?? 0;
    const bounded = boundTaskField(field, value, this.budget);
    this.budget -= bounded.bytes;
    this.costs[slot] = bounded.bytes;
    (entry as Record<BoundedTaskField, unknown>)[field] = bounded.value;
    // The array may be the previous entry's (carried over): replaced, never changed in place.
    const named = entry.truncated?.includes(field) ?? false;
    if (bounded.truncated && !named) entry.truncated = [...(entry.truncated ?? []), field];
    else if (!bounded.truncated && named) {
      const rest = entry.truncated!.filter((name) => name !== field);
      if (rest.length > 0) entry.truncated = rest;
      else delete entry.truncated;
    }
  }

  /** Marks an execution that ran inside an iteration or loop round with that round. */
  private placeInRounds(entry: TimelineEntry, data: DifyNodeData): void {
    const meta = data.execution_metadata;
    const iteration = this.roundOf('iteration', data.iteration_id ?? meta?.iteration_id, meta?.iteration_index, entry.id);
    if (iteration) entry.iteration = iteration;
    const loop = this.roundOf('loop', data.loop_id ?? meta?.loop_id, meta?.loop_index, entry.id);
    if (loop) entry.loop = loop;
  }

  private roundOf(kind: RoundKind, graphNode: string | null | undefined, given: number | null | undefined, self: string): TimelineEntry['iteration'] {
    if (!graphNode) return undefined;
    const open = this.rounds[kind].get(graphNode);
    // The parent is the container's entry when the stream showed it, so the page can point at it.
    const parentId = open?.entryId ?? graphNode;
    if (parentId === self) return undefined;
    const index = wholeIndex(given) ?? open?.index ?? 0;
    return { parentId, index };
  }

  private addPrice(data: DifyNodeData): void {
    const price = toNumber(data.execution_metadata?.total_price);
    if (price === undefined) return;
    this.priceSum += price;
    this.currency = data.execution_metadata?.currency ?? this.currency;
  }

  /** Stores `entry` at `at` (looked up once by the caller), or appends it when the id is new. */
  private put(at: number | undefined, id: string, entry: TimelineEntry): void {
    if (at === undefined) {
      this.positions.set(id, this.list.length);
      this.list.push(entry);
      this.tally[entry.state] += 1;
    } else this.replaceAt(at, entry);
  }

  private replaceAt(at: number, entry: TimelineEntry): void {
    const old = this.list[at];
    if (old) this.tally[old.state] -= 1;
    this.tally[entry.state] += 1;
    this.list[at] = entry;
  }
}

/**
 * Executions without an entry whose state is remembered (an id and a state each, ≈ 100 bytes):
 * past this, a replayed node_finished of a forgotten one may be counted twice.
 */
const untrackedIdsLimit = 50_000;

/** Iteration or loop containers (graph nodes) whose current round is followed, of each kind. */
const roundContainersLimit = 1_000;

const doneStates: ReadonlySet<TaskState> = new Set<TaskState>(['success', 'error', 'stopped', 'skipped']);

/** An execution in this state has finished: its node_finished came. */
function isDone(state: TaskState): boolean {
  return doneStates.has(state);
}

const fieldSlots: Record<BoundedTaskField, number> = { inputs: 0, outputs: 1, processData: 2, error: 3 };

/** Every field of an entry but the four `nextEntry` always sets; the compiler checks none is missing. */
const carriedFields = ['nodeId', 'type', 'startedAt', 'finishedAt', 'durationMs', 'error', 'inputs', 'outputs', 'processData', 'metrics', 'iteration', 'loop', 'retry', 'truncated'] as const;
type CarriedField = (typeof carriedFields)[number];
const everyFieldCarried: Exclude<keyof TimelineEntry, CarriedField | 'id' | 'name' | 'state' | 'platformState'> extends never ? true : never = true;
void everyFieldCarried;

/**
 * A new entry for an execution: `previous`'s fields with a new name and state. Written field by
 * field in one fixed order rather than spread: on tens of thousands of executions, entries built
 * by spreading and then extended each got shapes of their own, and adding a field to them cost
 * more than everything else the event did.
 */
function nextEntry(previous: TimelineEntry | undefined, id: string, name: string, state: TaskState, platformState: string): TimelineEntry {
  const entry: TimelineEntry = { id, name, state, platformState };
  if (previous) {
    for (const field of carriedFields) {
      const value = previous[field];
      if (value !== undefined) (entry as Record<CarriedField, unknown>)[field] = value;
    }
  }
  return entry;
}

function nodeMetrics(data: DifyNodeData): TaskMetrics | undefined {
  const meta = data.execution_metadata;
  if (!meta) return undefined;
  const metrics: TaskMetrics = {};
  const tokens = toNumber(meta.total_tokens);
  if (tokens !== undefined) metrics.tokens = tokens;
  const price = toNumber(meta.total_price);
  if (price !== undefined && price > 0) metrics.cost = formatCost(price, meta.currency ?? undefined);
  return Object.keys(metrics).length > 0 ? metrics : undefined;
}

function wholeIndex(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}
