// The Dify provider: one connection = one workflow app (its API key). Streaming runs are followed
// on the stream that started them; a dropped stream is re-attached, then confirmed with the run
// detail, so a run always ends with the state Dify recorded.
import { z } from 'zod';
import { WorkflowRunsError, describeError } from '../../client/errors';
import { optionsFor } from '../options';
import { linkedController } from '../../client/abort';
import type { HttpMethod, RetryPolicy, SseEvent } from '../../client/types';
import { emptyTaskCounts, type InputField, type Page, type RunRef, type RunSnapshot, type WorkflowSummary } from '../model';
import { pollRun } from '../polling';
import { TriggerCancel, defaultNamingGraceMs } from '../triggerCancel';
import { bearerApi } from '../bearerApi';
import type { ProviderContext, TriggerRequest, TriggeredRun, WorkflowProvider } from '../provider';
import { DifyOptionsSchema, DifySettingsSchema } from './descriptor';
import { explainLostTrigger, parseDifyError, streamClosedBeforeStart } from './errors';
import * as l10n from '@vscode/l10n';
import { mimeTypeOf, uploadedFileInput } from './files';
import { multipartBody } from '../../client/multipart';
import type { FileInputs, LocalFile } from '../localFiles';
import { DifyRunTracker, trackBatches } from './events';
import { finishedDataToSnapshot, inputFormToFields, logItemToSnapshot } from './mapping';
import {
  DifyAppInfoSchema,
  DifyBlockingResponseSchema,
  DifyLogsSchema,
  DifyParametersSchema,
  DifyRunDetailSchema,
  DifyStopResultSchema,
  DifyUploadedFileSchema,
  type DifyAppInfo,
} from './schemas';

/** An open run stream, read a batch of events at a time (see SseBatches) by whoever holds it. */
type EventBatches = AsyncIterator<readonly SseEvent[]>;

/** Knobs tests turn; the defaults suit Dify Cloud. */
export interface DifyProviderTuning {
  /** A stream with no event (Dify pings every 10 s) for this long is treated as dropped. */
  idleTimeoutMs?: number;
  /** Re-attachments to a run's events after its stream dropped, before falling back to polling. */
  reattachAttempts?: number;
  /** Blocking runs: Dify Cloud's proxy cuts them at 100 s, self-hosted servers may take longer. */
  blockingTimeoutMs?: number;
  /** Runs listed per page of the workflow logs. */
  pageSize?: number;
  /**
   * A trigger cancelled once its run request is under way waits this long at most for
   * workflow_started to name the run, so that the caller can stop it (../triggerCancel.ts).
   */
  namingGraceMs?: number;
}

const appModeNames: Record<string, string> = {
  chat: 'chat',
  'advanced-chat': 'chatflow',
  'agent-chat': 'agent',
  agent: 'agent',
  completion: 'text generator',
};

