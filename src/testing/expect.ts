// `$expect` in a payload file (contract, "Payload files as tests"): what a run must end with for
// the file to pass as a test. Pure and free of `vscode`: the Testing view, the diagnostics and the
// CLI all read `$expect` through `parseExpect`.
import { z } from 'zod';

import { runStatuses } from '../providers/status';
import { taskStates } from '../providers/model';
import { formatPath } from './paths';
import type { PathSegment } from './paths';

/** The keys `$expect.tasks` takes: every task state, and `total`. */
export const taskCountKeys = [...taskStates, 'total'] as const;
export type TaskCountKey = (typeof taskCountKeys)[number];

export const expectKeys = ['status', 'outputs', 'tasks', 'maxSeconds'] as const;

const count = z
  .number({ invalid_type_error: 'must be a whole number of tasks' })
  .int({ message: 'must be a whole number of tasks' })
  .nonnegative({ message: 'must be 0 or more' });

const TaskCountsExpectSchema = z
  .object(Object.fromEntries(taskCountKeys.map((key) => [key, count.optional()])) as Record<TaskCountKey, z.ZodOptional<typeof count>>)
  .strict();

/**
 * Expected outputs: any JSON value per output name. An object written `{"$regex": "<pattern>"}`,
 * at any depth, matches a string by regular expression; it is checked here so a broken pattern is a
 * Problems entry before anything is sent, not a failed test after a run.
 */
const OutputsExpectSchema = z.record(z.unknown()).superRefine((outputs, context) => {
  for (const [key, value] of Object.entries(outputs)) checkMatchers(value, [key], context);
});

export const ExpectSchema = z
  .object({
    status: z.enum(runStatuses).optional(),
    outputs: OutputsExpectSchema.optional(),
    tasks: TaskCountsExpectSchema.optional(),
    maxSeconds: z
      .number({ invalid_type_error: 'must be a number of seconds' })
      .positive({ message: 'must be more than 0 seconds' })
      .finite({ message: 'must be a finite number of seconds' })
      .optional(),
  })
  .strict();
export type Expect = z.infer<typeof ExpectSchema>;

/** `{"$regex": "<pattern>"}` in expected outputs. */
export interface RegexMatcher {
  $regex: string;
}

/** True for an object whose only key is a string `$regex` (what `parseExpect` lets through). */
export function isRegexMatcher(value: unknown): value is RegexMatcher {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$regex' && typeof (value as RegexMatcher).$regex === 'string';
}

/**
 * Matchers use no flags: users write patterns as in JSON schema or a search box (`[\w-]+` is a
 * syntax error with the `u` flag), and the match is a search (anchor with ^…$ for a whole string).
 */
export function compileMatcher(matcher: RegexMatcher): RegExp {
  return new RegExp(matcher.$regex);
}

function checkMatchers(value: unknown, path: PathSegment[], context: z.RefinementCtx): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkMatchers(item, [...path, index], context));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (!Object.prototype.hasOwnProperty.call(value, '$regex')) {
    for (const [key, item] of Object.entries(value)) checkMatchers(item, [...path, key], context);
    return;
  }
  const pattern = (value as Record<string, unknown>).$regex;
  const others = Object.keys(value).filter((key) => key !== '$regex');
  if (others.length > 0) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      path: [...path, others[0]],
      message: `a {"$regex": …} matcher takes no other keys: remove ${others.map((key) => `"${key}"`).join(', ')}`,
    });
  }
  if (typeof pattern !== 'string') {
    context.addIssue({ code: z.ZodIssueCode.custom, path: [...path, '$regex'], message: `must be a regular expression written as a string, not ${describeJsonType(pattern)}` });
    return;
  }
  try {
    new RegExp(pattern);
  } catch (error) {
    // V8 says "Invalid regular expression: /(/: Unterminated group": keep the reason only.
    const reason = error instanceof Error ? error.message.split(': ').pop() : undefined;
    context.addIssue({ code: z.ZodIssueCode.custom, path: [...path, '$regex'], message: `is not a valid regular expression${reason ? ` (${reason.toLowerCase()})` : ''}` });
  }
}

/** One thing wrong with `$expect`; `path` is relative to `$expect` (empty for `$expect` itself). */
export interface ExpectProblem {
  path: PathSegment[];
  /** A full sentence naming the place, e.g. `$expect.tasks.sucess: unknown key …`. */
  message: string;
}

