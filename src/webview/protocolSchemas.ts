// The zod schemas of the run details page's protocol (./protocol.ts describes the protocol and is
// what the page imports). The host parses with them where untrusted input enters: what the page
// posts, and the state a restored panel saved. The types of both directions are inferred from
// them; what the host posts is built by ./viewModel.ts and checked against RunViewSchema in tests.
//
// Host side only: importing a value from here would put zod into the page bundle, which
// `npm run lint` refuses (.dependency-cruiser.page.cjs). The page imports types only.
import { z } from 'zod';
import { RunSnapshotSchema } from '../providers/model';
import { RunRecordSchema } from '../runs/record';

/**
 * Buttons the page may press for the whole run. `copy*` are handled by the host itself, those in
 * `workbenchCommands` (./protocol.ts) run the extension's command of that name, the rest go to the
 * lead's handler.
 */
export const pageCommands = ['rerun', 'stop', 'copyOutputs', 'copyRunId', 'openLog', 'refresh', 'openInputsAsPayload', 'compareWith', 'retryRun'] as const;
export const PageCommandSchema = z.enum(pageCommands);
export type PageCommand = z.infer<typeof PageCommandSchema>;

/** Buttons the page may press for one task/node of the run. */
export const taskCommands = ['rerunTask'] as const;
export const TaskCommandSchema = z.enum(taskCommands);
export type TaskCommand = z.infer<typeof TaskCommandSchema>;

/** A task's field the page can ask the host to copy (the host copies its own, trusted copy). */
export const CopyableTaskFieldSchema = z.enum(['inputs', 'outputs', 'processData', 'error']);
export type CopyableTaskField = z.infer<typeof CopyableTaskFieldSchema>;

// Task ids come from platforms; anything longer than this is not one of ours.
const TaskIdSchema = z.string().min(1).max(1000);

// `.strict()`: a message with extra keys is not one this page version sends, so it is refused.
export const ReadyMessageSchema = z.object({ type: z.literal('ready') }).strict();
export const CommandMessageSchema = z.object({ type: z.literal('command'), command: PageCommandSchema }).strict();
export const TaskCommandMessageSchema = z.object({ type: z.literal('taskCommand'), command: TaskCommandSchema, taskId: TaskIdSchema }).strict();
export const CopyTaskFieldMessageSchema = z.object({ type: z.literal('copyTaskField'), taskId: TaskIdSchema, field: CopyableTaskFieldSchema }).strict();
export const PageMessageSchema = z.discriminatedUnion('type', [ReadyMessageSchema, CommandMessageSchema, TaskCommandMessageSchema, CopyTaskFieldMessageSchema]);
export type PageMessage = z.infer<typeof PageMessageSchema>;

/**
 * What the page shows of one run: the RunRecord flattened, without the provider's opaque `handle`
 * (the page has no use for it), plus what only the host can work out (labels, allowed actions).
 * Times are epoch milliseconds of the host's clock.
 */
export const RunViewSchema = RunSnapshotSchema.pick({
  runId: true,
  workflowId: true,
  status: true,
  platformStatus: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
  tasks: true,
  timeline: true,
  timelineOmitted: true,
  outputs: true,
  error: true,
  liveText: true,
  metrics: true,
})
  .merge(RunRecordSchema.pick({ connection: true, platform: true, triggeredAt: true, updatedAt: true, watchError: true }))
  .extend({
    /** What was sent: record.request.inputs, or the platform's echo of them for runs opened by id. */
    inputs: z.unknown().optional(),
    /** The run options that were sent (`$options`), when there were any. */
    options: z.record(z.unknown()).optional(),
    // Display fields the host computes.
    /** The workflow's name when known, else its id. */
    workflowLabel: z.string(),
    /** "Zuora Workflow", "Dify", "B3OS" … */
    platformLabel: z.string(),
    inFlight: z.boolean(),
    /** Why watching waits on the platform (Retry-After, slow poll), in words; the run is not failed. */
    watchNote: z.string().optional(),
    canStop: z.boolean(),
    canRerun: z.boolean(),
    /** Why Re-run is off for a run that has inputs (the history kept them only in part), in words. */
    rerunNote: z.string().optional(),
    // Capabilities the host decides (the page never checks a platform): each shows its button.
    // Required: the host always sets them (viewModel.ts runCapabilities); the page parses nothing
    // that could fill in a default.
    /** The run has inputs to open as a payload file. */
    canOpenInputs: z.boolean(),
    /** Tasks of this run can be re-run one by one (Zuora). */
    canRerunTasks: z.boolean(),
    /** The run can be retried as a whole (a failed B3OS run). */
    canRetry: z.boolean(),
  });
export type RunView = z.infer<typeof RunViewSchema>;

export const StateMessageSchema = z.object({
  type: z.literal('state'),
  run: RunViewSchema,
  /** The host's clock when posted: the page ticks durations against it, not against its own clock
   * (in code-server the page runs on another machine than the host). */
  now: z.number(),
  /** A task/node to open and scroll to (a task row of the trees was clicked); once. */
  revealTask: z.string().optional(),
});
export const MissingMessageSchema = z.object({
  type: z.literal('missing'),
  connection: z.string(),
  runId: z.string(),
});
export const HostMessageSchema = z.discriminatedUnion('type', [StateMessageSchema, MissingMessageSchema]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

/** What the page keeps with `vscode.setState`, and the serializer gets back after a window reload. */
export const PanelStateSchema = z.object({ connection: z.string(), runId: z.string() });
export type PanelState = z.infer<typeof PanelStateSchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown): Parsed<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  // A short summary for the log: where and what kind of problem, never the offending value (zod's
  // own messages quote it, and a page message is untrusted text).
  const error = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.code}`)
    .join('; ');
  return { ok: false, error };
}

/** Host side: a message from the page. */
export function parsePageMessage(value: unknown): Parsed<PageMessage> {
  return parseWith(PageMessageSchema, value);
}

/** Host side: the state a restored panel saved. */
export function parsePanelState(value: unknown): Parsed<PanelState> {
  return parseWith(PanelStateSchema, value);
}
