// Dify workflow apps: what the extension needs to know at activation. Kept light (zod and types
// only); the adapter with its HTTP code loads on first use.
import { z } from 'zod';
import type { Connection } from '../../connections/schema';
import type { PlatformDescriptor } from '../provider';

/** The Dify-only fields of a connection. One connection is one app (one API key = one app). */
export const DifySettingsSchema = z
  .object({
    /** The Dify end-user id sent with runs; runs, files and re-attaching are scoped to it. */
    user: z.string().trim().min(1, 'user must not be empty').optional(),
    /** Runs this published workflow version (POST /workflows/{workflowId}/run). */
    workflowId: z.string().trim().min(1, 'workflowId must not be empty').optional(),
  })
  .passthrough();
export type DifySettings = z.infer<typeof DifySettingsSchema>;

/**
 * A payload's `$options` for Dify. Strict, so a misspelt key ("responseMode") is reported before
 * anything is sent instead of being silently ignored.
 */
export const DifyOptionsSchema = z
  .object({
    response_mode: z.enum(['streaming', 'blocking']).optional(),
    user: z.string().trim().min(1, 'user must not be empty').optional(),
    /** File objects as Dify expects them ({type, transfer_method, url | upload_file_id}). */
    files: z.array(z.record(z.unknown())).optional(),
  })
  .strict();
export type DifyOptions = z.infer<typeof DifyOptionsSchema>;

/** The id of the connection's one workflow: the configured published version, else `default`. */
export function difyWorkflowId(connection: Connection): string {
  const parsed = DifySettingsSchema.safeParse(connection);
  return (parsed.success ? parsed.data.workflowId : undefined) ?? 'default';
}

export const difyDescriptor: PlatformDescriptor = {
  id: 'dify',
  label: 'Dify',
  icon: 'sparkle',
  // Self-hosted servers are typed in by the user: their base URL ends in /v1 as well.
  baseUrls: [{ label: 'Dify Cloud', url: 'https://api.dify.ai/v1' }],
  authModes: [
    {
      id: 'apiKey',
      label: 'App API key',
      detail: 'One connection per workflow app (Dify → the app → API Access)',
      credentialPrompt: 'The Dify app API key (starts with "app-")',
    },
  ],
  settingsSchema: DifySettingsSchema,
  optionsSchema: DifyOptionsSchema,
  optionsHint: ['// "$options": { "response_mode": "streaming", "user": "my-user-id", "files": [] },'],
  fileInputs: true,
  singleWorkflow: difyWorkflowId,
  load: async () => (await import('./adapter')).createDifyProvider,
};
