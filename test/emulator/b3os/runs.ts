// One B3OS run: its stream events are planned at creation; `GET /v1/runs/{id}` is their fold.
// Stream event names other than `run_started` are not documented by B3OS: the emulator uses
// node_started / node_scheduled / node_completed / node_failed / node_skipped / node_waiting /
// node_cancelled, run_waiting, and a final run_completed / run_failed / run_cancelled. Every
// event's data carries `runId` and `status` (and `nodeId`, `type` for node events).
import { randomBytes } from 'node:crypto';
import { Timeline } from '../core/timeline';
import { planFor, type NodePlan } from './plans';
import { organizationId, type B3Workflow, type Behaviour } from './seed';

export type RunStatus = 'running' | 'waiting' | 'success' | 'failure' | 'cancelled';
export type NodeStatus = 'pending' | 'running' | 'success' | 'failure' | 'skipped' | 'waiting' | 'scheduled' | 'cancelled';

export interface B3Event {
  event: string;
  data: Record<string, unknown>;
}

const finalEvents = new Set(['run_completed', 'run_failed', 'run_cancelled']);
export const isFinal = (event: B3Event): boolean => finalEvents.has(event.event);

const nodeEvent: Record<NodeStatus, string> = {
  pending: 'node_pending',
  running: 'node_started',
  success: 'node_completed',
  failure: 'node_failed',
  skipped: 'node_skipped',
  waiting: 'node_waiting',
  scheduled: 'node_scheduled',
  cancelled: 'node_cancelled',
};

export interface B3RunInit {
  id: string;
  workflow: B3Workflow;
  version: number;
  payload: Record<string, unknown>;
  behaviour: Behaviour;
  simulate: boolean;
  dustTest: boolean;
  speed: number;
  startedAt?: number;
  triggerSource?: string;
}

interface NodeState {
  status: NodeStatus;
  startedAt?: number;
  finishedAt?: number;
  result?: Record<string, unknown>;
}

export function newRunId(): string {
  return `run_${randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12)}`;
}

export class B3Run {
  readonly id: string;
  readonly workflow: B3Workflow;
  readonly version: number;
  readonly payload: Record<string, unknown>;
  readonly simulate: boolean;
  readonly dustTest: boolean;
  readonly triggerSource: string;
  readonly nodes: NodePlan[];
  readonly timeline: Timeline<B3Event>;
  private seq = 0;

  constructor(init: B3RunInit) {
    this.id = init.id;
    this.workflow = init.workflow;
    this.version = init.version;
    this.payload = init.payload;
    this.simulate = init.simulate;
    this.dustTest = init.dustTest;
    this.triggerSource = init.triggerSource ?? 'api';
    this.nodes = planFor(init.behaviour);
    this.timeline = new Timeline(init.startedAt ?? Date.now(), init.speed);
    this.plan();
  }

  private iso(at: number): string {
    return new Date(this.timeline.realTime(at)).toISOString();
  }

  private node(at: number, node: { id: string; type: string }, status: NodeStatus, extra: Record<string, unknown> = {}): void {
    this.timeline.push(at, { event: nodeEvent[status], data: { runId: this.id, nodeId: node.id, type: node.type, status, ...extra } });
  }

  private plan(): void {
    const t = this.timeline;
    t.push(0, { event: 'run_started', data: { runId: this.id, workflowId: this.workflow.id, workflowVersion: this.version, status: 'running', startedAt: this.iso(0), isSimulation: this.simulate, isDustTest: this.dustTest } });
    const root = { id: 'root', type: 'manual' };
    this.node(0, root, 'running', { startedAt: this.iso(0) });
    this.node(0, root, 'success', { finishedAt: this.iso(0), result: { payload: this.payload } });
    let at = 0;
    for (const node of this.nodes) {
      if (node.outcome === 'skipped') {
        this.node(at, node, 'skipped', { finishedAt: this.iso(at) });
        continue;
      }
      if (node.scheduledMs) {
        this.node(at, node, 'scheduled', { startedAt: this.iso(at) });
        at += node.scheduledMs;
      }
      this.node(at, node, 'running', { startedAt: this.iso(at) });
      at += node.durationMs;
      if (node.outcome === 'waiting') {
        this.node(at, node, 'waiting');
        t.push(at, { event: 'run_waiting', data: { runId: this.id, status: 'waiting' } });
        return;
      }
      if (node.outcome === 'failure') {
        this.node(at, node, 'failure', { finishedAt: this.iso(at), result: { error: node.error } });
        t.push(at, { event: 'run_failed', data: { runId: this.id, status: 'failure', error: node.error, finishedAt: this.iso(at), totalCu: this.cuUntil(at, node) } });
        return;
      }
      this.node(at, node, 'success', { finishedAt: this.iso(at), result: this.simulate ? { ...node.result, simulated: true } : (node.result ?? {}) });
    }
    t.push(at, { event: 'run_completed', data: { runId: this.id, status: 'success', finishedAt: this.iso(at), totalCu: this.cuUntil(at) } });
  }

