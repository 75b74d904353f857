// Turns a payload's `$workflow` ("<connection>/<workflow id>", or "<connection>" for a connection
// that is one workflow) into a RunTarget, and remembers the target chosen for files without one.
// No vscode import: the connections and the single-workflow rule are passed in, so unit tests
// need neither the registry nor an extension host.
import { z } from 'zod';
import type { Connection } from '../connections/schema';
import { WorkflowRunsError } from '../client/errors';
import type { RunTarget } from '../runs/record';
import { Emitter } from '../util/emitter';
import type { Event } from '../util/emitter';
import * as l10n from '@vscode/l10n';

// The payload modules take RunTarget from here: one import of services.ts to move when it moves.
export type { RunTarget };

/** The id a single-workflow connection's app answers to besides its own id (contract: Dify). */
export const defaultWorkflowId = 'default';

export interface TargetContext {
  connections: readonly Connection[];
  /** The descriptor's `singleWorkflow` for the connection's platform (undefined: many workflows). */
  singleWorkflowOf?(connection: Connection): string | undefined;
}

export type TargetResolution = { ok: true; target: RunTarget } | { ok: false; message: string };

/**
 * Connection names may contain '/' and spaces, so the ref is not split blindly: the longest
 * connection name that is the whole ref or a prefix followed by '/' wins, and the rest (which may
 * itself contain '/') is the workflow id.
 */
export function tryResolveWorkflowRef(ref: string, context: TargetContext): TargetResolution {
  const trimmed = ref.trim();
  if (trimmed === '') return { ok: false, message: l10n.t('$workflow is empty: write "<connection>/<workflow id>".') };

  const candidates = context.connections
    .filter((candidate) => trimmed === candidate.name || trimmed.startsWith(`${candidate.name}/`))
    .sort((a, b) => b.name.length - a.name.length);
  if (candidates.length === 0) return { ok: false, message: unknownConnectionMessage(trimmed, context.connections) };

  // The longest name wins; a shorter one is tried only when the longer leaves no workflow id
  // ("team/prod" with connections "team" and "team/prod": the workflow "prod" of "team").
  let firstFailure: TargetResolution | undefined;
  for (const connection of candidates) {
    const resolution = resolveOn(connection, trimmed.slice(connection.name.length + 1).trim(), trimmed, context);
    if (resolution.ok) return resolution;
    firstFailure ??= resolution;
  }
  return firstFailure!;
}

function resolveOn(connection: Connection, rest: string, ref: string, context: TargetContext): TargetResolution {
  const single = context.singleWorkflowOf?.(connection);
  if (single !== undefined) {
    // "<connection>", "<connection>/default" and "<connection>/<its own id>" all mean the
    // connection's one workflow. Any other id names a workflow this connection cannot run (the
    // adapter would refuse it only after the user pressed Run), so it is the file's error now.
    if (rest === '' || rest === defaultWorkflowId || rest === single) {
      return { ok: true, target: { connection: connection.name, workflowId: single } };
    }
    const allowed = single === defaultWorkflowId ? `"${connection.name}/${defaultWorkflowId}"` : `"${connection.name}/${defaultWorkflowId}", "${connection.name}/${single}"`;
    return {
      ok: false,
      message: l10n.t({
        message: '$workflow "{0}": the connection "{1}" runs one workflow ("{2}"), not "{3}". Write "{1}" or {4}; to run another workflow, add a connection for it.',
        args: [ref, connection.name, single, rest, allowed],
        comment: ['{4} lists the other ways to write it, in quotes ("conn/default", "conn/<id>").'],
      }),
    };
  }
  if (rest === '') {
    return {
      ok: false,
      message: l10n.t('$workflow "{0}" names the connection "{1}" but no workflow: write "{1}/<workflow id>".', ref, connection.name),
    };
  }
  return { ok: true, target: { connection: connection.name, workflowId: rest } };
}

/**
 * As `tryResolveWorkflowRef`, for a caller that already holds the connection (a command's
 * argument): `workflowId` '' means none was given, which only a one-workflow connection allows.
 */
export function resolveOnConnection(connection: Connection, workflowId: string, context: TargetContext): TargetResolution {
  const id = workflowId.trim();
  return resolveOn(connection, id, id === '' ? connection.name : `${connection.name}/${id}`, context);
}

