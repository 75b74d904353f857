// Dify Service API for one workflow app, under `/v1` (docs/platforms/dify.md and Dify's OpenAPI
// description). Key `app-demo`; anything else is 401 `{code: "unauthorized", message, status}`.
//
// Behaviour worth knowing:
// - Runs are scoped by `user`: `GET /workflow/{id}/events` needs the run's own user (else 404);
//   `GET /workflows/run/{id}` checks it only when a `user` query parameter is given (Dify's
//   endpoint takes none). `GET /workflows/logs` lists every user's runs, newest first.
// - `POST /workflows/tasks/{task_id}/stop` answers `{result: "success"}` for any task id (as Dify
//   does); it stops streaming runs only — a blocking run keeps going.
// - `GET /workflow/{id}/events`: a finished run gives its final event only and closes; a running
//   one continues with new events, or replays the past first with `include_state_snapshot=true`.
// - Keep-alives are `event: ping` after `pingIntervalMs` of silence (Dify: 10 s; default here 2 s).
// - Stream errors are `data: {"event": "error", "status", "code", "message", …}` with HTTP 200.
import { type Exchange, type PlatformDefinition } from '../core/http';
import { dispatch, intParam, isPlainObject, type Route } from '../core/router';
import { waitUntil } from '../core/timeline';
import type { SseStream } from '../core/sse';
import { appInfo, appParameters, checkInputs, difyDemoKey, draftWorkflowId, publishedWorkflowId } from './app';
import { closesStream, DifyRun, endUserId } from './runs';
import { DifyUploads } from './files';
import { RunBook, type TriggerCount } from '../core/runBook';

export interface DifyOptions {
  speed: number;
  pingIntervalMs: number;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const logStatuses = ['succeeded', 'failed', 'stopped'];

export class DifyPlatform implements PlatformDefinition {
  readonly platform = 'dify' as const;
  readonly basePath = '/v1';
  private readonly runs = new RunBook<string, DifyRun>((book) => seedHistory(book));
  /** Files uploaded with `POST /files/upload`, which runs' file inputs refer to. */
  readonly uploads = new DifyUploads();

  constructor(private readonly options: DifyOptions) {}

  get runsCreated(): number {
    return this.runs.created;
  }

  triggers(): TriggerCount[] {
    return this.runs.triggers();
  }

  reset(): void {
    this.runs.reset();
    this.uploads.reset();
  }


  errorBody(status: number, message: string): unknown {
    const code = status === 401 ? 'unauthorized' : status === 404 ? 'not_found' : status === 405 ? 'method_not_allowed' : status === 429 ? 'too_many_requests' : status >= 500 ? 'internal_server_error' : 'bad_request';
    return { code, message, status };
  }

  private fail(ex: Exchange, status: number, code: string, message: string): void {
    ex.send(status, { code, message, status });
  }

  async handle(ex: Exchange): Promise<void> {
    if (!ex.path.startsWith('/v1/')) return this.fail(ex, 404, 'not_found', 'The requested URL was not found on the server.');
    const auth = ex.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/.exec(auth);
    if (!match) return this.fail(ex, 401, 'unauthorized', "Authorization header must be provided and start with 'Bearer'");
    if (match[1]!.trim() !== difyDemoKey) return this.fail(ex, 401, 'unauthorized', 'Access token is invalid');
    const routes: Route[] = [
      ['GET', /^\/v1\/info$/, (e) => e.send(200, appInfo)],
      ['GET', /^\/v1\/parameters$/, (e) => e.send(200, appParameters)],
      ['POST', /^\/v1\/workflows\/run$/, (e) => this.run(e, undefined)],
      ['GET', /^\/v1\/workflows\/run\/([^/]+)$/, (e, [id]) => this.detail(e, id!)],
      ['GET', /^\/v1\/workflows\/logs$/, (e) => this.logs(e)],
      ['POST', /^\/v1\/workflows\/tasks\/([^/]+)\/stop$/, (e, [id]) => this.stop(e, id!)],
      ['POST', /^\/v1\/workflows\/([^/]+)\/run$/, (e, [id]) => this.run(e, id!)],
      ['GET', /^\/v1\/workflow\/([^/]+)\/events$/, (e, [id]) => this.events(e, id!)],
      ['POST', /^\/v1\/files\/upload$/, (e) => this.upload(e)],
    ];
    if (!(await dispatch(ex, routes))) this.fail(ex, 404, 'not_found', 'The requested URL was not found on the server.');
  }

