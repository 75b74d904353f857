// Folds a Dify run's stream events into snapshots. Pure (no I/O): the adapter feeds it the events
// of the run stream, then of re-attached streams, a batch at a time, and yields what it returns.
import type { SseEvent } from '../../client/types';
import { countTasks, isTerminal, type RunSnapshot, type TimelineEntry } from '../model';
import { countsWithoutNodes, difyRunStatus, runMetrics, secondsToMs, stepCount } from './mapping';
import { DifyNodeTimeline } from './nodeTimeline';
import { LiveText } from '../liveText';
import {
  DifyErrorEventSchema,
  DifyFinishedDataSchema,
  DifyPausedDataSchema,
  DifyTextChunkDataSchema,
  DifyWorkflowStartedDataSchema,
  readNodeData,
  readStreamEnvelope,
  type DifyStreamEnvelope,
} from './schemas';
import * as l10n from '@vscode/l10n';

/** How the stream stood after the last event. */
export type DifyStreamPhase =
  /** Nothing known yet (before workflow_started). */
  | 'starting'
  | 'running'
  /** workflow_paused: the stream closes; the run waits for human input. */
  | 'paused'
  /** workflow_finished or an `error` event: nothing more will come. */
  | 'ended';

export interface DifyTrackerTarget {
  workflowId: string;
  workflowName?: string;
  /** Data to keep in the snapshot's handle (the end user the run belongs to). */
  handle?: Record<string, string>;
}

