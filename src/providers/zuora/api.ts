// The Zuora API as the adapter sees it: the connection's settings read once, the auth headers of
// its mode (OAuth token, workflow API token or Basic), tenant headers, the one retry of a call
// whose OAuth token Zuora refused (401), and the reads the adapter shares (definition, run, tasks).
import { WorkflowRunsError, isWorkflowRunsError } from '../../client/errors';
import type { HttpMethod, HttpResponse, RetryPolicy } from '../../client/types';
import type { z } from 'zod';
import type { TimelineEntry } from '../model';
import type { ProviderContext } from '../provider';
import { ZuoraTokenSource } from './auth';
import { ZuoraSettingsSchema, zuoraModeReadsRuns, type ZuoraSettings } from './descriptor';
import { isZuoraRefusal, parseZuoraError } from './errors';
import { nextPage, toTimelineEntry } from './mapping';
import { ZuoraTaskListSchema, ZuoraWorkflowRunSchema, ZuoraWorkflowSchema } from './schemas';
import { ZuoraTaskList, type TaskPageRead } from './taskList';
import * as l10n from '@vscode/l10n';

const taskPageLength = 100;
/** A run with more tasks than this shows the first ones only (pages × page length). */
const maxTaskPages = 50;

export interface CallSpec<T> {
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

export type ZuoraApi = ReturnType<typeof createZuoraApi>;

export function createZuoraApi(ctx: ProviderContext) {
  const connection = ctx.connection;
  const settingsResult = ZuoraSettingsSchema.safeParse(connection);
  if (!settingsResult.success) {
    const issue = settingsResult.error.issues[0];
    throw new WorkflowRunsError(l10n.t('Connection “{0}”: {1}.', connection.name, issue?.message ?? l10n.t('invalid Zuora settings')), { kind: 'config', connection: connection.name });
  }
  const settings: ZuoraSettings = settingsResult.data;
  const mode = settings.auth ?? 'oauth';
  // Callout credentials (API token, Basic) start runs but cannot read them back.
  const callout = !zuoraModeReadsRuns(mode);
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
        isErrorBody: isZuoraRefusal,
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

  /** One page of a run's tasks, as entries, and the next page's number. */
  async function readTaskPage(runId: string, page: number, signal?: AbortSignal): Promise<TaskPageRead> {
    const response: HttpResponse<z.infer<typeof ZuoraTaskListSchema>> = await call({
      method: 'GET',
      url: `${root}/workflows/tasks`,
      endpoint: 'GET /workflows/tasks',
      query: { workflow_id: runId, page, page_length: taskPageLength },
      schema: ZuoraTaskListSchema,
      retry: 'read',
      signal,
    });
    return { entries: response.data.data.map(toTimelineEntry), next: nextPage(response.data.pagination, page, response.data.data.length, taskPageLength) };
  }

  /** Every task of a run, page by page. */
  async function fetchTimeline(runId: string, signal?: AbortSignal): Promise<TimelineEntry[]> {
    const entries: TimelineEntry[] = [];
    let page: number | undefined = 1;
    for (let fetched = 0; page !== undefined && fetched < maxTaskPages; fetched++) {
      const read = await readTaskPage(runId, page, signal);
      entries.push(...read.entries);
      page = read.next;
    }
    return entries;
  }

  /** A run's task list that a follower refreshes page by page (./taskList.ts). */
  function taskList(runId: string): ZuoraTaskList {
    return new ZuoraTaskList((page, signal) => readTaskPage(runId, page, signal), taskPageLength, maxTaskPages);
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

  return {
    connection,
    settings,
    mode,
    /** Callout credentials (API token, Basic) start runs but cannot read them back. */
    callout,
    /** The v1 REST root (also /oauth/token); the quickstart API is under `${root}/v2`. */
    root,
    call,
    getDefinition,
    fetchRun,
    tryTimeline,
    taskList,
    dispose: () => tokens?.dispose(),
  };
}
