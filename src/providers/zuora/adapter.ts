// Zuora Workflow behind the WorkflowProvider interface: OAuth (v1 REST or quickstart /v2 runs)
// or the callout endpoints (API token / Basic). Zuora cannot list runs, so there is no listRuns.
import { randomUUID } from 'node:crypto';
import { WorkflowRunsError, isWorkflowRunsError } from '../../client/errors';
import type { HttpMethod, HttpResponse, RetryPolicy } from '../../client/types';
import type { z } from 'zod';
import { emptyTaskCounts, type InputField, type Page, type RunRef, type RunSnapshot, type TimelineEntry, type WorkflowSummary } from '../model';
import { pollRun } from '../polling';
import type { ProviderContext, TriggeredRun, TriggerRequest, WorkflowProvider } from '../provider';
import { ZuoraTokenSource } from './auth';
import { ZuoraOptionsSchema, ZuoraSettingsSchema, type ZuoraSettings } from './descriptor';
import { explainTriggerError, isRunAlreadyEnded, parseZuoraError } from './errors';
import { mapRunStatus, newTrackId, nextPage, toInputFields, toSnapshot, toTimelineEntry, toWorkflowSummary } from './mapping';
import {
  QuickstartTriggerResponseSchema,
  StopResponseSchema,
  V1TriggerResponseSchema,
  ZuoraTaskListSchema,
  ZuoraWorkflowListSchema,
  ZuoraWorkflowRunSchema,
  ZuoraWorkflowSchema,
  type TriggerResponse,
  type ZuoraWorkflowRun,
} from './schemas';

const workflowPageLength = 50;
const taskPageLength = 100;
/** A run with more tasks than this shows the first ones only (pages × page length). */
const maxTaskPages = 50;
/** `/sync` answers when the run ends; a workflow that runs longer than this is left to Zuora. */
const syncTimeoutMs = 30 * 60_000;

interface CallSpec<T> {
  method: HttpMethod;
  url: string;
  endpoint: string;
  schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  retry: RetryPolicy;
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  headers?: Record<string, string>;
  /** Quickstart wants every header name in lower case. */
  lowerCaseHeaders?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export function createZuoraProvider(ctx: ProviderContext): WorkflowProvider {
  const connection = ctx.connection;
  const settingsResult = ZuoraSettingsSchema.safeParse(connection);
  if (!settingsResult.success) {
    const issue = settingsResult.error.issues[0];
    throw new WorkflowRunsError(`Connection “${connection.name}”: ${issue?.message ?? 'invalid Zuora settings'}.`, { kind: 'config', connection: connection.name });
  }
  const settings: ZuoraSettings = settingsResult.data;
  const mode = settings.auth ?? 'oauth';
  const callout = mode !== 'oauth';
  // The v1 REST API (and /oauth/token) sits at the host root; the quickstart API under /v2.
  const root = connection.baseUrl.replace(/\/+$/, '').replace(/\/v2$/, '');
  const orgIds = Array.isArray(settings.orgIds) ? settings.orgIds.join(',') : settings.orgIds;
  const tokens =
    mode === 'oauth'
      ? new ZuoraTokenSource({
          http: ctx.http,
          tokenUrl: `${root}/oauth/token`,
          clientId: settings.clientId ?? '',
          getSecret: () => ctx.getCredential(),
          connection: connection.name,
          log: ctx.log,
        })
      : undefined;

  async function authHeaders(signal?: AbortSignal): Promise<Record<string, string>> {
    if (tokens) return { Authorization: `Bearer ${await tokens.getToken(signal)}` };
    const credential = await ctx.getCredential();
    if (mode === 'apiToken') return { 'API-Token': credential };
    return { Authorization: `Basic ${Buffer.from(`${settings.username ?? ''}:${credential}`).toString('base64')}` };
  }

  /** One call with auth and tenant headers; an OAuth token Zuora refuses is replaced once. */
  async function call<T>(spec: CallSpec<T>): Promise<HttpResponse<T>> {
    const send = async (auth: Record<string, string>) => {
      const headers: Record<string, string> = { ...auth };
      if (settings.entityId) headers['Zuora-Entity-Ids'] = settings.entityId;
      if (orgIds) headers['Zuora-Org-Ids'] = orgIds;
      Object.assign(headers, spec.headers);
      const finalHeaders = spec.lowerCaseHeaders ? Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) : headers;
      return ctx.http.request({
        method: spec.method,
        url: spec.url,
        endpoint: spec.endpoint,
        query: spec.query,
        json: spec.json,
        headers: finalHeaders,
        schema: spec.schema,
        retry: spec.retry,
        signal: spec.signal,
        timeoutMs: spec.timeoutMs,
        parseError: parseZuoraError,
        connection: connection.name,
        platform: 'Zuora',
      });
    };
    const auth = await authHeaders(spec.signal);
    try {
      return await send(auth);
    } catch (error) {
      // Tokens can be revoked before they expire; a 401 means nothing was processed, so one more
      // try with a fresh token is safe even for a run request.
      if (!tokens || !isWorkflowRunsError(error) || error.status !== 401) throw error;
      const stale = auth.Authorization?.replace(/^Bearer /, '') ?? '';
      tokens.invalidate(stale);
      return send(await authHeaders(spec.signal));
    }
  }

