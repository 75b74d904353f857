// One Dify workflow run: its stream events are planned at creation (see app.ts for scenarios);
// the run-detail, blocking and log views are folds of the events that have happened.
import { randomUUID } from 'node:crypto';
import { uploadIdsOf } from './files';
import { Timeline } from '../core/timeline';
import { difyAppId, errorEventAtMs, planFor, type NodePlan, type Scenario } from './app';

/** A stream event exactly as written after `data: `. */
export type DifyEvent = Record<string, unknown> & { event: string };

export type DifyRunStatus = 'running' | 'succeeded' | 'failed' | 'stopped' | 'partial-succeeded' | 'paused';

const closing = new Set(['workflow_finished', 'workflow_paused', 'error']);
/** True for the events after which Dify closes the stream. */
export const closesStream = (event: DifyEvent): boolean => closing.has(event.event);

export interface DifyRunInit {
  workflowId: string;
  user: string;
  inputs: Record<string, unknown>;
  mode: 'blocking' | 'streaming';
  speed: number;
  /** Real epoch ms the run started (in the past for seeded history). */
  startedAt?: number;
}

interface Folded {
  status: DifyRunStatus;
  outputs: Record<string, unknown> | null;
  error: string | null;
  totalSteps: number;
  totalTokens: number;
  exceptions: number;
  /** Set when the run ended with an in-stream `error` event (not a failed node). */
  errorEvent?: { status: number; code: string; message: string };
  /** Emulated ms of the final event. */
  endAt?: number;
}

export class DifyRun {
  readonly id = randomUUID();
  readonly taskId = randomUUID();
  readonly timeline: Timeline<DifyEvent>;
  readonly workflowId: string;
  readonly user: string;
  readonly inputs: Record<string, unknown>;
  readonly mode: 'blocking' | 'streaming';
  readonly logId = randomUUID();

  constructor(init: DifyRunInit) {
    this.workflowId = init.workflowId;
    this.user = init.user;
    this.inputs = init.inputs;
    this.mode = init.mode;
    this.timeline = new Timeline(init.startedAt ?? Date.now(), init.speed);
    this.plan((init.inputs.scenario as Scenario | undefined) ?? 'normal', String(init.inputs.topic ?? 'Release'));
  }

  private seconds(at: number): number {
    return Math.floor(this.timeline.realTime(at) / 1000);
  }

  private elapsedSeconds(from: number, to: number): number {
    return Math.round(((to - from) / this.timeline.speed / 1000) * 1e4) / 1e4;
  }

  private envelope(event: string, data: Record<string, unknown>): DifyEvent {
    return { event, task_id: this.taskId, workflow_run_id: this.id, data };
  }