/** A parsed stream event, or undefined for keep-alives and data that is not a JSON object. */
export function parseDifyEvent(event: SseEvent): DifyStreamEnvelope | undefined {
  // Blank data needs no look of its own: JSON.parse refuses it below.
  if (event.event === 'ping' || event.data === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(event.data);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  // Dify names the type inside the JSON; the SSE `event:` field is a fallback (ping uses it).
  const withType = 'event' in json ? json : { ...json, event: event.event };
  return readStreamEnvelope(withType);
}

export class DifyRunTracker {
  /** The latest state; while applyAll runs, the node and text events it applied may be pending. */
  private snapshot: RunSnapshot;
  /**
   * Set while node events have changed the timeline since `snapshot` was built: the run's metrics
   * as they now stand (kept event by event, so they come out as one event at a time would leave them).
   */
  private pendingNodeMetrics: (RunSnapshot['metrics'] & object) | undefined;
  /** Whether text_chunk events have come since `snapshot` was built. */
  private pendingText = false;
  /** Node executions; their summed price is used when workflow_finished carries none. */
  private readonly nodes: DifyNodeTimeline;
  /** text_chunk events joined, kept to a bounded start (see LiveText). */
  private readonly live = new LiveText();
  private totalSteps: number | undefined;
  private phaseValue: DifyStreamPhase = 'starting';
  private taskIdValue: string | undefined;
  /** The message of an `error` event that came before the run had an id. */
  private startErrorValue: { message: string; code?: string; status?: number } | undefined;
  /** What `handle()` last returned, and for which task id. */
  private lastHandle: { value: Record<string, string> | undefined; taskId: string | undefined } = { value: undefined, taskId: undefined };

  constructor(private readonly target: DifyTrackerTarget, initial?: RunSnapshot) {
    this.nodes = new DifyNodeTimeline(initial?.timeline);
    if (initial?.liveText) this.live.append(initial.liveText);
    this.snapshot = initial ?? {
      runId: '',
      workflowId: target.workflowId,
      status: 'queued',
      tasks: countTasks([]),
    };
    if (target.workflowName) this.snapshot.workflowName = target.workflowName;
    if (initial) {
      this.phaseValue = isTerminal(initial.status) ? 'ended' : 'running';
      this.taskIdValue = initial.handle?.taskId;
    }
  }

  get phase(): DifyStreamPhase {
    return this.phaseValue;
  }
  get runId(): string | undefined {
    return this.snapshot.runId || undefined;
  }
  get taskId(): string | undefined {
    return this.taskIdValue;
  }
  /** Set when the stream failed before the run started (nothing to watch). */
  get startError(): { message: string; code?: string; status?: number } | undefined {
    return this.startErrorValue;
  }
  /** Whether events can still change the run: false once it is paused or ended (its stream has said all). */
  get awaitsEvents(): boolean {
    return this.phaseValue === 'starting' || this.phaseValue === 'running';
  }
  get current(): RunSnapshot {
    return this.snapshot;
  }

  /**
   * Applies one SSE event; returns the new snapshot when something users see changed, undefined
   * for pings, unknown event types and events of another run. A snapshot's `timeline` is the
   * tracker's live list (see DifyNodeTimeline.entries): read it before applying the next event.
   */
  apply(event: SseEvent): RunSnapshot | undefined {
    return this.applyAll([event]);
  }

  /**
   * Applies a batch of SSE events in order and returns one snapshot, of the state after them,
   * when something users see changed (undefined otherwise). Node and text events only change the
   * tracker; the snapshot is built once, at the end of the batch: a batch may hold hundreds of
   * node events, and a snapshot object for each was garbage by the next. The snapshot is the one
   * applying the events one by one would have ended with. Stops after an event that leaves the
   * run paused or ended: what follows it in the batch is not applied, as a stream is not read
   * past it. The timeline is live, as with `apply`.
   */
  applyAll(events: readonly SseEvent[]): RunSnapshot | undefined {
    let changed = false;
    for (const event of events) {
      if (this.take(event)) changed = true;
      if (!this.awaitsEvents) break;
    }
    // Nothing stays pending once the batch is applied: `current` is always the latest state.
    this.buildPending();
    return changed ? this.snapshot : undefined;
  }

  /** Applies one event; true when something users see changed (node and text changes stay pending). */
  private take(event: SseEvent): boolean {
    const envelope = parseDifyEvent(event);
    if (!envelope) return false;
    if (envelope.workflow_run_id && this.snapshot.runId && envelope.workflow_run_id !== this.snapshot.runId) return false;
    if (envelope.task_id && !this.taskIdValue) {
      // Changes pending from before this event go into a snapshot without the task id, as they
      // would have one event at a time (once per run: the first event names the task).
      this.buildPending();
      this.taskIdValue = envelope.task_id;
    }
    switch (envelope.event) {
      case 'workflow_started':
        return this.onStarted(envelope);
      case 'node_started':
      case 'node_finished':
      case 'node_retry':
        return this.onNode(envelope);
      case 'iteration_started':
      case 'iteration_next':
      case 'iteration_completed':
      case 'loop_started':
      case 'loop_next':
      case 'loop_completed':
        return this.onRound(envelope);
      case 'text_chunk':
        return this.onText(envelope);
      case 'workflow_paused':
        return this.onPaused(envelope);
      case 'workflow_finished':
        return this.onFinished(envelope);
      case 'error':
        return this.onError(envelope);
      default:
        // ping, reasoning_chunk, tts_*, human_input_*, agent_log and any
        // event type a newer Dify adds: nothing the run model shows.
        return false;
    }
  }

  /** Merges a snapshot fetched from the API (run detail) with what only the stream knew. */
  reconcile(fetched: RunSnapshot): RunSnapshot {
    const merged: RunSnapshot = { ...this.snapshot, ...definedFields(fetched) };
    if (this.nodes.size > 0) {
      Object.assign(merged, this.timeline(merged.status));
      merged.tasks = this.nodes.counts(fetched.tasks.total);
    }
    merged.metrics = { ...this.snapshot.metrics, ...fetched.metrics };
    merged.handle = this.handle();
    this.snapshot = merged;
    if (isTerminal(merged.status)) this.phaseValue = 'ended';
    return merged;
  }

  private onStarted(envelope: DifyStreamEnvelope): boolean {
    const data = DifyWorkflowStartedDataSchema.safeParse(envelope.data ?? {});
    const runId = envelope.workflow_run_id ?? (data.success ? data.data.id : undefined) ?? this.snapshot.runId;
    const createdAt = data.success ? secondsToMs(data.data.created_at) : undefined;
    this.phaseValue = 'running';
    this.update({
      runId: runId ?? '',
      status: 'running',
      platformStatus: 'running',
      createdAt: this.snapshot.createdAt ?? createdAt,
      startedAt: this.snapshot.startedAt ?? createdAt,
      ...(data.success && data.data.inputs !== undefined ? { inputs: data.data.inputs } : {}),
    });
    return true;
  }

  private onNode(envelope: DifyStreamEnvelope): boolean {
    const data = readNodeData(envelope.data ?? {});
    if (!data) return false;
    const changed = envelope.event === 'node_retry' ? this.nodes.retry(data) : this.nodes.node(data, envelope.event === 'node_finished');
    if (changed) this.nodesChanged();
    return changed;
  }

  private onRound(envelope: DifyStreamEnvelope): boolean {
    const data = readNodeData(envelope.data ?? {});
    if (!data) return false;
    const [kind, phase] = envelope.event.split('_') as ['iteration' | 'loop', 'started' | 'next' | 'completed'];
    const changed = this.nodes.round(kind, phase, data);
    if (changed) this.nodesChanged();
    return changed;
  }

  /** Notes a change of the timeline; the snapshot that shows it is built at the end of the batch. */
  private nodesChanged(): void {
    // A node running means the run is, whether or not workflow_started came.
    if (this.snapshot.status === 'queued') this.phaseValue = 'running';
    this.pendingNodeMetrics = this.nodeMetrics();
  }

  private onText(envelope: DifyStreamEnvelope): boolean {
    const parsed = DifyTextChunkDataSchema.safeParse(envelope.data ?? {});
    const text = parsed.success ? parsed.data.text : undefined;
    if (!text) return false;
    this.live.append(text);
    this.pendingText = true;
    return true;
  }

  private onPaused(envelope: DifyStreamEnvelope): boolean {
    const parsed = DifyPausedDataSchema.safeParse(envelope.data ?? {});
    this.phaseValue = 'paused';
    const duration = parsed.success ? secondsToMs(parsed.data.elapsed_time) : undefined;
    this.update({
      status: 'waiting',
      platformStatus: parsed.success && parsed.data.status ? parsed.data.status : 'paused',
      ...(duration !== undefined ? { durationMs: duration } : {}),
    });
    return true;
  }

  private onFinished(envelope: DifyStreamEnvelope): boolean {
    const parsed = DifyFinishedDataSchema.safeParse(envelope.data ?? {});
    if (!parsed.success) return false;
    const data = parsed.data;
    const status = difyRunStatus(data.status);
    this.totalSteps = stepCount(data.total_steps) ?? this.totalSteps;
    const timeline = this.timeline(status);
    const metrics = { ...this.nodeMetrics(), ...runMetrics(data) };
    const createdAt = secondsToMs(data.created_at);
    const patch: Partial<RunSnapshot> = {
      runId: this.snapshot.runId || data.id || envelope.workflow_run_id || '',
      status,
      platformStatus: data.status,
      createdAt: this.snapshot.createdAt ?? createdAt,
      startedAt: this.snapshot.startedAt ?? createdAt,
      finishedAt: secondsToMs(data.finished_at),
      durationMs: secondsToMs(data.elapsed_time),
      tasks: this.nodes.size > 0 ? this.nodes.counts(this.totalSteps) : countsWithoutNodes(status, this.totalSteps),
      metrics,
    };
    if (timeline.timeline.length > 0) Object.assign(patch, timeline);
    if (data.outputs !== undefined && data.outputs !== null) patch.outputs = data.outputs;
    if (data.error) patch.error = data.error;
    // Only a terminal status ends the stream: a `running` workflow_finished is not believed.
    if (isTerminal(status)) this.phaseValue = 'ended';
    this.update(patch);
    return true;
  }

  private onError(envelope: DifyStreamEnvelope): boolean {
    // Fields at the top level as documented; some servers nest them under `data` (inferred).
    const top = DifyErrorEventSchema.safeParse(envelope);
    const nested = DifyErrorEventSchema.safeParse(envelope.data ?? {});
    const info = { ...(nested.success ? definedFields(nested.data) : {}), ...(top.success ? definedFields(top.data) : {}) };
    const message = info.message || (info.code ? l10n.t('Dify reported an error ({0})', info.code) : l10n.t('Dify reported an error in the run stream'));
    this.phaseValue = 'ended';
    if (!this.snapshot.runId) {
      this.startErrorValue = { message, code: info.code ?? undefined, status: info.status ?? undefined };
    }
    const timeline = this.timeline('failed');
    this.update({
      status: 'failed',
      platformStatus: info.code ? `error: ${info.code}` : 'error',
      error: message,
      ...(timeline.timeline.length > 0
        ? {
            ...timeline,
            tasks: this.nodes.counts(this.totalSteps),
          }
        : {}),
    });
    return true;
  }

  /** The run's metrics with the nodes' summed cost; the same object while that cost stays the same. */
  private nodeMetrics(): RunSnapshot['metrics'] & object {
    const current = this.pendingNodeMetrics ?? this.snapshot.metrics;
    const cost = this.nodes.cost;
    if (current && (!cost || current.cost === cost)) return current;
    const metrics = { ...current };
    if (cost) metrics.cost = cost;
    return metrics;
  }

  /**
   * The timeline in start order, with the number of executions it holds no entry for (they are in
   * the task counts: see DifyNodeTimeline), undefined when none. Once the run has ended, a node
   * still marked running will never finish (the run was stopped or failed around it): it shows as
   * stopped, not as processing.
   */
  private timeline(runStatus: RunSnapshot['status']): { timeline: TimelineEntry[]; timelineOmitted: number | undefined } {
    if (isTerminal(runStatus)) this.nodes.settle();
    return { timeline: this.nodes.entries, timelineOmitted: this.nodes.omitted > 0 ? this.nodes.omitted : undefined };
  }

  private handle(): Record<string, string> | undefined {
    const from = this.snapshot.handle;
    // Merging the last answer again gives the same fields: keep the object (one less per event).
    if (this.lastHandle.value !== undefined && from === this.lastHandle.value && this.taskIdValue === this.lastHandle.taskId) return from;
    const merged = { ...this.target.handle, ...from };
    if (this.taskIdValue) merged.taskId = this.taskIdValue;
    const handle = Object.keys(merged).length > 0 ? merged : undefined;
    this.lastHandle = { value: handle, taskId: this.taskIdValue };
    return handle;
  }

  /** A snapshot with the node and text changes still pending, if there are any. */
  private buildPending(): void {
    if (this.pendingNodeMetrics || this.pendingText) this.update();
  }

  /** The next snapshot: the last one with the pending node and text changes, then `patch` (snapshots given out are never changed after). */
  private update(patch?: Partial<RunSnapshot>): void {
    const next: RunSnapshot = { ...this.snapshot };
    const metrics = this.pendingNodeMetrics;
    if (metrics) {
      if (next.status === 'queued') next.status = 'running';
      Object.assign(next, this.timeline(next.status));
      next.tasks = this.nodes.counts(this.totalSteps);
      next.metrics = metrics;
      this.pendingNodeMetrics = undefined;
    }
    if (this.pendingText) {
      next.liveText = this.live.text;
      this.pendingText = false;
    }
    if (patch) Object.assign(next, patch);
    const handle = this.handle();
    if (handle) next.handle = handle;
    this.snapshot = next;
  }
}

/**
 * Reads a run's event batches into `tracker` until the stream ends or the run is paused or ended
 * (nothing after that is read), yielding the snapshot each batch made: at most one per batch, the
 * latest state. How the adapter follows a run stream (and what the SSE bench figure measures).
 */
export async function* trackBatches(tracker: DifyRunTracker, batches: AsyncIterator<readonly SseEvent[]>): AsyncGenerator<RunSnapshot> {
  while (tracker.awaitsEvents) {
    const next = await batches.next();
    if (next.done) return;
    const snapshot = tracker.applyAll(next.value);
    if (snapshot) yield snapshot;
  }
}

/** The fields of an object that are neither undefined nor null (so a merge keeps known values). */
function definedFields<T extends object>(value: T): Partial<{ [K in keyof T]: NonNullable<T[K]> }> {
  const result: Partial<Record<keyof T, unknown>> = {};
  for (const [key, field] of Object.entries(value) as Array<[keyof T, unknown]>) {
    if (field !== undefined && field !== null) result[key] = field;
  }
  return result as Partial<{ [K in keyof T]: NonNullable<T[K]> }>;
}
