// Pure translations from Dify's words and bodies to the run model. No I/O: unit-tested directly.
import * as l10n from '@vscode/l10n';
import { emptyTaskCounts, type InputField, type RunMetrics, type RunSnapshot, type RunStatus, type TaskCounts, type TaskState } from '../model';
import { statusWord } from '../status';
import { DifyInputControlSchema, type DifyFinishedData, type DifyLogItem, type DifyRunDetail } from './schemas';

/**
 * Run status → the shared status (contract: partial-succeeded → partial, paused → waiting). Compared
 * by statusWord: servers in front of Dify have sent `SUCCEEDED`, and an end not recognised would be
 * followed forever.
 */
export function difyRunStatus(status: string): RunStatus {
  switch (statusWord(status)) {
    case 'succeeded':
      return 'succeeded';
    case 'partial-succeeded':
      return 'partial';
    case 'failed':
      return 'failed';
    case 'stopped':
      return 'stopped';
    case 'paused':
      return 'waiting';
    default:
      // `running`, and any state a newer Dify adds: still in flight as far as we can tell.
      return 'running';
  }
}

/** Node status → task state (`exception` is a node that failed but let the run go on). */
export function difyNodeState(status: string | null | undefined): TaskState {
  switch (typeof status === 'string' ? statusWord(status) : status) {
    case 'succeeded':
      return 'success';
    case 'failed':
    case 'exception':
      return 'error';
    case 'stopped':
      return 'stopped';
    case 'running':
    case undefined:
    case null:
      return 'processing';
    default:
      // A finished node in a state we do not know yet: it is not running, count it as done.
      return 'success';
  }
}

/** Dify's times are Unix seconds. */
export function secondsToMs(seconds: number | null | undefined): number | undefined {
  return typeof seconds === 'number' && Number.isFinite(seconds) ? Math.round(seconds * 1000) : undefined;
}

/**
 * Task counts when no node events were seen (blocking runs, run details, logs). Only `total_steps`
 * is known; a `succeeded` run cannot have a failed step, so its steps all count as successes.
 * Any other status leaves the breakdown unknown (0) rather than guessing.
 */
export function countsWithoutNodes(status: RunStatus, totalSteps: number | null | undefined): TaskCounts {
  // Counted, never allocated: the number is the server's and has no upper bound in the spec.
  const total = stepCount(totalSteps) ?? 0;
  const counts = emptyTaskCounts();
  counts.total = total;
  if (status === 'succeeded') counts.success = total;
  return counts;
}

/** A server's step count as a whole number a count can hold; undefined when it is not one. */
export function stepCount(value: number | null | undefined): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
  return Math.min(Math.floor(value), Number.MAX_SAFE_INTEGER);
}

/** The run detail's `inputs` is a JSON string; a string that is not JSON is shown as it is. */
export function parseInputs(inputs: unknown): unknown {
  if (typeof inputs !== 'string') return inputs ?? undefined;
  try {
    return JSON.parse(inputs) as unknown;
  } catch {
    return inputs;
  }
}

/** "0.0021 USD" from a price that may come as a number or a decimal string. */
export function formatCost(price: number, currency: string | undefined): string {
  // Enough digits for sub-cent LLM prices, without float noise ("0.000300000001").
  const text = Number(price.toPrecision(6)).toString();
  return currency ? `${text} ${currency}` : text;
}

export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** Metrics from the run-level fields (workflow_finished, blocking answer, run detail). */
export function runMetrics(data: Pick<DifyFinishedData, 'total_tokens' | 'total_steps' | 'execution_metadata'>): RunMetrics {
  const metrics: RunMetrics = {};
  if (typeof data.total_tokens === 'number') metrics.tokens = data.total_tokens;
  if (typeof data.total_steps === 'number') metrics.steps = data.total_steps;
  const price = toNumber(data.execution_metadata?.total_price);
  if (price !== undefined) {
    const currency = data.execution_metadata?.currency;
    metrics.cost = formatCost(price, typeof currency === 'string' ? currency : undefined);
  }
  return metrics;
}

interface SnapshotTarget {
  workflowId: string;
  /** The run id when the body may not carry it. */
  runId?: string;
  workflowName?: string;
  handle?: Record<string, string>;
}

