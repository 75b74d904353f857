// Dify Service API bodies (workflow apps), as far as the extension reads them. Every schema keeps
// unknown fields (passthrough) and accepts null where Dify is known to send it: a new Dify field
// or a null must never make a run unreadable.
import { z } from 'zod';

/** Numbers Dify sometimes sends as strings (prices: "0.000123"). */
const numeric = z.union([z.number(), z.string()]).nullish();

/** `{code, message, status}` on every error status. */
export const DifyErrorBodySchema = z
  .object({
    code: z.string().nullish(),
    message: z.string().nullish(),
    status: z.number().nullish(),
  })
  .passthrough();
export type DifyErrorBody = z.infer<typeof DifyErrorBodySchema>;

/** GET /info. */
export const DifyAppInfoSchema = z
  .object({
    name: z.string().nullish(),
    description: z.string().nullish(),
    tags: z.array(z.unknown()).nullish(),
    mode: z.string().nullish(),
    author_name: z.string().nullish(),
  })
  .passthrough();
export type DifyAppInfo = z.infer<typeof DifyAppInfoSchema>;

/** The body of one `user_input_form` item: `{<type>: {variable, label, required, …}}`. */
export const DifyInputControlSchema = z
  .object({
    variable: z.string(),
    label: z.string().nullish(),
    required: z.boolean().nullish(),
    default: z.unknown().optional(),
    options: z.array(z.unknown()).nullish(),
    max_length: z.number().nullish(),
    hint: z.string().nullish(),
    placeholder: z.string().nullish(),
  })
  .passthrough();
export type DifyInputControl = z.infer<typeof DifyInputControlSchema>;

/** GET /parameters: only the input form matters here. Items are kept loose and read one by one. */
export const DifyParametersSchema = z
  .object({
    user_input_form: z.array(z.record(z.unknown())).nullish(),
  })
  .passthrough();

/** The run fields shared by workflow_finished, the blocking answer and the run detail. */
const runFields = {
  id: z.string(),
  workflow_id: z.string().nullish(),
  status: z.string(),
  outputs: z.unknown().optional(),
  error: z.string().nullish(),
  elapsed_time: z.number().nullish(),
  total_tokens: z.number().nullish(),
  total_steps: z.number().nullish(),
  created_at: z.number().nullish(),
  finished_at: z.number().nullish(),
  exceptions_count: z.number().nullish(),
  /** Not documented on workflow_finished, read when present (inferred). */
  execution_metadata: z.record(z.unknown()).nullish(),
};

/**
 * workflow_finished `data`, and the blocking answer's `data`. Their `id` is optional: the run id
 * travels beside it (`workflow_run_id`), and a run must not fail for a field it does not need.
 */
export const DifyFinishedDataSchema = z.object({ ...runFields, id: z.string().nullish() }).passthrough();
export type DifyFinishedData = z.infer<typeof DifyFinishedDataSchema>;

/** POST /workflows/run with response_mode blocking. */
export const DifyBlockingResponseSchema = z
  .object({
    task_id: z.string().nullish(),
    workflow_run_id: z.string(),
    data: DifyFinishedDataSchema,
  })
  .passthrough();

/** GET /workflows/run/{id}: `inputs` is a JSON *string* (or null). */
export const DifyRunDetailSchema = z
  .object({
    ...runFields,
    inputs: z.unknown().optional(),
  })
  .passthrough();
export type DifyRunDetail = z.infer<typeof DifyRunDetailSchema>;

/** One entry of GET /workflows/logs. */
export const DifyLogItemSchema = z
  .object({
    id: z.string(),
    workflow_run: z
      .object({
        id: z.string(),
        version: z.string().nullish(),
        status: z.string(),
        error: z.string().nullish(),
        elapsed_time: z.number().nullish(),
        total_tokens: z.number().nullish(),
        total_steps: z.number().nullish(),
        created_at: z.number().nullish(),
        finished_at: z.number().nullish(),
        exceptions_count: z.number().nullish(),
        triggered_from: z.string().nullish(),
      })
      .passthrough(),
    created_by_end_user: z.object({ session_id: z.string().nullish() }).passthrough().nullish(),
    created_at: z.number().nullish(),
  })
  .passthrough();
export type DifyLogItem = z.infer<typeof DifyLogItemSchema>;

export const DifyLogsSchema = z
  .object({
    page: z.number().nullish(),
    limit: z.number().nullish(),
    total: z.number().nullish(),
    has_more: z.boolean().nullish(),
    data: z.array(DifyLogItemSchema),
  })
  .passthrough();

/** POST /workflows/tasks/{task_id}/stop. */
/** `POST /files/upload` → 201: the upload's id is what a run refers to. */
export const DifyUploadedFileSchema = z.object({ id: z.string(), name: z.string().nullish(), size: z.number().nullish() }).passthrough();

export const DifyStopResultSchema = z.object({ result: z.string().nullish() }).passthrough();

// ---- Stream events -------------------------------------------------------------------------

/** What every stream event carries; `data` is read per event type below. */
export const DifyStreamEnvelopeSchema = z
  .object({
    event: z.string(),
    task_id: z.string().nullish(),
    workflow_run_id: z.string().nullish(),
    data: z.unknown().optional(),
  })
  .passthrough();
export type DifyStreamEnvelope = z.infer<typeof DifyStreamEnvelopeSchema>;

export const DifyWorkflowStartedDataSchema = z
  .object({
    id: z.string().nullish(),
    workflow_id: z.string().nullish(),
    inputs: z.unknown().optional(),
    created_at: z.number().nullish(),
  })
  .passthrough();