export function createDifyProvider(ctx: ProviderContext, tuning: DifyProviderTuning = {}): WorkflowProvider {
  const settings = DifySettingsSchema.safeParse(ctx.connection);
  const configuredWorkflowId = settings.success ? settings.data.workflowId : undefined;
  const workflowId = configuredWorkflowId ?? 'default';
  const defaultUser = (settings.success ? settings.data.user : undefined) ?? `vscode-${ctx.machineId}`;
  const idleTimeoutMs = tuning.idleTimeoutMs ?? 45_000;
  const reattachAttempts = tuning.reattachAttempts ?? 2;
  const blockingTimeoutMs = tuning.blockingTimeoutMs ?? 130_000;
  const pageSize = tuning.pageSize ?? 20;
  const namingGraceMs = tuning.namingGraceMs ?? defaultNamingGraceMs;
  /** The app's name once /info was read: shown in snapshots. */
  let appName: string | undefined;

  const api = bearerApi(ctx, { platform: 'Dify', parseError: parseDifyError });
  // The helpers are closures over the connection, not methods that need `this`.
  const { call } = api;

  async function openStream(
    method: HttpMethod,
    path: string,
    endpoint: string,
    retry: RetryPolicy,
    signal: AbortSignal,
    extra: { query?: Record<string, string>; json?: unknown } = {},
  ): Promise<EventBatches> {
    const events = await api.stream(method, path, endpoint, retry, { idleTimeoutMs, signal, ...extra });
    return events[Symbol.asyncIterator]();
  }

  /** GET /info, refusing apps that are not workflow apps (their run endpoints do not exist). */
  async function fetchApp(signal?: AbortSignal): Promise<DifyAppInfo> {
    const info = await call('GET', '/info', 'GET /info', DifyAppInfoSchema, 'read', { signal });
    const name = info.name ?? l10n.t('This Dify app');
    if (info.mode && info.mode !== 'workflow') {
      const kind = appModeNames[info.mode] ?? `"${info.mode}"`;
      throw new WorkflowRunsError(l10n.t('“{0}” is a {1} app, not a workflow app: connection “{2}” needs the API key of a Dify workflow app.', name, kind, ctx.connection.name), {
        kind: 'config',
        code: 'not_workflow_app',
        connection: ctx.connection.name,
        endpoint: 'GET /info',
      });
    }
    appName = info.name ?? appName;
    return info;
  }

  function summary(info: DifyAppInfo): WorkflowSummary {
    const item: WorkflowSummary = { id: workflowId, name: info.name ?? l10n.t('Dify workflow app'), runnable: true };
    if (info.description) item.description = info.description;
    if (configuredWorkflowId) item.version = configuredWorkflowId;
    return item;
  }

  /** The connection has one workflow; anything else is a wrong `$workflow` in a payload file. */
  function checkWorkflow(id: string): void {
    if (id === workflowId || id === 'default') return;
    throw new WorkflowRunsError(l10n.t('Connection “{0}” is one Dify app: its workflow is “{1}”, not “{2}”.', ctx.connection.name, workflowId, id), {
      kind: 'config',
      connection: ctx.connection.name,
    });
  }

  async function fetchRunDetail(ref: RunRef, signal?: AbortSignal): Promise<RunSnapshot> {
    const detail = await call('GET', `/workflows/run/${encodeURIComponent(ref.runId)}`, 'GET /workflows/run/{id}', DifyRunDetailSchema, 'read', { signal });
    return finishedDataToSnapshot(detail, { workflowId: ref.workflowId, workflowName: appName, handle: ref.handle });
  }

  /**
   * Uploads one local file as `user` (only that user's runs may refer to it). Dify's size and type
   * refusals name the file: they are the payload's problem, and the run is not started.
   */
  async function uploadFile(file: LocalFile, user: string, signal?: AbortSignal): Promise<string> {
    const upload = multipartBody([
      { name: 'file', file: { path: file.path, fileName: file.name, contentType: mimeTypeOf(file.name), size: file.size } },
      { name: 'user', value: user },
    ]);
    try {
      // Policy 'read': sent again after a refusal, a reset, a 429 or a 5xx (at worst an unused file
      // stays on Dify), never after a timeout: its body was on its way over a link too slow for it,
      // and each resend made the user wait as long again (its deadline grows with its size instead).
      const answer = await call('POST', '/files/upload', 'POST /files/upload', DifyUploadedFileSchema, 'read', { upload, signal });
      return answer.id;
    } catch (error) {
      if (error instanceof WorkflowRunsError && (error.status === 413 || error.status === 415)) {
        const why = error.status === 413
          ? l10n.t('{0} is too large for Dify ({1} bytes); Dify’s limits are 15 MB for documents, 10 MB for images, 50 MB for audio and 100 MB for video unless the server sets others.', file.name, file.size)
          : l10n.t('Dify does not accept the type of {0}.', file.name);
        throw new WorkflowRunsError(l10n.t('{0} The run was not started.', why), { kind: 'config', code: error.code, status: error.status, connection: ctx.connection.name, endpoint: 'POST /files/upload' });
      }
      throw error;
    }
  }

  /** The inputs with each file input replaced by its upload; every file is uploaded before anything runs. */
  async function withUploadedFiles(inputs: Record<string, unknown>, files: FileInputs | undefined, user: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    if (!files || Object.keys(files).length === 0) return inputs;
    const result = { ...inputs };
    for (const [name, value] of Object.entries(files)) {
      const list = Array.isArray(value) ? value : [value];
      const uploaded = [];
      for (const file of list) uploaded.push(uploadedFileInput(file.name, await uploadFile(file, user, signal)));
      result[name] = Array.isArray(value) ? uploaded : uploaded[0];
    }
    return result;
  }

  function openRunEvents(runId: string, user: string, signal: AbortSignal): Promise<EventBatches> {
    return openStream('GET', `/workflow/${encodeURIComponent(runId)}/events`, 'GET /workflow/{id}/events', 'read', signal, {
      // The snapshot replays finished nodes, so counts survive the re-attachment.
      query: { user, include_state_snapshot: 'true' },
    });
  }

  /**
   * Snapshots of one run until it ends: the given stream first, then re-attached streams, then
   * the run detail (polled) — the last word is always what Dify recorded.
   */
  async function* follow(tracker: DifyRunTracker, first: EventBatches | undefined, user: string, controller: AbortController): AsyncGenerator<RunSnapshot> {
    const runId = tracker.runId ?? '';
    let iterator = first;
    try {
      for (let attempt = 0; attempt <= reattachAttempts; attempt++) {
        if (!iterator) {
          try {
            iterator = await openRunEvents(runId, user, controller.signal);
          } catch (error) {
            if (controller.signal.aborted) throw error;
            ctx.log.warn(`Dify run ${runId}: could not re-attach to its events (${describeError(error)}).`);
            // A 4xx (unknown run, another user's run) will not change by asking again.
            if (error instanceof WorkflowRunsError && error.status !== undefined && error.status < 500 && error.status !== 429) break;
            continue;
          }
        }
        try {
          // One snapshot per batch of events, until the run is paused or ended.
          yield* trackBatches(tracker, iterator);
        } catch (error) {
          if (controller.signal.aborted) throw error;
          ctx.log.warn(`Dify run ${runId}: the event stream broke (${describeError(error)}).`);
        }
        await iterator.return?.().catch(() => undefined);
        iterator = undefined;
        if (tracker.phase !== 'running') break;
        ctx.log.info(`Dify run ${runId}: the event stream ended before the run did; re-attaching.`);
      }
      if (tracker.phase === 'ended') return;
      // Paused (human input), or the stream could not be followed: the run detail has the truth.
      const ref: RunRef = { runId, workflowId: tracker.current.workflowId, handle: tracker.current.handle };
      yield* pollRun(async (signal) => tracker.reconcile(await fetchRunDetail(ref, signal)), {
        baseMs: () => ctx.pollIntervalMs,
        signal: controller.signal,
        onError: (error, attempt) => attempt < 5 && error instanceof WorkflowRunsError && error.retryable,
      });
    } finally {
      // Closes whatever stream is still open when the consumer stops listening.
      controller.abort();
    }
  }

  async function triggerStreaming(url: string, body: Record<string, unknown>, user: string, request: TriggerRequest): Promise<TriggeredRun> {
    const cancel = new TriggerCancel(request.signal, namingGraceMs);
    const controller = cancel.controller;
    // Snapshots name the connection's one workflow, whichever alias (`default`) the payload used.
    const tracker = new DifyRunTracker({ workflowId, workflowName: appName, handle: { user } });
    // Never retried: a second POST would start a second run.
    let iterator: EventBatches;
    try {
      cancel.sent();
      iterator = await openStream('POST', url, 'POST /workflows/run', 'never', controller.signal, { json: body });
    } catch (error) {
      // Done with: lets go of the caller's signal.
      controller.abort();
      throw explainLostTrigger(error, ctx.connection.name);
    }
    try {
      // The run id and task id come with workflow_started; before it there is no run to show.
      // The rest of the batch that brought it is applied too: the run is shown as it stands.
      while (!tracker.runId) {
        const next = await iterator.next();
        if (next.done) break;
        tracker.applyAll(next.value);
        if (tracker.phase === 'ended') break;
      }
    } catch (error) {
      controller.abort();
      // Cut before Dify named the run: the run may have started all the same.
      if (error instanceof WorkflowRunsError && error.kind === 'stream' && !tracker.runId) throw streamClosedBeforeStart(ctx.connection.name, error);
      throw error;
    }
    if (!tracker.runId) {
      controller.abort();
      const problem = tracker.startError;
      if (!problem) throw streamClosedBeforeStart(ctx.connection.name);
      throw new WorkflowRunsError(l10n.t('Dify refused the run: {0}', problem.message), {
        kind: 'http',
        code: problem.code,
        status: problem.status,
        connection: ctx.connection.name,
        endpoint: 'POST /workflows/run',
      });
    }
    const snapshot = tracker.current;
    const cancelled = cancel.named();
    if (tracker.phase === 'ended' || cancelled) {
      // Cancelled while Dify named the run: the caller stops it (TriggerRequest.signal).
      // Or the run already ended (an error event right after the start, or the whole run in the
      // first batch): nothing more to follow. A run paused already is followed: its detail is polled.
      controller.abort();
      return { snapshot };
    }
    return { snapshot, updates: follow(tracker, iterator, user, controller) };
  }

  return {
    async verify(signal) {
      const info = await fetchApp(signal);
      return l10n.t('Dify workflow app “{0}”', info.name ?? l10n.t('unnamed'));
    },

    async listWorkflows(_cursor, signal): Promise<Page<WorkflowSummary>> {
      return { items: [summary(await fetchApp(signal))] };
    },

    async getWorkflow(id, signal) {
      checkWorkflow(id);
      return summary(await fetchApp(signal));
    },

    async getDefinition(id, signal) {
      checkWorkflow(id);
      // Dify describes an app in two answers: what it is (/info) and what it asks for (/parameters).
      const [info, parameters] = await Promise.all([
        call('GET', '/info', 'GET /info', z.unknown(), 'read', { signal }),
        call('GET', '/parameters', 'GET /parameters', z.unknown(), 'read', { signal }),
      ]);
      return { info, parameters };
    },

    async describeInputs(id, signal): Promise<InputField[]> {
      checkWorkflow(id);
      const parameters = await call('GET', '/parameters', 'GET /parameters', DifyParametersSchema, 'read', { signal });
      return inputFormToFields(parameters.user_input_form ?? []);
    },

    async trigger(request) {
      checkWorkflow(request.workflowId);
      const options = optionsFor(request.options, DifyOptionsSchema, ctx.connection.name);
      const user = options.user ?? defaultUser;
      const mode = options.response_mode ?? 'streaming';
      const path = configuredWorkflowId ? `/workflows/${encodeURIComponent(configuredWorkflowId)}/run` : '/workflows/run';
      const inputs = await withUploadedFiles(request.inputs, request.files, user, request.signal);
      const body: Record<string, unknown> = { inputs, user, response_mode: mode };
      if (options.files) body.files = options.files;
      if (mode === 'streaming') return triggerStreaming(path, body, user, request);
      const answer = await call('POST', path, 'POST /workflows/run', DifyBlockingResponseSchema, 'never', {
        json: body,
        signal: request.signal,
        timeoutMs: blockingTimeoutMs,
      }).catch((error: unknown) => {
        throw explainLostTrigger(error, ctx.connection.name);
      });
      const handle: Record<string, string> = { user };
      if (answer.task_id) handle.taskId = answer.task_id;
      const snapshot = finishedDataToSnapshot({ ...answer.data, id: answer.workflow_run_id }, { workflowId, workflowName: appName, handle });
      snapshot.inputs ??= request.inputs;
      return { snapshot };
    },

    getRun(ref, signal) {
      return fetchRunDetail(ref, signal);
    },

    async *watch(ref, signal) {
      const user = ref.handle?.user ?? defaultUser;
      const controller = linkedController(signal);
      const tracker = new DifyRunTracker(
        { workflowId: ref.workflowId, workflowName: appName, handle: ref.handle },
        { runId: ref.runId, workflowId: ref.workflowId, status: 'running', tasks: emptyTaskCounts(), handle: ref.handle },
      );
      yield* follow(tracker, undefined, user, controller);
    },

    async stop(ref, signal) {
      const taskId = ref.handle?.taskId;
      if (!taskId) {
        throw new WorkflowRunsError(l10n.t('Dify can stop only runs started in streaming mode from this editor: this run has no task id.'), {
          kind: 'config',
          connection: ctx.connection.name,
        });
      }
      // Stopping twice is harmless, so a lost answer may be asked again.
      await call('POST', `/workflows/tasks/${encodeURIComponent(taskId)}/stop`, 'POST /workflows/tasks/{task_id}/stop', DifyStopResultSchema, 'deduplicated', {
        json: { user: ref.handle?.user ?? defaultUser },
        signal,
      });
    },

    async listRuns(id, cursor, signal) {
      checkWorkflow(id);
      const page = cursor ? Math.max(1, Number.parseInt(cursor, 10) || 1) : 1;
      const logs = await call('GET', '/workflows/logs', 'GET /workflows/logs', DifyLogsSchema, 'read', { query: { page, limit: pageSize }, signal });
      const items = logs.data.map((item) => logItemToSnapshot(item, { workflowId: id, workflowName: appName }));
      return logs.has_more ? { items, next: String(page + 1) } : { items };
    },
  };
}