/** A finished run's data (blocking answer, run detail) as a snapshot, without node detail. */
export function finishedDataToSnapshot(
  data: DifyFinishedData | DifyRunDetail,
  target: SnapshotTarget,
): RunSnapshot {
  const status = difyRunStatus(data.status);
  const createdAt = secondsToMs(data.created_at);
  const finishedAt = secondsToMs(data.finished_at);
  const snapshot: RunSnapshot = {
    // The blocking answer may leave `data.id` out: its caller knows the id from workflow_run_id.
    runId: data.id ?? target.runId ?? '',
    workflowId: target.workflowId,
    status,
    platformStatus: data.status,
    createdAt,
    startedAt: createdAt,
    finishedAt,
    durationMs: secondsToMs(data.elapsed_time),
    tasks: countsWithoutNodes(status, data.total_steps),
    metrics: runMetrics(data),
  };
  if (target.workflowName) snapshot.workflowName = target.workflowName;
  if (target.handle) snapshot.handle = target.handle;
  if (data.outputs !== undefined && data.outputs !== null) snapshot.outputs = data.outputs;
  if (data.error) snapshot.error = data.error;
  if ('inputs' in data && data.inputs !== undefined && data.inputs !== null) snapshot.inputs = parseInputs(data.inputs);
  return snapshot;
}

/** One entry of the workflow logs as a snapshot (the Runs list of a Dify app). */
export function logItemToSnapshot(item: DifyLogItem, target: SnapshotTarget): RunSnapshot {
  const run = item.workflow_run;
  const status = difyRunStatus(run.status);
  const createdAt = secondsToMs(run.created_at ?? item.created_at);
  const snapshot: RunSnapshot = {
    runId: run.id,
    workflowId: target.workflowId,
    status,
    platformStatus: run.status,
    createdAt,
    startedAt: createdAt,
    finishedAt: secondsToMs(run.finished_at),
    durationMs: secondsToMs(run.elapsed_time),
    tasks: countsWithoutNodes(status, run.total_steps),
    metrics: runMetrics(run),
  };
  if (target.workflowName) snapshot.workflowName = target.workflowName;
  if (run.error) snapshot.error = run.error;
  // The end user who started it: re-attaching to the run's events needs the same user.
  const user = item.created_by_end_user?.session_id;
  if (user) snapshot.handle = { user };
  return snapshot;
}

/** How a form control's type reads in a payload template. */
const inputTypes: Record<string, string> = {
  'text-input': 'string',
  paragraph: 'string',
  select: 'select',
  number: 'number',
  checkbox: 'boolean',
  json_object: 'object',
  file: 'file',
  'file-list': 'array',
  external_data_tool: 'string',
};

/** A note on how to write an input of this Dify control type, in the user's language (made when asked). */
function inputNote(controlType: string): string | undefined {
  switch (controlType) {
    case 'paragraph':
      return l10n.t('Long text (paragraph).');
    case 'file':
      return l10n.t('A file on disk, {0}, uploaded with the run (or a Dify file object).', '{"$file": "<path relative to this payload file>"}');
    case 'file-list':
      return l10n.t('Files on disk, {0}, uploaded with the run (or Dify file objects).', '[{"$file": "<path>"}, …]');
    case 'external_data_tool':
      return l10n.t('Filled by an external data tool.');
    default:
      return undefined;
  }
}

/** GET /parameters `user_input_form` → input fields. Items of an unknown shape are skipped. */
export function inputFormToFields(form: ReadonlyArray<Record<string, unknown>>): InputField[] {
  const fields: InputField[] = [];
  for (const item of form) {
    // Each item has exactly one key: the control type.
    const [controlType, body] = Object.entries(item)[0] ?? [];
    if (!controlType) continue;
    const parsed = DifyInputControlSchema.safeParse(body);
    if (!parsed.success) continue;
    const control = parsed.data;
    const field: InputField = {
      name: control.variable,
      type: inputTypes[controlType] ?? controlType,
      required: control.required ?? false,
    };
    if (control.label) field.label = control.label;
    if (controlType === 'file') field.fileInput = 'single';
    if (controlType === 'file-list') field.fileInput = 'list';
    if (control.default !== undefined && control.default !== null && control.default !== '') field.default = control.default;
    const options = control.options?.filter((option): option is string => typeof option === 'string');
    if (options && options.length > 0) field.options = options;
    const notes = [inputNote(controlType), control.max_length ? l10n.t('At most {0} characters.', control.max_length) : undefined, control.hint ?? undefined];
    const description = notes.filter(Boolean).join(' ');
    if (description) field.description = description;
    fields.push(field);
  }
  return fields;
}
