// How starting a run looks in the editor: a cancellable progress notification while the run is
// sent, and its details panel (unless the `workflowRuns.openDetailsOnRun` setting is off), opened
// as the request goes out and bound to the run once the platform names it. The
// run service stays free of UI; the commands and the panel's Re-run button start runs through here.
import * as vscode from 'vscode';
import type { RunRecord, RunRequest } from '../runs/record';
import type { RunDetailsService, RunService, RunStartHooks, RunTarget, StartingRunDetails } from '../services';

interface RunStarting {
  runs: RunService;
  details: RunDetailsService;
}

export function startRun(services: RunStarting, target: RunTarget, request: RunRequest): Promise<RunRecord | undefined> {
  return services.runs.trigger(target, request, runStartFeedback(services.details));
}

export function rerunRun(services: RunStarting, record: RunRecord): Promise<RunRecord | undefined> {
  return services.runs.rerun(record, runStartFeedback(services.details));
}

export function retryRun(services: RunStarting, record: RunRecord): Promise<RunRecord | undefined> {
  return services.runs.retry(record, runStartFeedback(services.details));
}

export function rerunTask(services: RunStarting, record: RunRecord, taskId: string): Promise<RunRecord | undefined> {
  return services.runs.rerunTask(record, taskId, runStartFeedback(services.details, (what) => vscode.l10n.t('Re-running a task of “{0}” on {1}…', what.workflowLabel, what.connection)));
}

type SendingWhat = { workflowLabel: string; connection: string };

/**
 * `title`: what the progress notification says while sending (default: starting a run). A new
 * run's panel (no `title`: not a task re-run, whose run may have its panel open) is opened as the
 * request is sent, so the page loads while the platform answers; it closes if no run comes.
 */
function runStartFeedback(details: RunDetailsService, title?: (what: SendingWhat) => string): RunStartHooks {
  const openDetails = (): boolean => vscode.workspace.getConfiguration('workflowRuns').get<boolean>('openDetailsOnRun', true);
  let starting: StartingRunDetails | undefined;
  return {
    whileSending: async (what, cancel, send) => {
      const sending = title ? title(what) : vscode.l10n.t('Starting “{0}” on {1}…', what.workflowLabel, what.connection);
      if (!title && openDetails()) starting = details.starting(sending, { preserveFocus: true, workflow: { connection: what.connection, workflowId: what.workflowId } });
      try {
        return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: sending, cancellable: true }, (_progress, token) => {
          const cancelled = token.onCancellationRequested(cancel);
          return send().finally(() => cancelled.dispose());
        });
      } catch (error) {
        starting?.discard();
        starting = undefined;
        throw error;
      }
    },
    recorded: (record) => {
      if (starting) starting.show(record);
      else if (openDetails()) details.show(record, { preserveFocus: true });
      starting = undefined;
    },
  };
}
