// Pure translations from B3OS's words and bodies to the run model. No I/O: unit-tested directly.
import { safeParseJson } from '../../client/jsonSchemaCheck';
import { parseIsoTime } from '../../util/isoTime';
import { emptyTaskCounts, type InputField, type RunSnapshot, type RunStatus, type TaskCounts, type TaskState, type TimelineEntry, type WorkflowSummary } from '../model';
import { statusWord } from '../status';
import * as l10n from '@vscode/l10n';
import {
  B3osDefinitionNodeSchema,
  B3osExecutionNodeSchema,
  B3osWorkflowInputSchema,
  type B3osDefinition,
  type B3osExecutionNode,
  type B3osRun,
  type B3osWorkflow,
} from './schemas';

/** Run status → the shared status (contract: waiting → waiting, cancelled → stopped). */
export function b3osRunStatus(status: string): RunStatus {
  switch (statusWord(status)) {
    case 'success':
      return 'succeeded';
    case 'failure':
      return 'failed';
    case 'cancelled':
      return 'stopped';
    case 'waiting':
      return 'waiting';
    default:
      // `running`, and any state added later: still in flight as far as we can tell.
      return 'running';
  }
}

/** Node status → task state, as the contract lists them. */
export function b3osNodeState(status: string | null | undefined): TaskState {
  switch (statusWord(status)) {
    case 'scheduled':
      return 'queued';
    case 'running':
      return 'processing';
    case 'success':
      return 'success';
    case 'failure':
      return 'error';
    case 'skipped':
      return 'skipped';
    case 'cancelled':
      return 'stopped';
    default:
      // `pending`, `waiting`, and unknown states: not started yet.
      return 'pending';
  }
}

/** ISO time → epoch ms; Go's zero time ("0001-01-01T00:00:00Z") and junk → undefined. */
export function parseTime(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = parseIsoTime(value);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** A readable error from whatever a node or run carries (a string, `{message}`, `{error}`). */
export function errorText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of ['message', 'error', 'reason']) {
      const nested = errorText(record[key]);
      if (nested) return nested;
    }
  }
  return undefined;
}

/** The name a node shows: its title from the definition, else its type, else its id. */
function nodeName(id: string, type: string | undefined, definition: B3osDefinition | null | undefined): string {
  const declared = definition?.nodes?.[id];
  // Most runs carry no definition: a failed safeParse builds an issue list, too dear on every poll.
  const parsed = declared === undefined || declared === null ? undefined : B3osDefinitionNodeSchema.safeParse(declared);
  return (parsed?.success ? parsed.data.titleOverride : undefined) ?? type ?? id;
}

/** What stands in for a secret input value: the key stays visible, the value never leaves B3OS's answer. */
export const maskedSecret = '••••••';

/** The node's input with the values of its `secretKeys` masked (B3OS lists which keys are secrets). */
function maskedInput(input: unknown, secretKeys: readonly string[] | null | undefined): unknown {
  if (!secretKeys?.length || typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const masked: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const key of secretKeys) if (key in masked) masked[key] = maskedSecret;
  return masked;
}

/** One executionState node → an entry (`id` is the entry's id; `nodeId` names it in the definition). */
function nodeEntry(id: string, nodeId: string, node: B3osExecutionNode, definition: B3osDefinition | null | undefined): TimelineEntry {
  const type = node.type ?? undefined;
  const entry: TimelineEntry = {
    id,
    name: nodeName(nodeId, type, definition),
    state: b3osNodeState(node.status),
    platformState: node.status ?? 'pending',
  };
  // A for-each round's entry ("<loop>[i].<node>") still names the node it ran.
  if (nodeId !== id) entry.nodeId = nodeId;
  if (type) entry.type = type;
  const startedAt = parseTime(node.startedAt);
  const finishedAt = parseTime(node.finishedAt);
  if (startedAt !== undefined) entry.startedAt = startedAt;
  if (finishedAt !== undefined) entry.finishedAt = finishedAt;
  if (startedAt !== undefined && finishedAt !== undefined) entry.durationMs = Math.max(0, finishedAt - startedAt);
  const error = errorText(node.error) ?? (entry.state === 'error' ? errorText(node.result) : undefined);
  if (error) entry.error = error;
  if (node.input !== undefined && node.input !== null) entry.inputs = maskedInput(node.input, node.secretKeys);
  if (node.result !== undefined && node.result !== null) entry.outputs = node.result;
  const computeUnits = node.cu ?? node.totalCu;
  if (typeof computeUnits === 'number') entry.metrics = { computeUnits };
  return entry;
}

