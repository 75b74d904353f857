// Zuora error bodies → code/message/retryable for the HTTP client, and the few statuses of a run
// request that deserve a sentence of their own.
import { answerMayBeLost } from '../../client/attemptErrors';
import { WorkflowRunsError } from '../../client/errors';
import { withoutFinalPeriod } from '../../util/format';
import type { PlatformErrorInfo } from '../../client/types';
import { ZuoraErrorBodySchema } from './schemas';
import * as l10n from '@vscode/l10n';

/** Reads `{type, errors:[{code, parameter, message}], retryable}` and its older cousins. */
export function parseZuoraError(body: unknown, status?: number): PlatformErrorInfo | undefined {
  const parsed = ZuoraErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const error = parsed.data;
  const items = error.errors ?? error.reasons ?? [];
  const first = items[0];
  const messages = items
    .map((item) => {
      const message = item.message?.trim();
      if (!message) return item.parameter ? l10n.t('problem with “{0}”', item.parameter) : undefined;
      // A request problem leads with its parameter in quotes (406: the missing one), so the
      // message can name it; for auth or rate limits the parameter ("Authorization") adds nothing.
      const aboutRequest = status !== undefined && status >= 400 && status < 500 && ![401, 403, 429].includes(status);
      return item.parameter && aboutRequest ? `“${item.parameter}”: ${message}` : message;
    })
    .filter((message): message is string => Boolean(message));
  const message = messages.length > 0 ? messages.slice(0, 3).join('; ') : (error.error_description ?? error.message ?? undefined);
  const code = first?.code !== undefined && first.code !== null ? String(first.code) : (error.error ?? undefined);
  if (message === undefined && code === undefined && error.retryable == null) return undefined;
  return {
    ...(code !== undefined ? { code } : {}),
    ...(message !== undefined ? { message: withoutFinalPeriod(message) } : {}),
    ...(error.retryable !== undefined && error.retryable !== null ? { retryable: error.retryable } : {}),
  };
}

/**
 * Whether a 2xx body is Zuora refusing the request: `success: false`, or errors or reasons listed
 * (older endpoints answer 200 with these rather than an error status).
 */
export function isZuoraRefusal(body: unknown): boolean {
  const parsed = ZuoraErrorBodySchema.safeParse(body);
  if (!parsed.success) return false;
  const { success, errors, reasons } = parsed.data;
  return success === false || (errors?.length ?? 0) > 0 || (reasons?.length ?? 0) > 0;
}

/** The first parameter a 406 names: parseZuoraError leads a request problem with it in quotes. */
function missingParameter(message: string): string | undefined {
  return /“([^”]+)”/.exec(message)?.[1];
}

/**
 * A run request's error in words that say what to do: 406 names the missing parameter, 409 says
 * the id is a run's, 400 on a callout connection points at the Callout trigger setting.
 */
export function explainTriggerError(error: unknown, workflowId: string, callout: boolean): unknown {
  if (answerMayBeLost(error)) return lostTriggerAnswer(error as WorkflowRunsError, workflowId, callout);
  if (!(error instanceof WorkflowRunsError) || error.kind !== 'http') return error;
  // Zuora's own words, as parseZuoraError made them; the message around them is in the user's language.
  const detail = error.platformMessage;
  let message: string | undefined;
  if (error.status === 406) {
    const parameter = detail === undefined ? undefined : missingParameter(detail);
    message = parameter
      ? l10n.t('Zuora did not start workflow {0}: the required input parameter “{1}” is missing (HTTP 406). Add it to the payload.', workflowId, parameter)
      : detail
        ? l10n.t('Zuora did not start workflow {0}: a required input parameter is missing (HTTP 406). Zuora said: {1}', workflowId, detail)
        : l10n.t('Zuora did not start workflow {0}: a required input parameter is missing (HTTP 406).', workflowId);
  } else if (error.status === 409) {
    message = l10n.t('Zuora did not start {0}: that id is a run, not a workflow (HTTP 409). Use the workflow definition’s id.', workflowId);
  } else if (error.status === 400 && callout) {
    message = detail
      ? l10n.t('Zuora did not start workflow {0} (HTTP 400): is its Callout trigger enabled? Zuora said: {1}', workflowId, detail)
      : l10n.t('Zuora did not start workflow {0} (HTTP 400): is its Callout trigger enabled?', workflowId);
  } else if (error.status === 404) {
    message = l10n.t('Zuora has no workflow {0} for this connection (HTTP 404).', workflowId);
  }
  if (!message) return error;
  return new WorkflowRunsError(message, {
    kind: error.kind,
    status: error.status,
    code: error.code,
    retryable: error.retryable,
    requestId: error.requestId,
    connection: error.connection,
    endpoint: error.endpoint,
    platformMessage: error.platformMessage,
    cause: error,
  });
}

/** Zuora's answer to a stop of a run that has ended: 400 invalid_state on the run id. */
export function isRunAlreadyEnded(error: unknown): boolean {
  if (!(error instanceof WorkflowRunsError) || error.status !== 400) return false;
  return error.code === 'invalid_state' || /\balready (ended|finished|stopped)\b/i.test(error.message);
}

/** Every answer to a run request was lost: the run may exist; Zuora cannot list runs, so say where to look. */
function lostTriggerAnswer(error: WorkflowRunsError, workflowId: string, callout: boolean): WorkflowRunsError {
  const what = error.kind === 'timeout' ? l10n.t('no answer came in time') : l10n.t('the connection closed before the answer came');
  const resent = callout
    ? l10n.t('It was not sent again, so that no second run starts.')
    : l10n.t('Every try carried the same Idempotency-Key, so at most one run started.');
  return new WorkflowRunsError(
    l10n.t({
      message: "Zuora may have started workflow {0}: {1}. {2} Check the workflow's runs in Zuora before running it again.",
      args: [workflowId, what, resent],
      comment: ['{1} says how the answer was lost (no answer in time / the connection closed); {2} is a sentence on whether the request was sent again.'],
    }),
    { kind: error.kind, code: error.code, retryable: false, connection: error.connection, endpoint: error.endpoint, cause: error },
  );
}
