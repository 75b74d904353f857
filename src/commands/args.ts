// Commands are called from the palette (no argument), from tree rows (the row's node), from the
// webview and CodeLens (plain objects or URIs) and by other extensions. These functions turn any
// of those into what the command acts on.
import type { RunRecord } from '../runs/record';
import type { RunTarget, Services } from '../services';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
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
  const runId = isObject(candidate.snapshot) ? candidate.snapshot.runId : candidate.runId;
  if (typeof runId !== 'string' && typeof runId !== 'number') return undefined;
  return services.store.get(candidate.connection, String(runId));
}

/** A workflow from a workflow node `{kind:'workflow', connection, workflow}` or `{connection, workflowId}`. */
export function workflowFromArg(services: Services, arg: unknown): RunTarget | undefined {
  if (!isObject(arg) || typeof arg.connection !== 'string') return undefined;
  if (isObject(arg.workflow) && typeof arg.workflow.id === 'string') {
    return { connection: arg.connection, workflowId: arg.workflow.id, workflowName: typeof arg.workflow.name === 'string' ? arg.workflow.name : undefined };
  }
  if (typeof arg.workflowId === 'string') {
    return { connection: arg.connection, workflowId: arg.workflowId, workflowName: typeof arg.workflowName === 'string' ? arg.workflowName : undefined };
  }
  // A bare connection that is one workflow (Dify) is that workflow.
  const connection = services.connections.get(arg.connection);
  const single = connection && services.connections.platformOf(connection)?.singleWorkflow?.(connection);
  return single && arg.kind === 'connection' ? { connection: arg.connection, workflowId: single } : undefined;
}

/** A task of a run from a task node or the panel `{kind:'task', record, taskId}`, or `{connection, runId, taskId}`. */
export function taskFromArg(services: Services, arg: unknown): { record: RunRecord; taskId: string } | undefined {
  if (!isObject(arg) || (typeof arg.taskId !== 'string' && typeof arg.taskId !== 'number')) return undefined;
  const record = runFromArg(services, arg);
  return record ? { record, taskId: String(arg.taskId) } : undefined;
}
