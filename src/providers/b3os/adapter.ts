// The B3OS provider. A run is triggered with an id made here, so its event stream can be opened
// *before* the trigger (the only way not to miss run_started), and whether a trigger whose answer
// was lost got through can be asked (GET /v1/runs/{id}) before it is sent again: B3OS documents
// the id as optional and client-made, not that it refuses one it already has.
import { randomBytes } from 'node:crypto';
import { WorkflowRunsError, describeError } from '../../client/errors';
import { optionsFor } from '../options';
import { TriggerCancel } from '../triggerCancel';
import { linkedController } from '../../client/abort';
import type { SseBatches } from '../../client/types';
import { emptyTaskCounts, type InputField, type Page, type RunRef, type RunSnapshot } from '../model';
import { bearerApi } from '../bearerApi';
import type { ProviderContext, TriggeredRun, WorkflowProvider } from '../provider';
import { B3osOptionsSchema } from './descriptor';
import { isB3osRefusal, parseB3osError } from './errors';
import { changes } from './changes';
import { followRun } from './follow';
import { runToSnapshot, workflowInputs, workflowToSummary } from './mapping';
import {
  B3osAnyResponseSchema,
  B3osRunIdResponseSchema,
  B3osRunListResponseSchema,
  B3osRunResponseSchema,
  B3osTriggerResponseSchema,
  B3osWorkflowListResponseSchema,
  B3osWorkflowResponseSchema,
} from './schemas';
import * as l10n from '@vscode/l10n';

/** Knobs tests turn; the defaults suit api.b3os.org. */
export interface B3osProviderTuning {
  /** A run stream silent for this long is treated as dropped (polling takes over). */
  idleTimeoutMs?: number;
  /** Workflows and runs per page (B3OS allows up to 100). */
  pageSize?: number;
}

/** The B3OS provider: retrying failed runs and reading definitions are always there. */
export interface B3osProvider extends WorkflowProvider {
  /** Retries a failed run (POST /v1/runs/{id}/retry): a new run, followed like a triggered one. */
  retry(ref: RunRef, signal?: AbortSignal): Promise<TriggeredRun>;
  retryRun(ref: RunRef, signal?: AbortSignal): Promise<TriggeredRun>;
  getDefinition(workflowId: string, signal?: AbortSignal): Promise<unknown>;
}

/** `run_` + 20 random hex digits: unique enough that a clash means our own earlier attempt. */
export function newRunId(): string {
  return `run_${randomBytes(10).toString('hex')}`;
}

/**
 * B3OS's answer to a run id it already has, should it refuse one: code 400079 (under a 400 or
 * inside a 200 envelope), or a 400/409 saying so.
 */
export function isDuplicateRunId(error: unknown): boolean {
  if (!(error instanceof WorkflowRunsError) || error.kind !== 'http') return false;
  if (error.code === '400079') return true;
  return (error.status === 400 || error.status === 409) && /duplicate|already exists/i.test(error.message);
}

/**
 * Whether a failed trigger may have started its run all the same, so its run id is worth looking
 * up: no answer (reset, timeout, cut) or none that can be read, a 5xx, or a refused duplicate run id.
 */
function mayHaveStarted(error: unknown): boolean {
  if (!(error instanceof WorkflowRunsError)) return false;
  if (error.kind === 'http') return isDuplicateRunId(error) || (error.status ?? 0) >= 500;
  return error.kind === 'network' || error.kind === 'timeout' || error.kind === 'stream' || error.kind === 'schema';
}

/** B3OS saying it has no such run: a 404, or a not-found code (404…) or message in any answer. */
function isNotFound(error: unknown): boolean {
  if (!(error instanceof WorkflowRunsError) || error.kind !== 'http') return false;
  return error.status === 404 || /^404/.test(error.code ?? '') || /not found/i.test(error.platformMessage ?? '');
}

/** What B3OS says of a run id: there, not there, or unknown (the question itself failed). */
type RunPresence = 'exists' | 'missing' | 'unknown';

