// Cancellation shared by the client and the adapters.

/**
 * An AbortController that also aborts (with the same reason) when the caller's signal does, so a
 * piece of work can be cancelled on its own or with everything its caller started.
 */
export function linkedController(signal: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  if (signal?.aborted) controller.abort(signal.reason);
  else signal?.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return controller;
}