  private plan(scenario: Scenario, topic: string): void {
    const t = this.timeline;
    t.push(0, this.envelope('workflow_started', { id: this.id, workflow_id: this.workflowId, inputs: this.inputs, created_at: this.seconds(0), reason: 'initial' }));
    let at = 0;
    let text = '';
    let tokens = 0;
    let exceptions = 0;
    let predecessor: string | null = null;
    const nodes = planFor(scenario, topic);
    for (const [index, node] of nodes.entries()) {
      const started = at;
      const execution = randomUUID();
      const base = { id: execution, node_id: node.node_id, node_type: node.node_type, title: node.title, index: index + 1, predecessor_node_id: predecessor };
      t.push(started, this.envelope('node_started', { ...base, inputs: node.node_type === 'start' ? this.inputs : null, created_at: this.seconds(started), extras: {} }));
      const chunks = node.chunks ?? [];
      for (const [i, piece] of chunks.entries()) {
        const chunkAt = started + ((i + 1) * node.durationMs) / (chunks.length + 1);
        if (scenario === 'error-event' && chunkAt >= errorEventAtMs) break;
        t.push(chunkAt, this.envelope('text_chunk', { text: piece, from_variable_selector: [node.node_id, 'text'] }));
        text += piece;
      }
      if (scenario === 'error-event' && node.node_type === 'llm') {
        // A failure outside any node (e.g. the model provider went away): an in-stream error event.
        t.push(errorEventAtMs, { event: 'error', task_id: this.taskId, workflow_run_id: this.id, status: 500, code: 'internal_server_error', message: 'Model provider connection reset while streaming the completion.' });
        return;
      }
      if (node.pauses) {
        const formAt = started + node.durationMs;
        t.push(formAt, this.envelope('human_input_required', {
          form_id: randomUUID(), form_token: `tok_${this.id.slice(0, 8)}`, node_id: node.node_id, node_title: node.title,
          form_content: 'Please review the draft release notes.', inputs: [{ type: 'paragraph', output_variable_name: 'comment', default: null }],
          actions: [{ id: 'approve', title: 'Approve', button_style: 'primary' }], display_in_ui: false, resolved_default_values: { comment: '' },
          expiration_time: this.seconds(formAt) + 86_400,
        }));
        t.push(formAt, this.envelope('workflow_paused', { workflow_run_id: this.id, status: 'paused', created_at: this.seconds(0), elapsed_time: this.elapsedSeconds(0, formAt) }));
        return;
      }
      if (node.rounds && node.inner) {
        at = this.planIteration(node, base, started);
        predecessor = node.node_id;
        continue;
      }
      for (let retry = 1; retry <= (node.retries ?? 0); retry += 1) {
        // A failed attempt Dify will run again: node_retry, with the attempt's own data.
        const tried = at + node.durationMs / 2;
        const data = nodeData(node, this.inputs, text, 'failed');
        t.push(tried, this.envelope('node_retry', {
          ...base, id: randomUUID(), ...data, outputs: null, status: 'retry', error: 'HTTP request failed with status code 502: Bad Gateway',
          elapsed_time: this.elapsedSeconds(at, tried), execution_metadata: null, created_at: this.seconds(at), finished_at: this.seconds(tried), retry_index: retry,
        }));
        at = tried;
      }
      at += node.durationMs;
      tokens += node.tokens ?? 0;
      if (node.status === 'exception') exceptions += 1;
      t.push(at, this.envelope('node_finished', {
        ...base,
        ...nodeData(node, this.inputs, text, node.status),
        status: node.status, error: node.error ?? null,
        elapsed_time: this.elapsedSeconds(started, at),
        execution_metadata: node.tokens ? { total_tokens: node.tokens, total_price: (node.tokens * 0.000002).toFixed(7), currency: 'USD' } : null,
        created_at: this.seconds(started), finished_at: this.seconds(at),
      }));
      predecessor = node.node_id;
      if (node.status === 'failed') {
        t.push(at, this.finished('failed', null, `Node ${node.title} run failed: ${node.error}`, at, tokens, index + 1, exceptions));
        return;
      }
    }
    const status = exceptions > 0 ? 'partial-succeeded' : 'succeeded';
    // File inputs come back as the ids of their uploads, so a test sees what the run received.
    const files = uploadIdsOf(this.inputs);
    const outputs = Object.keys(files).length > 0 ? { result: text, item_count: 4, files } : { result: text, item_count: 4 };
    t.push(at, this.finished(status, outputs, null, at, tokens, nodes.length, exceptions));
  }

  /** An iteration node: iteration_started, one round per item (iteration_next + the inner node), iteration_completed. */
  private planIteration(node: NodePlan, base: Record<string, unknown>, started: number): number {
    const t = this.timeline;
    const inner = node.inner!;
    const items = Array.from({ length: node.rounds! }, (_, i) => `item ${i + 1}`);
    const iterationInputs = { iterator_selector: ['1718010000001', 'items'], items };
    t.push(started, this.envelope('iteration_started', { ...base, created_at: this.seconds(started), extras: {}, metadata: { iterator_length: items.length }, inputs: iterationInputs }));
    let at = started;
    const outputs: string[] = [];
    for (const [round, item] of items.entries()) {
      t.push(at, this.envelope('iteration_next', { ...base, index: round, created_at: this.seconds(at), pre_iteration_output: round > 0 ? outputs[round - 1] : null, extras: {} }));
      const execution = randomUUID();
      const innerBase = { id: execution, node_id: inner.node_id, node_type: inner.node_type, title: inner.title, index: round + 1, predecessor_node_id: null, iteration_id: node.node_id };
      t.push(at, this.envelope('node_started', { ...innerBase, inputs: null, created_at: this.seconds(at), extras: {} }));
      const from = at;
      at += inner.durationMs;
      const result = `- ${item}`;
      outputs.push(result);
      t.push(at, this.envelope('node_finished', {
        ...innerBase, inputs: { item }, process_data: null, outputs: { result }, status: 'succeeded', error: null,
        elapsed_time: this.elapsedSeconds(from, at), execution_metadata: { iteration_id: node.node_id, iteration_index: round },
        created_at: this.seconds(from), finished_at: this.seconds(at),
      }));
    }
    t.push(at, this.envelope('iteration_completed', {
      ...base, outputs: { output: outputs }, created_at: this.seconds(started), extras: {}, inputs: iterationInputs, status: 'succeeded', error: null,
      elapsed_time: this.elapsedSeconds(started, at), total_tokens: 0, execution_metadata: null, finished_at: this.seconds(at), steps: items.length,
    }));
    return at;
  }