/**
 * `executionState` → timeline entries, in start order (unstarted nodes last, by id). A for-each
 * node's rounds (`iterations`) follow it as entries of their own, `<node>[<round>].<inner node>`,
 * marked with their round.
 */
export function executionStateToTimeline(executionState: Record<string, unknown> | null | undefined, definition?: B3osDefinition | null): TimelineEntry[] {
  return readExecutionState(executionState, definition).timeline;
}

/** What one pass over an `executionState` gives: the timeline, its nodes' task counts and the outputs. */
interface ExecutionRead {
  timeline: TimelineEntry[];
  /** The nodes' states; the rounds of a for-each are shown, not counted again. */
  tasks: TaskCounts;
  /** The results of the nodes that succeeded with one, by node id; none: undefined. */
  outputs: Record<string, unknown> | undefined;
}

/**
 * Each readable node parsed once and mapped at once (a status poll reads every node of the run,
 * so no Map of parsed nodes or array of states is built on the way).
 */
function readExecutionState(executionState: Record<string, unknown> | null | undefined, definition: B3osDefinition | null | undefined): ExecutionRead {
  const entries: TimelineEntry[] = [];
  const tasks = emptyTaskCounts();
  let outputs: Record<string, unknown> | undefined;
  let iterated: Map<string, Array<Record<string, unknown>>> | undefined;
  for (const id in executionState) {
    const parsed = safeParseJson(B3osExecutionNodeSchema, executionState[id]);
    if (!parsed.success) continue;
    const node = parsed.data;
    const entry = nodeEntry(id, id, node, definition);
    entries.push(entry);
    tasks[entry.state] += 1;
    if (entry.state === 'success' && node.result !== undefined && node.result !== null) (outputs ??= {})[id] = node.result;
    if (node.iterations) (iterated ??= new Map()).set(id, node.iterations);
  }
  tasks.total = entries.length;
  entries.sort(byStart);
  return { timeline: iterated ? withRounds(entries, iterated, definition) : entries, tasks, outputs };
}

/** The entries with each for-each node's rounds after it. */
function withRounds(entries: TimelineEntry[], iterated: Map<string, Array<Record<string, unknown>>>, definition: B3osDefinition | null | undefined): TimelineEntry[] {
  const rounds: TimelineEntry[] = [];
  for (const entry of entries) {
    rounds.push(entry);
    const iterations = iterated.get(entry.id);
    if (iterations) iterations.forEach((round, index) => {
      const inner: TimelineEntry[] = [];
      for (const [nodeId, raw] of Object.entries(round)) {
        const node = safeParseJson(B3osExecutionNodeSchema, raw);
        if (node.success) inner.push({ ...nodeEntry(`${entry.id}[${index}].${nodeId}`, nodeId, node.data, definition), iteration: { parentId: entry.id, index } });
      }
      rounds.push(...inner.sort(byStart));
    });
  }
  return rounds;
}

function byStart(a: TimelineEntry, b: TimelineEntry): number {
  return (a.startedAt ?? Infinity) - (b.startedAt ?? Infinity) || a.id.localeCompare(b.id);
}

