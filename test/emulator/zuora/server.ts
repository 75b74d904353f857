// Zuora Workflow: the v1 REST API at the root (`/oauth/token`, `/workflows…`), the Quickstart API
// under `/v2`, and the callout endpoints `/api/v1/workflows/{id}/run|sync` (API token or Basic).
// Field names follow docs/platforms/zuora.md.
//
// Demo credentials: OAuth client `demo-client` / `demo-secret`; API token `demo-token`; Basic
// `demo` / `demo-secret`. Anything else: 401 with Zuora's error body.
//
// Behaviour worth knowing (documented by Zuora unless marked inferred):
// - The token endpoint answers 429 with Retry-After when called more than 20 times in 10 s.
// - Every response carries RateLimit-Limit/-Remaining/-Reset and Zuora-Request-Id, and echoes
//   Zuora-Track-Id (a malformed one — over 64 chars, non-ASCII or with : ; " ' — is a 400).
// - Bodies over 1,000 bytes are gzipped when Accept-Encoding allows.
// - Idempotency-Key on the run endpoints: the same key with the same body replays the first answer
//   without creating a run; the same key with another body is a 409 (inferred).
// - `page_length` over its maximum (50 workflows, 100 tasks) is a 400 (inferred: strict).
// - `PUT …/stop` answers the run (Zuora leaves the body undocumented); on an ended run: 400.
// - Quickstart `async: true` answers 202 `{ "request_id": … }` and still creates the run (inferred name).
import { randomUUID, randomBytes } from 'node:crypto';
import { type Exchange, type PlatformDefinition } from '../core/http';
import { dispatch, intParam, isPlainObject, type Route } from '../core/router';
import { waitUntil } from '../core/timeline';
import { reservedParameters, seedZuoraWorkflows, type ZuoraWorkflow } from './seed';
import { ZuoraRun, type ZuoraTask } from './runs';
import { RunBook, type TriggerCount } from '../core/runBook';

export const zuoraDemo = { clientId: 'demo-client', clientSecret: 'demo-secret', apiToken: 'demo-token', basicUser: 'demo', basicPassword: 'demo-secret' };

export interface ZuoraOptions {
  speed: number;
  /** Lifetime of issued tokens, reported as `expires_in` (Zuora: 3599). */
  tokenTtlSeconds: number;
}

const tokenBurst = { calls: 20, windowMs: 10_000 };
const tenantLimitPerMinute = 50_000;

interface StoredAnswer {
  fingerprint: string;
  status: number;
  body: unknown;
}

export class ZuoraPlatform implements PlatformDefinition {
  readonly platform = 'zuora' as const;
  readonly gzip = true;
  private readonly workflows = new Map<number, ZuoraWorkflow>();
  private readonly orderedWorkflows: ZuoraWorkflow[];
  private readonly runs = new RunBook<number, ZuoraRun>();
  private tasks = new Map<number, { run: ZuoraRun; task: ZuoraTask }>();
  private tokens = new Map<string, number>();
  private tokenCalls: number[] = [];
  private idempotency = new Map<string, StoredAnswer>();
  private window = { start: 0, count: 0 };
  private nextRunId = 20_001;
  private nextTaskId = 60_001;
  private runSeq = new Map<number, number>();

  constructor(private readonly options: ZuoraOptions) {
    this.orderedWorkflows = seedZuoraWorkflows();
    for (const wf of this.orderedWorkflows) this.workflows.set(wf.id, wf);
  }

  get runsCreated(): number {
    return this.runs.created;
  }

  triggers(): TriggerCount[] {
    return this.runs.triggers();
  }

  reset(): void {
    this.runs.reset();
    this.tasks = new Map();
    this.tokens = new Map();
    this.tokenCalls = [];
    this.idempotency = new Map();
    this.window = { start: 0, count: 0 };
  }

  errorBody(status: number, message: string): unknown {
    const code = status === 401 ? 'unauthorized' : status === 404 ? 'resource_missing' : status === 405 ? 'method_not_allowed' : status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'internal_error' : 'invalid_request';
    return zuoraError(status, code, message);
  }

  responseHeaders(ex: Exchange): Record<string, string> {
    const now = Date.now();
    const headers: Record<string, string> = {
      'ratelimit-limit': String(tenantLimitPerMinute),
      'ratelimit-remaining': String(Math.max(0, tenantLimitPerMinute - this.window.count)),
      'ratelimit-reset': String(Math.max(1, Math.ceil((this.window.start + 60_000 - now) / 1000))),
      'zuora-request-id': ex.requestId,
    };
    const track = ex.headers['zuora-track-id'];
    if (track !== undefined && validTrackId(track)) headers['zuora-track-id'] = track;
    return headers;
  }

