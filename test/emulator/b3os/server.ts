// B3OS Workflow API (docs/platforms/b3os.md and B3OS's OpenAPI description).
// Key `b3sk_demo`; anything else is 401 `{code, details: [], message, requestId}`.
// Successes are wrapped `{code: 200, data, message: "success", requestId}`; `X-Request-Id`
// repeats the request id.
//
// Behaviour worth knowing:
// - `limit` over 100 is clamped to 100; a negative or malformed limit/offset is a 400.
// - `POST /v1/workflows/{id}/run`: archived → 400; draft, active and paused run (B3OS's run page says so).
//   A `runId` already used for the same workflow answers 200 with that run id and creates nothing
//   (a retried trigger); used by another workflow → 400.
// - `GET /v1/runs/{id}/stream` may be opened before the run exists (for a client-made run_ id): it
//   sends keep-alives (`event: ping`) until the run appears, then replays it from `run_started`,
//   follows it live and closes after the final run event.
// - `POST /v1/runs/{id}/cancel` → the cancelled run; 409 unless running/waiting.
// - `POST /v1/runs/{id}/retry` → `{runId}` of a new run with the same payload; 409 unless failed.
import { type Exchange, type PlatformDefinition } from '../core/http';
import { dispatch, isPlainObject, type Route } from '../core/router';
import { waitUntil } from '../core/timeline';
import { B3Run, isFinal, newRunId, type RunStatus } from './runs';
import { behaviours, creator, organizationId, seedB3osWorkflows, type B3Workflow, type Behaviour } from './seed';
import { planFor } from './plans';
import { RunBook, type TriggerCount } from '../core/runBook';

export const b3osDemoKey = 'b3sk_demo';

export interface B3osOptions {
  speed: number;
  pingIntervalMs: number;
}

const endedStatuses = new Set<RunStatus>(['success', 'failure', 'cancelled']);
const runStatuses: RunStatus[] = ['running', 'waiting', 'success', 'failure', 'cancelled'];

export class B3osPlatform implements PlatformDefinition {
  readonly platform = 'b3os' as const;
  private readonly workflows: B3Workflow[] = seedB3osWorkflows();
  private readonly runs = new RunBook<string, B3Run>((book) => this.seedHistory(book));

  constructor(private readonly options: B3osOptions) {}

  get runsCreated(): number {
    return this.runs.created;
  }

  triggers(): TriggerCount[] {
    return this.runs.triggers();
  }

  reset(): void {
    this.runs.reset();
  }

  /** Past runs, so run lists are not empty, and one run that has been waiting for hours. */
  private seedHistory(book: RunBook<string, B3Run>): void {
    const past: Array<[string, Behaviour, number]> = [
      ['wf_9k2m4x7q1b3n', 'normal', 26],
      ['wf_9k2m4x7q1b3n', 'fail', 25],
      ['wf_9k2m4x7q1b3n', 'normal', 3],
      ['wf_3f8d1c6a0e5t', 'fail', 5],
      ['wf_1q6w3e8r5t2y', 'wait', 2],
      ['wf_5u0i7o2p9a4s', 'normal', 400],
    ];
    for (const [workflowId, behaviour, hoursAgo] of past) {
      const workflow = this.workflows.find((wf) => wf.id === workflowId)!;
      const run = new B3Run({ id: newRunId(), workflow, version: workflow.version, payload: {}, behaviour, simulate: false, dustTest: false, speed: 1, startedAt: Date.now() - hoursAgo * 3_600_000, triggerSource: 'manual' });
      book.addSeeded(run.id, run);
    }
  }

  errorBody(status: number, message: string, requestId: string): unknown {
    return { code: status, details: [], message, requestId };
  }

  responseHeaders(ex: Exchange): Record<string, string> {
    return { 'x-request-id': ex.requestId };
  }

  private ok(ex: Exchange, data: unknown): void {
    ex.send(200, { code: 200, data, message: 'success', requestId: ex.requestId });
  }