/** The run's own error, else the first failed node's. */
function runError(run: B3osRun, timeline: TimelineEntry[]): string | undefined {
  const own = errorText(run.error);
  if (own) return own;
  const failed = timeline.find((entry) => entry.state === 'error');
  if (!failed) return undefined;
  return failed.error
    ? l10n.t({ message: '{0}: {1}', args: [failed.name, failed.error], comment: ['{0} is the node of a B3OS run that failed, {1} the error B3OS reported for it.'] })
    : l10n.t('{0} failed', failed.name);
}

/** A run body → snapshot. `workflowId` falls back to the caller's when the body has none. */
export function runToSnapshot(run: B3osRun, fallbackWorkflowId: string): RunSnapshot {
  const { timeline, tasks, outputs } = readExecutionState(run.executionState, run.workflowDefinition);
  const status = b3osRunStatus(run.status);
  const startedAt = parseTime(run.startedAt);
  const finishedAt = parseTime(run.finishedAt);
  const snapshot: RunSnapshot = {
    runId: run.id,
    workflowId: run.workflowId || fallbackWorkflowId,
    status,
    platformStatus: run.status,
    createdAt: startedAt,
    startedAt,
    finishedAt,
    tasks,
  };
  if (startedAt !== undefined && finishedAt !== undefined) snapshot.durationMs = Math.max(0, finishedAt - startedAt);
  if (timeline.length > 0) snapshot.timeline = timeline;
  if (typeof run.totalCu === 'number') snapshot.metrics = { computeUnits: run.totalCu };
  if (outputs) snapshot.outputs = outputs;
  if (run.payload !== undefined && run.payload !== null) snapshot.inputs = run.payload;
  if (status === 'failed' || status === 'stopped') {
    const error = runError(run, timeline);
    if (error) snapshot.error = error;
  }
  // Remembered so the views can say "simulation" and a re-run can keep the mode.
  const version = typeof run.workflowVersion === 'number' ? run.workflowVersion : undefined;
  if (run.isSimulation || run.isDustTest || version !== undefined) {
    const options: Record<string, unknown> = {};
    if (run.isSimulation) options.simulate = true;
    if (run.isDustTest) options.dustTest = true;
    if (version !== undefined) options.version = version;
    // The handle holds the same, as text.
    const handle: Record<string, string> = {};
    for (const name in options) handle[name] = String(options[name]);
    snapshot.handle = handle;
    snapshot.options = options;
  }
  return snapshot;
}

/** A workflow → tree item. Archived workflows cannot be triggered. */
export function workflowToSummary(workflow: B3osWorkflow): WorkflowSummary {
  const summary: WorkflowSummary = { id: workflow.id, name: workflow.name || workflow.id, runnable: statusWord(workflow.status) !== 'archived' };
  if (workflow.description) summary.description = workflow.description;
  if (workflow.status) summary.status = workflow.status;
  if (typeof workflow.version === 'number') summary.version = String(workflow.version);
  const updatedAt = parseTime(workflow.updatedAt);
  if (updatedAt !== undefined) summary.updatedAt = updatedAt;
  return summary;
}

/** The definition's `inputSchema`, where the workflow declares one; none → no fields. */
export function workflowInputs(workflow: B3osWorkflow): InputField[] {
  // Inferred: the schema sits in the definition; a top-level `inputSchema` is read as well.
  const declared = workflow.definition?.inputSchema ?? (Array.isArray(workflow.inputSchema) ? (workflow.inputSchema as unknown[]) : []);
  const fields: InputField[] = [];
  for (const raw of declared) {
    const parsed = B3osWorkflowInputSchema.safeParse(raw);
    if (!parsed.success) continue;
    const input = parsed.data;
    const field: InputField = { name: input.key, type: input.type || 'string', required: input.required ?? false };
    if (input.description) field.description = input.description;
    if (input.default !== undefined && input.default !== null) field.default = input.default;
    fields.push(field);
  }
  return fields;
}