  async handle(ex: Exchange): Promise<void> {
    const now = Date.now();
    if (now - this.window.start >= 60_000) this.window = { start: now - (now % 60_000), count: 0 };
    this.window.count += 1;
    const track = ex.headers['zuora-track-id'];
    if (track !== undefined && !validTrackId(track)) {
      return ex.send(400, zuoraError(400, 'invalid_value', 'Zuora-Track-Id must be at most 64 US-ASCII characters without : ; " or \'.', 'Zuora-Track-Id'));
    }
    const routes: Route[] = [
      ['POST', /^\/oauth\/token$/, (e) => this.token(e)],
      [['GET', 'POST'], /^\/api\/v1\/workflows\/([^/]+)\/(run|sync)$/, (e, [id, mode]) => this.callout(e, id!, mode === 'sync')],
      ['POST', /^\/v2\/workflows\/([^/]+)\/run$/, (e, [id]) => this.bearer(e) && this.quickstartRun(e, id!)],
      ['GET', /^\/workflows$/, (e) => this.bearer(e) && this.listWorkflows(e)],
      ['GET', /^\/workflows\/workflow_runs\/([^/]+)$/, (e, [id]) => this.bearer(e) && this.getRun(e, id!)],
      ['PUT', /^\/workflows\/workflow_runs\/([^/]+)\/stop$/, (e, [id]) => this.bearer(e) && this.stopRun(e, id!)],
      ['GET', /^\/workflows\/tasks$/, (e) => this.bearer(e) && this.listTasks(e)],
      ['POST', /^\/workflows\/tasks\/([^/]+)\/rerun$/, (e, [id]) => this.bearer(e) && this.rerunTask(e, id!)],
      ['GET', /^\/workflows\/([^/]+)$/, (e, [id]) => this.bearer(e) && this.getWorkflow(e, id!)],
      ['POST', /^\/workflows\/([^/]+)\/run$/, (e, [id]) => this.bearer(e) && this.v1Run(e, id!)],
    ];
    if (!(await dispatch(ex, routes))) ex.sendError(404, `No route matches ${ex.method} ${ex.path}.`);
  }

  // --- auth -------------------------------------------------------------------------------------