  async handle(ex: Exchange): Promise<void> {
    const match = /^Bearer\s+(.+)$/.exec(ex.headers.authorization ?? '');
    if (!match) return ex.sendError(401, 'unauthorized: missing API key');
    if (match[1]!.trim() !== b3osDemoKey) return ex.sendError(401, 'unauthorized: invalid API key');
    const routes: Route[] = [
      ['GET', /^\/v1\/workflows$/, (e) => this.listWorkflows(e)],
      ['GET', /^\/v1\/workflows\/([^/]+)$/, (e, [id]) => this.getWorkflow(e, id!)],
      ['POST', /^\/v1\/workflows\/([^/]+)\/run$/, (e, [id]) => this.run(e, id!)],
      ['GET', /^\/v1\/workflows\/([^/]+)\/runs$/, (e, [id]) => this.listRuns(e, id!)],
      ['GET', /^\/v1\/runs$/, (e) => this.listRuns(e, undefined)],
      ['GET', /^\/v1\/runs\/([^/]+)$/, (e, [id]) => this.getRun(e, id!)],
      ['GET', /^\/v1\/runs\/([^/]+)\/stream$/, (e, [id]) => this.stream(e, id!)],
      ['POST', /^\/v1\/runs\/([^/]+)\/cancel$/, (e, [id]) => this.cancel(e, id!)],
      ['POST', /^\/v1\/runs\/([^/]+)\/retry$/, (e, [id]) => this.retry(e, id!)],
      ['GET', /^\/v1\/workflows\/([^/]+)\/runs\/stream$/, (e, [id]) => this.workflowRunsStream(e, id!)],
    ];
    if (!(await dispatch(ex, routes))) ex.sendError(404, `route not found: ${ex.method} ${ex.path}`);
  }

  /** limit/offset, or undefined after answering 400. */
  private paging(ex: Exchange): { limit: number; offset: number } | undefined {
    const parse = (value: string | undefined, fallback: number): number => (value === undefined || value === '' ? fallback : /^\d+$/.test(value) ? Number(value) : Number.NaN);
    const limit = parse(ex.query.limit, 20);
    const offset = parse(ex.query.offset, 0);
    if (Number.isNaN(limit) || Number.isNaN(offset)) {
      ex.sendError(400, 'invalid pagination: limit and offset must be non-negative integers');
      return undefined;
    }
    return { limit: Math.min(Math.max(limit, 1), 100), offset };
  }

  private listWorkflows(ex: Exchange): void {
    const paging = this.paging(ex);
    if (!paging) return;
    const items = this.workflows.slice(paging.offset, paging.offset + paging.limit).map((wf) => this.listItem(wf));
    this.ok(ex, { items, limit: paging.limit, offset: paging.offset, hasMore: paging.offset + paging.limit < this.workflows.length });
  }

  private find(ex: Exchange, id: string): B3Workflow | undefined {
    const wf = this.workflows.find((w) => w.id === id);
    if (!wf) ex.sendError(404, `workflow not found: ${id}`);
    return wf;
  }

  private getWorkflow(ex: Exchange, id: string): void {
    const wf = this.find(ex, id);
    if (wf) this.ok(ex, this.entity(wf));
  }

  private async run(ex: Exchange, id: string): Promise<void> {
    const wf = this.find(ex, id);
    if (!wf) return;
    const parsed = ex.json();
    const body = parsed.ok ? (parsed.value ?? {}) : undefined;
    if (!isPlainObject(body)) return ex.sendError(400, 'invalid request body: expected a JSON object');
    if (body.payload !== undefined && body.payload !== null && !isPlainObject(body.payload)) return ex.sendError(400, 'invalid request body: payload must be an object');
    if (body.runId !== undefined && (typeof body.runId !== 'string' || !/^run_[A-Za-z0-9_-]+$/.test(body.runId))) return ex.sendError(400, 'invalid runId: must start with "run_"');
    for (const flag of ['simulate', 'dustTest'] as const) if (body[flag] !== undefined && typeof body[flag] !== 'boolean') return ex.sendError(400, `invalid request body: ${flag} must be a boolean`);
    if (body.simulate === true && body.dustTest === true) return ex.sendError(400, 'simulate and dustTest are mutually exclusive');
    if (body.version !== undefined && (!Number.isInteger(body.version) || (body.version as number) < 1 || (body.version as number) > wf.version)) {
      return ex.sendError(400, `invalid version: workflow ${wf.id} has versions 1 to ${wf.version}`);
    }
    if (wf.status === 'archived') return ex.sendError(400, 'workflow is archived and cannot be run');
    const runId = (body.runId as string | undefined) ?? newRunId();
    // Counted by run id: a client-made id sent twice is one trigger resent, not two runs.
    this.runs.noteTrigger(runId);
    const existing = this.runs.get(runId);
    if (existing) {
      if (existing.workflow.id !== wf.id) return ex.sendError(400, `runId ${runId} is already used by another workflow`);
      return this.ok(ex, { runId }); // a retried trigger: same run, nothing new
    }
    const payload = (body.payload as Record<string, unknown> | undefined) ?? {};
    const scenario = payload.scenario;
    const behaviour = typeof scenario === 'string' && (behaviours as readonly string[]).includes(scenario) ? (scenario as Behaviour) : wf.behaviour;
    this.start(new B3Run({ id: runId, workflow: wf, version: (body.version as number | undefined) ?? wf.version, payload, behaviour, simulate: body.simulate === true, dustTest: body.dustTest === true, speed: this.options.speed }));
    this.ok(ex, { runId });
  }