export type ParseExpectResult = { ok: true; expect: Expect } | { ok: false; problems: ExpectProblem[] };

/** Checks a `$expect` value (as parsed from the payload file) and says in plain words what is wrong. */
export function parseExpect(value: unknown): ParseExpectResult {
  const result = ExpectSchema.safeParse(value);
  if (result.success) {
    // zod rebuilds records and drops a "__proto__" key on the way (against prototype pollution);
    // the outputs were only validated, so the document's own object is kept, every key included.
    const outputs = (value as { outputs?: Record<string, unknown> }).outputs;
    return { ok: true, expect: outputs === undefined ? result.data : { ...result.data, outputs } };
  }
  const problems: ExpectProblem[] = [];
  for (const issue of result.error.issues) problems.push(...describeIssue(issue, value));
  return { ok: false, problems };
}

/** `$expect`, `$expect.outputs.total`, `$expect.outputs["a b"]`. */
export function expectPlace(path: readonly PathSegment[]): string {
  return formatPath(['$expect', ...path]);
}

function describeIssue(issue: z.ZodIssue, root: unknown): ExpectProblem[] {
  const path = issue.path;
  const place = expectPlace(path);
  switch (issue.code) {
    case 'unrecognized_keys':
      // One problem per key, placed on the key itself, so each gets its own squiggle.
      return issue.keys.map((key) => ({ path: [...path, key], message: `${expectPlace([...path, key])}: ${unknownKeyMessage(path, key)}` }));
    case 'invalid_type':
      if (path.length === 0) return [{ path, message: `$expect must be an object such as {"status": "succeeded"}, not ${describeJsonType(root)}` }];
      return [{ path, message: `${place} ${typeMessage(path, issue)}` }];
    case 'invalid_enum_value': {
      const hint = closest(String(issue.received), issue.options.map(String));
      return [{ path, message: `${place} must be one of ${issue.options.join(', ')}, not ${JSON.stringify(issue.received)}${hint ? ` (did you mean ${hint}?)` : ''}` }];
    }
    default:
      // The schema's own messages ("must be 0 or more", regex problems) are already plain words.
      // "… must be 0 or more" reads as a sentence with the place; anything else follows a colon.
      return [{ path, message: /^(must|is) /.test(issue.message) ? `${place} ${issue.message}` : `${place}: ${issue.message}` }];
  }
}

function typeMessage(path: readonly PathSegment[], issue: z.ZodInvalidTypeIssue): string {
  // Custom invalid_type_error messages (counts, seconds) are used as they are.
  const message = issue.message ?? '';
  if (message !== '' && !message.startsWith('Expected') && message !== 'Required') {
    // zod reports 1.5 for an int as received "float": the message already says what is wanted.
    return issue.received === 'float' ? message : `${message}, not ${article(issue.received)}`;
  }
  const [head] = path;
  if (path.length === 1 && head === 'outputs') return `must be an object of expected outputs such as {"total": 42}, not ${article(issue.received)}`;
  if (path.length === 1 && head === 'tasks') return `must be an object of task counts such as {"error": 0}, not ${article(issue.received)}`;
  if (path.length === 1 && head === 'status') return `must be a run status such as "succeeded", not ${article(issue.received)}`;
  return `must be ${article(issue.expected)}, not ${article(issue.received)}`;
}

function unknownKeyMessage(parent: readonly PathSegment[], key: string): string {
  const known: readonly string[] = parent.length === 0 ? expectKeys : parent[0] === 'tasks' ? taskCountKeys : [];
  const hint = closest(key, known);
  const what = parent.length === 0 ? 'unknown key' : 'unknown task state';
  return `${what} "${key}"${hint ? `: did you mean "${hint}"?` : ''} (${parent.length === 0 ? '$expect' : '$expect.tasks'} takes ${known.join(', ')})`;
}

/** The known word within two edits of `word` (case ignored), if there is exactly one best. */
function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // "success" vs "succeeded" is 3 edits apart but plainly meant: a shared stem counts too.
  if (!best && word.length >= 4) best = known.find((candidate) => candidate.toLowerCase().startsWith(word.toLowerCase().slice(0, 4)));
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64 || b.length > 64) return Number.POSITIVE_INFINITY;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return article(typeof value);
}

function article(word: string): string {
  if (word === 'null' || word === 'undefined') return word;
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}
