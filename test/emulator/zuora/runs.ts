// Zuora workflow runs: created Queued, Processing while their tasks move
// Queued → Processing → Success|Error one after another, then Finished (there is no failed run
// status in Zuora: failure shows as tasks.error > 0). A stop makes the run Stopping at once and
// Stopped 800 emulated ms later, with every unfinished task Stopped.
import { Timeline } from '../core/timeline';
import type { ZuoraTaskPlan, ZuoraTaskStatus, ZuoraWorkflow } from './seed';

export type ZuoraRunStatus = 'Queued' | 'Processing' | 'Stopping' | 'Stopped' | 'Finished';

type RunEvent = { kind: 'run'; status: ZuoraRunStatus } | { kind: 'task'; taskId: number; status: ZuoraTaskStatus; error?: string };

const stopDelayMs = 800;
const finishedTask: ReadonlySet<ZuoraTaskStatus> = new Set(['Success', 'Error', 'Stopped']);

export interface ZuoraTask {
  id: number;
  plan: ZuoraTaskPlan;
}

export interface Folded {
  status: ZuoraRunStatus;
  tasks: Map<number, { status: ZuoraTaskStatus; error?: string; updatedAt: number }>;
  /** When each task last became Processing. */
  started: Map<number, number>;
  updatedAt: number;
  finishedAt?: number;
}

