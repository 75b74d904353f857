// Zuora Workflow behind the WorkflowProvider interface: OAuth (v1 REST or quickstart /v2 runs)
// or the callout endpoints (API token / Basic). Zuora cannot list runs, so there is no listRuns.
// Auth, tenant headers and the 401 retry are ./api.ts's; starting runs is ./trigger.ts's.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { WorkflowRunsError, isWorkflowRunsError } from '../../client/errors';
import type { InputField, Page, RunRef, RunSnapshot, TimelineEntry, WorkflowSummary } from '../model';
import { pollRun } from '../polling';
import type { ProviderContext, WorkflowProvider } from '../provider';
import { createZuoraApi } from './api';
import { createZuoraTrigger } from './trigger';
import { isRunAlreadyEnded } from './errors';
import { mapTaskCounts, newTrackId, nextPage, toInputFields, toSnapshot, toWorkflowSummary } from './mapping';
import { StopResponseSchema, ZuoraWorkflowListSchema } from './schemas';
import * as l10n from '@vscode/l10n';

const workflowPageLength = 50;
/** Bodies shown or ignored rather than read: any JSON value. */
const LooseBodySchema = z.unknown();

export function createZuoraProvider(ctx: ProviderContext): WorkflowProvider {
  const api = createZuoraApi(ctx);
  const { connection, settings, mode, callout, root, call, getDefinition, fetchRun, tryTimeline, taskList } = api;
  const { trigger, asyncRunUnknown } = createZuoraTrigger(ctx, api);

  function calloutOnly(what: string): WorkflowRunsError {
    return new WorkflowRunsError(
      l10n.t('Connection “{0}” uses {1}, which can run workflows but not {2}. Put "$workflow": "{0}/<workflow id>" in a payload file, or use an OAuth client.', connection.name, mode === 'apiToken' ? l10n.t('a workflow API token') : l10n.t('Basic authentication'), what),
      { kind: 'config', connection: connection.name },
    );
  }

  async function getRun(ref: RunRef, signal?: AbortSignal): Promise<RunSnapshot> {
    if (callout) throw calloutOnly(l10n.t('read runs'));
    if (ref.handle?.asyncRequestId && ref.runId === ref.handle.asyncRequestId) throw asyncRunUnknown(ref.handle.asyncRequestId);
    const run = await fetchRun(ref.runId, signal);
    const timeline = run.tasks.total > 0 ? await tryTimeline(ref.runId, signal) : [];
    return withHandle(toSnapshot(run, ref.workflowId, timeline), ref);
  }

  async function* watch(ref: RunRef, signal?: AbortSignal): AsyncGenerator<RunSnapshot> {
    if (callout) throw calloutOnly(l10n.t('follow runs'));
    if (ref.handle?.asyncRequestId && ref.runId === ref.handle.asyncRequestId) return;
    // The task list costs a request per 100 tasks: it is refreshed only when the counts moved, and
    // then only the pages that can have changed (./taskList.ts).
    let lastCounts: string | undefined;
    let timeline: TimelineEntry[] | undefined;
    const tasks = taskList(ref.runId);
    const poll = async (pollSignal?: AbortSignal): Promise<RunSnapshot> => {
      const run = await fetchRun(ref.runId, pollSignal);
      const counts = JSON.stringify(run.tasks);
      if (counts !== lastCounts) {
        try {
          timeline = run.tasks.total > 0 ? await tasks.refresh(mapTaskCounts(run.tasks), pollSignal) : [];
          lastCounts = counts;
        } catch (error) {
          if (pollSignal?.aborted || (isWorkflowRunsError(error) && error.kind === 'aborted')) throw error;
          // Keep what was read (the pages read before the failure are kept too); go on next poll.
          ctx.log.warn(`Zuora run ${ref.runId}: the task list could not be read (${error instanceof Error ? error.message : String(error)}).`);
          timeline = tasks.timeline.length > 0 ? tasks.timeline : timeline;
        }
      }
      return withHandle(toSnapshot(run, ref.workflowId, timeline), ref);
    };
    yield* pollRun(poll, {
      baseMs: () => ctx.pollIntervalMs,
      signal,
      // Survive a few transient failures in a row (the client already retried each of them).
      onError: (error, attempt) => isWorkflowRunsError(error) && error.retryable && attempt <= 3,
    });
  }

  async function stop(ref: RunRef, signal?: AbortSignal): Promise<void> {
    if (callout) throw calloutOnly(l10n.t('stop runs'));
    if (ref.handle?.asyncRequestId && ref.runId === ref.handle.asyncRequestId) throw asyncRunUnknown(ref.handle.asyncRequestId);
    try {
      await call({
        method: 'PUT',
        url: `${root}/workflows/workflow_runs/${encodeURIComponent(ref.runId)}/stop`,
        endpoint: 'PUT /workflows/workflow_runs/{id}/stop',
        schema: StopResponseSchema,
        // Stopping twice is stopping once.
        retry: 'read',
        signal,
      });
    } catch (error) {
      // A stop resent after a lost answer (or sent as the run ended) finds it ended: nothing is
      // left to stop, and the next read shows how it ended.
      if (!isRunAlreadyEnded(error)) throw error;
      ctx.log.info(`Zuora run ${ref.runId} had already ended when the stop arrived.`);
    }
  }

  async function listWorkflows(cursor: string | undefined, signal?: AbortSignal): Promise<Page<WorkflowSummary>> {
    if (callout) throw calloutOnly(l10n.t('list workflows'));
    const page = cursor && /^\d+$/.test(cursor) ? Number(cursor) : 1;
    const response = await call({
      method: 'GET',
      url: `${root}/workflows`,
      endpoint: 'GET /workflows',
      query: { page, page_length: workflowPageLength },
      schema: ZuoraWorkflowListSchema,
      retry: 'read',
      signal,
    });
    const next = nextPage(response.data.pagination, page, response.data.data.length, workflowPageLength);
    return { items: response.data.data.map(toWorkflowSummary), ...(next !== undefined ? { next: String(next) } : {}) };
  }

  async function getWorkflow(workflowId: string, signal?: AbortSignal): Promise<WorkflowSummary> {
    if (callout) return { id: workflowId, name: l10n.t('Workflow {0}', workflowId) };
    return toWorkflowSummary(await getDefinition(workflowId, signal));
  }

  async function describeInputs(workflowId: string, signal?: AbortSignal): Promise<InputField[]> {
    if (callout) return [];
    return toInputFields(await getDefinition(workflowId, signal));
  }

  async function verify(signal?: AbortSignal): Promise<string> {
    const host = new URL(root).host;
    if (callout) {
      // A callout credential can only be proven by running a workflow (GET …/run starts one too),
      // so check what can be checked without side effects: the credential exists, the host answers.
      await ctx.getCredential();
      try {
        await call({ method: 'GET', url: `${root}/workflows`, endpoint: 'GET /workflows', query: { page: 1, page_length: 1 }, schema: ZuoraWorkflowListSchema, retry: 'read', signal });
      } catch (error) {
        if (!isWorkflowRunsError(error) || (error.kind !== 'auth' && error.kind !== 'http')) throw error;
      }
      return mode === 'apiToken'
        ? l10n.t('Reached Zuora at {0}. The API token will be checked on the first run (Zuora has no read-only check for callout credentials).', host)
        : l10n.t('Reached Zuora at {0}. The user name and password will be checked on the first run (Zuora has no read-only check for callout credentials).', host);
    }
    const response = await call({
      method: 'GET',
      url: `${root}/workflows`,
      endpoint: 'GET /workflows',
      query: { page: 1, page_length: 1 },
      schema: ZuoraWorkflowListSchema,
      retry: 'read',
      signal,
    });
    const first = response.data.data[0];
    return first
      ? l10n.t('Signed in to Zuora at {0} with OAuth client “{1}”; workflows are visible (e.g. “{2}”).', host, String(settings.clientId), first.name)
      : l10n.t('Signed in to Zuora at {0} with OAuth client “{1}”; no workflows are visible yet.', host, String(settings.clientId));
  }

  async function rerunTask(ref: RunRef, taskId: string, signal?: AbortSignal): Promise<void> {
    if (callout) throw calloutOnly(l10n.t('re-run tasks'));
    await call({
      method: 'POST',
      url: `${root}/workflows/tasks/${encodeURIComponent(taskId)}/rerun`,
      endpoint: 'POST /workflows/tasks/{id}/rerun',
      // The same key on every retry of this request: Zuora reruns the task at most once.
      headers: { 'Zuora-Track-Id': newTrackId(), 'Idempotency-Key': randomUUID() },
      schema: LooseBodySchema,
      retry: 'deduplicated',
      signal,
    });
    ctx.log.info(`Zuora run ${ref.runId}: task ${taskId} is running again.`);
  }

  async function getDefinitionJson(workflowId: string, signal?: AbortSignal): Promise<unknown> {
    if (callout) throw calloutOnly(l10n.t('read workflow definitions'));
    const response = await call({
      method: 'GET',
      url: `${root}/workflows/${encodeURIComponent(workflowId)}`,
      endpoint: 'GET /workflows/{id}',
      // Shown as Zuora sends it, every field kept: only the shape of an object is required.
      schema: LooseBodySchema,
      retry: 'read',
      signal,
    });
    return response.data;
  }

  return {
    verify,
    listWorkflows,
    getWorkflow,
    describeInputs,
    trigger,
    getRun,
    watch,
    stop,
    rerunTask,
    getDefinition: getDefinitionJson,
    dispose: api.dispose,
  };
}

/** Keeps the caller's handle on the snapshot, so a reload can still act on the run. */
function withHandle(snapshot: RunSnapshot, ref: RunRef): RunSnapshot {
  return ref.handle ? { ...snapshot, handle: { ...ref.handle, ...snapshot.handle } } : snapshot;
}
