// The one reading of a payload file, shared by the Problems panel (on every edit) and the run
// command (before anything is sent): parse → resolve `$workflow` → the remembered target → check
// `$options` against the target's platform → warnings. Pure: no vscode, so a command line can
// run the same checks from Node with a plain list of connections.
import type { Connection } from '../connections/schema';
import { validateOptions } from '../providers/options';
import type { PlatformDescriptor } from '../providers/provider';
import { findPlatform } from '../providers/registry';
import { isPayloadError, optionsIssueRange, parsePayload, payloadErrorAt, payloadWarnings, type ParsedPayload, type PayloadError, type PayloadWarning } from './parse';
import type { FileInputs } from '../providers/localFiles';
import { fileReferences, resolveFileInputs, type FileResolution } from './files';
import { tryResolveWorkflowRef, type RunTarget, type TargetContext } from './target';
import { offsetRangeOf, readExpect } from '../testing/locate';
import * as l10n from '@vscode/l10n';
import { truncatedValueError } from './truncated';

/** The platform facts the pipeline needs: the options schema and the reserved input names. */
export type PayloadPlatform = Pick<PlatformDescriptor, 'optionsSchema' | 'reservedInputs' | 'fileInputs'>;

export interface PayloadPipelineContext extends TargetContext {
  /** The platform of a connection; defaults to the registry's descriptor for `connection.platform`. */
  platformOf?: (connection: Connection) => PayloadPlatform | undefined;
  /**
   * Given when the payload is about to be sent: its `$file` inputs are then looked up on disk
   * (./files.ts). Without it (the Problems panel on every keystroke) the disk is not touched.
   */
  files?: FileResolution;
}

export interface PayloadTargets {
  /** A target chosen by the caller (e.g. "Run on…"): `$workflow` is then not consulted. */
  forced?: RunTarget;
  /** The target remembered for a file without `$workflow`. */
  remembered?: RunTarget;
}

/** A payload that can be sent, or why not (with where, for the Problems panel). */
export type PayloadCheck =
  | {
      ok: true;
      parsed: ParsedPayload;
      /** Undefined when the file names no workflow and none is remembered: the caller asks. */
      target?: RunTarget;
      /** `$options` as the platform's schema read them; the file's own when no platform is known. */
      options: Record<string, unknown>;
      /** The `$file` inputs, resolved (only when the context asked for `files`). */
      files?: FileInputs;
      warnings: PayloadWarning[];
    }
  | { ok: false; error: PayloadError };

export function checkPayload(text: string, context: PayloadPipelineContext, targets: PayloadTargets = {}): PayloadCheck {
  const parsed = parsePayload(text);
  if (isPayloadError(parsed)) return { ok: false, error: parsed };
  // A value the run history shortened is never sent in place of the real one.
  const truncated = truncatedValueError(text);
  if (truncated) return { ok: false, error: truncated };
  // A malformed `$expect` stops a run too: a test that cannot be checked must not send anything.
  const expect = readExpect(text);
  const expectProblem = expect.present ? expect.problems[0] : undefined;
  if (expectProblem) return { ok: false, error: payloadErrorAt(text, expectProblem.message, offsetRangeOf(text, expectProblem.range)) };

  let target = targets.forced;
  if (!target && parsed.workflowRef !== undefined) {
    const resolution = tryResolveWorkflowRef(parsed.workflowRef, context);
    // A $workflow that names nothing is the file's error wherever else the user is editing.
    if (!resolution.ok) return { ok: false, error: payloadErrorAt(text, resolution.message, parsed.positions.workflow ?? parsed.positions.root) };
    target = resolution.target;
  }
  target ??= targets.remembered;
  if (!target) return { ok: true, parsed, options: parsed.options, warnings: payloadWarnings(parsed) };

  const connection = context.connections.find((candidate) => candidate.name === target.connection);
  const platform = connection ? (context.platformOf ?? registryPlatform)(connection) : undefined;
  let options = parsed.options;
  if (platform) {
    const check = validateOptions(parsed.options, platform.optionsSchema);
    if (!check.ok) return { ok: false, error: payloadErrorAt(text, check.message, optionsIssueRange(parsed, check)) };
    options = check.options as Record<string, unknown>;
  }
  const files = checkFileInputs(text, parsed, platform, context.files);
  if (!files.ok) return { ok: false, error: files };
  return { ok: true, parsed, target, options, ...(files.files ? { files: files.files } : {}), warnings: payloadWarnings(parsed, platform) };
}

/** `$file` inputs: only for platforms that upload files, and (when sending) files that exist. */
function checkFileInputs(text: string, parsed: ParsedPayload, platform: PayloadPlatform | undefined, resolution: FileResolution | undefined): { ok: true; files?: FileInputs } | PayloadError {
  const references = fileReferences(text, parsed);
  if (!Array.isArray(references)) return references;
  if (references.length === 0) return { ok: true };
  if (platform && !platform.fileInputs) {
    return payloadErrorAt(text, l10n.t('"{0}": this connection\'s platform takes no file inputs ($file)', references[0]!.input), references[0]!.range);
  }
  return resolution ? resolveFileInputs(text, references, resolution) : { ok: true };
}

function registryPlatform(connection: Connection): PayloadPlatform | undefined {
  return findPlatform(connection.platform);
}