  private async run(ex: Exchange, workflowId: string | undefined): Promise<void> {
    // Dify has no idempotency key: every request is its own trigger.
    const key = `request:${ex.requestId}`;
    this.runs.noteTrigger(key);
    if (workflowId !== undefined) {
      if (!uuidPattern.test(workflowId)) return this.fail(ex, 400, 'bad_request', `Invalid workflow ID format: ${workflowId}.`);
      if (workflowId === draftWorkflowId) {
        return this.fail(ex, 400, 'bad_request', `Cannot use draft workflow version. Workflow ID: ${workflowId}. Please use a published workflow version or leave workflow_id empty.`);
      }
      if (workflowId !== publishedWorkflowId) return this.fail(ex, 404, 'not_found', `Workflow not found with id: ${workflowId}`);
    }
    const parsed = ex.json();
    if (!parsed.ok || !isPlainObject(parsed.value)) return this.fail(ex, 400, 'bad_request', 'The browser (or proxy) sent a request that this server could not understand.');
    const body = parsed.value;
    if (!isPlainObject(body.inputs)) return this.fail(ex, 400, 'invalid_param', 'inputs is required and must be an object.');
    if (typeof body.user !== 'string' || body.user === '') return this.fail(ex, 400, 'invalid_param', 'Arg user must be provided.');
    const mode = body.response_mode ?? 'blocking';
    if (mode !== 'blocking' && mode !== 'streaming') return this.fail(ex, 400, 'invalid_param', 'response_mode must be blocking or streaming.');
    if (body.files !== undefined && body.files !== null && !Array.isArray(body.files)) return this.fail(ex, 400, 'invalid_param', 'files must be a list.');
    const checked = checkInputs(body.inputs);
    if ('error' in checked) return this.fail(ex, 400, 'invalid_param', checked.error);
    const fileProblem = this.uploads.checkFileInputs(checked.inputs, body.user);
    if (fileProblem) return this.fail(ex, 400, 'invalid_param', fileProblem);

    const run = new DifyRun({ workflowId: publishedWorkflowId, user: body.user, inputs: checked.inputs, mode, speed: this.options.speed });
    this.runs.addCreated(run.id, run, key);
    if (mode === 'streaming') {
      this.follow(run, this.open(ex), 0);
      return;
    }
    // Blocking: hold the request until the run ends (or pauses).
    const done = await waitUntil(() => run.isOver || run.state().status === 'paused', () => ex.isGone);
    if (!done) return;
    const state = run.state();
    // In blocking mode an in-stream error event becomes an HTTP error answer.
    if (state.errorEvent) return this.fail(ex, state.errorEvent.status, state.errorEvent.code, state.errorEvent.message);
    ex.send(200, run.blocking());
  }

  /** A run started by another client (the emulator control's "runs started elsewhere"): streaming, another user. */
  startElsewhere(request: { inputs?: Record<string, unknown>; user?: string }): { runId: string } {
    const checked = checkInputs({ topic: 'Started elsewhere', ...request.inputs });
    if ('error' in checked) throw new Error(checked.error);
    const run = new DifyRun({ workflowId: publishedWorkflowId, user: request.user ?? 'someone-else', inputs: checked.inputs, mode: 'streaming', speed: this.options.speed });
    this.runs.addCreated(run.id, run, `elsewhere:${run.id}`);
    return { runId: run.id };
  }

  private open(ex: Exchange): SseStream {
    return ex.openStream({ pingMs: this.options.pingIntervalMs, ping: 'event: ping\n\n' });
  }

  /** Writes the run's events from index `from` as they happen; closes after the closing event. */
  private follow(run: DifyRun, stream: SseStream, from: number): void {
    let next = from;
    const tick = (): void => {
      if (stream.closed) return clearInterval(timer);
      const happened = run.timeline.happened();
      while (next < happened.length) {
        const { event } = happened[next++]!;
        stream.send({ data: event });
        if (closesStream(event)) {
          stream.end();
          return clearInterval(timer);
        }
      }
    };
    const timer = setInterval(tick, 20);
    stream.onClose(() => clearInterval(timer));
    tick();
  }

  private detail(ex: Exchange, id: string): void {
    const run = this.runs.get(id);
    if (!run || (ex.query.user !== undefined && ex.query.user !== run.user)) return this.fail(ex, 404, 'not_found', 'Workflow run not found.');
    ex.send(200, run.detail());
  }

  private stop(ex: Exchange, taskId: string): void {
    const parsed = ex.json();
    const body = parsed.ok && isPlainObject(parsed.value) ? parsed.value : {};
    if (typeof body.user !== 'string' || body.user === '') return this.fail(ex, 400, 'invalid_param', 'Arg user must be provided.');
    const run = this.runs.values().find((r) => r.taskId === taskId);
    if (run && run.mode === 'streaming') run.stop();
    ex.send(200, { result: 'success' });
  }