  private finished(status: DifyRunStatus, outputs: Record<string, unknown> | null, error: string | null, at: number, tokens: number, steps: number, exceptions: number): DifyEvent {
    return this.envelope('workflow_finished', {
      id: this.id, workflow_id: this.workflowId, status, outputs, error,
      elapsed_time: this.elapsedSeconds(0, at), total_tokens: tokens, total_steps: steps,
      created_by: { id: endUserId(this.user), user: this.user },
      created_at: this.seconds(0), finished_at: this.seconds(at), exceptions_count: exceptions, files: [],
    });
  }

  state(): Folded {
    const folded: Folded = { status: 'running', outputs: null, error: null, totalSteps: 0, totalTokens: 0, exceptions: 0 };
    for (const { at, event } of this.timeline.happened()) {
      const data = (event.data ?? {}) as Record<string, unknown>;
      if (event.event === 'node_started') folded.totalSteps += 1;
      if (event.event === 'node_finished') {
        const meta = data.execution_metadata as { total_tokens?: number } | null;
        folded.totalTokens += meta?.total_tokens ?? 0;
        if (data.status === 'exception') folded.exceptions += 1;
      }
      if (event.event === 'workflow_finished') {
        folded.status = data.status as DifyRunStatus;
        folded.outputs = (data.outputs as Record<string, unknown> | null) ?? null;
        folded.error = (data.error as string | null) ?? null;
        folded.endAt = at;
      }
      if (event.event === 'workflow_paused') folded.status = 'paused';
      if (event.event === 'error') {
        folded.status = 'failed';
        folded.error = String(event.message);
        folded.errorEvent = { status: Number(event.status), code: String(event.code), message: String(event.message) };
        folded.endAt = at;
      }
    }
    return folded;
  }

  /** Ended for good (paused runs are not over, but nothing more will happen by itself). */
  get isOver(): boolean {
    return this.state().endAt !== undefined;
  }

  /** Stops a running or paused run: unfinished nodes and the run end `stopped`. */
  stop(): void {
    const state = this.state();
    if (state.endAt !== undefined) return;
    const now = this.timeline.elapsed();
    const at = now + 200;
    this.timeline.dropAfter(now);
    const open = new Map<string, Record<string, unknown>>();
    for (const { event } of this.timeline.happened(now)) {
      const data = event.data as Record<string, unknown> | undefined;
      if (event.event === 'node_started' && data) open.set(String(data.id), data);
      if (event.event === 'node_finished' && data) open.delete(String(data.id));
    }
    for (const data of open.values()) {
      this.timeline.push(at, this.envelope('node_finished', {
        id: data.id, node_id: data.node_id, node_type: data.node_type, title: data.title, index: data.index, predecessor_node_id: data.predecessor_node_id,
        inputs: null, process_data: null, outputs: null, status: 'stopped', error: 'Workflow execution stopped by user.',
        elapsed_time: this.elapsedSeconds(Number(data.created_at) * 1000 - this.timeline.startedAt, at), execution_metadata: null,
        created_at: data.created_at, finished_at: this.seconds(at),
      }));
    }
    this.timeline.push(at, this.finished('stopped', null, 'Workflow execution stopped by user.', at, state.totalTokens, state.totalSteps, state.exceptions));
  }

