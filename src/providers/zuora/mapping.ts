// Zuora's words → the run model (../model.ts). Pure functions, so every rule of the contract's
// mapping is tested without a server.
import { randomUUID } from 'node:crypto';
import type { InputField, RunSnapshot, RunStatus, TaskCounts, TaskState, TimelineEntry, WorkflowSummary } from '../model';
import { statusWord } from '../status';
import { zuoraReservedInputNames } from './descriptor';
import type { ZuoraPagination, ZuoraParameter, ZuoraTask, ZuoraWorkflow, ZuoraWorkflowRun } from './schemas';
import * as l10n from '@vscode/l10n';

/** Zuora has no failed status: a Finished run with errored tasks failed. */
export function mapRunStatus(status: string, errorTasks: number): RunStatus {
  switch (statusWord(status)) {
    case 'queued':
      return 'queued';
    case 'processing':
      return 'running';
    case 'stopping':
      return 'stopping';
    case 'stopped':
      return 'stopped';
    case 'finished':
      return errorTasks > 0 ? 'failed' : 'succeeded';
    default:
      // A word Zuora may add later: keep watching rather than declare an end we cannot know.
      return 'running';
  }
}

export function mapTaskStatus(status: string): TaskState {
  switch (statusWord(status)) {
    case 'queued':
      return 'queued';
    case 'processing':
      return 'processing';
    case 'pending':
      return 'pending';
    case 'success':
      return 'success';
    case 'stopped':
      return 'stopped';
    case 'error':
      return 'error';
    default:
      return 'pending';
  }
}

