// A run as the extension remembers it: the latest snapshot plus what was sent, so it can be
// shown after a reload, watched again while in flight, and re-run with the same payload.
import { z } from 'zod';
import { RunSnapshotSchema } from '../providers/model';
import { FileInputsSchema } from '../providers/localFiles';
import { isFollowable } from '../providers/status';

/** Which workflow on which connection a run is for (payload files remember one per file). */
export interface RunTarget {
  connection: string;
  workflowId: string;
  workflowName?: string;
}

export const RunRequestSchema = z.object({
  inputs: z.record(z.unknown()),
  options: z.record(z.unknown()),
  /** The `$file` inputs as resolved when the run started (absolute paths): a re-run uploads them again. */
  files: FileInputsSchema.optional(),
  /** The payload file the run came from, as a URI string, when it came from one. */
  payloadUri: z.string().optional(),
});
export type RunRequest = z.infer<typeof RunRequestSchema>;

/**
 * What a re-run of a run sends: what was sent, or for a run opened by id the platform's echo of
 * its inputs, with its options (a simulated run must not come back as a real one). Undefined when
 * the inputs are unknown.
 */
export function resendRequestOf(record: { request?: RunRequest; snapshot: { inputs?: unknown; options?: Record<string, unknown> } }): RunRequest | undefined {
  if (record.request) return record.request;
  const { inputs, options } = record.snapshot;
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) return undefined;
  return { inputs: inputs as Record<string, unknown>, options: options ?? {} };
}

/**
 * Why watching is holding back while the run goes on (shown beside the run, never as a failure):
 * the platform asked to wait (Retry-After), or it kept failing and watching slowed to a slow poll.
 */
export const WatchNoteSchema = z.object({
  reason: z.enum(['serverAsked', 'slowPoll']),
  /** The HTTP status that asked to wait (429 rate limited, 503 unavailable …). */
  status: z.number().optional(),
  /** How long this wait is, in ms. */
  waitMs: z.number(),
  /** When watching asks again (epoch ms). */
  nextCheckAt: z.number(),
  /** Failures in a row so far (slowPoll). */
  failures: z.number().optional(),
});
export type WatchNote = z.infer<typeof WatchNoteSchema>;

export const RunRecordSchema = z.object({
  connection: z.string(),
  platform: z.string(),
  workflowName: z.string().optional(),
  triggeredAt: z.number(),
  updatedAt: z.number(),
  request: RunRequestSchema.optional(),
  snapshot: RunSnapshotSchema,
  /** The last problem met while watching (shown in views; the run itself may be fine). */
  watchError: z.string().optional(),
  /** Watching is waiting on the platform (see WatchNoteSchema); cleared by the next snapshot. */
  watchNote: WatchNoteSchema.optional(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** Runs are unique per connection: two platforms could reuse a run id. */
export function runKey(connection: string, runId: string): string {
  return `${connection}\u0000${runId}`;
}

export function keyOf(record: RunRecord): string {
  return runKey(record.connection, record.snapshot.runId);
}

/** A run still moving that the extension can follow (an untracked run is not watched or counted). */
export function isInFlight(record: RunRecord): boolean {
  return isFollowable(record.snapshot);
}