  private events(ex: Exchange, id: string): void {
    const user = ex.query.user;
    if (!user) return this.fail(ex, 400, 'invalid_param', 'Arg user must be provided.');
    const run = this.runs.get(id);
    if (!run || run.user !== user) return this.fail(ex, 404, 'not_found', 'Workflow run not found');
    const stream = this.open(ex);
    const happened = run.timeline.happened();
    if (run.isOver) {
      // A finished run: only its final event.
      const last = happened.at(-1)!.event;
      stream.send({ data: last });
      stream.end();
      return;
    }
    const snapshot = /^(true|1)$/i.test(ex.query.include_state_snapshot ?? '');
    this.follow(run, stream, snapshot ? 0 : happened.length);
  }

  private logs(ex: Exchange): void {
    const page = intParam(ex.query.page) ?? 1;
    const limit = intParam(ex.query.limit) ?? 20;
    if (!Number.isInteger(page) || page < 1 || page > 99_999) return this.fail(ex, 400, 'invalid_param', 'page must be between 1 and 99999.');
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return this.fail(ex, 400, 'invalid_param', 'limit must be between 1 and 100.');
    const status = ex.query.status;
    if (status !== undefined && !logStatuses.includes(status)) return this.fail(ex, 400, 'invalid_param', `status must be one of ${logStatuses.join(', ')}.`);
    const before = ex.query.created_at__before;
    const after = ex.query.created_at__after;
    const beforeMs = before === undefined ? undefined : Date.parse(before);
    const afterMs = after === undefined ? undefined : Date.parse(after);
    if (Number.isNaN(beforeMs) || Number.isNaN(afterMs)) return this.fail(ex, 400, 'invalid_param', 'created_at__before and created_at__after must be ISO 8601 timestamps.');
    const keyword = ex.query.keyword?.toLowerCase();
    const session = ex.query.created_by_end_user_session_id;
    let runs = this.runs.values().sort((a, b) => b.timeline.startedAt - a.timeline.startedAt);
    if (status) runs = runs.filter((r) => r.state().status === status);
    if (beforeMs !== undefined) runs = runs.filter((r) => r.timeline.startedAt < beforeMs);
    if (afterMs !== undefined) runs = runs.filter((r) => r.timeline.startedAt > afterMs);
    if (session) runs = runs.filter((r) => r.user === session);
    if (keyword) runs = runs.filter((r) => `${r.id} ${JSON.stringify(r.inputs)} ${JSON.stringify(r.state().outputs)}`.toLowerCase().includes(keyword));
    const slice = runs.slice((page - 1) * limit, page * limit);
    ex.send(200, { page, limit, total: runs.length, has_more: page * limit < runs.length, data: slice.map((r) => r.logItem()) });
  }

  /** `POST /files/upload`: multipart parsed from the bytes, Dify's size limits per category (./files.ts). */
  private upload(ex: Exchange): void {
    const answer = this.uploads.upload(ex.headers['content-type'] ?? '', ex.rawBody);
    if (!('file' in answer)) return this.fail(ex, answer.status, answer.code, answer.message);
    const { file } = answer;
    const now = Math.floor(Date.now() / 1000);
    ex.send(201, {
      id: file.id, reference: null, name: file.name, size: file.size, extension: file.extension, mime_type: file.mime,
      created_by: endUserId(file.user), created_at: now, preview_url: null,
      source_url: `${ex.origin}/files/${file.id}/file-preview?timestamp=${now}&nonce=${file.id.slice(0, 8)}&sign=emulator`,
      original_url: null, user_id: null, tenant_id: '11223344-5566-7788-99aa-bbccddeeff00', conversation_id: null, file_key: null,
    });
  }
}

/** A few finished runs from earlier today so the logs are not empty. */
function seedHistory(book: RunBook<string, DifyRun>): void {
  const past: Array<[string, number]> = [['normal', 5], ['fail', 4], ['partial', 3], ['normal', 2]];
  for (const [scenario, hoursAgo] of past) {
    const run = new DifyRun({
      workflowId: publishedWorkflowId,
      user: 'demo-user',
      inputs: { topic: `Release ${hoursAgo}.0`, tone: 'neutral', max_items: 5, include_summary: true, metadata: { release: `${hoursAgo}.0` }, scenario },
      mode: 'streaming',
      speed: 1,
      startedAt: Date.now() - hoursAgo * 3_600_000,
    });
    book.addSeeded(run.id, run);
  }
}
