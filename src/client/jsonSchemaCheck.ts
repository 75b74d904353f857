// Checking a JSON value against a zod schema without zod's per-value bookkeeping. zod 3 builds a
// context, a status and a fresh copy of every object and array it walks: on a status read that is
// costlier than the HTTP request itself. Most answer schemas only say "these fields have these
// types, keep the rest" (passthrough objects of strings, numbers, unions …), and for those zod's
// output, when it succeeds, is a deep copy of its input. So a schema made only of such parts is
// compiled once into a plain predicate; a value it accepts is returned as it is, and anything else
// (a value the predicate cannot vouch for, or a schema with transforms, defaults, refinements,
// coercion, checks or stripped keys) goes to zod itself, so results and error messages are zod's.
//
// Only for values straight from JSON.parse: plain objects and arrays, no undefined, no functions.
import type { z } from 'zod';

/** Whether zod would accept `value` and output a deep copy of it (false: ask zod). */
type Check = (value: unknown) => boolean;

interface Compiled {
  check: Check;
  /** No object in it drops unknown keys: its output always equals its input (unions need that). */
  keepsKeys: boolean;
}

/** Compiled predicates by schema; null: the schema has parts only zod can apply. */
const compiled = new WeakMap<z.ZodTypeAny, Compiled | null>();

/** zod's `safeParse` for a value from JSON.parse, skipping zod where a compiled check vouches for the value. */
export function safeParseJson<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown): z.SafeParseReturnType<unknown, T> {
  const fast = compiledFor(schema);
  if (fast && fast.check(value)) return { success: true, data: value as T };
  return schema.safeParse(value);
}

function compiledFor(schema: z.ZodTypeAny): Compiled | null {
  let entry = compiled.get(schema);
  if (entry === undefined) {
    entry = compile(schema);
    compiled.set(schema, entry);
  }
  return entry;
}

/** A JSON object whose own `__proto__` key zod would drop (JSON.parse makes it an own property). */
function isCopyableObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Object.hasOwn(value, '__proto__');
}

/** The zod 3 definition fields this module reads; every other kind is left to zod. */
interface Definition {
  typeName?: string;
  checks?: unknown[];
  coerce?: boolean;
  innerType?: z.ZodTypeAny;
  type?: z.ZodTypeAny;
  options?: z.ZodTypeAny[];
  keyType?: z.ZodTypeAny;
  valueType?: z.ZodTypeAny;
  shape?: () => Record<string, z.ZodTypeAny>;
  unknownKeys?: 'passthrough' | 'strip' | 'strict';
  catchall?: z.ZodTypeAny;
  value?: unknown;
  values?: readonly unknown[];
  minLength?: unknown;
  maxLength?: unknown;
  exactLength?: unknown;
}

const always: Compiled = { check: () => true, keepsKeys: true };

function compile(schema: z.ZodTypeAny): Compiled | null {
  const def = schema._def as Definition;
  const plain = !def.coerce && (def.checks === undefined || def.checks.length === 0);
  switch (def.typeName) {
    case 'ZodUnknown':
    case 'ZodAny':
      return always;
    case 'ZodString':
      return plain ? { check: (value) => typeof value === 'string', keepsKeys: true } : null;
    case 'ZodNumber':
      return plain ? { check: (value) => typeof value === 'number' && !Number.isNaN(value), keepsKeys: true } : null;
    case 'ZodBoolean':
      return plain ? { check: (value) => typeof value === 'boolean', keepsKeys: true } : null;
    case 'ZodNull':
      return { check: (value) => value === null, keepsKeys: true };
    case 'ZodLiteral': {
      const literal = def.value;
      return { check: (value) => value === literal, keepsKeys: true };
    }
    case 'ZodEnum': {
      const values = new Set(def.values);
      return { check: (value) => typeof value === 'string' && values.has(value), keepsKeys: true };
    }
    case 'ZodOptional':
    case 'ZodNullable':
      return wrapped(def);
    case 'ZodArray':
      return array(def);
    case 'ZodRecord':
      return record(def);
    case 'ZodObject':
      return object(def);
    case 'ZodUnion':
      return union(def);
    default:
      // Effects (transform, refine, preprocess), defaults, catch, lazy, pipelines, readonly …: zod's.
      return null;
  }
}