  private start(run: B3Run): void {
    this.runs.addCreated(run.id, run, run.id);
    run.workflow.lastTriggeredAt = new Date().toISOString();
  }

  private listRuns(ex: Exchange, workflowId: string | undefined): void {
    if (workflowId !== undefined && !this.find(ex, workflowId)) return;
    const paging = this.paging(ex);
    if (!paging) return;
    const status = ex.query.status;
    if (status !== undefined && status !== '' && !runStatuses.includes(status as RunStatus)) return ex.sendError(400, `invalid status: ${status}`);
    let runs = this.runs.values().filter((r) => workflowId === undefined || r.workflow.id === workflowId);
    if (status) runs = runs.filter((r) => r.state().status === status);
    runs.sort((a, b) => b.timeline.startedAt - a.timeline.startedAt);
    const items = runs.slice(paging.offset, paging.offset + paging.limit).map((r) => r.listItem());
    this.ok(ex, { items, limit: paging.limit, offset: paging.offset, hasMore: paging.offset + paging.limit < runs.length });
  }

  private getRun(ex: Exchange, id: string): void {
    const run = this.runs.get(id);
    if (!run) return ex.sendError(404, `run not found: ${id}`);
    this.ok(ex, run.view());
  }

  private async stream(ex: Exchange, id: string): Promise<void> {
    if (!/^run_[A-Za-z0-9_-]+$/.test(id)) return ex.sendError(400, 'invalid run id: must start with "run_"');
    const stream = ex.openStream({ pingMs: this.options.pingIntervalMs, ping: 'event: ping\ndata: {}\n\n' });
    // Subscribing before the run exists is the documented way to see `run_started`.
    if (!(await waitUntil(() => this.runs.has(id), () => stream.closed))) return;
    const run = this.runs.get(id)!;
    let next = 0;
    const tick = (): void => {
      if (stream.closed) return clearInterval(timer);
      const happened = run.timeline.happened();
      while (next < happened.length) {
        const { event } = happened[next++]!;
        stream.send({ id: String(next), event: event.event, data: event.data });
        if (isFinal(event)) {
          stream.end();
          return clearInterval(timer);
        }
      }
    };
    const timer = setInterval(tick, 20);
    stream.onClose(() => clearInterval(timer));
    tick();
  }

  private cancel(ex: Exchange, id: string): void {
    const run = this.runs.get(id);
    if (!run) return ex.sendError(404, `run not found: ${id}`);
    if (!run.cancel()) return ex.sendError(409, `run cannot be cancelled: only running or waiting runs can be cancelled (status: ${run.state().status})`);
    this.ok(ex, run.view());
  }

  private retry(ex: Exchange, id: string): void {
    const run = this.runs.get(id);
    if (!run) return ex.sendError(404, `run not found: ${id}`);
    const status = run.state().status;
    if (status !== 'failure') return ex.sendError(409, `run cannot be retried: only failed runs can be retried (status: ${status})`);
    const scenario = run.payload.scenario;
    const behaviour = typeof scenario === 'string' && (behaviours as readonly string[]).includes(scenario) ? (scenario as Behaviour) : run.workflow.behaviour;
    const againId = newRunId();
    this.runs.noteTrigger(againId);
    const again = new B3Run({ id: againId, workflow: run.workflow, version: run.version, payload: run.payload, behaviour, simulate: run.simulate, dustTest: run.dustTest, speed: this.options.speed, triggerSource: 'retry' });
    this.start(again);
    this.ok(ex, { runId: again.id });
  }

