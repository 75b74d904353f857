// Where the cursor is in a payload file (pure: unit-tested without VS Code).
import { getLocation } from 'jsonc-parser';

/** True when `offset` is inside (or right at) the string value of the root's `$workflow`. */
export function isInWorkflowRefValue(text: string, offset: number): boolean {
  const location = getLocation(text, offset);
  return !location.isAtPropertyKey && location.path.length === 1 && location.path[0] === '$workflow';
}
