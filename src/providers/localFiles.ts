// Files on the user's disk that a run's inputs refer to (a payload's `{"$file": "./invoice.pdf"}`),
// resolved by the payload pipeline and handed to the adapter, which uploads them its platform's way.
import { z } from 'zod';

export const LocalFileSchema = z.object({
  /** Absolute path on this machine. */
  path: z.string(),
  /** The file name as the platform should see it. */
  name: z.string(),
  size: z.number().int().nonnegative(),
});
export type LocalFile = z.infer<typeof LocalFileSchema>;

/** Input name → the file (a `file` input) or files (a `file-list` input) it sends. */
export const FileInputsSchema = z.record(z.union([LocalFileSchema, z.array(LocalFileSchema)]));
export type FileInputs = z.infer<typeof FileInputsSchema>;

/** No upload is read past this size (Dify's largest default category limit, video, is 100 MB). */
export const maxUploadBytes = 100 * 1024 * 1024;
