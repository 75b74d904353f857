// The `badSchema` fault: the right endpoint's body with one well-known field of the wrong type,
// so a client's schema validation (not its JSON parser) is what must catch it.

const preferred = ['status', 'id', 'runId', 'workflow_run_id', 'items', 'data'];

/** Returns a copy of `value` with the first preferred field found (breadth-first) retyped. */
export function corrupt(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const key of preferred) if (retypeFirst(copy, key)) return copy;
  const first = Object.keys(copy)[0];
  if (first !== undefined) copy[first] = wrongType(copy[first]);
  return copy;
}

function retypeFirst(root: object, key: string): boolean {
  const queue: object[] = [root];
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (!Array.isArray(node) && Object.prototype.hasOwnProperty.call(node, key)) {
      const record = node as Record<string, unknown>;
      record[key] = wrongType(record[key]);
      return true;
    }
    for (const child of Object.values(node)) if (child !== null && typeof child === 'object') queue.push(child as object);
  }
  return false;
}

function wrongType(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return `${value}`;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return 'not-an-array';
  if (value !== null && typeof value === 'object') return 'not-an-object';
  return { unexpected: true };
}

/**
 * The `reshape` fault: a copy of `value` where every field named in `omit` is left out and every
 * field named in `set` (wherever it already is) takes the given value — optional fields a vendor
 * may drop, numbers at their extremes.
 */
export function reshape(value: unknown, omit: readonly string[] = [], set: Record<string, unknown> = {}): unknown {
  if (Array.isArray(value)) return value.map((item) => reshape(item, omit, set));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (omit.includes(key)) continue;
    out[key] = Object.prototype.hasOwnProperty.call(set, key) ? set[key] : reshape(field, omit, set);
  }
  return out;
}
