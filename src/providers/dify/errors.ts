// Dify's error body `{code, message, status}` in the client's terms, with plain words for the
// codes users meet most.
import type { PlatformErrorInfo } from '../../client/types';
import { DifyErrorBodySchema } from './schemas';

const friendly: Record<string, string> = {
  not_workflow_app: 'this Dify app is not a workflow app (use the API key of a workflow app)',
  app_unavailable: 'the Dify app is unavailable (is it published?)',
  provider_not_initialize: 'no model provider credentials are set up in Dify (Settings → Model Provider)',
  provider_quota_exceeded: 'the model provider quota is used up in Dify',
  model_currently_not_support: 'the model this workflow uses is not available right now',
  rate_limit_error: "the workspace's Dify workflow execution quota is used up; retrying will not help until it resets",
  too_many_requests: 'too many concurrent runs of this app; try again in a moment',
  file_too_large: 'a file is larger than Dify accepts',
  unsupported_file_type: 'Dify does not accept this file type',
};

export function parseDifyError(body: unknown): PlatformErrorInfo | undefined {
  const parsed = DifyErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { code, message } = parsed.data;
  const info: PlatformErrorInfo = {};
  if (code) info.code = code;
  const words = code ? friendly[code] : undefined;
  // Keep Dify's own sentence too: it often names the parameter or the workflow id.
  if (words && message && !words.includes(message)) info.message = `${words} (${message})`;
  else if (words || message) info.message = words ?? message ?? undefined;
  // Both come as 429: one is a passing burst, the other a quota that retries only waste.
  if (code === 'too_many_requests') info.retryable = true;
  if (code === 'rate_limit_error') info.retryable = false;
  return info;
}
