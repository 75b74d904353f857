// Dify workflow apps: what the extension needs to know at activation. Kept light (zod and types
// only); the adapter with its HTTP code loads on first use.
import { z } from 'zod';
import type { Connection } from '../../connections/schema';
import type { PlatformDescriptor } from '../provider';
import { nonEmptyText } from '../settingsText';
import * as l10n from '@vscode/l10n';

/** The Dify-only fields of a connection. One connection is one app (one API key = one app). */
export const DifySettingsSchema = z
  .object({
    /** The Dify end-user id sent with runs; runs, files and re-attaching are scoped to it. */
    user: nonEmptyText('user').optional(),
    /** Runs this published workflow version (POST /workflows/{workflowId}/run). */
    workflowId: nonEmptyText('workflowId').optional(),
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
    user: nonEmptyText('user').optional(),
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
  baseUrls: [
    {
      get label() {
        return l10n.t('Dify Cloud');
      },
      url: 'https://api.dify.ai/v1',
    },
  ],
  authModes: [
    {
      id: 'apiKey',
      get label() {
        return l10n.t('App API key');
      },
      get detail() {
        return l10n.t('One connection per workflow app (Dify → the app → API Access)');
      },
      get credentialPrompt() {
        return l10n.t('The Dify app API key (starts with "{0}")', 'app-');
      },
    },
  ],
  settingsSchema: DifySettingsSchema,
  optionsSchema: DifyOptionsSchema,
  optionsHint: ['// "$options": { "response_mode": "streaming", "user": "my-user-id", "files": [] },'],
  fileInputs: true,
  singleWorkflow: difyWorkflowId,
  load: async () => (await import('./adapter')).createDifyProvider,
};
