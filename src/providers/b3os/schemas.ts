// B3OS Workflow API bodies, as far as the extension reads them. Every schema keeps unknown fields
// (passthrough) and tolerates null and missing fields: statuses are read as strings so a status
// added later is mapped, not rejected.
import { z } from 'zod';

/** The `code` of an envelope or error body (an integer in the API description; read as sent). */
export const B3osCodeSchema = z.union([z.number(), z.string()]).nullish();

/** `{code, data, message, requestId}` around every success body. */
export function envelope<T extends z.ZodTypeAny>(data: T) {
  return z
    .object({
      code: B3osCodeSchema,
      data,
      message: z.string().nullish(),
      requestId: z.string().nullish(),
    })
    .passthrough();
}

/** `{code, details[], message, requestId}` on every error status. */
export const B3osErrorBodySchema = z
  .object({
    code: B3osCodeSchema,
    details: z.array(z.unknown()).nullish(),
    message: z.string().nullish(),
    requestId: z.string().nullish(),
  })
  .passthrough();

/** `data` of a list: `{items, limit, offset, hasMore}`. */
export function paginated<T extends z.ZodTypeAny>(item: T) {
  return z
    .object({
      items: z.array(item).nullish(),
      limit: z.number().nullish(),
      offset: z.number().nullish(),
      hasMore: z.boolean().nullish(),
    })
    .passthrough();
}

/** One declared input of a workflow definition. */
export const B3osWorkflowInputSchema = z
  .object({
    key: z.string(),
    type: z.string().nullish(),
    required: z.boolean().nullish(),
    description: z.string().nullish(),
    default: z.unknown().optional(),
  })
  .passthrough();

export const B3osDefinitionNodeSchema = z
  .object({
    type: z.string().nullish(),
    titleOverride: z.string().nullish(),
    description: z.string().nullish(),
  })
  .passthrough();

export const B3osDefinitionSchema = z
  .object({
    inputSchema: z.array(z.unknown()).nullish(),
    nodes: z.record(z.unknown()).nullish(),
  })
  .passthrough();
export type B3osDefinition = z.infer<typeof B3osDefinitionSchema>;

/** A workflow, as listed and as fetched alone (the latter adds `definition`). */
export const B3osWorkflowSchema = z
  .object({
    id: z.string(),
    name: z.string().nullish(),
    description: z.string().nullish(),
    status: z.string().nullish(),
    version: z.number().nullish(),
    updatedAt: z.string().nullish(),
    lastTriggeredAt: z.string().nullish(),
    triggerType: z.string().nullish(),
    hasDraft: z.boolean().nullish(),
    hasLiveVersion: z.boolean().nullish(),
    definition: B3osDefinitionSchema.nullish(),
  })
  .passthrough();
export type B3osWorkflow = z.infer<typeof B3osWorkflowSchema>;

/** One node of a run's `executionState`. */
export const B3osExecutionNodeSchema = z
  .object({
    type: z.string().nullish(),
    status: z.string().nullish(),
    input: z.unknown().optional(),
    result: z.unknown().optional(),
    error: z.unknown().optional(),
    startedAt: z.string().nullish(),
    finishedAt: z.string().nullish(),
    /** Input keys that hold connector secrets: their values are masked before they are kept. */
    secretKeys: z.array(z.string()).nullish(),
    /** For-each nodes: one mini executionState (node id → node) per round. */
    iterations: z.array(z.record(z.unknown())).nullish(),
    /** Compute units of this node (inferred: not in the API description; read when present). */
    cu: z.number().nullish(),
    totalCu: z.number().nullish(),
  })
  .passthrough();
export type B3osExecutionNode = z.infer<typeof B3osExecutionNodeSchema>;

/** A run (GET /v1/runs/{id}, cancel); list items have the same fields without executionState. */
export const B3osRunSchema = z
  .object({
    id: z.string(),
    workflowId: z.string().nullish(),
    workflowVersion: z.number().nullish(),
    status: z.string(),
    executionState: z.record(z.unknown()).nullish(),
    triggerSource: z.string().nullish(),
    startedAt: z.string().nullish(),
    finishedAt: z.string().nullish(),
    isDustTest: z.boolean().nullish(),
    isSimulation: z.boolean().nullish(),
    totalCu: z.number().nullish(),
    /** Not documented; read when present (inferred). */
    error: z.unknown().optional(),
    payload: z.unknown().optional(),
    workflowDefinition: B3osDefinitionSchema.nullish(),
  })
  .passthrough();
export type B3osRun = z.infer<typeof B3osRunSchema>;

/** POST /v1/runs/{id}/retry: the new run's id is B3OS's, so it must be there. */
export const B3osRunIdSchema = z.object({ runId: z.string() }).passthrough();

/**
 * POST /v1/workflows/{id}/run. `data.runId` (even `data`) may be left out: the run id is the one
 * the client made and sent, so an answer without it is still an accepted run.
 */
export const B3osTriggerAnswerSchema = z.object({ runId: z.string().nullish() }).passthrough().nullish();

export const B3osWorkflowListResponseSchema = envelope(paginated(B3osWorkflowSchema));
export const B3osWorkflowResponseSchema = envelope(B3osWorkflowSchema);
export const B3osRunResponseSchema = envelope(B3osRunSchema);
export const B3osRunListResponseSchema = envelope(paginated(B3osRunSchema));
export const B3osRunIdResponseSchema = envelope(B3osRunIdSchema);
export const B3osTriggerResponseSchema = envelope(B3osTriggerAnswerSchema);
/** Cancel answers with the run; only success matters, so the body is read loosely. */
export const B3osAnyResponseSchema = envelope(z.unknown().optional());