export class ZuoraRun {
  readonly timeline: Timeline<RunEvent>;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly workflow: ZuoraWorkflow,
    readonly parameters: Record<string, unknown>,
    readonly tasks: ZuoraTask[],
    speed: number,
  ) {
    this.timeline = new Timeline(Date.now(), speed);
    const t = this.timeline;
    t.push(0, { kind: 'run', status: 'Queued' });
    for (const task of tasks) t.push(0, { kind: 'task', taskId: task.id, status: 'Queued' });
    let at = workflow.queueMs;
    t.push(at, { kind: 'run', status: 'Processing' });
    for (const task of tasks) {
      t.push(at, { kind: 'task', taskId: task.id, status: 'Processing' });
      at += task.plan.durationMs;
      t.push(at, task.plan.error ? { kind: 'task', taskId: task.id, status: 'Error', error: task.plan.error } : { kind: 'task', taskId: task.id, status: 'Success' });
    }
    t.push(at, { kind: 'run', status: 'Finished' });
  }

  state(): Folded {
    const folded: Folded = { status: 'Queued', tasks: new Map(), started: new Map(), updatedAt: 0 };
    for (const { at, event } of this.timeline.happened()) {
      folded.updatedAt = at;
      if (event.kind === 'run') {
        folded.status = event.status;
        if (event.status === 'Finished' || event.status === 'Stopped') folded.finishedAt = at;
        // A task rerun puts a finished run back to work: it has not finished until it says so again.
        else folded.finishedAt = undefined;
      } else {
        folded.tasks.set(event.taskId, { status: event.status, error: event.error, updatedAt: at });
        if (event.status === 'Processing') folded.started.set(event.taskId, at);
      }
    }
    return folded;
  }

  get isOver(): boolean {
    const status = this.state().status;
    return status === 'Finished' || status === 'Stopped';
  }

  /** Stops the run; false when it has already ended. */
  stop(): boolean {
    const now = this.timeline.elapsed();
    const state = this.state();
    if (state.status === 'Finished' || state.status === 'Stopped' || state.status === 'Stopping') return state.status === 'Stopping';
    this.timeline.dropAfter(now);
    this.timeline.push(now, { kind: 'run', status: 'Stopping' });
    for (const task of this.tasks) {
      const current = state.tasks.get(task.id)?.status ?? 'Queued';
      if (!finishedTask.has(current)) this.timeline.push(now + stopDelayMs, { kind: 'task', taskId: task.id, status: 'Stopped' });
    }
    this.timeline.push(now + stopDelayMs, { kind: 'run', status: 'Stopped' });
    return true;
  }

  /**
   * Reruns one finished task: Queued now, Processing shortly after, then Success. A run that had
   * finished is Processing again meanwhile and Finished once the task is done.
   */
  rerunTask(taskId: number): 'ok' | 'busy' {
    const state = this.state();
    const current = state.tasks.get(taskId)?.status;
    if (!current || !finishedTask.has(current)) return 'busy';
    const now = this.timeline.elapsed();
    const runWasOver = state.status === 'Finished';
    this.timeline.push(now, { kind: 'task', taskId, status: 'Queued' });
    if (runWasOver) this.timeline.push(now, { kind: 'run', status: 'Processing' });
    this.timeline.push(now + 400, { kind: 'task', taskId, status: 'Processing' });
    this.timeline.push(now + 1400, { kind: 'task', taskId, status: 'Success' });
    if (runWasOver) this.timeline.push(now + 1400, { kind: 'run', status: 'Finished' });
    return 'ok';
  }

  /** `GET /workflows/workflow_runs/{id}`: field names exactly as Zuora's (camelCase). */
  view(): Record<string, unknown> {
    const state = this.state();
    const counts = { error: 0, pending: 0, processing: 0, queued: 0, stopped: 0, success: 0, total: this.tasks.length };
    for (const task of this.tasks) {
      const status = state.tasks.get(task.id)?.status ?? 'Queued';
      counts[status.toLowerCase() as Exclude<keyof typeof counts, 'total'>] += 1;
    }
    const t = this.timeline;
    const over = state.finishedAt !== undefined;
    const messages: string[] = [];
    for (const task of this.tasks) {
      const s = state.tasks.get(task.id);
      if (s?.status === 'Error' && s.error) messages.push(`Task ${task.id} "${task.plan.name}" failed: ${s.error}`);
    }
    if (state.status === 'Stopped') messages.push('Workflow run was stopped by the user.');
    const runSeconds = over ? (state.finishedAt! / t.speed) / 1000 : null;
    return {
      id: this.id,
      name: this.name,
      originalWorkflowId: this.workflow.id,
      type: 'Workflow::Instance',
      status: state.status,
      // Zuora fills these when the run has ended.
      cpuTime: over ? clock(cpuSeconds(this, state) ) : null,
      runTime: runSeconds === null ? null : Math.round(runSeconds * 1e6) / 1e6,
      createdAt: zuoraTime(t.startedAt),
      updatedAt: zuoraTime(t.realTime(state.updatedAt)),
      finishedAt: over ? zuoraTime(t.realTime(state.finishedAt!)) : null,
      messages,
      tasks: counts,
    };
  }

  /**
   * One task as `GET /workflows/tasks` lists it. `state` is the run's fold, passed in when many
   * tasks are listed at once (folding a run of 5,000 tasks once per task would take seconds).
   */
  taskView(task: ZuoraTask, state: Folded = this.state()): Record<string, unknown> {
    const s = state.tasks.get(task.id);
    const status = s?.status ?? 'Queued';
    const started = status !== 'Queued';
    const done = status === 'Success' || status === 'Error' || status === 'Stopped';
    const objectId = status === 'Success' ? `8a8aa0${(task.id * 7919).toString(16).padStart(10, '0')}` : null;
    return {
      id: task.id,
      name: task.plan.name,
      action_type: task.plan.action_type,
      call_type: task.plan.call_type,
      object: task.plan.object,
      object_id: objectId,
      status,
      tags: task.plan.tags,
      workflow_id: this.id,
      error: status === 'Error' ? (s?.error ?? null) : null,
      error_class: status === 'Error' ? 'WorkflowError::Task' : null,
      error_details: status === 'Error' ? { task: task.plan.name, message: s?.error ?? null } : null,
      // Zuora's task object also carries its configuration and the data it produced.
      parameters: task.plan.parameters ?? { object: task.plan.object, action: task.plan.action_type },
      data: status === 'Success' ? { [task.plan.object]: [{ Id: objectId }] } : {},
      instance: true,
      start_time: started && s ? zuoraTime(this.timeline.realTime(this.startOf(task, state))) : null,
      end_time: done && s ? zuoraTime(this.timeline.realTime(s.updatedAt)) : null,
    };
  }

  /** When a task last started processing (emulated ms), from the run's events. */
  private startOf(task: ZuoraTask, state: Folded): number {
    return state.started.get(task.id) ?? state.tasks.get(task.id)?.updatedAt ?? 0;
  }

  /** `POST /workflows/{id}/run` answer (snake_case there, unlike the run endpoint). */
  triggerView(): Record<string, unknown> {
    const state = this.state();
    const status = state.status === 'Queued' || state.status === 'Processing' ? state.status : 'Processing';
    const created = new Date(this.timeline.startedAt).toISOString();
    return { id: this.id, name: this.name, original_workflow_id: this.workflow.id, status, created_at: created, updated_at: created };
  }

  /** Quickstart (`/v2`) answer: `{id, type, state, original_workflow_id, name, created_time, updated_time}`. */
  quickstartView(): Record<string, unknown> {
    const created = new Date(this.timeline.startedAt).toISOString();
    return {
      id: this.id,
      type: 'instance',
      state: this.state().status === 'Queued' ? 'queued' : 'processing',
      original_workflow_id: this.workflow.id,
      name: this.name,
      created_time: created,
      updated_time: created,
    };
  }
}

function cpuSeconds(run: ZuoraRun, state: Folded): number {
  let ms = 0;
  for (const task of run.tasks) if (state.tasks.get(task.id)?.status !== 'Stopped') ms += task.plan.durationMs;
  return ms / run.timeline.speed / 1000;
}

/** `HH:MM:SS`, as in Zuora's `cpuTime` sample. */
function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** `2019-09-10 19:32:21 UTC`, the run endpoint's timestamp format. */
export function zuoraTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}
