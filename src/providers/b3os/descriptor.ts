// B3OS workflows: what the extension needs to know at activation. Kept light (zod and types
// only); the adapter with its HTTP code loads on first use.
import { z } from 'zod';
import type { PlatformDescriptor } from '../provider';
import * as l10n from '@vscode/l10n';

/** B3OS needs nothing beyond the common connection fields (the API key is the credential). */
export const B3osSettingsSchema = z.object({}).passthrough();

/**
 * A payload's `$options` for B3OS. Strict, so a misspelt key is reported before anything is
 * sent; simulate and dustTest exclude each other (the platform would refuse the run).
 */
export const B3osOptionsSchema = z
  .object({
    /** A dry run: nothing is executed on chain. */
    simulate: z.boolean().optional(),
    /** A real run with dust amounts (~$0.01). */
    dustTest: z.boolean().optional(),
    /** Run this version instead of the default (which prefers the draft). */
    // A fraction is zod's invalid_type (integer, received float), worded by providers/options.
    version: z
      .number()
      .int()
      .refine((version) => version >= 1, () => ({ message: l10n.t('version must be 1 or more') }))
      .optional(),
    chatMessageId: z.string().min(1).optional(),
  })
  .strict()
  // A function, so the message is translated when it is shown, not when this module loads.
  .refine((options) => !(options.simulate === true && options.dustTest === true), () => ({
    message: l10n.t('simulate and dustTest cannot both be true: choose a simulation (dry run) or a dust test.'),
    path: ['dustTest'],
  }));
export type B3osOptions = z.infer<typeof B3osOptionsSchema>;

export const b3osDescriptor: PlatformDescriptor = {
  id: 'b3os',
  label: 'B3OS',
  icon: 'circuit-board',
  baseUrls: [{ label: 'B3OS', url: 'https://api.b3os.org' }],
  authModes: [
    {
      id: 'apiKey',
      get label() {
        return l10n.t('API key');
      },
      get detail() {
        return l10n.t('An organisation API key from B3OS');
      },
      get credentialPrompt() {
        return l10n.t('The B3OS API key');
      },
    },
  ],
  settingsSchema: B3osSettingsSchema,
  optionsSchema: B3osOptionsSchema,
  runActions: { retryFailedRun: true },
  get optionsHint() {
    return [`// "$options": { "simulate": true },  // ${l10n.t('B3OS: a dry run; or {0} (not both), {1}', '"dustTest": true', '"version": 3')}`];
  },
  load: async () => (await import('./adapter')).createB3osProvider,
};
