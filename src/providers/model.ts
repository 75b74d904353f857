// The run model every platform is normalised to (docs/contract.md, "The run model").
// Views, the webview and the run store only ever see these types; nothing outside
// src/providers/<platform>/ knows a platform's own statuses.
import { z } from 'zod';

import { runStatuses } from './status';

export { isTerminal, runStatuses } from './status';
export const RunStatusSchema = z.enum(runStatuses);
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const taskStates = ['queued', 'pending', 'processing', 'success', 'error', 'stopped', 'skipped'] as const;
export const TaskStateSchema = z.enum(taskStates);
export type TaskState = z.infer<typeof TaskStateSchema>;

export const TaskCountsSchema = z.object({
  queued: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  processing: z.number().int().nonnegative(),
  success: z.number().int().nonnegative(),
  error: z.number().int().nonnegative(),
  stopped: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type TaskCounts = z.infer<typeof TaskCountsSchema>;

export function emptyTaskCounts(): TaskCounts {
  return { queued: 0, pending: 0, processing: 0, success: 0, error: 0, stopped: 0, skipped: 0, total: 0 };
}

/** Counts tasks by state; `total` is at least the sum (a platform may announce more tasks than it has reported). */
export function countTasks(states: Iterable<TaskState>, declaredTotal?: number): TaskCounts {
  const counts = emptyTaskCounts();
  let sum = 0;
  for (const state of states) {
    counts[state] += 1;
    sum += 1;
  }
  counts.total = Math.max(sum, declaredTotal ?? 0);
  return counts;
}

/**
 * A task's cost as the platform gives it (Dify node `execution_metadata`, B3OS compute units).
 * `cost` is a display string with its currency, like the run's, e.g. "0.0021 USD".
 */
export const TaskMetricsSchema = z.object({
  tokens: z.number().optional(),
  cost: z.string().optional(),
  computeUnits: z.number().optional(),
});
export type TaskMetrics = z.infer<typeof TaskMetricsSchema>;

/** Round `index` (0-based, as the platform counts) of the iteration or loop node `parentId`. */
export const RoundSchema = z.object({
  parentId: z.string(),
  index: z.number().int().nonnegative(),
});
export type Round = z.infer<typeof RoundSchema>;

/** The fields of an entry that may be shortened to fit the store (src/providers/bound.ts). */
export const boundedTaskFields = ['inputs', 'outputs', 'processData', 'error'] as const;
export const BoundedTaskFieldSchema = z.enum(boundedTaskFields);
export type BoundedTaskField = z.infer<typeof BoundedTaskFieldSchema>;

/** One task (Zuora) or node (Dify, B3OS) of a run, for the timeline. Times are epoch milliseconds. */
export const TimelineEntrySchema = z.object({
  /** Unique in the run: the task id (Zuora), node id (B3OS) or one execution's id (Dify). */
  id: z.string(),
  /**
   * The workflow's node this entry is an execution of, when that is not `id` (Dify: `node_id`,
   * the same for every execution of a node in an iteration, a loop or a retry).
   */
  nodeId: z.string().optional(),
  name: z.string(),
  type: z.string().optional(),
  state: TaskStateSchema,
  /** The platform's own word for the state, shown in tooltips. */
  platformState: z.string().optional(),
  startedAt: z.number().optional(),
  finishedAt: z.number().optional(),
  durationMs: z.number().optional(),
  error: z.string().optional(),
  // What the task saw and produced, where the platform gives it (Dify `node_finished`, B3OS
  // `executionState` input/result, Zuora the task's fields). A value too big to keep is replaced
  // by a TruncatedValue marker (src/providers/bound.ts), never dropped silently.
  inputs: z.unknown().optional(),
  outputs: z.unknown().optional(),
  /** Dify's `process_data` (e.g. the prompts an LLM node sent). */
  processData: z.unknown().optional(),
  metrics: TaskMetricsSchema.optional(),
  /** Set when the entry ran inside a Dify iteration (or a B3OS for-each) round. */
  iteration: RoundSchema.optional(),
  /** Set when the entry ran inside a Dify loop round. */
  loop: RoundSchema.optional(),
  /** Set when the entry is a retry of a node (Dify `node_retry`): the platform's retry index. */
  retry: z.object({ index: z.number().int().nonnegative() }).optional(),
  /** The fields that were shortened to fit the store; each holds a visible marker instead. */
  truncated: z.array(BoundedTaskFieldSchema).optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

export const RunMetricsSchema = z.object({
  /** Zuora's cpuTime as given, e.g. "00:01:04". */
  cpuTime: z.string().optional(),
  tokens: z.number().optional(),
  /** Cost as a display string with currency, e.g. "0.0021 USD". */
  cost: z.string().optional(),
  steps: z.number().optional(),
  /** B3OS compute units. */
  computeUnits: z.number().optional(),
});
export type RunMetrics = z.infer<typeof RunMetricsSchema>;

/**
 * Everything known about a run at one moment. Providers produce these; the store merges them
 * into the run's record. Times are epoch milliseconds.
 */
export const RunSnapshotSchema = z.object({
  /** The platform's run id: Zuora run id, Dify workflow_run_id, B3OS run_… id. */
  runId: z.string(),
  workflowId: z.string(),
  workflowName: z.string().optional(),
  status: RunStatusSchema,
  /** The platform's own status word, e.g. "Processing", "partial-succeeded". */
  platformStatus: z.string().optional(),
  createdAt: z.number().optional(),
  startedAt: z.number().optional(),
  finishedAt: z.number().optional(),
  durationMs: z.number().optional(),
  tasks: TaskCountsSchema,
  timeline: z.array(TimelineEntrySchema).optional(),
  /** How many timeline entries were left out to bound the run's size ("N more not kept"). */
  timelineOmitted: z.number().int().nonnegative().optional(),
  inputs: z.unknown().optional(),
  outputs: z.unknown().optional(),
  error: z.string().optional(),
  /** Dify text_chunk output accumulated so far. */
  liveText: z.string().optional(),
  metrics: RunMetricsSchema.optional(),
  /**
   * Run options the platform reports for the run (e.g. B3OS `simulate`), in the payload's
   * `$options` form: a re-run of a run the extension did not start repeats them.
   */
  options: z.record(z.unknown()).optional(),
  /**
   * Set when the platform will never report this run's progress (a Zuora request accepted
   * asynchronously, a run started with callout credentials): why, in plain words. Such a run is
   * recorded but not watched, and does not count as in flight.
   */
  untracked: z.string().optional(),
  /**
   * Set on the stand-in recorded while a trigger's answer is awaited (see TriggerRequest.onSent):
   * what to tell the user if that answer is lost (the window closed while waiting).
   */
  awaitingAnswer: z.string().optional(),
  /**
   * The run came from the platform's run list (someone else, or a schedule, started it): it is
   * followed and shown, but its end is not announced. Kept across later snapshots and reloads.
   */
  fromRunList: z.boolean().optional(),
  /**
   * Platform data needed later to act on the run (Dify task_id and user, a simulate flag …).
   * Opaque outside the provider; persisted with the run so a reload can stop or re-attach.
   */
  handle: z.record(z.string()).optional(),
});
export type RunSnapshot = z.infer<typeof RunSnapshotSchema>;

/** What a provider needs to find a run again: enough to survive a window reload. */
export const RunRefSchema = z.object({
  runId: z.string(),
  workflowId: z.string(),
  handle: z.record(z.string()).optional(),
});
export type RunRef = z.infer<typeof RunRefSchema>;

export const WorkflowSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  /** The platform's status word: "Active", "draft", … */
  status: z.string().optional(),
  version: z.string().optional(),
  updatedAt: z.number().optional(),
  /** False when the platform says this workflow cannot be triggered (e.g. archived). */
  runnable: z.boolean().optional(),
});
export type WorkflowSummary = z.infer<typeof WorkflowSummarySchema>;

/** One declared input of a workflow, to generate a payload template. */
export const InputFieldSchema = z.object({
  name: z.string(),
  label: z.string().optional(),
  /** string | number | boolean | object | array | file | select … (free text: shown as a comment). */
  type: z.string(),
  required: z.boolean(),
  default: z.unknown().optional(),
  options: z.array(z.string()).optional(),
  description: z.string().optional(),
  /** A file the platform uploads (`single`) or a list of them (`list`): a payload writes `{"$file": …}`. */
  fileInput: z.enum(['single', 'list']).optional(),
});
export type InputField = z.infer<typeof InputFieldSchema>;

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; undefined when this is the last. */
  next?: string;
}
