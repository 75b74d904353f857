// The `workflowRuns.connections` setting. The common fields are checked here; each platform's
// descriptor checks its own extra fields (auth mode, client id, …), so a new platform needs no
// edit in this file.
import { z } from 'zod';

export const ConnectionSchema = z
  .object({
    name: z.string().trim().min(1, 'a connection needs a name'),
    platform: z.string().min(1),
    baseUrl: z
      .string()
      .url('baseUrl must be an absolute URL such as https://api.b3os.org')
      // Credentials go only where the HTTP client can take them (and the plain-HTTP rule applies).
      .refine((url) => !URL.canParse(url) || /^https?:$/.test(new URL(url).protocol), 'baseUrl must start with https:// (or http://); other schemes such as ftp:// are not supported'),
    /** Name of an environment variable holding the credential (CI, shared machines). */
    credentialEnv: z.string().min(1).optional(),
  })
  .passthrough();
export type Connection = z.infer<typeof ConnectionSchema>;

export const ConnectionsSettingSchema = z.array(ConnectionSchema);

/** Settings key that holds the list above. */
export const connectionsSetting = 'connections';
