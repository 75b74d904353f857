// Cancellation shared by the client and the adapters.

/**
 * An AbortController that also aborts (with the same reason) when the caller's signal does, so a
 * piece of work can be cancelled on its own or with everything its caller started. Aborting the
 * child is how its work says it is done: the child then lets go of the caller's signal, which
 * may live for the whole session and would otherwise collect one listener per piece of work.
 */
export function linkedController(signal: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  if (!signal) return controller;
  if (signal.aborted) {
    controller.abort(signal.reason);
    return controller;
  }
  const onParentAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onParentAbort, { once: true });
  controller.signal.addEventListener('abort', () => signal.removeEventListener('abort', onParentAbort), { once: true });
  return controller;
}
