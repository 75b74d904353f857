// Commands are called from the palette (no argument), from tree rows (the row's node), from the
// webview and CodeLens (plain objects or URIs) and by other extensions. These functions turn any
// of those into what the command acts on; what they cannot find, the command asks for.
import { resolveOnConnection, tryResolveWorkflowRef } from '../payload/target';
import type { RunRecord } from '../runs/record';
import type { RunTarget, Services } from '../services';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A run, task or workflow id as callers pass it: platforms' ids are strings or numbers (Zuora). */
function idOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A connection name from a connection/error/workflow node, `{connection}` or a plain string. */
export function connectionFromArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (isObject(arg) && typeof arg.connection === 'string') return arg.connection;
  if (isObject(arg) && isObject(arg.record) && typeof arg.record.connection === 'string') return arg.record.connection;
  return undefined;
}

/** A run from a run node `{kind:'run', record}`, a RunRecord, or `{connection, runId}`. */
export function runFromArg(services: Services, arg: unknown): RunRecord | undefined {
  if (!isObject(arg)) return undefined;
  const candidate = isObject(arg.record) ? arg.record : arg;
  if (typeof candidate.connection !== 'string') return undefined;
  const runId = idOf(isObject(candidate.snapshot) ? candidate.snapshot.runId : candidate.runId);
  return runId === undefined ? undefined : services.store.get(candidate.connection, runId);
}

/**
 * What Open Run by ID is given, known to the extension or not: `(connection, runId)`,
 * `{connection, runId}`, `{connection, runId, workflowId}` or a run node. What is missing is
 * undefined, for the command to ask.
 */
export function runRefFromArg(arg: unknown, runIdArg?: unknown): { connection?: string; runId?: string; workflowId?: string } {
  const candidate = isObject(arg) && isObject(arg.record) ? arg.record : arg;
  const fields = isObject(candidate) ? (isObject(candidate.snapshot) ? candidate.snapshot : candidate) : {};
  return { connection: connectionFromArg(arg), runId: idOf(runIdArg) ?? idOf(fields.runId), workflowId: idOf(fields.workflowId) };
}

/**
 * A workflow from a workflow node `{kind:'workflow', connection, workflow}`, `{connection,
 * workflowId}` (a string or a number), a `$workflow`-style reference `"<connection>/<workflow id>"`,
 * or a connection alone (a node or `{connection}`) when it runs one workflow (Dify). References
 * and connections alone follow the payload files' rules (payload/target.ts).
 */
export function workflowFromArg(services: Services, arg: unknown): RunTarget | undefined {
  const context = services.payload.targetContext();
  if (typeof arg === 'string') {
    const resolution = tryResolveWorkflowRef(arg, context);
    return resolution.ok ? resolution.target : undefined;
  }
  if (!isObject(arg) || typeof arg.connection !== 'string') return undefined;
  const node = isObject(arg.workflow) ? arg.workflow : undefined;
  const workflowId = idOf(node ? node.id : arg.workflowId);
  const name = node ? node.name : arg.workflowName;
  const workflowName = typeof name === 'string' ? name : undefined;
  // An id given is taken as given: the platform says if it has no such workflow.
  if (workflowId !== undefined) return { connection: arg.connection, workflowId, workflowName };
  // Other nodes (an error row, say) carry a connection but do not stand for its workflow.
  if (arg.kind !== undefined && arg.kind !== 'connection') return undefined;
  const connection = context.connections.find((candidate) => candidate.name === arg.connection);
  const resolution = connection && resolveOnConnection(connection, '', context);
  return resolution?.ok ? resolution.target : undefined;
}

/** A task of a run from a task node or the panel `{kind:'task', record, taskId}`, or `{connection, runId, taskId}`. */
export function taskFromArg(services: Services, arg: unknown): { record: RunRecord; taskId: string } | undefined {
  const taskId = isObject(arg) ? idOf(arg.taskId) : undefined;
  if (taskId === undefined) return undefined;
  const record = runFromArg(services, arg);
  return record ? { record, taskId } : undefined;
}