  /**
   * `GET /v1/workflows/{id}/runs/stream`: an event as each of the workflow's runs starts
   * (`run_started`) and ends (`run_completed`), whoever started it. Event names beyond that are
   * undocumented, so clients treat any event as "the run list changed".
   */
  private workflowRunsStream(ex: Exchange, workflowId: string): void {
    if (!this.find(ex, workflowId)) return;
    const stream = ex.openStream({ pingMs: this.options.pingIntervalMs, ping: 'event: ping\ndata: {}\n\n' });
    const started = new Set<string>();
    const ended = new Set<string>();
    // Runs that exist when the client subscribes are not news.
    for (const run of this.runs.values()) {
      if (run.workflow.id !== workflowId) continue;
      started.add(run.id);
      if (endedStatuses.has(run.state().status)) ended.add(run.id);
    }
    const tick = (): void => {
      if (stream.closed) return clearInterval(timer);
      for (const run of this.runs.values()) {
        if (run.workflow.id !== workflowId) continue;
        const status = run.state().status;
        if (!started.has(run.id)) {
          started.add(run.id);
          stream.send({ event: 'run_started', data: { runId: run.id, workflowId, status } });
        }
        if (endedStatuses.has(status) && !ended.has(run.id)) {
          ended.add(run.id);
          stream.send({ event: 'run_completed', data: { runId: run.id, workflowId, status } });
        }
      }
    };
    const timer = setInterval(tick, 50);
    stream.onClose(() => clearInterval(timer));
  }

  /** A run started by another client (the emulator control's "runs started elsewhere"). */
  startElsewhere(request: { workflowId?: string; inputs?: Record<string, unknown> }): { runId: string } {
    const workflow = this.workflows.find((wf) => wf.id === (request.workflowId ?? 'wf_9k2m4x7q1b3n'));
    if (!workflow) throw new Error(`no workflow ${String(request.workflowId)}`);
    const payload = request.inputs ?? {};
    const scenario = payload.scenario;
    const behaviour = typeof scenario === 'string' && (behaviours as readonly string[]).includes(scenario) ? (scenario as Behaviour) : workflow.behaviour;
    const run = new B3Run({ id: newRunId(), workflow, version: workflow.version, payload, behaviour, simulate: false, dustTest: false, speed: this.options.speed, triggerSource: 'manual' });
    this.start(run);
    return { runId: run.id };
  }

  private nodesOf(wf: B3Workflow): Array<{ id: string; type: string; payload: Record<string, unknown> }> {
    return [{ id: 'root', type: 'manual', payload: {} }, ...planFor(wf.behaviour)];
  }

  private listItem(wf: B3Workflow): Record<string, unknown> {
    const nodes = this.nodesOf(wf);
    const summary: Record<string, unknown> = {};
    nodes.forEach((node, i) => {
      summary[node.id] = { type: node.type, children: nodes[i + 1] ? [nodes[i + 1]!.id] : [], position: { x: 240 * i, y: 120 } };
    });
    const item: Record<string, unknown> = {
      id: wf.id, name: wf.name, description: wf.description, status: wf.status, version: wf.version,
      maxRuns: wf.maxRuns, remainRuns: wf.remainRuns, cooldownMs: wf.cooldownMs,
      hasDraft: wf.hasDraft, hasLiveVersion: wf.hasLiveVersion, triggerType: wf.type, triggerName: wf.triggerName, type: wf.type,
      nodeCount: nodes.length, chainIds: wf.chainIds, connectors: wf.connectors.map((type) => ({ type })),
      createdAt: wf.createdAt, updatedAt: wf.updatedAt, createdBy: creator, organizationId, publicWidgetEnabled: false,
      definitionSummary: { nodes: summary },
    };
    if (wf.lastTriggeredAt) item.lastTriggeredAt = wf.lastTriggeredAt;
    return item;
  }

  private entity(wf: B3Workflow): Record<string, unknown> {
    const nodes = this.nodesOf(wf);
    const definition: Record<string, unknown> = {};
    nodes.forEach((node, i) => {
      definition[node.id] = { type: node.type, payload: node.payload, children: nodes[i + 1] ? [nodes[i + 1]!.id] : [] };
    });
    const entity: Record<string, unknown> = {
      id: wf.id, name: wf.name, description: wf.description, status: wf.status, version: wf.version, type: wf.type,
      maxRuns: wf.maxRuns, remainRuns: wf.remainRuns, cooldownMs: wf.cooldownMs, hasDraft: wf.hasDraft, hasLiveVersion: wf.hasLiveVersion,
      createdAt: wf.createdAt, updatedAt: wf.updatedAt, createdBy: creator, updatedBy: creator, organizationId,
      nameManuallySet: true, descManuallySet: true, propValues: {}, templateProps: [],
      definition: {
        nodes: definition,
        inputSchema: [
          { key: 'amount', type: 'number', required: false, description: 'Amount to use in the run' },
          { key: 'scenario', type: 'string', required: false, description: 'Emulator only: normal | fail | slow | wait' },
        ],
      },
    };
    if (wf.lastTriggeredAt) entity.lastTriggeredAt = wf.lastTriggeredAt;
    return entity;
  }
}