export function createB3osProvider(ctx: ProviderContext, tuning: B3osProviderTuning = {}): B3osProvider {
  const idleTimeoutMs = tuning.idleTimeoutMs ?? 60_000;
  const pageSize = Math.min(100, tuning.pageSize ?? 50);

  const api = bearerApi(ctx, { platform: 'B3OS', parseError: parseB3osError, isErrorBody: isB3osRefusal });
  // The helpers are closures over the connection, not methods that need `this`.
  const { call } = api;

  async function openRunStream(runId: string, signal: AbortSignal): Promise<SseBatches | undefined> {
    try {
      return await api.stream('GET', `/v1/runs/${encodeURIComponent(runId)}/stream`, 'GET /v1/runs/{id}/stream', 'read', { idleTimeoutMs, signal });
    } catch (error) {
      if (signal.aborted) throw error;
      // Without the stream the run is still followed, by polling.
      ctx.log.warn(`B3OS run ${runId}: could not open its event stream (${describeError(error)}); polling instead.`);
      return undefined;
    }
  }

  async function fetchRun(runId: string, workflowId: string, handle: Record<string, string> | undefined, signal?: AbortSignal): Promise<RunSnapshot> {
    const answer = await call('GET', `/v1/runs/${encodeURIComponent(runId)}`, 'GET /v1/runs/{id}', B3osRunResponseSchema, 'read', { signal });
    const snapshot = runToSnapshot(answer.data, workflowId);
    // The caller's handle keeps what the answer does not say (a run's own fields win).
    if (handle) snapshot.handle = { ...handle, ...snapshot.handle };
    return snapshot;
  }

  /** Fetch failures worth surviving while following: the run not stored yet (404), or transient. */
  function survivable(error: unknown, attempt: number): boolean {
    return attempt <= 5 && error instanceof WorkflowRunsError && (error.status === 404 || error.retryable);
  }

  /** Snapshots until the run ends; closes the stream when the consumer stops listening. */
  async function* follow(ref: RunRef, events: SseBatches | undefined, controller: AbortController, fetchFirst: boolean): AsyncGenerator<RunSnapshot> {
    try {
      yield* followRun({
        events,
        fetchRun: (signal) => fetchRun(ref.runId, ref.workflowId, ref.handle, signal),
        onError: survivable,
        poll: { baseMs: () => ctx.pollIntervalMs },
        signal: controller.signal,
        fetchFirst,
        onStreamEnd: (error) => {
          if (error && !controller.signal.aborted) ctx.log.warn(`B3OS run ${ref.runId}: the event stream broke (${describeError(error)}); polling instead.`);
        },
      });
    } finally {
      controller.abort();
    }
  }

  /**
   * Whether B3OS has a run under an id this client made: asked before a trigger is sent again, and
   * after one failed in a way that may have started it. Only a not-found answer means "missing".
   */
  async function runPresence(runId: string, signal?: AbortSignal): Promise<RunPresence> {
    try {
      await call('GET', `/v1/runs/${encodeURIComponent(runId)}`, 'GET /v1/runs/{id}', B3osRunResponseSchema, 'read', { signal });
      return 'exists';
    } catch (error) {
      if (signal?.aborted) throw error;
      if (isNotFound(error)) return 'missing';
      ctx.log.warn(`B3OS run ${runId}: could not check whether it exists (${describeError(error)}).`);
      return 'unknown';
    }
  }

  function queued(runId: string, workflowId: string, handle: Record<string, string>, inputs?: unknown): RunSnapshot {
    const snapshot: RunSnapshot = { runId, workflowId, status: 'queued', createdAt: Date.now(), tasks: emptyTaskCounts() };
    if (inputs !== undefined) snapshot.inputs = inputs;
    if (Object.keys(handle).length > 0) snapshot.handle = handle;
    return snapshot;
  }

  async function retry(ref: RunRef, signal?: AbortSignal): Promise<TriggeredRun> {
    let answer;
    try {
      // Never resent: each retry is a new run.
      answer = await call('POST', `/v1/runs/${encodeURIComponent(ref.runId)}/retry`, 'POST /v1/runs/{id}/retry', B3osRunIdResponseSchema, 'never', { signal });
    } catch (error) {
      if (error instanceof WorkflowRunsError && (error.status === 400 || error.status === 409)) {
        throw new WorkflowRunsError(l10n.t('B3OS cannot retry run {0}: only failed runs can be retried.', ref.runId) + (error.message ? ` (${error.message})` : ''), {
          kind: 'http',
          status: error.status,
          code: error.code,
          requestId: error.requestId,
          connection: ctx.connection.name,
          endpoint: 'POST /v1/runs/{id}/retry',
        });
      }
      throw error;
    }
    const handle = { ...ref.handle };
    const next: RunRef = { runId: answer.data.runId, workflowId: ref.workflowId, handle };
    const controller = linkedController(signal);
    // The new run's id is B3OS's: its stream can only be opened now, so read its state first.
    const events = await openRunStream(next.runId, controller.signal);
    return { snapshot: queued(next.runId, ref.workflowId, handle), updates: follow(next, events, controller, true) };
  }

  async function listRunsPage(workflowId: string, cursor: string | undefined, signal?: AbortSignal): Promise<Page<RunSnapshot>> {
    const offset = parseOffset(cursor);
    const answer = await call('GET', `/v1/workflows/${encodeURIComponent(workflowId)}/runs`, 'GET /v1/workflows/{id}/runs', B3osRunListResponseSchema, 'read', {
      query: { limit: pageSize, offset },
      signal,
    });
    const items = (answer.data.items ?? []).map((run) => runToSnapshot(run, workflowId));
    return withNext(items, offset, answer.data.hasMore);
  }
  return {
    async verify(signal) {
      const answer = await call('GET', '/v1/workflows', 'GET /v1/workflows', B3osWorkflowListResponseSchema, 'read', { query: { limit: 1 }, signal });
      const count = answer.data.items?.length ?? 0;
      return count > 0 ? l10n.t('B3OS: API key accepted') : l10n.t('B3OS: API key accepted (no workflows yet)');
    },

    async listWorkflows(cursor, signal) {
      const offset = parseOffset(cursor);
      const answer = await call('GET', '/v1/workflows', 'GET /v1/workflows', B3osWorkflowListResponseSchema, 'read', { query: { limit: pageSize, offset }, signal });
      const items = (answer.data.items ?? []).map(workflowToSummary);
      return withNext(items, offset, answer.data.hasMore);
    },

    async getWorkflow(workflowId, signal) {
      const answer = await call('GET', `/v1/workflows/${encodeURIComponent(workflowId)}`, 'GET /v1/workflows/{id}', B3osWorkflowResponseSchema, 'read', { signal });
      return workflowToSummary(answer.data);
    },

    async describeInputs(workflowId, signal): Promise<InputField[]> {
      const answer = await call('GET', `/v1/workflows/${encodeURIComponent(workflowId)}`, 'GET /v1/workflows/{id}', B3osWorkflowResponseSchema, 'read', { signal });
      return workflowInputs(answer.data);
    },

    async trigger(request) {
      const options = optionsFor(request.options, B3osOptionsSchema, ctx.connection.name);
      const runId = newRunId();
      const cancel = new TriggerCancel(request.signal);
      const controller = cancel.controller;
      // Subscribe first: run_started is sent once, as the run starts.
      const streamController = linkedController(controller.signal);
      const events = await openRunStream(runId, streamController.signal);
      const body: Record<string, unknown> = { payload: request.inputs, runId };
      if (options.simulate !== undefined) body.simulate = options.simulate;
      if (options.dustTest !== undefined) body.dustTest = options.dustTest;
      if (options.version !== undefined) body.version = options.version;
      if (options.chatMessageId !== undefined) body.chatMessageId = options.chatMessageId;
      let acceptedId: string;
      // What the look before a resend found when it stopped the resend (the run, or no answer).
      let stoppedBy: RunPresence | undefined;
      try {
        // Sent again only after B3OS said it has no run under our id: a resend can then not start
        // a second run, whether or not B3OS would refuse the id twice (the same id each time).
        cancel.sent();
        const answer = await call('POST', `/v1/workflows/${encodeURIComponent(request.workflowId)}/run`, 'POST /v1/workflows/{id}/run', B3osTriggerResponseSchema, 'deduplicated', {
          json: body,
          signal: controller.signal,
          confirmResend: async () => {
            const presence = await runPresence(runId, controller.signal);
            if (presence !== 'missing') stoppedBy = presence;
            return presence === 'missing';
          },
        });
        acceptedId = answer.data?.runId || runId;
      } catch (error) {
        // The last attempt's answer was lost or refused (duplicate run id) after B3OS may have
        // done the work: the run id is ours, so B3OS can say whether the run exists.
        const presence = stoppedBy ?? (mayHaveStarted(error) && !controller.signal.aborted ? await runPresence(runId, controller.signal) : undefined);
        if (presence !== 'exists') {
          controller.abort();
          throw error;
        }
        ctx.log.info(`B3OS run ${runId} exists although its trigger answer was lost or refused: the trigger had gone through.`);
        acceptedId = runId;
      }
      const handle: Record<string, string> = {};
      if (options.simulate) handle.simulate = 'true';
      if (options.dustTest) handle.dustTest = 'true';
      if (options.version !== undefined) handle.version = String(options.version);
      // B3OS should keep our id; if it ever picks its own, our stream is for nothing.
      const stream = acceptedId === runId ? events : undefined;
      if (!stream) streamController.abort();
      const ref: RunRef = { runId: acceptedId, workflowId: request.workflowId, handle };
      const snapshot = queued(acceptedId, request.workflowId, handle, request.inputs);
      if (cancel.named()) {
        // Cancelled while B3OS answered: the caller stops the run (TriggerRequest.signal).
        controller.abort();
        return { snapshot };
      }
      return { snapshot, updates: follow(ref, stream, controller, stream === undefined) };
    },

    getRun(ref, signal) {
      return fetchRun(ref.runId, ref.workflowId, ref.handle, signal);
    },

    async *watch(ref, signal) {
      const controller = linkedController(signal);
      const events = await openRunStream(ref.runId, controller.signal);
      // The run began before this subscription: read its state at once, then on each event.
      yield* follow(ref, events, controller, true);
    },

    async stop(ref, signal) {
      try {
        // Cancelling twice is harmless, so a lost answer may be asked again.
        await call('POST', `/v1/runs/${encodeURIComponent(ref.runId)}/cancel`, 'POST /v1/runs/{id}/cancel', B3osAnyResponseSchema, 'deduplicated', { signal });
      } catch (error) {
        if (!(error instanceof WorkflowRunsError) || error.status !== 409) throw error;
        const run = await fetchRun(ref.runId, ref.workflowId, ref.handle, signal).catch(() => undefined);
        // A resent cancel whose first attempt got through.
        if (run?.status === 'stopped') return;
        const state = run?.platformStatus ? l10n.t(' (it is {0})', run.platformStatus) : '';
        throw new WorkflowRunsError(l10n.t('B3OS cannot cancel run {0}{1}: only running or waiting runs can be cancelled.', ref.runId, state), {
          kind: 'http',
          status: 409,
          code: error.code,
          requestId: error.requestId,
          connection: ctx.connection.name,
          endpoint: 'POST /v1/runs/{id}/cancel',
        });
      }
    },

    async *watchWorkflowRuns(workflowId, signal) {
      const controller = linkedController(signal);
      try {
        const events = await api.stream('GET', `/v1/workflows/${encodeURIComponent(workflowId)}/runs/stream`, 'GET /v1/workflows/{id}/runs/stream', 'read', {
          idleTimeoutMs,
          signal: controller.signal,
        });
        let broken: unknown;
        // The stream says only that something changed: the list is read at once, then after news,
        // at most once a polling interval however many events come, and once after the last.
        for await (const _ of changes(events, { signal: controller.signal, first: true, minIntervalMs: () => ctx.pollIntervalMs, onStreamEnd: (error) => (broken = error) })) {
          yield (await listRunsPage(workflowId, undefined, controller.signal)).items;
        }
        // A broken stream is a failure for the caller to pace its reopening by, as before.
        if (broken) throw broken;
      } finally {
        // Stops reading the stream when the consumer stops listening.
        controller.abort();
      }
    },

    listRuns: listRunsPage,

    retry,
    retryRun: retry,

    async getDefinition(workflowId, signal) {
      // The whole workflow as B3OS answers it (definition included), read loosely: it is shown, not used.
      const answer = await call('GET', `/v1/workflows/${encodeURIComponent(workflowId)}`, 'GET /v1/workflows/{id}', B3osAnyResponseSchema, 'read', { signal });
      return answer.data;
    },
  };
}

function parseOffset(cursor: string | undefined): number {
  const offset = cursor ? Number.parseInt(cursor, 10) : 0;
  return Number.isFinite(offset) && offset > 0 ? offset : 0;
}

/** The next page starts after what this one returned; an empty page ends the list whatever hasMore says. */
function withNext<T>(items: T[], offset: number, hasMore: boolean | null | undefined): Page<T> {
  return hasMore && items.length > 0 ? { items, next: String(offset + items.length) } : { items };
}