/**
 * Optional and nullable, however nested (`.nullish()` is two), as one test: answer schemas mark
 * most fields so, and one call per field instead of one per layer saves a fifth of a check.
 */
function wrapped(def: Definition): Compiled | null {
  let acceptsUndefined = false;
  let acceptsNull = false;
  let schema: z.ZodTypeAny | undefined;
  for (let layer: Definition | undefined = def; layer?.typeName === 'ZodOptional' || layer?.typeName === 'ZodNullable'; layer = schema?._def as Definition | undefined) {
    if (layer.typeName === 'ZodOptional') acceptsUndefined = true;
    else acceptsNull = true;
    schema = layer.innerType;
  }
  const base = schema && compiledFor(schema);
  if (!base) return null;
  // unknown/any take undefined and null already.
  if (base === always) return always;
  const { check, keepsKeys } = base;
  if (acceptsUndefined && acceptsNull) return { check: (value) => value === undefined || value === null || check(value), keepsKeys };
  if (acceptsUndefined) return { check: (value) => value === undefined || check(value), keepsKeys };
  return { check: (value) => value === null || check(value), keepsKeys };
}

function array(def: Definition): Compiled | null {
  const item = def.type && compiledFor(def.type);
  if (!item || def.minLength || def.maxLength || def.exactLength) return null;
  const check = item.check;
  return {
    check: (value) => {
      if (!Array.isArray(value)) return false;
      for (const element of value) if (!check(element)) return false;
      return true;
    },
    keepsKeys: item.keepsKeys,
  };
}

function record(def: Definition): Compiled | null {
  const key = def.keyType && compiledFor(def.keyType);
  const item = def.valueType && compiledFor(def.valueType);
  // Keys of a JSON object are strings: only a plain string key type is vouched for.
  if (!item || !key || (def.keyType?._def as Definition).typeName !== 'ZodString') return null;
  const check = item.check;
  return {
    check: (value) => {
      if (!isCopyableObject(value)) return false;
      // zod drops entries whose value is undefined: none come from JSON, but a check costs nothing.
      for (const name in value) if (value[name] === undefined || !check(value[name])) return false;
      return true;
    },
    keepsKeys: item.keepsKeys,
  };
}

function object(def: Definition): Compiled | null {
  const shape = def.shape?.();
  if (!shape || (def.catchall && (def.catchall._def as Definition).typeName !== 'ZodNever')) return null;
  // Names and checks side by side, walked by index: no pair to take apart per field. A field that
  // takes anything (unknown, any) is not even read: B3OS nodes have three.
  const names: string[] = [];
  const checks: Check[] = [];
  let keepsKeys = def.unknownKeys !== 'strip';
  for (const [name, fieldSchema] of Object.entries(shape)) {
    const field = compiledFor(fieldSchema);
    if (!field) return null;
    keepsKeys &&= field.keepsKeys;
    if (field === always) continue;
    names.push(name);
    checks.push(field.check);
  }
  const known = new Set(Object.keys(shape));
  // Strict objects refuse unknown keys and stripping ones drop them: either way a value with one is zod's to judge.
  const onlyKnownKeys = def.unknownKeys !== 'passthrough';
  return {
    check: (value) => {
      if (!isCopyableObject(value)) return false;
      for (let index = 0; index < names.length; index++) if (!checks[index]!(value[names[index]!])) return false;
      if (onlyKnownKeys) for (const name in value) if (!known.has(name)) return false;
      return true;
    },
    keepsKeys,
  };
}

function union(def: Definition): Compiled | null {
  const options: Check[] = [];
  for (const option of def.options ?? []) {
    const compiledOption = compiledFor(option);
    // zod keeps the first option that accepts: if that one drops keys, its output differs from the input.
    if (!compiledOption || !compiledOption.keepsKeys) return null;
    options.push(compiledOption.check);
  }
  if (options.length === 0) return null;
  return { check: (value) => options.some((check) => check(value)), keepsKeys: true };
}