/** "2019-09-10 19:32:21 UTC" (or ISO 8601) → epoch ms; undefined when absent or unreadable. */
export function parseZuoraTime(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const zuora = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*UTC$/i.exec(value.trim());
  const ms = Date.parse(zuora ? `${zuora[1]}T${zuora[2]}Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Counts as Zuora gives them, as whole non-negative numbers (a server's 1e308 or -1 is shown as
 * the nearest count that makes sense); `skipped` is a state Zuora never reports.
 */
export function mapTaskCounts(tasks: ZuoraWorkflowRun['tasks']): TaskCounts {
  return {
    queued: wholeCount(tasks.queued),
    pending: wholeCount(tasks.pending),
    processing: wholeCount(tasks.processing),
    success: wholeCount(tasks.success),
    error: wholeCount(tasks.error),
    stopped: wholeCount(tasks.stopped),
    skipped: 0,
    total: wholeCount(tasks.total),
  };
}

/** A server's count clamped to 0…MAX_SAFE_INTEGER, whole; anything that is not a number is 0. */
export function wholeCount(value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) return 0;
  return Math.min(Math.floor(value), Number.MAX_SAFE_INTEGER);
}

export function toTimelineEntry(task: ZuoraTask): TimelineEntry {
  const startedAt = parseZuoraTime(task.start_time ?? task.created_at);
  const finishedAt = parseZuoraTime(task.end_time);
  const error = task.error_message ?? (typeof task.error === 'string' && task.error ? task.error : undefined);
  const { inputs, outputs } = taskData(task);
  return {
    id: task.id,
    name: task.name ?? l10n.t('Task {0}', task.id),
    ...(task.action_type ? { type: task.action_type } : {}),
    state: mapTaskStatus(task.status),
    platformState: task.status,
    ...(startedAt !== undefined ? { startedAt } : {}),
    ...(finishedAt !== undefined ? { finishedAt } : {}),
    ...(startedAt !== undefined && finishedAt !== undefined ? { durationMs: finishedAt - startedAt } : {}),
    ...(error ? { error } : {}),
    ...(inputs !== undefined ? { inputs } : {}),
    ...(outputs !== undefined ? { outputs } : {}),
  };
}

/** A record of the fields that are set, or undefined when none is. */
function setFields(fields: Record<string, unknown>): Record<string, unknown> | undefined {
  const kept = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null && value !== ''));
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/**
 * A task's own fields as its inputs and outputs (Zuora keeps no other record of what a task saw):
 * inputs are its `parameters` when Zuora gives them, else what it was told to act on (action,
 * call type, object, tags); outputs are the `data` it produced when given, else the object it
 * wrote (`object_id`), and the error's class and details for a task in error.
 */
export function taskData(task: ZuoraTask): { inputs?: unknown; outputs?: unknown } {
  const inputs = task.parameters ?? setFields({ action_type: task.action_type, call_type: task.call_type, object: task.object, tags: task.tags?.length ? task.tags : undefined });
  const outputs =
    task.data ??
    setFields({
      object: task.object_id !== undefined && task.object_id !== null ? task.object : undefined,
      object_id: task.object_id,
      error_class: task.error_class,
      error_details: task.error_details,
    });
  return { ...(inputs !== undefined && inputs !== null ? { inputs } : {}), ...(outputs !== undefined && outputs !== null ? { outputs } : {}) };
}

/** The run's messages in a sentence or two (shape undocumented: strings or objects with a message). */
function messagesText(messages: unknown): string | undefined {
  const list = Array.isArray(messages) ? messages : messages ? [messages] : [];
  const texts = list
    .map((item) => (typeof item === 'string' ? item : item && typeof item === 'object' ? (item as { message?: unknown }).message : undefined))
    .filter((text): text is string => typeof text === 'string' && text.trim() !== '');
  return texts.length > 0 ? texts.slice(0, 5).join('\n') : undefined;
}

export function toSnapshot(run: ZuoraWorkflowRun, workflowId: string, timeline?: TimelineEntry[]): RunSnapshot {
  const tasks = mapTaskCounts(run.tasks);
  const status = mapRunStatus(run.status, tasks.error);
  const createdAt = parseZuoraTime(run.createdAt);
  const finishedAt = parseZuoraTime(run.finishedAt);
  const runTimeMs = typeof run.runTime === 'number' ? Math.round(run.runTime * 1000) : undefined;
  let error: string | undefined;
  if (status === 'failed') {
    const failedNames = (timeline ?? []).filter((entry) => entry.state === 'error').map((entry) => `“${entry.name}”`);
    error =
      messagesText(run.messages) ??
      (failedNames.length > 0
        ? failedNames.length === 1
          ? l10n.t('Task {0} ended in error.', failedNames[0]!)
          : l10n.t('Tasks {0} ended in error.', failedNames.slice(0, 5).join(', '))
        : l10n.t('{0} of {1} tasks ended in error.', tasks.error, tasks.total));
  }
  return {
    runId: run.id,
    // The run names the definition it came from; the caller's id is the fallback.
    workflowId: run.originalWorkflowId ?? workflowId,
    // run.name ("WF-19027-00000032") names the run, not the workflow: the workflow's name comes
    // from its definition (the run service looks it up).
    status,
    platformStatus: run.status,
    ...(createdAt !== undefined ? { createdAt, startedAt: createdAt } : {}),
    ...(finishedAt !== undefined ? { finishedAt } : {}),
    ...(runTimeMs !== undefined ? { durationMs: runTimeMs } : finishedAt !== undefined && createdAt !== undefined ? { durationMs: finishedAt - createdAt } : {}),
    tasks,
    ...(timeline ? { timeline } : {}),
    ...(error ? { error } : {}),
    ...(run.cpuTime ? { metrics: { cpuTime: run.cpuTime } } : {}),
  };
}

export function toWorkflowSummary(workflow: ZuoraWorkflow): WorkflowSummary {
  const updatedAt = parseZuoraTime(workflow.updated_at);
  const version = workflow.active_version?.version;
  return {
    id: workflow.id,
    name: workflow.name,
    ...(workflow.description ? { description: workflow.description } : {}),
    ...(workflow.status ? { status: workflow.status } : {}),
    ...(version !== undefined && version !== null ? { version: String(version) } : {}),
    ...(updatedAt !== undefined ? { updatedAt } : {}),
  };
}

/** Parameter names Zuora keeps for itself: never offered in a payload template. */
export const reservedParameterNames: ReadonlySet<string> = new Set(zuoraReservedInputNames);

const typeWords: Record<string, string> = {
  text: 'string',
  string: 'string',
  number: 'number',
  decimal: 'number',
  integer: 'number',
  int: 'number',
  boolean: 'boolean',
  date: 'string',
  datetime: 'string',
  object: 'object',
  array: 'array',
  list: 'array',
};

/** The definition's declared inputs, wherever Zuora put them; none declared → []. */
export function toInputFields(workflow: ZuoraWorkflow): InputField[] {
  const declared: ZuoraParameter[] = workflow.active_version?.parameters ?? workflow.parameters ?? workflow.input_parameters ?? [];
  const fields: InputField[] = [];
  for (const parameter of declared) {
    const name = parameter.name ?? parameter.field_name ?? parameter.key;
    if (!name || reservedParameterNames.has(name)) continue;
    const rawType = parameter.datatype ?? parameter.data_type ?? parameter.type ?? 'string';
    const defaultValue = parameter.default !== undefined ? parameter.default : parameter.default_value;
    fields.push({
      name,
      ...(parameter.label ? { label: parameter.label } : {}),
      type: typeWords[rawType.toLowerCase()] ?? rawType,
      required: parameter.required ?? false,
      ...(defaultValue !== undefined && defaultValue !== null ? { default: defaultValue } : {}),
      ...(parameter.options ? { options: parameter.options.map(String) } : {}),
      ...(parameter.description ? { description: parameter.description } : {}),
    });
  }
  return fields;
}

/**
 * The next page number, or undefined on the last page. The pagination keys are *inferred*:
 * `next_page`/`nextPage` may be a number, a numeric string or a URL with `page=`; without any of
 * them a full page is taken to mean there may be more.
 */
export function nextPage(pagination: ZuoraPagination | null | undefined, currentPage: number, received: number, pageLength: number): number | undefined {
  // An explicit null means "no next page"; an absent key means "not said".
  const next = pagination?.next_page !== undefined ? pagination.next_page : pagination?.nextPage;
  if (next === null) return undefined;
  if (typeof next === 'number') return next > currentPage ? next : undefined;
  if (typeof next === 'string' && next.trim() !== '') {
    if (/^\d+$/.test(next.trim())) {
      const page = Number(next);
      return page > currentPage ? page : undefined;
    }
    try {
      const page = Number(new URL(next, 'http://x').searchParams.get('page'));
      return Number.isInteger(page) && page > currentPage ? page : currentPage + 1;
    } catch {
      return currentPage + 1;
    }
  }
  return received >= pageLength && received > 0 ? currentPage + 1 : undefined;
}

/** Zuora-Track-Id: at most 64 US-ASCII characters, none of `:;"'`. */
export function isValidTrackId(value: string): boolean {
  return value.length > 0 && value.length <= 64 && /^[\x20-\x7e]+$/.test(value) && !/[:;"']/.test(value);
}

/** A fresh track id for one run request, so Zuora support can find it. */
export function newTrackId(): string {
  return `vscode-workflow-runs-${randomUUID()}`;
}