  function calloutUntracked(): string {
    return `Started asynchronously with ${mode === 'apiToken' ? 'a workflow API token' : 'Basic authentication'}, which cannot read runs back: see how it ends in Zuora, or run without "async" to wait for the end.`;
  }

  function calloutOnly(what: string): WorkflowRunsError {
    return new WorkflowRunsError(
      `Connection “${connection.name}” uses ${mode === 'apiToken' ? 'a workflow API token' : 'Basic authentication'}, which can run workflows but not ${what}. Put "$workflow": "${connection.name}/<workflow id>" in a payload file, or use an OAuth client.`,
      { kind: 'config', connection: connection.name },
    );
  }

  async function getDefinition(workflowId: string, signal?: AbortSignal) {
    const response = await call({
      method: 'GET',
      url: `${root}/workflows/${encodeURIComponent(workflowId)}`,
      endpoint: 'GET /workflows/{id}',
      schema: ZuoraWorkflowSchema,
      retry: 'read',
      signal,
    });
    return response.data;
  }

  async function fetchRun(runId: string, signal?: AbortSignal) {
    const response = await call({
      method: 'GET',
      url: `${root}/workflows/workflow_runs/${encodeURIComponent(runId)}`,
      endpoint: 'GET /workflows/workflow_runs/{id}',
      schema: ZuoraWorkflowRunSchema,
      retry: 'read',
      signal,
    });
    return response.data;
  }

  /** Every task of a run, page by page. */
  async function fetchTimeline(runId: string, signal?: AbortSignal): Promise<TimelineEntry[]> {
    const entries: TimelineEntry[] = [];
    let page: number | undefined = 1;
    for (let fetched = 0; page !== undefined && fetched < maxTaskPages; fetched++) {
      const response: HttpResponse<z.infer<typeof ZuoraTaskListSchema>> = await call({
        method: 'GET',
        url: `${root}/workflows/tasks`,
        endpoint: 'GET /workflows/tasks',
        query: { workflow_id: runId, page, page_length: taskPageLength },
        schema: ZuoraTaskListSchema,
        retry: 'read',
        signal,
      });
      entries.push(...response.data.data.map(toTimelineEntry));
      page = nextPage(response.data.pagination, page, response.data.data.length, taskPageLength);
    }
    return entries;
  }

  /** The timeline, or undefined when it cannot be read (the run's counts are still worth showing). */
  async function tryTimeline(runId: string, signal?: AbortSignal): Promise<TimelineEntry[] | undefined> {
    try {
      return await fetchTimeline(runId, signal);
    } catch (error) {
      if (signal?.aborted || (isWorkflowRunsError(error) && error.kind === 'aborted')) throw error;
      ctx.log.warn(`Zuora run ${runId}: the task list could not be read (${error instanceof Error ? error.message : String(error)}).`);
      return undefined;
    }
  }

  async function getRun(ref: RunRef, signal?: AbortSignal): Promise<RunSnapshot> {
    if (callout) throw calloutOnly('read runs');
    if (ref.handle?.asyncRequestId && ref.runId === ref.handle.asyncRequestId) throw asyncRunUnknown(ref.handle.asyncRequestId);
    const run = await fetchRun(ref.runId, signal);
    const timeline = run.tasks.total > 0 ? await tryTimeline(ref.runId, signal) : [];
    return withHandle(toSnapshot(run, ref.workflowId, timeline), ref);
  }

