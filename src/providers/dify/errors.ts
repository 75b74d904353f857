// Dify's error body `{code, message, status}` in the client's terms, with plain words for the
// codes users meet most.
import * as l10n from '@vscode/l10n';
import { answerMayBeLost } from '../../client/attemptErrors';
import { WorkflowRunsError } from '../../client/errors';
import type { PlatformErrorInfo } from '../../client/types';
import { DifyErrorBodySchema } from './schemas';

/** Plain words for the error codes users meet most, in the user's language (made when an error is read). */
function friendlyWords(code: string): string | undefined {
  switch (code) {
    case 'not_workflow_app':
      return l10n.t('this Dify app is not a workflow app (use the API key of a workflow app)');
    case 'app_unavailable':
      return l10n.t('the Dify app is unavailable (is it published?)');
    case 'provider_not_initialize':
      return l10n.t('no model provider credentials are set up in Dify (Settings → Model Provider)');
    case 'provider_quota_exceeded':
      return l10n.t('the model provider quota is used up in Dify');
    case 'model_currently_not_support':
      return l10n.t('the model this workflow uses is not available right now');
    case 'rate_limit_error':
      return l10n.t("the workspace's Dify workflow execution quota is used up; retrying will not help until it resets");
    case 'too_many_requests':
      return l10n.t('too many concurrent runs of this app; try again in a moment');
    case 'file_too_large':
      return l10n.t('a file is larger than Dify accepts');
    case 'unsupported_file_type':
      return l10n.t('Dify does not accept this file type');
    default:
      return undefined;
  }
}

export function parseDifyError(body: unknown): PlatformErrorInfo | undefined {
  const parsed = DifyErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { code, message } = parsed.data;
  const info: PlatformErrorInfo = {};
  if (code) info.code = code;
  const words = code ? friendlyWords(code) : undefined;
  // Keep Dify's own sentence too: it often names the parameter or the workflow id.
  if (words && message && !words.includes(message)) info.message = l10n.t({
      message: '{0} ({1})',
      args: [words, message],
      comment: ['{0} explains a Dify error in plain words; {1} is what Dify itself said (as Dify said it).'],
    });
  else if (words || message) info.message = words ?? message ?? undefined;
  // Both come as 429: one is a passing burst, the other a quota that retries only waste.
  if (code === 'too_many_requests') info.retryable = true;
  if (code === 'rate_limit_error') info.retryable = false;
  return info;
}

/**
 * A run request whose answer was lost may have started a run, and Dify has no key that would make
 * sending it again safe: say so, and how to find out, instead of "could not reach".
 */
export function explainLostTrigger(error: unknown, connection: string): unknown {
  if (!answerMayBeLost(error)) return error;
  const lost = error as WorkflowRunsError;
  const what = lost.kind === 'timeout' ? l10n.t('no answer came in time') : l10n.t('the connection closed before the answer came');
  return new WorkflowRunsError(
    l10n.t(
      "Dify may have started the run: {0}. It was not sent again, so that no second run starts. Before running again, check whether it started: refresh the Workflows view and expand the workflow (its recent runs are read from Dify's logs), or open the app's Logs in Dify.",
      what,
    ),
    { kind: lost.kind, code: lost.code, connection, endpoint: lost.endpoint, cause: lost },
  );
}

/** A run stream that broke before Dify named the run: it may have started all the same. */
export function streamClosedBeforeStart(connection: string, cause?: WorkflowRunsError): WorkflowRunsError {
  const what = cause ? cause.message.replace(/\.?\s*$/, '.') : l10n.t('Dify closed the run stream before naming the run.');
  return new WorkflowRunsError(
    l10n.t(
      "{0} The run may have started: before running again, refresh the Workflows view and expand the workflow (its recent runs are read from Dify's logs), or open the app's Logs in Dify.",
      what,
    ),
    { kind: 'stream', code: cause?.code, connection, endpoint: 'POST /workflows/run', cause },
  );
}
