// Zuora Workflow wire bodies (docs/platforms/zuora.md). Every object is
// passthrough so fields Zuora adds are kept; spots the docs leave open (*inferred*) are tolerant.
import { z } from 'zod';

/** Zuora ids are integers on the wire (19063); some bodies send strings. Kept as strings here. */
export const ZuoraIdSchema = z.union([z.number(), z.string().min(1)]).transform((id) => String(id));

/** Free-text fields Zuora may send as null. */
const optionalText = z.string().nullish().transform((value) => value ?? undefined);

// ── OAuth ────────────────────────────────────────────────────────────────────────────────────
export const TokenResponseSchema = z
  .object({
    access_token: z.string().min(1),
    /** Seconds; 3599 in the docs. Absent → treated as one hour. */
    expires_in: z.coerce.number().positive().optional(),
    token_type: z.string().optional(),
    scope: z.string().optional(),
    jti: z.string().optional(),
  })
  .passthrough();
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

// ── Errors ───────────────────────────────────────────────────────────────────────────────────
export const ZuoraErrorItemSchema = z
  .object({
    code: z.union([z.string(), z.number()]).nullish(),
    parameter: z.string().nullish(),
    message: z.string().nullish(),
  })
  .passthrough();

/**
 * `{type, errors: [{code, parameter, message}], retryable}`; older endpoints answer
 * `{success: false, reasons: [{code, message}]}` and the token endpoint `{error, error_description}`.
 */
export const ZuoraErrorBodySchema = z
  .object({
    success: z.boolean().nullish(),
    type: z.string().nullish(),
    errors: z.array(ZuoraErrorItemSchema).nullish(),
    reasons: z.array(ZuoraErrorItemSchema).nullish(),
    retryable: z.boolean().nullish(),
    message: z.string().nullish(),
    error: z.string().nullish(),
    error_description: z.string().nullish(),
  })
  .passthrough();
export type ZuoraErrorBody = z.infer<typeof ZuoraErrorBodySchema>;

// ── Workflow definitions ─────────────────────────────────────────────────────────────────────
/** A declared input parameter. Where Zuora puts these and how it spells them is not documented. */
export const ZuoraParameterSchema = z
  .object({
    name: z.string().optional(),
    field_name: z.string().optional(),
    key: z.string().optional(),
    label: optionalText,
    datatype: optionalText,
    data_type: optionalText,
    type: optionalText,
    required: z.boolean().nullish(),
    default: z.unknown().optional(),
    default_value: z.unknown().optional(),
    description: optionalText,
    options: z.array(z.union([z.string(), z.number()])).nullish(),
    object_name: optionalText,
  })
  .passthrough();
export type ZuoraParameter = z.infer<typeof ZuoraParameterSchema>;

const ParameterListSchema = z.array(ZuoraParameterSchema).nullish();

export const ZuoraWorkflowSchema = z
  .object({
    id: ZuoraIdSchema,
    name: z.string(),
    description: optionalText,
    status: optionalText,
    active_version: z
      .object({
        id: ZuoraIdSchema.optional(),
        version: z.union([z.string(), z.number()]).nullish(),
        parameters: ParameterListSchema,
      })
      .passthrough()
      .nullish(),
    callout_trigger: z.boolean().nullish(),
    ondemand_trigger: z.boolean().nullish(),
    scheduled_trigger: z.boolean().nullish(),
    interval: optionalText,
    timezone: optionalText,
    created_at: optionalText,
    updated_at: optionalText,
    parameters: ParameterListSchema,
    input_parameters: ParameterListSchema,
  })
  .passthrough();
export type ZuoraWorkflow = z.infer<typeof ZuoraWorkflowSchema>;

/** Page position; key spelling is *inferred*, so both snake and camel case are read. */
export const ZuoraPaginationSchema = z
  .object({
    next_page: z.union([z.number(), z.string()]).nullish(),
    nextPage: z.union([z.number(), z.string()]).nullish(),
    page: z.coerce.number().nullish(),
    page_length: z.coerce.number().nullish(),
    pageLength: z.coerce.number().nullish(),
  })
  .passthrough();
export type ZuoraPagination = z.infer<typeof ZuoraPaginationSchema>;

export const ZuoraWorkflowListSchema = z
  .object({
    data: z.array(ZuoraWorkflowSchema),
    pagination: ZuoraPaginationSchema.nullish(),
  })
  .passthrough();
export type ZuoraWorkflowList = z.infer<typeof ZuoraWorkflowListSchema>;

