// RunRecord → the view model the page renders. Pure (no vscode) so it is unit-tested; the host
// calls it for every post, so it stays cheap.
import { findPlatform } from '../providers/registry';
import { isInFlight, resendRequestOf, type RunRecord } from '../runs/record';
import { truncatedInRequest } from '../runs/truncatedInputs';
import * as l10n from '@vscode/l10n';
import { workflowLabel } from '../runs/wording';
import { watchNoteText } from '../views/runPresentation';
import type { RunView } from './protocol';

export { workflowLabel } from '../runs/wording';

export interface ViewModelOptions {
  /** "zuora" → "Zuora Workflow": the registry's display name of a platform id. */
  platformLabel(platform: string): string;
}

export function toRunView(record: RunRecord, options: ViewModelOptions): RunView {
  const { snapshot, request } = record;
  const inFlight = isInFlight(record);
  const options_ = request && Object.keys(request.options).length > 0 ? request.options : undefined;
  return {
    connection: record.connection,
    platform: record.platform,
    triggeredAt: record.triggeredAt,
    updatedAt: record.updatedAt,
    watchError: record.watchError || undefined,
    inputs: request ? request.inputs : snapshot.inputs,
    options: options_,
    runId: snapshot.runId,
    workflowId: snapshot.workflowId,
    status: snapshot.status,
    platformStatus: snapshot.platformStatus,
    createdAt: snapshot.createdAt,
    startedAt: snapshot.startedAt,
    finishedAt: snapshot.finishedAt,
    durationMs: snapshot.durationMs,
    tasks: snapshot.tasks,
    timeline: snapshot.timeline,
    timelineOmitted: snapshot.timelineOmitted,
    // null from a platform means "none", the same as absent.
    outputs: snapshot.outputs ?? undefined,
    error: snapshot.error || undefined,
    liveText: snapshot.liveText || undefined,
    metrics: snapshot.metrics,
    workflowLabel: workflowLabel(record),
    platformLabel: safeLabel(options, record.platform),
    inFlight,
    watchNote: watchNoteText(record, { platformLabel: safeLabel(options, record.platform) }),
    // A stop is already under way while `stopping`; a second one would only fail.
    canStop: inFlight && snapshot.status !== 'stopping',
    ...rerunState(record),
    ...runCapabilities(record),
  };
}

/**
 * What the platform lets the panel do with this run beyond re-running it (docs/contract.md, "The
 * debugging loop"): decided here, in the host, so the page shows buttons by flag, never by platform.
 */
export function runCapabilities(record: RunRecord): Pick<RunView, 'canOpenInputs' | 'canRerunTasks' | 'canRetry'> {
  const { snapshot } = record;
  const actions = findPlatform(record.platform)?.runActions;
  return {
    canOpenInputs: resendRequestOf(record) !== undefined,
    // Zuora re-runs one task (POST /workflows/tasks/{id}/rerun) and then follows the run again.
    canRerunTasks: actions?.rerunTask === true && !isInFlight(record) && (snapshot.timeline?.length ?? 0) > 0,
    // B3OS retries a failed run as a whole (POST /v1/runs/{id}/retry).
    canRetry: actions?.retryFailedRun === true && snapshot.status === 'failed',
  };
}

function safeLabel(options: ViewModelOptions, platform: string): string {
  try {
    return options.platformLabel(platform) || platform;
  } catch {
    return platform;
  }
}

/**
 * Re-running needs inputs to send again (those recorded, or the platform's echo of them), kept
 * whole: inputs the history shortened are never re-sent (../runs/truncatedInputs.ts, the same rule
 * RunController.rerun applies), and the button says why it is off.
 */
function rerunState(record: RunRecord): Pick<RunView, 'canRerun' | 'rerunNote'> {
  const request = resendRequestOf(record);
  if (!request) return { canRerun: false };
  const shortened = truncatedInRequest(request);
  if (shortened.length === 0) return { canRerun: true };
  const named = shortened.length > 3 ? `${shortened.slice(0, 3).join(', ')}, …` : shortened.join(', ');
  return {
    canRerun: false,
    rerunNote: l10n.t('Re-run is off: the run history kept these inputs only in part ({0}). Open the inputs as a payload file, restore the values, then run it.', named),
  };
}
