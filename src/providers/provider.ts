// The one interface the views, commands and run store use for every platform.
// A platform is a folder under src/providers/ with a descriptor (light: loaded at activation)
// and an adapter (heavy: loaded on first use), plus one line in ./registry.ts.
import type { z } from 'zod';
import type { HttpClient } from '../client/types';
import type { Connection } from '../connections/schema';
import type { Logger } from '../util/logger';
import type { FileInputs } from './localFiles';
import type { InputField, Page, RunRef, RunSnapshot, WorkflowSummary } from './model';

/** Where a provider writes its log lines (the extension's output channel, or a test's recorder). */
export type ProviderLogger = Logger;

export interface ProviderContext {
  connection: Connection;
  /** Resolves the credential (SecretStorage or the named environment variable); throws a config error when missing. */
  getCredential(): Promise<string>;
  http: HttpClient;
  log: ProviderLogger;
  /** A stable, anonymous id of this machine (Dify's default `user`). */
  machineId: string;
  /**
   * Base polling interval in ms (setting); providers back off from it while a run is quiet. It
   * follows the setting, so read it at each wait, not once per run.
   */
  readonly pollIntervalMs: number;
}

export interface TriggerRequest {
  workflowId: string;
  /** The payload document without its `$` keys. */
  inputs: Record<string, unknown>;
  /** The payload's `$options`, checked against the descriptor's optionsSchema. */
  options: Record<string, unknown>;
  /**
   * Inputs that are files on this machine (a payload's `$file` values, resolved by the payload
   * pipeline): the adapter uploads them and sends the platform's reference in their place.
   */
  files?: FileInputs;
  /**
   * Cancels the trigger. Before the run request starts, nothing is sent. Once it is under way the
   * platform may have the run before the answer names it: the adapter then waits a little for
   * that answer (./triggerCancel.ts) and may resolve after the cancel, with the run; the caller
   * then stops it rather than leave it running unseen.
   */
  signal?: AbortSignal;
  /**
   * For a trigger that holds its request until the run ends (Zuora's callout `/sync`): called once
   * the request is on its way with a stand-in for the run (a provisional id, `awaitingAnswer` set),
   * so the run is in history while the answer is awaited. The run `trigger` resolves with replaces it.
   */
  onSent?(pending: RunSnapshot): void;
}

export interface TriggeredRun {
  /** The run as the platform first reports it (usually queued or running). */
  snapshot: RunSnapshot;
  /**
   * Live snapshots until the run ends, when the trigger itself opened a stream (Dify streaming,
   * B3OS stream opened before the trigger). Absent: the caller uses `watch`.
   */
  updates?: AsyncIterable<RunSnapshot>;
}

export interface WorkflowProvider {
  /** Checks the connection with one call (used by "Add Connection…"); returns a short description. */
  verify(signal?: AbortSignal): Promise<string>;
  listWorkflows(cursor: string | undefined, signal?: AbortSignal): Promise<Page<WorkflowSummary>>;
  getWorkflow(workflowId: string, signal?: AbortSignal): Promise<WorkflowSummary>;
  describeInputs(workflowId: string, signal?: AbortSignal): Promise<InputField[]>;
  trigger(request: TriggerRequest): Promise<TriggeredRun>;
  getRun(ref: RunRef, signal?: AbortSignal): Promise<RunSnapshot>;
  /** Snapshots until the run reaches a terminal status (SSE where possible, adaptive polling otherwise). */
  watch(ref: RunRef, signal?: AbortSignal): AsyncIterable<RunSnapshot>;
  stop(ref: RunRef, signal?: AbortSignal): Promise<void>;
  /** A workflow's recent runs, where the platform can list them (Zuora cannot). */
  listRuns?(workflowId: string, cursor: string | undefined, signal?: AbortSignal): Promise<Page<RunSnapshot>>;
  /**
   * Re-runs one task of a run that has ended (platforms whose descriptor says `runActions.rerunTask`):
   * the run itself is in flight again afterwards and is followed with `watch`.
   */
  rerunTask?(ref: RunRef, taskId: string, signal?: AbortSignal): Promise<void>;
  /**
   * Retries a failed run as a new run (platforms whose descriptor says `runActions.retryFailedRun`):
   * the new run, followed like a triggered one.
   */
  retryRun?(ref: RunRef, signal?: AbortSignal): Promise<TriggeredRun>;
  /** The workflow as the platform describes it, as its raw JSON (bounded by the client's body limit). */
  getDefinition?(workflowId: string, signal?: AbortSignal): Promise<unknown>;
  /**
   * The workflow's first page of runs each time it changes, whoever started them, until `signal`
   * aborts — where the platform pushes such changes (B3OS `GET /v1/workflows/{id}/runs/stream`).
   * Without it, ./workflowRuns.ts polls `listRuns`.
   */
  watchWorkflowRuns?(workflowId: string, signal: AbortSignal): AsyncIterable<RunSnapshot[]>;
  /** Releases pools, cached tokens, open streams. */
  dispose?(): void;
}

/** A step of "Add Connection…": which auth modes exist and what each asks for. */
export interface AuthModeDescriptor {
  id: string;
  label: string;
  detail?: string;
  /** A settings field the user types in (not secret), e.g. Zuora `clientId`, `username`. */
  settingsField?: { key: string; prompt: string; placeholder?: string };
  /** Prompt for the secret stored in SecretStorage. */
  credentialPrompt: string;
  /** Extra settings fields this mode implies, e.g. Zuora API token mode. */
  settings?: Record<string, unknown>;
  /**
   * False when the credential can start runs but not read them back (Zuora's callout API token
   * and Basic auth): no workflow list, no following, stopping or listing runs. Default true.
   */
  readsRuns?: boolean;
}

/** Input names a platform takes for itself, so a workflow never receives them. */
export interface ReservedInputs {
  names: readonly string[];
  /** Who reserves them, for the warning: "reserved parameter name on Zuora". */
  by: string;
}

export interface PlatformDescriptor {
  id: string;
  label: string;
  /** Codicon id for the platform in trees and quick picks. */
  icon: string;
  baseUrls: Array<{ label: string; url: string; detail?: string }>;
  authModes: AuthModeDescriptor[];
  /** Checks the platform's extra connection fields; the error names the field. */
  settingsSchema: z.ZodTypeAny;
  /** Checks a payload's `$options` for this platform before anything is sent. */
  optionsSchema: z.ZodTypeAny;
  /** Commented lines a new payload file shows above its inputs, to hint at this platform's `$options`. */
  optionsHint?: readonly string[];
  /** Input names a payload should not use on this platform (warned about, flagged in templates). */
  reservedInputs?: ReservedInputs;
  /** Settings a base URL implies when a connection is added (Zuora: a /v2 URL is the quickstart API). */
  settingsForBaseUrl?: (baseUrl: string) => Record<string, unknown>;
  /**
   * What can be done to a run after it ends, beyond re-running it with the same inputs: re-run one
   * task and follow the run again (Zuora), or retry a failed run as a new run (B3OS).
   */
  runActions?: { rerunTask?: boolean; retryFailedRun?: boolean };
  /** True when runs take file inputs (a payload's `{"$file": …}`), uploaded by the adapter. */
  fileInputs?: boolean;
  /** True when a connection is exactly one workflow (Dify: one app per key). */
  singleWorkflow?: (connection: Connection) => string | undefined;
  /** Loads the adapter on first use. */
  load(): Promise<(context: ProviderContext) => WorkflowProvider>;
}
