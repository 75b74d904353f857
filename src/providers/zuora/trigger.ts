// Starting a Zuora run: the v1 REST and quickstart triggers (safe to resend, with an
// Idempotency-Key), the callout endpoints (sent once; `/sync` holds the request until the run
// ends), and the first snapshot from what the trigger answered. Part of ./adapter.ts.
import { randomUUID } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { WorkflowRunsError } from '../../client/errors';
import type { HttpResponse } from '../../client/types';
import { emptyTaskCounts, type RunSnapshot } from '../model';
import { optionsFor } from '../options';
import { TriggerCancel } from '../triggerCancel';
import type { ProviderContext, TriggeredRun, TriggerRequest } from '../provider';
import type { ZuoraApi } from './api';
import { ZuoraOptionsSchema } from './descriptor';
import { explainTriggerError } from './errors';
import { mapRunStatus, newTrackId, toSnapshot } from './mapping';
import { QuickstartTriggerResponseSchema, V1TriggerResponseSchema, ZuoraWorkflowRunSchema, type TriggerResponse, type ZuoraWorkflowRun } from './schemas';

/** `/sync` answers when the run ends; a workflow that runs longer than this is left to Zuora. */
const syncTimeoutMs = 30 * 60_000;

export interface ZuoraTrigger {
  trigger(request: TriggerRequest): Promise<TriggeredRun>;
  /** The error for a run Zuora accepted asynchronously without naming it (nothing to read back). */
  asyncRunUnknown(requestId: string): WorkflowRunsError;
}

