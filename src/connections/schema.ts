// The `workflowRuns.connections` setting. The common fields are checked here; each platform's
// descriptor checks its own extra fields (auth mode, client id, …), so a new platform needs no
// edit in this file.
import { z } from 'zod';
import * as l10n from '@vscode/l10n';

export const ConnectionSchema = z
  .object({
    // Messages are functions: made when an entry fails, in the language of the moment, not when
    // this module loads (before the translations are).
    name: z
      .string()
      .trim()
      .refine((name) => name.length > 0, () => ({ message: l10n.t('a connection needs a name') })),
    platform: z.string().min(1),
    baseUrl: z
      .string()
      .url()
      // Credentials go only where the HTTP client can take them (and the plain-HTTP rule applies).
      .refine((url) => !URL.canParse(url) || /^https?:$/.test(new URL(url).protocol), () => ({
        message: l10n.t('baseUrl must start with {0} (or {1}); other schemes such as {2} are not supported', 'https://', 'http://', 'ftp://'),
      })),
    /** Name of an environment variable holding the credential (CI, shared machines). */
    credentialEnv: z.string().min(1).optional(),
  })
  .passthrough();
export type Connection = z.infer<typeof ConnectionSchema>;

export const ConnectionsSettingSchema = z.array(ConnectionSchema);

/** Settings key that holds the list above. */
export const connectionsSetting = 'connections';
