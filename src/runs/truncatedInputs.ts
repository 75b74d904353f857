// The one rule for inputs the run history kept only in part (./bound.ts puts a `{"$truncated":
// true}` marker where a value was too large to store): such inputs are never sent again as if they
// were whole. A re-run of the run is refused here (RunController.rerun is the only path that
// re-sends stored inputs: Retry Run and Re-run Task ask the platform to use its own copy); a
// payload file holding a marker is refused by the payload pipeline (../payload/truncated.ts), so
// "Open Inputs as Payload File", the Testing view and the CLI cannot send one either.
// Pure: no vscode import.
import * as l10n from '@vscode/l10n';
import { WorkflowRunsError } from '../client/errors';
import { isTruncatedMarker } from './bound';
import { formatPath, type PathSegment } from '../testing/paths';

/** Where a value sits in a document: keys and array indexes from the root (jsonc-parser's JSONPath). */
export type ValuePath = PathSegment[];

/** Paths named at most: a message listing thousands of paths helps nobody. */
export const maxReportedPaths = 50;
/** Deeper than this, a value is not looked into (a history value is bounded, but a payload is not). */
const maxDepth = 64;

/** Every path under `value` that holds a truncation marker (depth-first, in key order, bounded). */
export function truncatedLocations(value: unknown, maxFound = maxReportedPaths): ValuePath[] {
  const found: ValuePath[] = [];
  const visit = (node: unknown, path: ValuePath): void => {
    if (found.length >= maxFound || path.length > maxDepth) return;
    if (isTruncatedMarker(node)) {
      found.push(path);
      return;
    }
    if (Array.isArray(node)) node.forEach((item, index) => visit(item, [...path, index]));
    else if (typeof node === 'object' && node !== null) for (const [key, child] of Object.entries(node)) visit(child, [...path, key]);
  };
  visit(value, []);
  return found;
}

/** "invoice.lines[3]", as `$expect` paths are written; the root itself is all of what was looked at. */
export function formatValuePath(path: ValuePath, root = l10n.t('(all inputs)')): string {
  return path.length === 0 ? root : formatPath(path);
}

/** What a re-run would send: the inputs, and the options (named under `$options`, as in a payload file). */
export interface ResendRequest {
  inputs: unknown;
  options?: unknown;
}

/** The readable paths of every marker a re-send of this request would carry (empty: it is whole). */
export function truncatedInRequest(request: ResendRequest): string[] {
  const inputs = truncatedLocations(request.inputs).map((path) => formatValuePath(path));
  const options = truncatedLocations(request.options).map((path) => formatValuePath(['$options', ...path]));
  return [...inputs, ...options].slice(0, maxReportedPaths);
}

/** A re-run refused because its stored inputs were shortened; names the run so the UI can offer its inputs. */
export class TruncatedInputsError extends WorkflowRunsError {
  constructor(
    readonly run: { connection: string; runId: string },
    readonly paths: readonly string[],
  ) {
    super(
      l10n.t(
        'Run {0} was not re-run: the run history shortened its inputs ({1}) to fit its size limit, and sending them would send a "$truncated" marker instead of the values. Open the inputs as a payload file, restore the shortened values, then run that file.',
        run.runId,
        paths.join(', '),
      ),
      { kind: 'config', connection: run.connection },
    );
    this.name = 'TruncatedInputsError';
  }
}

export function isTruncatedInputsError(error: unknown): error is TruncatedInputsError {
  return error instanceof TruncatedInputsError;
}

/** Throws (before anything is sent) when re-sending `request` for this run would send a marker. */
export function refuseTruncatedResend(run: { connection: string; snapshot: { runId: string } }, request: ResendRequest): void {
  const paths = truncatedInRequest(request);
  if (paths.length > 0) throw new TruncatedInputsError({ connection: run.connection, runId: run.snapshot.runId }, paths);
}