/**
 * node_started, node_finished and node_retry `data`. `id` is the node *execution* (unique per
 * iteration or loop round); `node_id` is the node of the graph. `iteration_id`/`loop_id` name the
 * graph node of the iteration or loop the execution runs in; the round index is in
 * `execution_metadata`. `retry_index` is only on node_retry.
 */
export const DifyNodeDataSchema = z
  .object({
    id: z.string().nullish(),
    node_id: z.string().nullish(),
    node_type: z.string().nullish(),
    title: z.string().nullish(),
    index: z.number().nullish(),
    status: z.string().nullish(),
    error: z.string().nullish(),
    elapsed_time: z.number().nullish(),
    created_at: z.number().nullish(),
    finished_at: z.number().nullish(),
    inputs: z.unknown().optional(),
    outputs: z.unknown().optional(),
    process_data: z.unknown().optional(),
    iteration_id: z.string().nullish(),
    loop_id: z.string().nullish(),
    retry_index: z.number().nullish(),
    execution_metadata: z
      .object({
        total_tokens: numeric,
        total_price: numeric,
        currency: z.string().nullish(),
        iteration_id: z.string().nullish(),
        iteration_index: z.number().nullish(),
        loop_id: z.string().nullish(),
        loop_index: z.number().nullish(),
      })
      .passthrough()
      .nullish(),
  })
  .passthrough();
export type DifyNodeData = z.infer<typeof DifyNodeDataSchema>;

/**
 * iteration_started|next|completed and loop_started|next|completed `data`: `id` is the execution of
 * the iteration (loop) node, `node_id` its graph node; `index` (on *_next) is the round about to run.
 * *_completed carries the node's final fields like node_finished.
 */
export const DifyRoundEventDataSchema = DifyNodeDataSchema.extend({
  total_tokens: z.number().nullish(),
  steps: z.number().nullish(),
});
export type DifyRoundEventData = z.infer<typeof DifyRoundEventDataSchema>;

export const DifyTextChunkDataSchema = z.object({ text: z.string().nullish() }).passthrough();

export const DifyPausedDataSchema = z
  .object({
    status: z.string().nullish(),
    created_at: z.number().nullish(),
    elapsed_time: z.number().nullish(),
  })
  .passthrough();

/** The `error` event: fields at the top level (inferred: also looked for under `data`). */
export const DifyErrorEventSchema = z
  .object({
    status: z.number().nullish(),
    code: z.string().nullish(),
    message: z.string().nullish(),
  })
  .passthrough();

// ---- A fast path for the events that come by the tens of thousands ---------------------------
// zod copies every object it checks; on a run of 25,000 node executions that copying was most
// of the work. These checks accept exactly what the schemas above accept for the common shapes
// (and return the object itself); anything else goes through zod, which stays the authority.
// They name each field (rather than walking a table of checks) so that every read is a plain
// property access on objects that JSON.parse gives one shape: a check costs a few nanoseconds.

const isOptionalString = (value: unknown): boolean => value === undefined || value === null || typeof value === 'string';
const isOptionalNumber = (value: unknown): boolean => value === undefined || value === null || typeof value === 'number';
/** `numeric` above: a number or a string, or nothing. */
const isOptionalNumeric = (value: unknown): boolean => isOptionalNumber(value) || typeof value === 'string';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** DifyStreamEnvelopeSchema's fields. */
function isPlainEnvelope(value: Record<string, unknown>): boolean {
  return typeof value.event === 'string' && isOptionalString(value.task_id) && isOptionalString(value.workflow_run_id);
}

/** DifyNodeDataSchema's `execution_metadata`. */
function isPlainMetadata(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (!isRecord(value)) return false;
  return (
    isOptionalNumeric(value.total_tokens) &&
    isOptionalNumeric(value.total_price) &&
    isOptionalString(value.currency) &&
    isOptionalString(value.iteration_id) &&
    isOptionalNumber(value.iteration_index) &&
    isOptionalString(value.loop_id) &&
    isOptionalNumber(value.loop_index)
  );
}

/** DifyRoundEventDataSchema's fields (those of DifyNodeDataSchema, then its own two). */
function isPlainNodeData(value: Record<string, unknown>): boolean {
  return (
    isOptionalString(value.id) &&
    isOptionalString(value.node_id) &&
    isOptionalString(value.node_type) &&
    isOptionalString(value.title) &&
    isOptionalNumber(value.index) &&
    isOptionalString(value.status) &&
    isOptionalString(value.error) &&
    isOptionalNumber(value.elapsed_time) &&
    isOptionalNumber(value.created_at) &&
    isOptionalNumber(value.finished_at) &&
    isOptionalString(value.iteration_id) &&
    isOptionalString(value.loop_id) &&
    isOptionalNumber(value.retry_index) &&
    isPlainMetadata(value.execution_metadata) &&
    isOptionalNumber(value.total_tokens) &&
    isOptionalNumber(value.steps)
  );
}

export function readStreamEnvelope(value: unknown): DifyStreamEnvelope | undefined {
  if (isRecord(value) && isPlainEnvelope(value)) return value as DifyStreamEnvelope;
  const parsed = DifyStreamEnvelopeSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** node_*, iteration_* and loop_* data (DifyRoundEventData is a superset of DifyNodeData). */
export function readNodeData(value: unknown): DifyRoundEventData | undefined {
  if (isRecord(value) && isPlainNodeData(value)) return value as DifyRoundEventData;
  const parsed = DifyRoundEventDataSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