export function createZuoraTrigger(ctx: ProviderContext, api: ZuoraApi): ZuoraTrigger {
  const { connection, settings, mode, callout, root, call } = api;

  function calloutUntracked(): string {
    return l10n.t('Started asynchronously with {0}, which cannot read runs back: see how it ends in Zuora, or run without "async" to wait for the end.', mode === 'apiToken' ? l10n.t('a workflow API token') : l10n.t('Basic authentication'));
  }

  function asyncRunUnknown(requestId: string): WorkflowRunsError {
    return new WorkflowRunsError(
      l10n.t('Zuora accepted the run asynchronously (request {0}) and does not say which run it started; find it in Zuora’s Workflow runs page.', requestId),
      { kind: 'config', connection: connection.name },
    );
  }

  /** The first snapshot of a run from what the run request answered. */
  function firstSnapshot(body: TriggerResponse, status: number, request: TriggerRequest): RunSnapshot {
    const runBody = body as Record<string, unknown>;
    const platformStatus = typeof runBody.status === 'string' ? runBody.status : typeof runBody.state === 'string' ? runBody.state : undefined;
    if (status === 202 || platformStatus === undefined) {
      const requestId = String(runBody.request_id ?? runBody.requestId ?? runBody.id ?? '');
      if (!requestId) {
        throw new WorkflowRunsError(l10n.t('Zuora started workflow {0} but did not say which run it is.', request.workflowId), { kind: 'schema', connection: connection.name });
      }
      return {
        runId: requestId,
        workflowId: request.workflowId,
        status: 'queued',
        platformStatus: 'Accepted',
        createdAt: Date.now(),
        tasks: emptyTaskCounts(),
        inputs: request.inputs,
        handle: { asyncRequestId: requestId },
        untracked: asyncRunUnknown(requestId).message,
      };
    }
    const mapped = mapRunStatus(platformStatus, 0);
    return {
      runId: String(runBody.id),
      workflowId: request.workflowId,
      // A run is only ever created Queued or Processing; anything else is shown as queued until polled.
      status: mapped === 'running' ? 'running' : 'queued',
      platformStatus,
      createdAt: Date.now(),
      tasks: emptyTaskCounts(),
      inputs: request.inputs,
      // Callout credentials start runs but cannot read them back (the run endpoints need OAuth).
      ...(callout ? { untracked: calloutUntracked() } : {}),
    };
  }

  /**
   * Callout mode without async: `/sync` holds the request until the run has ended. Undefined when
   * the server has no `/sync` (404/405: nothing was started), so the caller starts the run with
   * `/run`, the callout endpoint every Zuora tenant has.
   */
  async function triggerAndWait(request: TriggerRequest, headers: Record<string, string>): Promise<TriggeredRun | undefined> {
    const id = encodeURIComponent(request.workflowId);
    let response: HttpResponse<ZuoraWorkflowRun>;
    try {
      const answer = call({
        method: 'POST',
        url: `${root}/api/v1/workflows/${id}/sync`,
        endpoint: 'POST /api/v1/workflows/{id}/sync',
        headers,
        json: request.inputs,
        schema: ZuoraWorkflowRunSchema,
        // No Idempotency-Key is documented for the callout endpoints: never sent twice.
        retry: 'never',
        timeoutMs: syncTimeoutMs,
        signal: request.signal,
      });
      // The answer may take as long as the run: the run is in history meanwhile, under the
      // request's track id until Zuora names it.
      request.onSent?.({
        runId: `sync-${headers['Zuora-Track-Id']}`,
        workflowId: request.workflowId,
        status: 'running',
        platformStatus: l10n.t('Waiting for the answer'),
        createdAt: Date.now(),
        tasks: emptyTaskCounts(),
        inputs: request.inputs,
        untracked: l10n.t("Waiting for Zuora's answer: {0} answers when the run has ended.", '/sync'),
        awaitingAnswer: l10n.t("The answer to the run request was lost when the window closed, so how the run ended is unknown here: check Zuora's Workflow runs page."),
      });
      response = await answer;
    } catch (error) {
      if (error instanceof WorkflowRunsError && (error.status === 404 || error.status === 405) && !request.signal?.aborted) {
        ctx.log.info(`Zuora has no /sync for workflow ${request.workflowId} (HTTP ${error.status}): starting it with /run instead.`);
        return undefined;
      }
      throw explainTriggerError(error, request.workflowId, callout);
    }
    const snapshot = { ...toSnapshot(response.data, request.workflowId, undefined), inputs: request.inputs };
    ctx.log.info(`Zuora run ${snapshot.runId} of workflow ${request.workflowId} ended ${snapshot.platformStatus} (callout /sync).`);
    return { snapshot };
  }

  async function trigger(request: TriggerRequest): Promise<TriggeredRun> {
    const options = optionsFor(request.options, ZuoraOptionsSchema, connection.name);
    const id = encodeURIComponent(request.workflowId);
    // The same key on every retry of this request: Zuora then starts the run at most once.
    const headers: Record<string, string> = { 'Zuora-Track-Id': newTrackId(), 'Idempotency-Key': randomUUID() };
    if (options.async !== undefined) headers.async = String(options.async);
    // Callout credentials cannot read a run back, so unless asked for async the trigger waits for the end.
    if (callout && options.async !== true) {
      const waited = await triggerAndWait(request, headers);
      if (waited) return waited;
    }
    // The Idempotency-Key makes the v1 and quickstart triggers safe to resend; the callout endpoint
    // documents no such key, so it is sent once.
    const cancel = new TriggerCancel(request.signal);
    const common = { method: 'POST' as const, retry: callout ? ('never' as const) : ('deduplicated' as const), signal: cancel.controller.signal, headers };
    let response: HttpResponse<TriggerResponse>;
    try {
      cancel.sent();
      if (callout) {
        response = await call({ ...common, url: `${root}/api/v1/workflows/${id}/run`, endpoint: 'POST /api/v1/workflows/{id}/run', json: request.inputs, schema: V1TriggerResponseSchema });
      } else if (settings.api === 'quickstart') {
        response = await call({
          ...common,
          url: `${root}/v2/workflows/${id}/run`,
          endpoint: 'POST /v2/workflows/{id}/run',
          json: { input_parameters: request.inputs },
          schema: QuickstartTriggerResponseSchema,
          lowerCaseHeaders: true,
        });
      } else {
        response = await call({ ...common, url: `${root}/workflows/${id}/run`, endpoint: 'POST /workflows/{id}/run', json: request.inputs, schema: V1TriggerResponseSchema });
      }
    } catch (error) {
      cancel.controller.abort();
      throw explainTriggerError(error, request.workflowId, callout);
    }
    // Done with the trigger's requests. Cancelled while Zuora answered: the run is returned all
    // the same, for the caller to stop.
    cancel.controller.abort();
    const snapshot = firstSnapshot(response.data, response.status, request);
    ctx.log.info(`Zuora run ${snapshot.runId} of workflow ${request.workflowId} is ${snapshot.platformStatus}.`);
    return { snapshot };
  }

  return { trigger, asyncRunUnknown };
}