  /** `GET /workflows/run/{id}` — note `inputs` is a JSON string. */
  detail(): Record<string, unknown> {
    const s = this.state();
    return {
      id: this.id,
      workflow_id: this.workflowId,
      status: s.status,
      inputs: JSON.stringify(this.inputs),
      outputs: s.outputs ?? {},
      error: s.error,
      total_steps: s.totalSteps,
      total_tokens: s.totalTokens,
      created_at: this.seconds(0),
      finished_at: s.endAt === undefined ? null : this.seconds(s.endAt),
      elapsed_time: this.elapsedSeconds(0, s.endAt ?? this.timeline.elapsed()),
    };
  }

  /** Blocking-mode answer. */
  blocking(): Record<string, unknown> {
    const s = this.state();
    return {
      task_id: this.taskId,
      workflow_run_id: this.id,
      data: {
        id: this.id, workflow_id: this.workflowId, status: s.status, outputs: s.outputs, error: s.error,
        elapsed_time: this.elapsedSeconds(0, s.endAt ?? this.timeline.elapsed()), total_tokens: s.totalTokens, total_steps: s.totalSteps,
        created_at: this.seconds(0), finished_at: s.endAt === undefined ? null : this.seconds(s.endAt),
      },
    };
  }

  /** One entry of `GET /workflows/logs`. */
  logItem(): Record<string, unknown> {
    const s = this.state();
    return {
      id: this.logId,
      workflow_run: {
        id: this.id, version: '2025-06-10 09:30:00.000000', status: s.status, error: s.error,
        elapsed_time: this.elapsedSeconds(0, s.endAt ?? this.timeline.elapsed()), total_tokens: s.totalTokens, total_steps: s.totalSteps,
        created_at: this.seconds(0), finished_at: s.endAt === undefined ? null : this.seconds(s.endAt),
        exceptions_count: s.exceptions, triggered_from: 'app-run',
      },
      created_from: 'service-api',
      created_by_role: 'end_user',
      created_by_account: null,
      created_by_end_user: { id: endUserId(this.user), type: 'service_api', is_anonymous: false, session_id: this.user },
      created_at: this.seconds(0),
    };
  }
}

const endUsers = new Map<string, string>();
/** Dify gives every distinct `user` string an end-user uuid. */
export function endUserId(user: string): string {
  let id = endUsers.get(user);
  if (!id) endUsers.set(user, (id = randomUUID()));
  return id;
}

/** A node's `inputs`, `outputs` and `process_data` as Dify's node_finished carries them. */
function nodeData(node: NodePlan, runInputs: Record<string, unknown>, text: string, status: string): { inputs: unknown; outputs: unknown; process_data: unknown } {
  const ok = status === 'succeeded' || status === 'exception';
  switch (node.node_type) {
    case 'start':
      return { inputs: runInputs, outputs: { ...runInputs, 'sys.user_id': 'emulator', 'sys.app_id': difyAppId }, process_data: null };
    case 'llm':
      return {
        inputs: {},
        outputs: { text, usage: { prompt_tokens: 120, completion_tokens: (node.tokens ?? 0) - 120, total_tokens: node.tokens ?? 0 }, finish_reason: 'stop' },
        process_data: {
          model_mode: 'chat',
          prompts: [
            { role: 'system', text: 'You write concise release notes in markdown.', files: [] },
            { role: 'user', text: `Write release notes about: ${String(runInputs.topic ?? '')}`, files: [] },
          ],
          model_provider: 'openai',
          model_name: 'gpt-4o-mini',
        },
      };
    case 'code':
      return { inputs: { text }, outputs: ok ? { markdown: text.trim(), item_count: 4 } : null, process_data: null };
    case 'http-request':
      return {
        inputs: {},
        outputs: ok && status === 'succeeded' ? { status_code: 200, body: '{"posted":true}', headers: { 'content-type': 'application/json' }, files: [] } : null,
        process_data: { request: 'POST /api/changelog HTTP/1.1\r\nHost: changelog.example.com\r\nContent-Type: application/json\r\n\r\n{"notes": "…"}' },
      };
    case 'end':
      return { inputs: { result: text }, outputs: { result: text, item_count: 4 }, process_data: null };
    default:
      return { inputs: {}, outputs: ok ? {} : null, process_data: null };
  }
}
