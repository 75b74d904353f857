// One side of Compare Runs… (docs/contract.md, "The debugging loop"): a run as JSON text for VS
// Code's diff editor. Only what two runs can meaningfully differ in is written — status, inputs,
// outputs, error, and per task/node its status and outputs — and every object's keys are sorted,
// so two runs that differ only in the order a platform listed keys show no difference. Ids and
// timings that always differ (task ids, start times) are left out: they would drown the real
// differences. Pure: no vscode import.
import type { TimelineEntry } from '../providers/model';
import type { RunRecord } from './record';
import * as l10n from '@vscode/l10n';

/** The diff editor handles large documents, but a run's text is still bounded (UTF-16 chars). */
export const maxCompareDocumentChars = 2 * 1024 * 1024;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy with every object's keys in sorted order (arrays keep their order: it means something). */
export function sortKeysDeep(value: unknown, depth = 0): unknown {
  if (depth > 64) return value;
  if (Array.isArray(value)) return value.map((item) => sortKeysDeep(item, depth + 1));
  if (!isPlainObject(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    Object.defineProperty(sorted, key, { value: sortKeysDeep(value[key], depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return sorted;
}

/** Fields another part of the model may add to timeline entries; read loosely so older records still compare. */
function entryField(entry: TimelineEntry, field: string): unknown {
  return (entry as Record<string, unknown>)[field];
}

/** A task's heading: its name, plus the round or retry it belongs to so repeated nodes stay apart. */
function taskLabel(entry: TimelineEntry): string {
  const parts = [entry.name || entry.id];
  const iteration = entryField(entry, 'iteration') as { index?: unknown } | undefined;
  const loop = entryField(entry, 'loop') as { index?: unknown } | undefined;
  const retry = entryField(entry, 'retry') as { index?: unknown } | undefined;
  if (typeof iteration?.index === 'number') parts.push(l10n.t('iteration {0}', iteration.index + 1));
  if (typeof loop?.index === 'number') parts.push(l10n.t('loop {0}', loop.index + 1));
  if (typeof retry?.index === 'number') parts.push(l10n.t('retry {0}', retry.index));
  return parts.join(' · ');
}

/**
 * Tasks in the order they started (then the platform's order), so two runs of one workflow line
 * up step by step. Entries of the same node keep their relative order.
 */
function orderedTasks(timeline: readonly TimelineEntry[]): TimelineEntry[] {
  return timeline
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => (a.entry.startedAt ?? Number.MAX_SAFE_INTEGER) - (b.entry.startedAt ?? Number.MAX_SAFE_INTEGER) || a.index - b.index)
    .map(({ entry }) => entry);
}

export interface CompareDocumentShape {
  run: string;
  connection: string;
  workflow: string;
  status: string;
  platformStatus?: string;
  error?: string;
  options?: unknown;
  inputs: unknown;
  outputs: unknown;
  tasks: Array<{ task: string; type?: string; status?: string; error?: string; outputs?: unknown }>;
  tasksOmitted?: number;
}

/** The object behind the text: fixed top-level order (most telling first), sorted keys below. */
export function compareDocumentShape(record: RunRecord): CompareDocumentShape {
  const { snapshot } = record;
  const options = record.request && Object.keys(record.request.options).length > 0 ? record.request.options : snapshot.options;
  const shape: CompareDocumentShape = {
    run: snapshot.runId,
    connection: record.connection,
    workflow: record.workflowName ?? snapshot.workflowName ?? snapshot.workflowId,
    status: snapshot.status,
    inputs: null,
    outputs: null,
    tasks: [],
  };
  if (snapshot.platformStatus) shape.platformStatus = snapshot.platformStatus;
  if (snapshot.error) shape.error = snapshot.error;
  if (options && Object.keys(options).length > 0) shape.options = sortKeysDeep(options);
  shape.inputs = sortKeysDeep(record.request?.inputs ?? snapshot.inputs ?? null);
  shape.outputs = sortKeysDeep(snapshot.outputs ?? null);
  shape.tasks = orderedTasks(snapshot.timeline ?? []).map((entry) => {
    const task: CompareDocumentShape['tasks'][number] = { task: taskLabel(entry) };
    if (entry.type) task.type = entry.type;
    task.status = entry.state;
    if (entry.error) task.error = entry.error;
    const outputs = entryField(entry, 'outputs');
    if (outputs !== undefined) task.outputs = sortKeysDeep(outputs);
    return task;
  });
  const omitted = (snapshot as Record<string, unknown>).timelineOmitted;
  if (typeof omitted === 'number' && omitted > 0) shape.tasksOmitted = omitted;
  return shape;
}

/** The JSON text of one side; past the bound, the text is cut at a line and says so. */
export function compareDocument(record: RunRecord): string {
  // Keys in the order written above: JSON.stringify keeps insertion order.
  const shape = compareDocumentShape(record);
  const ordered = {
    run: shape.run,
    connection: shape.connection,
    workflow: shape.workflow,
    status: shape.status,
    platformStatus: shape.platformStatus,
    error: shape.error,
    options: shape.options,
    inputs: shape.inputs,
    outputs: shape.outputs,
    tasks: shape.tasks,
    tasksOmitted: shape.tasksOmitted,
  };
  const text = `${JSON.stringify(ordered, null, 2)}\n`;
  if (text.length <= maxCompareDocumentChars) return text;
  const cut = text.lastIndexOf('\n', maxCompareDocumentChars);
  return `${text.slice(0, cut)}\n${l10n.t("… cut here: this run's document is longer than {0} characters", maxCompareDocumentChars)}\n`;
}