  function asyncRunUnknown(requestId: string): WorkflowRunsError {
    return new WorkflowRunsError(
      `Zuora accepted the run asynchronously (request ${requestId}) and does not say which run it started; find it in Zuora’s Workflow runs page.`,
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
        throw new WorkflowRunsError(`Zuora started workflow ${request.workflowId} but did not say which run it is.`, { kind: 'schema', connection: connection.name });
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

  /** Callout mode without async: `/sync` holds the request until the run has ended. */
  async function triggerAndWait(request: TriggerRequest, headers: Record<string, string>): Promise<TriggeredRun> {
    const id = encodeURIComponent(request.workflowId);
    let response: HttpResponse<ZuoraWorkflowRun>;
    try {
      response = await call({
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
    } catch (error) {
      throw explainTriggerError(error, request.workflowId, callout);
    }
    const snapshot = { ...toSnapshot(response.data, request.workflowId, undefined), inputs: request.inputs };
    ctx.log.info(`Zuora run ${snapshot.runId} of workflow ${request.workflowId} ended ${snapshot.platformStatus} (callout /sync).`);
    return { snapshot };
  }

  async function trigger(request: TriggerRequest): Promise<TriggeredRun> {
    const options = ZuoraOptionsSchema.parse(request.options);
    const id = encodeURIComponent(request.workflowId);
    // The same key on every retry of this request: Zuora then starts the run at most once.
    const headers: Record<string, string> = { 'Zuora-Track-Id': newTrackId(), 'Idempotency-Key': randomUUID() };
    if (options.async !== undefined) headers.async = String(options.async);
    // Callout credentials cannot read a run back, so unless asked for async the trigger waits for the end.
    if (callout && options.async !== true) return triggerAndWait(request, headers);
    // The Idempotency-Key makes the v1 and quickstart triggers safe to resend; the callout endpoint
    // documents no such key, so it is sent once.
    const common = { method: 'POST' as const, retry: callout ? ('never' as const) : ('deduplicated' as const), signal: request.signal, headers };
    let response: HttpResponse<TriggerResponse>;
    try {
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
      throw explainTriggerError(error, request.workflowId, callout);
    }
    const snapshot = firstSnapshot(response.data, response.status, request);
    ctx.log.info(`Zuora run ${snapshot.runId} of workflow ${request.workflowId} is ${snapshot.platformStatus}.`);
    return { snapshot };
  }

  async function* watch(ref: RunRef, signal?: AbortSignal): AsyncGenerator<RunSnapshot> {
    if (callout) throw calloutOnly('follow runs');
    if (ref.handle?.asyncRequestId && ref.runId === ref.handle.asyncRequestId) return;
    // The task list costs a request per 100 tasks: read it again only when the counts moved.
    let lastCounts: string | undefined;
    let timeline: TimelineEntry[] | undefined;
    const poll = async (pollSignal?: AbortSignal): Promise<RunSnapshot> => {
      const run = await fetchRun(ref.runId, pollSignal);
      const counts = JSON.stringify(run.tasks);
      if (counts !== lastCounts) {
        const fresh = run.tasks.total > 0 ? await tryTimeline(ref.runId, pollSignal) : [];
        // Keep the last good timeline when a read fails; retry it next poll.
        if (fresh !== undefined) {
          timeline = fresh;
          lastCounts = counts;
        }
      }
      return withHandle(toSnapshot(run, ref.workflowId, timeline), ref);
    };
    yield* pollRun(poll, {
      baseMs: ctx.pollIntervalMs,
      signal,
      // Survive a few transient failures in a row (the client already retried each of them).
      onError: (error, attempt) => isWorkflowRunsError(error) && error.retryable && attempt <= 3,
    });
  }

  async function stop(ref: RunRef, signal?: AbortSignal): Promise<void> {
    if (callout) throw calloutOnly('stop runs');
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
    if (callout) throw calloutOnly('list workflows');
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
    if (callout) return { id: workflowId, name: `Workflow ${workflowId}` };
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
      return `Reached Zuora at ${host}. ${mode === 'apiToken' ? 'The API token' : 'The user name and password'} will be checked on the first run (Zuora has no read-only check for callout credentials).`;
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
      ? `Signed in to Zuora at ${host} with OAuth client “${settings.clientId}”; workflows are visible (e.g. “${first.name}”).`
      : `Signed in to Zuora at ${host} with OAuth client “${settings.clientId}”; no workflows are visible yet.`;
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
    dispose: () => tokens?.dispose(),
  };
}

/** Keeps the caller's handle on the snapshot, so a reload can still act on the run. */
function withHandle(snapshot: RunSnapshot, ref: RunRef): RunSnapshot {
  return ref.handle ? { ...snapshot, handle: { ...ref.handle, ...snapshot.handle } } : snapshot;
}
