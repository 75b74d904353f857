// How a run is worded, wherever it shows: the trees, the status bar, the run details page,
// notifications and quick picks. Pure and light (no vscode, no zod at run time) so the webview
// page bundles it too. Localisation is injected: the host passes `vscode.l10n`, the page and the
// tests `plainL10n`.
import { isFollowable, type RunStatus } from '../providers/status';
import type { RunRecord } from './record';
// Type only, erased from the build: `npm run l10n` collects `l10n.t(…)` calls only in files that
// import 'vscode' or '@vscode/l10n'.
import type * as l10n from '@vscode/l10n';

/** The part of `vscode.l10n` this needs (named `l10n` so the l10n tooling finds the strings). */
export interface L10n {
  t(message: string, ...args: l10n.L10nReplacement[]): string;
}

/** `{0}`-style formatting without translation, for the page, tests and anything outside the host. */
export const plainL10n: L10n = {
  t: (message, ...args) =>
    message.replace(/\{(\d+)\}/g, (match, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : match)),
};

/** "Succeeded", "Partially succeeded" …: a status as a heading word. */
export function statusWord(status: RunStatus, l10n: L10n = plainL10n): string {
  switch (status) {
    case 'queued':
      return l10n.t('Queued');
    case 'running':
      return l10n.t('Running');
    case 'waiting':
      return l10n.t('Waiting');
    case 'stopping':
      return l10n.t('Stopping');
    case 'succeeded':
      return l10n.t('Succeeded');
    case 'partial':
      return l10n.t('Partially succeeded');
    case 'failed':
      return l10n.t('Failed');
    case 'stopped':
      return l10n.t('Stopped');
    default:
      return String(status);
  }
}

/** How an ended run ended, to follow "Run 42 of “Billing” …": "succeeded", "was stopped" … */
export function endWord(status: RunStatus, l10n: L10n = plainL10n): string {
  switch (status) {
    case 'succeeded':
      return l10n.t('succeeded');
    case 'partial':
      return l10n.t('partially succeeded');
    case 'failed':
      return l10n.t('failed');
    case 'stopped':
      return l10n.t('was stopped');
    default:
      return String(status);
  }
}

/** A workflow's name when known, else its id (a run target, a picked workflow). */
export function targetLabel(target: { workflowName?: string; workflowId: string }): string {
  return target.workflowName || target.workflowId;
}

/** A run's workflow: the name the extension knew, else the platform's, else the id. */
export function workflowLabel(record: Pick<RunRecord, 'workflowName' | 'snapshot'>): string {
  return record.workflowName || record.snapshot.workflowName || record.snapshot.workflowId;
}

/** `#123` for numeric ids (they read as sequence numbers); other ids (UUIDs, run_…) as they are. */
export function runIdLabel(runId: string): string {
  return /^\d+$/.test(runId) ? `#${runId}` : runId;
}

/** What decides a run's duration: a RunRecord flattened (see `runTiming`) or the page's RunView. */
export interface RunTiming {
  status: RunStatus;
  /** True while the extension follows the run (not ended, not untracked): only then it ticks. */
  inFlight: boolean;
  triggeredAt: number;
  createdAt?: number;
  startedAt?: number;
  finishedAt?: number;
  durationMs?: number;
}

export function runTiming(record: RunRecord): RunTiming {
  const { snapshot } = record;
  return {
    status: snapshot.status,
    inFlight: isFollowable(snapshot),
    triggeredAt: record.triggeredAt,
    createdAt: snapshot.createdAt,
    startedAt: snapshot.startedAt,
    finishedAt: snapshot.finishedAt,
    durationMs: snapshot.durationMs,
  };
}

/** When the run began, for "5 min ago": started, else created, else when the extension sent it. */
export function runStartTime(run: Pick<RunTiming, 'startedAt' | 'createdAt' | 'triggeredAt'>): number {
  return run.startedAt ?? run.createdAt ?? run.triggeredAt;
}

/**
 * The duration to show, or undefined when there is none. A queued run has not started, so it has
 * no duration yet (it has a start time: "Queued · just now"). A run being followed counts up to
 * `now` (that is what ticks). Otherwise it is the platform's duration, else finished − started; an
 * ended run without either shows none rather than one that grows forever.
 */
export function displayDurationMs(run: RunTiming, now = Date.now()): number | undefined {
  if (run.status === 'queued') return undefined;
  if (run.inFlight) return Math.max(0, now - runStartTime(run));
  if (run.durationMs !== undefined) return run.durationMs;
  if (run.finishedAt === undefined) return undefined;
  return Math.max(0, run.finishedAt - runStartTime(run));
}