/** As `tryResolveWorkflowRef`, throwing a config error (nothing is sent) when the ref cannot be resolved. */
export function resolveWorkflowRef(ref: string, context: TargetContext): RunTarget {
  const resolution = tryResolveWorkflowRef(ref, context);
  if (!resolution.ok) throw new WorkflowRunsError(resolution.message, { kind: 'config' });
  return resolution.target;
}

function unknownConnectionMessage(ref: string, connections: readonly Connection[]): string {
  const slash = ref.indexOf('/');
  const guess = slash === -1 ? ref : ref.slice(0, slash);
  if (connections.length === 0) {
    return l10n.t('$workflow refers to the connection "{0}", but no connection is set up: add one with "Workflow Runs: Add Connection…".', guess);
  }
  // Names are matched exactly; a case slip is the likeliest mistake, so name the near miss.
  const nearMiss = connections.find((c) => ref.toLowerCase() === c.name.toLowerCase() || ref.toLowerCase().startsWith(`${c.name.toLowerCase()}/`));
  const known = connections.map((c) => `"${c.name}"`).join(', ');
  const hint = nearMiss ? l10n.t(' Did you mean "{0}"? (names are case-sensitive)', nearMiss.name) : '';
  return l10n.t('$workflow refers to an unknown connection "{0}". Known connections: {1}.', guess, known) + hint;
}

/**
 * The `$workflow` text for a target. With a context, a single-workflow connection's own workflow
 * is written as just the connection name (the contract's short form).
 */
export function formatWorkflowRef(target: RunTarget, context?: TargetContext): string {
  if (context) {
    const connection = context.connections.find((c) => c.name === target.connection);
    const single = connection ? context.singleWorkflowOf?.(connection) : undefined;
    if (single !== undefined && single === target.workflowId) return target.connection;
  }
  return `${target.connection}/${target.workflowId}`;
}

/** The part of vscode.Memento this needs (workspaceState fits), so tests can pass a Map-backed fake. */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const RunTargetSchema = z.object({
  connection: z.string(),
  workflowId: z.string(),
  workflowName: z.string().optional(),
});
// Workspace state outlives versions of the extension: anything that does not parse is ignored.
const StoredTargetsSchema = z.record(z.unknown());

/** Workspace-state key holding `{ [file uri]: RunTarget }`. */
export const rememberedTargetsKey = 'workflowRuns.payloadTargets';
/** Old entries go first beyond this, so workspace state cannot grow without bound. */
const maxRemembered = 500;

/** The target chosen (by quick pick) for a payload file without `$workflow`, per workspace. */
export class RememberedTargets {
  private readonly changed = new Emitter<string>();
  /** Fires with the file URI whose remembered target changed. */
  readonly onDidChange: Event<string> = this.changed.event;

  constructor(private readonly memento: MementoLike) {}

  get(uri: string): RunTarget | undefined {
    const parsed = RunTargetSchema.safeParse(this.all()[uri]);
    return parsed.success ? parsed.data : undefined;
  }

  has(uri: string): boolean {
    return this.get(uri) !== undefined;
  }

  /** Remembers a target (or forgets it with undefined). */
  async set(uri: string, target: RunTarget | undefined): Promise<void> {
    const all = this.all();
    // Delete first so a re-remembered file moves to the end (newest) of the insertion order.
    delete all[uri];
    if (target) {
      all[uri] = { connection: target.connection, workflowId: target.workflowId, ...(target.workflowName ? { workflowName: target.workflowName } : {}) };
      const keys = Object.keys(all);
      for (const old of keys.slice(0, Math.max(0, keys.length - maxRemembered))) delete all[old];
    }
    await this.memento.update(rememberedTargetsKey, all);
    this.changed.fire(uri);
  }

  /** Forgets every target of a connection (it was removed or renamed). */
  async forgetConnection(connection: string): Promise<void> {
    const all = this.all();
    const uris = Object.keys(all).filter((uri) => this.get(uri)?.connection === connection);
    if (uris.length === 0) return;
    for (const uri of uris) delete all[uri];
    await this.memento.update(rememberedTargetsKey, all);
    for (const uri of uris) this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private all(): Record<string, unknown> {
    const parsed = StoredTargetsSchema.safeParse(this.memento.get(rememberedTargetsKey));
    return parsed.success ? { ...parsed.data } : {};
  }
}