  private token(ex: Exchange): void {
    const now = Date.now();
    this.tokenCalls = this.tokenCalls.filter((t) => now - t < tokenBurst.windowMs);
    this.tokenCalls.push(now);
    if (this.tokenCalls.length > tokenBurst.calls) {
      const retry = Math.max(1, Math.ceil((this.tokenCalls[0]! + tokenBurst.windowMs - now) / 1000));
      return ex.send(429, zuoraError(429, 'rate_limit_exceeded', 'Too many token requests from this IP address. Retry later.'), { 'retry-after': String(retry) });
    }
    if (!/application\/x-www-form-urlencoded/i.test(ex.headers['content-type'] ?? '')) {
      return ex.send(400, zuoraError(400, 'invalid_request', 'The token request must be application/x-www-form-urlencoded.', 'Content-Type'));
    }
    const form = new URLSearchParams(ex.body);
    if (form.get('grant_type') !== 'client_credentials') {
      return ex.send(400, zuoraError(400, 'unsupported_grant_type', 'grant_type must be client_credentials.', 'grant_type'));
    }
    if (form.get('client_id') !== zuoraDemo.clientId || form.get('client_secret') !== zuoraDemo.clientSecret) {
      return ex.send(401, zuoraError(401, 'invalid_client', 'Invalid client_id or client_secret.', 'client_id'));
    }
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, now + this.options.tokenTtlSeconds * 1000);
    ex.send(200, {
      access_token: token,
      token_type: 'bearer',
      expires_in: this.options.tokenTtlSeconds,
      scope: 'entity.1a2b7a37-3e7d-4cb3-b0e2-883de9e766cc platform.write service.workflow.read service.workflow.write tenant.9999 user.7a3f9c',
      jti: randomUUID().replace(/-/g, ''),
    });
  }

  /** True when the bearer token is valid; otherwise answers 401 and returns false. */
  private bearer(ex: Exchange): boolean {
    const match = /^Bearer\s+(\S+)$/i.exec(ex.headers.authorization ?? '');
    if (!match) {
      ex.send(401, zuoraError(401, 'unauthorized', 'Authentication error: missing bearer token.', 'Authorization'));
      return false;
    }
    const expires = this.tokens.get(match[1]!);
    if (expires === undefined || expires <= Date.now()) {
      if (expires !== undefined) this.tokens.delete(match[1]!);
      ex.send(401, zuoraError(401, 'unauthorized', expires === undefined ? 'Authentication error: invalid token.' : 'Authentication error: token expired.', 'Authorization'));
      return false;
    }
    return true;
  }

  private calloutAuthorized(ex: Exchange): boolean {
    if (ex.headers['api-token'] === zuoraDemo.apiToken) return true;
    const basic = /^Basic\s+(\S+)$/i.exec(ex.headers.authorization ?? '');
    if (basic && Buffer.from(basic[1]!, 'base64').toString('utf8') === `${zuoraDemo.basicUser}:${zuoraDemo.basicPassword}`) return true;
    return false;
  }

  // --- definitions ------------------------------------------------------------------------------

  private listWorkflows(ex: Exchange): void {
    const page = intParam(ex.query.page) ?? 1;
    const pageLength = intParam(ex.query.page_length) ?? 20;
    if (!Number.isInteger(page) || page < 1) return ex.send(400, zuoraError(400, 'invalid_value', 'page must be a positive integer.', 'page'));
    if (!Number.isInteger(pageLength) || pageLength < 1 || pageLength > 50) {
      return ex.send(400, zuoraError(400, 'invalid_value', 'page_length must be between 1 and 50.', 'page_length'));
    }
    let list = this.orderedWorkflows;
    const name = ex.query.name;
    if (name) list = list.filter((wf) => wf.name.toLowerCase().includes(name.toLowerCase()));
    for (const [param, field] of [
      ['callout_trigger', 'calloutTrigger'],
      ['ondemand_trigger', 'ondemandTrigger'],
      ['scheduled_trigger', 'scheduledTrigger'],
    ] as const) {
      const value = ex.query[param];
      if (value === 'true' || value === 'false') list = list.filter((wf) => wf[field] === (value === 'true'));
    }
    if (ex.query.interval) list = list.filter((wf) => wf.interval === ex.query.interval);
    const slice = list.slice((page - 1) * pageLength, page * pageLength);
    const more = page * pageLength < list.length;
    const next = new URL(ex.path, ex.origin);
    for (const [k, v] of Object.entries(ex.query)) next.searchParams.set(k, v);
    next.searchParams.set('page', String(page + 1));
    next.searchParams.set('page_length', String(pageLength));
    ex.send(200, { data: slice.map(workflowView), pagination: { next_page: more ? next.toString() : null, page, page_length: pageLength } });
  }

  private getWorkflow(ex: Exchange, id: string): void {
    const wf = this.workflows.get(Number(id));
    if (!/^\d+$/.test(id) || !wf) return ex.send(404, zuoraError(404, 'resource_missing', `Workflow ${id} not found.`, 'workflow_id'));
    ex.send(200, workflowView(wf));
  }

  // --- runs -------------------------------------------------------------------------------------

  /** Validates the target and the parameters; answers the error and returns undefined if invalid. */
  private runnable(ex: Exchange, id: string, parameters: unknown): { wf: ZuoraWorkflow; params: Record<string, unknown> } | undefined {
    const numeric = /^\d+$/.test(id) ? Number(id) : Number.NaN;
    const wf = this.workflows.get(numeric);
    if (!wf) {
      if (this.runs.has(numeric)) {
        ex.send(409, zuoraError(409, 'conflict', `${id} is a workflow run, not a workflow definition.`, 'workflow_id'));
      } else ex.send(404, zuoraError(404, 'resource_missing', `Workflow ${id} not found.`, 'workflow_id'));
      return undefined;
    }
    if (parameters !== undefined && !isPlainObject(parameters)) {
      ex.send(400, zuoraError(400, 'invalid_value', 'The request body must be a JSON object of input parameters.'));
      return undefined;
    }
    const params = (parameters ?? {}) as Record<string, unknown>;
    const reserved = Object.keys(params).find((key) => reservedParameters.includes(key));
    if (reserved) {
      ex.send(400, zuoraError(400, 'invalid_value', `The parameter name "${reserved}" is reserved by Zuora.`, reserved));
      return undefined;
    }
    const missing = wf.requiredParameters.find((key) => params[key] === undefined || params[key] === null || params[key] === '');
    if (missing) {
      ex.send(406, zuoraError(406, 'missing_parameter', `Required parameter ${missing} is missing.`, missing));
      return undefined;
    }
    return { wf, params };
  }

  /** Triggers are counted per Idempotency-Key; a request without one is its own key. */
  private noteTrigger(ex: Exchange): string {
    const key = ex.headers['idempotency-key'] || `request:${ex.requestId}`;
    this.runs.noteTrigger(key);
    return key;
  }

  private createRun(wf: ZuoraWorkflow, params: Record<string, unknown>, triggerKey: string): ZuoraRun {
    const id = this.nextRunId++;
    const seq = (this.runSeq.get(wf.id) ?? 0) + 1;
    this.runSeq.set(wf.id, seq);
    const tasks = wf.tasks.map((plan) => ({ id: this.nextTaskId++, plan }));
    const run = new ZuoraRun(id, `WF-${wf.id}-${String(seq).padStart(8, '0')}`, wf, params, tasks, this.options.speed);
    this.runs.addCreated(id, run, triggerKey);
    for (const task of tasks) this.tasks.set(task.id, { run, task });
    return run;
  }

  /** Replays a stored answer for a repeated Idempotency-Key, or stores the fresh one. */
  private idempotent(ex: Exchange, produce: () => { status: number; body: unknown; headers?: Record<string, string> } | undefined): void {
    const key = ex.headers['idempotency-key'];
    const fingerprint = `${ex.method} ${ex.path} ${ex.body}`;
    if (key) {
      const stored = this.idempotency.get(key);
      if (stored) {
        if (stored.fingerprint !== fingerprint) {
          return ex.send(409, zuoraError(409, 'idempotency_conflict', 'This Idempotency-Key was already used with a different request.', 'Idempotency-Key'));
        }
        return ex.send(stored.status, stored.body);
      }
    }
    const answer = produce();
    if (!answer) return; // produce() answered an error itself
    if (key) this.idempotency.set(key, { fingerprint, status: answer.status, body: answer.body });
    ex.send(answer.status, answer.body, answer.headers);
  }

  private v1Run(ex: Exchange, id: string): void {
    const key = this.noteTrigger(ex);
    const parsed = ex.json();
    if (!parsed.ok) return ex.send(400, zuoraError(400, 'invalid_json', 'The request body is not valid JSON.'));
    this.idempotent(ex, () => {
      const target = this.runnable(ex, id, parsed.value);
      if (!target) return undefined;
      return { status: 200, body: this.createRun(target.wf, target.params, key).triggerView() };
    });
  }

  private quickstartRun(ex: Exchange, id: string): void {
    const key = this.noteTrigger(ex);
    const parsed = ex.json();
    if (!parsed.ok) return ex.send(400, zuoraError(400, 'invalid_json', 'The request body is not valid JSON.'));
    const body = parsed.value ?? {};
    if (!isPlainObject(body)) return ex.send(400, zuoraError(400, 'invalid_value', 'The request body must be a JSON object.'));
    this.idempotent(ex, () => {
      const target = this.runnable(ex, id, body.input_parameters);
      if (!target) return undefined;
      const run = this.createRun(target.wf, target.params, key);
      if (/^true$/i.test(ex.headers.async ?? '')) return { status: 202, body: { request_id: randomUUID() } };
      return { status: 201, body: run.quickstartView() };
    });
  }

  private async callout(ex: Exchange, id: string, sync: boolean): Promise<void> {
    if (!this.calloutAuthorized(ex)) {
      return ex.send(401, zuoraError(401, 'unauthorized', 'Invalid API token or user name and password.', 'API-Token'), { 'www-authenticate': 'Basic realm="Workflow"' });
    }
    const key = this.noteTrigger(ex);
    let parameters: unknown;
    if (ex.method === 'GET') parameters = { ...ex.query };
    else {
      const parsed = ex.json();
      if (!parsed.ok) return ex.send(400, zuoraError(400, 'invalid_json', 'The request body is not valid JSON.'));
      parameters = parsed.value;
    }
    const wf = this.workflows.get(Number(id));
    if (wf && !wf.calloutTrigger) {
      return ex.send(400, zuoraError(400, 'callout_trigger_disabled', `The Callout trigger is not enabled for workflow ${id}.`, 'workflow_id'));
    }
    if (!sync) {
      if (ex.method === 'GET') {
        const target = this.runnable(ex, id, parameters);
        if (target) ex.send(200, this.createRun(target.wf, target.params, key).triggerView());
        return;
      }
      return this.idempotent(ex, () => {
        const target = this.runnable(ex, id, parameters);
        return target ? { status: 200, body: this.createRun(target.wf, target.params, key).triggerView() } : undefined;
      });
    }
    const target = this.runnable(ex, id, parameters);
    if (!target) return;
    const run = this.createRun(target.wf, target.params, key);
    // The responsive endpoint holds the request until the run has ended.
    if (await waitUntil(() => run.isOver, () => ex.isGone)) ex.send(200, run.view());
  }

  private getRun(ex: Exchange, id: string): void {
    const run = this.runs.get(Number(id));
    if (!/^\d+$/.test(id) || !run) return ex.send(404, zuoraError(404, 'resource_missing', `Workflow run ${id} not found.`, 'workflow_run_id'));
    ex.send(200, run.view());
  }

  private stopRun(ex: Exchange, id: string): void {
    const run = this.runs.get(Number(id));
    if (!/^\d+$/.test(id) || !run) return ex.send(404, zuoraError(404, 'resource_missing', `Workflow run ${id} not found.`, 'workflow_run_id'));
    if (!run.stop()) return ex.send(400, zuoraError(400, 'invalid_state', `Workflow run ${id} has already ended.`, 'workflow_run_id'));
    ex.send(200, run.view());
  }

  private listTasks(ex: Exchange): void {
    const page = intParam(ex.query.page) ?? 1;
    const pageLength = intParam(ex.query.page_length) ?? 20;
    if (!Number.isInteger(page) || page < 1) return ex.send(400, zuoraError(400, 'invalid_value', 'page must be a positive integer.', 'page'));
    if (!Number.isInteger(pageLength) || pageLength < 1 || pageLength > 100) {
      return ex.send(400, zuoraError(400, 'invalid_value', 'page_length must be between 1 and 100.', 'page_length'));
    }
    const runId = ex.query.workflow_id;
    let entries = [...this.tasks.values()];
    if (runId !== undefined) entries = entries.filter(({ run }) => String(run.id) === runId);
    let views = entries.map(({ run, task }) => run.taskView(task));
    if (ex.query.status) views = views.filter((t) => t.status === ex.query.status);
    const slice = views.slice((page - 1) * pageLength, page * pageLength);
    const more = page * pageLength < views.length;
    const next = new URL(ex.path, ex.origin);
    for (const [k, v] of Object.entries(ex.query)) next.searchParams.set(k, v);
    next.searchParams.set('page', String(page + 1));
    ex.send(200, { data: slice, pagination: { next_page: more ? next.toString() : null, page, page_length: pageLength } });
  }

  private rerunTask(ex: Exchange, id: string): void {
    const entry = this.tasks.get(Number(id));
    if (!/^\d+$/.test(id) || !entry) return ex.send(404, zuoraError(404, 'resource_missing', `Task ${id} not found.`, 'task_id'));
    this.idempotent(ex, () => {
      if (entry.run.rerunTask(entry.task.id) === 'busy') {
        ex.send(400, zuoraError(400, 'invalid_state', `Task ${id} has not finished yet and cannot be rerun.`, 'task_id'));
        return undefined;
      }
      return { status: 200, body: entry.run.taskView(entry.task) };
    });
  }
}

function workflowView(wf: ZuoraWorkflow): Record<string, unknown> {
  return {
    id: wf.id,
    name: wf.name,
    description: wf.description,
    status: wf.status,
    active_version: { id: wf.activeVersion.id, description: wf.activeVersion.description, status: 'Active', type: 'Workflow::Setup', version: wf.activeVersion.version },
    callout_trigger: wf.calloutTrigger,
    ondemand_trigger: wf.ondemandTrigger,
    scheduled_trigger: wf.scheduledTrigger,
    interval: wf.interval,
    timezone: wf.timezone,
    created_at: wf.createdAt,
    updated_at: wf.updatedAt,
  };
}

/** Zuora's error body: `{type, errors: [{code, parameter, message}], retryable}`. */
export function zuoraError(status: number, code: string, message: string, parameter: string | null = null): Record<string, unknown> {
  const type = status === 401 ? 'authentication_error' : status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
  return { type, errors: [{ code, parameter, message }], retryable: status === 429 || status >= 500 };
}

function validTrackId(value: string): boolean {
  return value.length <= 64 && /^[\x20-\x7e]*$/.test(value) && !/[:;"']/.test(value);
}