  private cuUntil(_at: number, last?: NodePlan): number {
    let cu = 0;
    for (const node of this.nodes) {
      if (node.outcome === 'success' || node.outcome === 'failure') cu += node.cu;
      if (node === last) break;
    }
    return Math.round(cu * 1e4) / 1e4;
  }

  state(): { status: RunStatus; nodes: Map<string, NodeState>; finishedAt?: number; totalCu: number } {
    const nodes = new Map<string, NodeState>([['root', { status: 'pending' }], ...this.nodes.map((n) => [n.id, { status: 'pending' as NodeStatus }] as const)]);
    let status: RunStatus = 'running';
    let finishedAt: number | undefined;
    let totalCu = 0;
    for (const { at, event } of this.timeline.happened()) {
      const data = event.data;
      if (typeof data.nodeId === 'string') {
        const node = nodes.get(data.nodeId)!;
        node.status = data.status as NodeStatus;
        if (data.startedAt) node.startedAt = at;
        if (data.finishedAt) node.finishedAt = at;
        if (data.result) node.result = data.result as Record<string, unknown>;
        const plan = this.nodes.find((n) => n.id === data.nodeId);
        if (plan && (node.status === 'success' || node.status === 'failure')) totalCu += plan.cu;
      } else if (event.event !== 'run_started') {
        status = data.status as RunStatus;
        if (isFinal(event)) finishedAt = at;
      }
    }
    return { status, nodes, finishedAt, totalCu: Math.round(totalCu * 1e4) / 1e4 };
  }

  get isOver(): boolean {
    return this.state().finishedAt !== undefined;
  }

  /** Cancels a running or waiting run now; false if it is in another state. */
  cancel(): boolean {
    const state = this.state();
    if (state.status !== 'running' && state.status !== 'waiting') return false;
    const now = this.timeline.elapsed();
    this.timeline.dropAfter(now);
    for (const [id, node] of state.nodes) {
      if (['pending', 'running', 'waiting', 'scheduled'].includes(node.status)) {
        const type = id === 'root' ? 'manual' : this.nodes.find((n) => n.id === id)!.type;
        this.node(now, { id, type }, 'cancelled', { finishedAt: this.iso(now) });
      }
    }
    this.timeline.push(now, { event: 'run_cancelled', data: { runId: this.id, status: 'cancelled', finishedAt: this.iso(now), totalCu: state.totalCu } });
    return true;
  }

  /** Sequence numbers for the stream's `id:` lines. */
  nextSeq(): string {
    return String(++this.seq);
  }

  view(): Record<string, unknown> {
    const state = this.state();
    const executionState: Record<string, unknown> = {};
    for (const [id, node] of state.nodes) {
      const plan = this.nodes.find((n) => n.id === id);
      const entry: Record<string, unknown> = { type: plan?.type ?? 'manual', status: node.status };
      if (node.status !== 'pending') entry.input = id === 'root' ? this.payload : (plan?.payload ?? {});
      if (node.status !== 'pending' && plan?.secretKeys) entry.secretKeys = plan.secretKeys;
      if (node.result) entry.result = node.result;
      if (node.startedAt !== undefined) entry.startedAt = this.iso(node.startedAt);
      if (node.finishedAt !== undefined) entry.finishedAt = this.iso(node.finishedAt);
      executionState[id] = entry;
    }
    const view: Record<string, unknown> = {
      id: this.id,
      workflowId: this.workflow.id,
      workflowVersion: this.version,
      status: state.status,
      executionState,
      triggerSource: this.triggerSource,
      triggeredBy: 'api-key',
      startedAt: this.iso(0),
      isDustTest: this.dustTest,
      isSimulation: this.simulate,
      totalCu: state.totalCu,
      organizationId,
      propValues: {},
    };
    if (state.finishedAt !== undefined) view.finishedAt = this.iso(state.finishedAt);
    return view;
  }

  listItem(): Record<string, unknown> {
    const state = this.state();
    const item: Record<string, unknown> = {
      id: this.id, workflowId: this.workflow.id, workflowVersion: this.version, status: state.status,
      triggerSource: this.triggerSource, triggeredBy: 'api-key', startedAt: this.iso(0),
    };
    if (state.finishedAt !== undefined) item.finishedAt = this.iso(state.finishedAt);
    return item;
  }
}
