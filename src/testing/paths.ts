// One spelling for a place inside `$expect`, shared by the checker (mismatch names), the schema
// check (problem names) and the locator (ranges): the Testing view finds a mismatch's line by
// looking its name up, so all three must write `outputs.items[0].name` the same way.

export type PathSegment = string | number;

const identifier = /^[A-Za-z_$][\w$]*$/;

/**
 * `["outputs", "items", 0, "name"]` → `outputs.items[0].name`; keys that are not plain identifiers
 * are quoted (`outputs["a.b"]`), so a name can always be read back unambiguously.
 */
export function formatPath(segments: readonly PathSegment[]): string {
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (identifier.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}
