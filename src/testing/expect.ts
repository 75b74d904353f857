// `$expect` in a payload file (contract, "Payload files as tests"): what a run must end with for
// the file to pass as a test. Pure and free of `vscode`: the Testing view, the diagnostics and the
// CLI all read `$expect` through `parseExpect`.
import { z } from 'zod';

import { runStatuses } from '../providers/status';
import { taskStates } from '../providers/model';
import { formatPath } from './paths';
import type { PathSegment } from './paths';
import { typeWithArticle } from '../providers/options';
import * as l10n from '@vscode/l10n';

/** The keys `$expect.tasks` takes: every task state, and `total`. */
export const taskCountKeys = [...taskStates, 'total'] as const;
export type TaskCountKey = (typeof taskCountKeys)[number];

export const expectKeys = ['status', 'outputs', 'tasks', 'maxSeconds'] as const;

/**
 * The schema's own problems, by name: zod keeps a message from when the schema is built (when this
 * module loads, before the translations are), so the schema carries these names and
 * `describeIssue` says each in the user's language when a file is checked.
 */
const problem = {
  wholeTasks: 'expect.wholeTasks',
  zeroOrMore: 'expect.zeroOrMore',
  seconds: 'expect.seconds',
  positiveSeconds: 'expect.positiveSeconds',
  finiteSeconds: 'expect.finiteSeconds',
} as const;

const count = z
  .number({ invalid_type_error: problem.wholeTasks })
  .int({ message: problem.wholeTasks })
  .nonnegative({ message: problem.zeroOrMore });

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
      .number({ invalid_type_error: problem.seconds })
      .positive({ message: problem.positiveSeconds })
      .finite({ message: problem.finiteSeconds })
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

/** A problem the refinement words whole (place included): `describeIssue` shows it as it is. */
function addSentence(context: z.RefinementCtx, path: PathSegment[], message: string): void {
  context.addIssue({ code: z.ZodIssueCode.custom, path, message, params: { sentence: true } });
}

/** `path` is below `$expect.outputs`. */
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
    const at = [...path, others[0]!];
    const matcher = '{"$regex": …}';
    addSentence(context, at, l10n.t('{0}: a {1} matcher takes no other keys: remove {2}', expectPlace(['outputs', ...at]), matcher, others.map((key) => `"${key}"`).join(', ')));
  }
  if (typeof pattern !== 'string') {
    addSentence(context, [...path, '$regex'], l10n.t('{0} must be a regular expression written as a string, not {1}', expectPlace(['outputs', ...path, '$regex']), describeJsonType(pattern)));
    return;
  }
  try {
    new RegExp(pattern);
  } catch (error) {
    // V8 says "Invalid regular expression: /(/: Unterminated group": keep the reason only.
    const reason = error instanceof Error ? error.message.split(': ').pop() : undefined;
    const place = expectPlace(['outputs', ...path, '$regex']);
    addSentence(
      context,
      [...path, '$regex'],
      reason ? l10n.t('{0} is not a valid regular expression ({1})', place, reason.toLowerCase()) : l10n.t('{0} is not a valid regular expression', place),
    );
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
      return issue.keys.map((key) => ({ path: [...path, key], message: unknownKeyMessage(path, key) }));
    case 'invalid_type':
      if (path.length === 0) return [{ path, message: l10n.t('{0} must be an object such as {1}, not {2}', '$expect', '{"status": "succeeded"}', describeJsonType(root)) }];
      return [{ path, message: typeMessage(place, path, issue) }];
    case 'invalid_enum_value': {
      const hint = closest(String(issue.received), issue.options.map(String));
      const options = issue.options.join(', ');
      const received = JSON.stringify(issue.received);
      return [{ path, message: hint ? l10n.t('{0} must be one of {1}, not {2} (did you mean {3}?)', place, options, received, hint) : l10n.t('{0} must be one of {1}, not {2}', place, options, received) }];
    }
    default:
      return [{ path, message: schemaProblem(issue.message, place) ?? (isSentence(issue) ? issue.message : l10n.t({ message: '{0}: {1}', args: [place, issue.message], comment: ['{0} is a place in $expect, such as $expect.outputs.total; {1} what is wrong there.'] })) }];
  }
}

function isSentence(issue: z.ZodIssue): boolean {
  return issue.code === 'custom' && (issue.params as { sentence?: unknown } | undefined)?.sentence === true;
}

/** The sentence for one of the schema's named problems at `place`, undefined for any other message. */
function schemaProblem(message: string, place: string): string | undefined {
  switch (message) {
    case problem.wholeTasks:
      return l10n.t('{0} must be a whole number of tasks', place);
    case problem.zeroOrMore:
      return l10n.t('{0} must be 0 or more', place);
    case problem.seconds:
      return l10n.t('{0} must be a number of seconds', place);
    case problem.positiveSeconds:
      return l10n.t('{0} must be more than 0 seconds', place);
    case problem.finiteSeconds:
      return l10n.t('{0} must be a finite number of seconds', place);
    default:
      return undefined;
  }
}

function typeMessage(place: string, path: readonly PathSegment[], issue: z.ZodInvalidTypeIssue): string {
  const received = typeWithArticle(issue.received);
  // zod reports 1.5 for an int as received "float": the named problem already says what is wanted.
  if (issue.message === problem.wholeTasks) return issue.received === 'float' ? l10n.t('{0} must be a whole number of tasks', place) : l10n.t('{0} must be a whole number of tasks, not {1}', place, received);
  if (issue.message === problem.seconds) return l10n.t('{0} must be a number of seconds, not {1}', place, received);
  const [head] = path;
  if (path.length === 1 && head === 'outputs') return l10n.t('{0} must be an object of expected outputs such as {1}, not {2}', place, '{"total": 42}', received);
  if (path.length === 1 && head === 'tasks') return l10n.t('{0} must be an object of task counts such as {1}, not {2}', place, '{"error": 0}', received);
  if (path.length === 1 && head === 'status') return l10n.t('{0} must be a run status such as {1}, not {2}', place, '"succeeded"', received);
  return l10n.t('{0} must be {1}, not {2}', place, typeWithArticle(issue.expected), received);
}

/** `$expect.stauts: unknown key "stauts": did you mean "status"? ($expect takes status, …)` */
function unknownKeyMessage(parent: readonly PathSegment[], key: string): string {
  const place = expectPlace([...parent, key]);
  const known: readonly string[] = parent.length === 0 ? expectKeys : parent[0] === 'tasks' ? taskCountKeys : [];
  const hint = closest(key, known);
  const list = known.join(', ');
  if (parent.length === 0) {
    return hint
      ? l10n.t('{0}: unknown key "{1}": did you mean "{2}"? ({3} takes {4})', place, key, hint, '$expect', list)
      : l10n.t('{0}: unknown key "{1}" ({2} takes {3})', place, key, '$expect', list);
  }
  return hint
    ? l10n.t('{0}: unknown task state "{1}": did you mean "{2}"? ({3} takes {4})', place, key, hint, '$expect.tasks', list)
    : l10n.t('{0}: unknown task state "{1}" ({2} takes {3})', place, key, '$expect.tasks', list);
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
  return typeWithArticle(Array.isArray(value) ? 'array' : typeof value);
}