// ── Triggering a run ─────────────────────────────────────────────────────────────────────────
/** v1 `POST /workflows/{id}/run` → the new run. */
export const V1RunTriggerSchema = z
  .object({
    id: ZuoraIdSchema,
    name: optionalText,
    original_workflow_id: ZuoraIdSchema.nullish(),
    status: z.string(),
    created_at: optionalText,
    updated_at: optionalText,
  })
  .passthrough();
export type V1RunTrigger = z.infer<typeof V1RunTriggerSchema>;

/** Quickstart `POST /v2/workflows/{id}/run` 201 → the new run, snake-case `state`. */
export const QuickstartRunTriggerSchema = z
  .object({
    id: ZuoraIdSchema,
    type: optionalText,
    state: z.string(),
    original_workflow_id: ZuoraIdSchema.nullish(),
    name: optionalText,
    created_time: optionalText,
    updated_time: optionalText,
  })
  .passthrough();
export type QuickstartRunTrigger = z.infer<typeof QuickstartRunTriggerSchema>;

/** `async: true` → 202 with only a request id (its key is not documented). */
export const AsyncAcceptedSchema = z
  .object({
    request_id: z.string().optional(),
    requestId: z.string().optional(),
    id: ZuoraIdSchema.optional(),
  })
  .passthrough();
export type AsyncAccepted = z.infer<typeof AsyncAcceptedSchema>;

/** Any answer to a run request, most specific first (errors describe the first alternative). */
export const V1TriggerResponseSchema = z.union([V1RunTriggerSchema, QuickstartRunTriggerSchema, AsyncAcceptedSchema]);
export const QuickstartTriggerResponseSchema = z.union([QuickstartRunTriggerSchema, V1RunTriggerSchema, AsyncAcceptedSchema]);
export type TriggerResponse = z.infer<typeof V1TriggerResponseSchema>;

// ── Runs ─────────────────────────────────────────────────────────────────────────────────────
const count = z.number().int().nonnegative().nullish().transform((value) => value ?? 0);

export const ZuoraTaskCountsSchema = z
  .object({
    error: count,
    pending: count,
    processing: count,
    queued: count,
    stopped: count,
    success: count,
    total: count,
  })
  .passthrough();

/** `GET /workflows/workflow_runs/{id}`; timestamps like `2019-09-10 19:32:21 UTC`. */
export const ZuoraWorkflowRunSchema = z
  .object({
    id: ZuoraIdSchema,
    name: optionalText,
    originalWorkflowId: ZuoraIdSchema.nullish(),
    type: optionalText,
    status: z.string(),
    cpuTime: optionalText,
    runTime: z.number().nullish(),
    createdAt: optionalText,
    updatedAt: optionalText,
    finishedAt: optionalText,
    messages: z.unknown().optional(),
    tasks: ZuoraTaskCountsSchema,
  })
  .passthrough();
export type ZuoraWorkflowRun = z.infer<typeof ZuoraWorkflowRunSchema>;

/** One task of a run (`GET /workflows/tasks?workflow_id=`). */
export const ZuoraTaskSchema = z
  .object({
    id: ZuoraIdSchema,
    name: optionalText,
    action_type: optionalText,
    call_type: optionalText,
    object: optionalText,
    object_id: z.union([z.string(), z.number()]).nullish(),
    status: z.string(),
    tags: z.array(z.string()).nullish(),
    workflow_id: ZuoraIdSchema.nullish(),
    // Not in the docs' field list; read when present.
    error: z.unknown().optional(),
    error_message: optionalText,
    error_class: optionalText,
    error_details: z.unknown().optional(),
    /** The task's configuration as it ran (inferred: Zuora's task object; read when present). */
    parameters: z.unknown().optional(),
    /** The data the task produced into the workflow's payload (inferred; read when present). */
    data: z.unknown().optional(),
    instance: z.boolean().nullish(),
    start_time: optionalText,
    end_time: optionalText,
    created_at: optionalText,
    updated_at: optionalText,
  })
  .passthrough();
export type ZuoraTask = z.infer<typeof ZuoraTaskSchema>;

export const ZuoraTaskListSchema = z
  .object({
    data: z.array(ZuoraTaskSchema),
    pagination: ZuoraPaginationSchema.nullish(),
  })
  .passthrough();
export type ZuoraTaskList = z.infer<typeof ZuoraTaskListSchema>;

/** `PUT …/stop`: the body is undocumented; anything (or nothing) is accepted. */
export const StopResponseSchema = z.unknown();
