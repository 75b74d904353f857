// A text field of a connection's settings that must not be blank, with a message in the user's
// language. zod keeps a `.min(1, 'message')` string from the moment the schema is built — when the
// module loads, before the translations are — so the message is made when an entry fails instead.
import { z } from 'zod';
import * as l10n from '@vscode/l10n';

/** A trimmed string that must not be empty; `field` is the setting's key, named in the message. */
export function nonEmptyText(field: string): z.ZodEffects<z.ZodString, string, string> {
  return z
    .string()
    .trim()
    .refine((text) => text.length > 0, () => ({ message: l10n.t('{0} must not be empty', field) }));
}
