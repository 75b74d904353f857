// The one check of a payload's `$options` against a platform's optionsSchema, with the one wording
// users see. The payload pipeline, the run controller and the adapters all go through it, so no
// raw ZodError ever reaches a user and every place says the same sentence.
import type { z } from 'zod';
import { WorkflowRunsError } from '../client/errors';
import * as l10n from '@vscode/l10n';

/** The first problem `$options` has for a platform; `path` is relative to `$options`. */
export interface OptionsIssue {
  message: string;
  path: Array<string | number>;
}

export type OptionsCheck<T> = { ok: true; options: T } | ({ ok: false } & OptionsIssue);

/**
 * Checks `$options` against an optionsSchema. On success the options come back as the schema
 * parsed them (trimmed strings and the like); on failure only the first issue is kept: one clear
 * sentence beats a list.
 */
export function validateOptions<T>(options: Record<string, unknown>, optionsSchema: z.ZodType<T, z.ZodTypeDef, unknown>): OptionsCheck<T> {
  const result = optionsSchema.safeParse(options);
  if (result.success) return { ok: true, options: result.data };
  const issue = result.error.issues[0];
  if (!issue) return { ok: false, message: l10n.t('$options is not valid for this platform'), path: [] };
  const where = ['$options', ...issue.path.map(String)].join('.');
  // A refinement may already name its fields ("$options.simulate and $options.dustTest …").
  const message = issue.message.includes('$options') ? issue.message : `${where}: ${describeIssue(issue)}`;
  return { ok: false, message, path: issue.path };
}

/** `validateOptions` reduced to its issue, undefined when the options fit. */
export function checkOptions(options: Record<string, unknown>, optionsSchema: z.ZodTypeAny): OptionsIssue | undefined {
  const check = validateOptions(options, optionsSchema);
  return check.ok ? undefined : { message: check.message, path: check.path };
}

/** "<issue>. Nothing was sent." as a config error of a connection: what a refused run says. */
export function optionsError(issue: OptionsIssue, connection?: string): WorkflowRunsError {
  return new WorkflowRunsError(l10n.t('{0} Nothing was sent.', withFullStop(issue.message)), { kind: 'config', connection });
}

/**
 * The options an adapter sends. The run controller has already checked them at the boundary; an
 * adapter called directly (tests, a later CLI) gets the same check and the same sentence.
 */
export function optionsFor<T>(options: Record<string, unknown>, optionsSchema: z.ZodType<T, z.ZodTypeDef, unknown>, connection: string): T {
  const check = validateOptions(options, optionsSchema);
  if (!check.ok) throw optionsError(check, connection);
  return check.options;
}

function withFullStop(message: string): string {
  return /[.!?…]$/.test(message) ? message : `${message}.`;
}

// zod's default wording ("Expected boolean, received string") reads like a stack trace to users,
// and is English only. Also how a connection's settings problems are worded.
export function describeIssue(issue: z.ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined' ? l10n.t('is required') : l10n.t('must be {0}, not {1}', typeWithArticle(issue.expected), typeWithArticle(issue.received));
    case 'unrecognized_keys':
      return issue.keys.length > 1 ? l10n.t('unknown options {0}', issue.keys.map((key) => `"${key}"`).join(', ')) : l10n.t('unknown option {0}', issue.keys.map((key) => `"${key}"`).join(', '));
    case 'invalid_enum_value':
      return l10n.t('must be one of {0}', issue.options.map((option) => JSON.stringify(option)).join(', '));
    case 'too_small':
      // zod's own text here is "String must contain at least 1 character(s)".
      return issue.minimum === 1 && /^(String|Array) must contain at least 1 /.test(issue.message) ? l10n.t('must not be empty') : issue.message;
    default:
      return issue.message;
  }
}

/**
 * A JSON or zod type name with its article, in the user's language ("a string", "an array").
 * Unlisted names (zod's rarer ones) are shown as they are.
 */
export function typeWithArticle(type: string): string {
  switch (type) {
    case 'string':
      return l10n.t('a string');
    case 'number':
      return l10n.t('a number');
    case 'integer':
      return l10n.t('an integer');
    case 'float':
      return l10n.t('a float');
    case 'boolean':
      return l10n.t('a boolean');
    case 'object':
      return l10n.t('an object');
    case 'array':
      return l10n.t('an array');
    default:
      return type;
  }
}
