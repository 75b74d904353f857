// Reads a text/event-stream body as SseEvents, handed out in batches (the events each received
// chunk completed). eventsource-parser does the line protocol (CRLF, multi-line data, comments,
// ids); this file adds UTF-8 decoding across chunk boundaries, an idle watchdog (a platform that
// stops sending even its pings is gone), a size limit on one event (a line that never ends must
// not fill the memory) and plain-worded failures.
import { createParser, type EventSourceParser } from 'eventsource-parser';
import { WorkflowRunsError } from './errors';
import { classifyTransportError } from './failures';
import type { SseEvent } from './types';
import * as l10n from '@vscode/l10n';

export interface SseReadOptions {
  /** Label for errors, e.g. "POST /workflows/run". */
  endpoint: string;
  /** Nothing received for this long (no event, no ping, no byte) → kind 'stream'. 0/undefined: no limit. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  /** Releases the connection when reading stops early (consumer break, idle, abort). */
  cancel?: (reason?: unknown) => void;
  /** The most text one event (or comment) may span before the stream is refused. Default 32 MiB. */
  maxEventChars?: number;
}

/** As large as the largest JSON body the client accepts: one event is never worth more. */
export const defaultMaxEventChars = 32 * 1024 * 1024;

/**
 * Yields the events of the stream, a batch at a time: all the events one received chunk completed,
 * in order (a chunk that completes none yields nothing). One step per chunk, not per event: a run
 * stream may bring tens of thousands of events, and a step of an async generator for each of them
 * added a third to what parsing them cost. A batch is the caller's: the reader never changes it.
 * Ends when the server closes the stream normally (an event not terminated by a blank line is
 * dropped, as the SSE spec says: whether the run was complete is the caller's call). Throws kind
 * 'stream' when the connection breaks or goes idle, 'aborted' on abort.
 */
export async function* readSseBatches(body: AsyncIterable<Uint8Array | string>, options: SseReadOptions): AsyncGenerator<readonly SseEvent[]> {
  const iterator = body[Symbol.asyncIterator]();
  const decoder = new TextDecoder('utf-8');
  // The events completed since the last batch was handed out; a new array for each batch.
  let ready: SseEvent[] = [];
  const maxEventChars = options.maxEventChars ?? defaultMaxEventChars;
  // Text fed since the last blank line: at most what the parser may be holding in its buffers.
  let pendingChars = 0;
  const parser = createParser({
    onEvent: (message) => {
      const event: SseEvent = { event: message.event ?? 'message', data: message.data };
      if (message.id !== undefined) event.id = message.id;
      ready.push(event);
    },
  });
  const feed = (text: string) => {
    // Fed in slices so a single huge chunk cannot sneak past the limit before it is checked.
    for (let at = 0; at < text.length; at += sliceChars) {
      const slice = text.slice(at, at + sliceChars);
      // A blank line ends an event, even one the parser drops (a ping without data).
      const afterBoundary = charsAfterLastBlankLine(slice);
      pendingChars = afterBoundary === undefined ? pendingChars + slice.length : afterBoundary;
      if (pendingChars > maxEventChars) throw tooLargeError(options.endpoint, maxEventChars);
      lines.feed(slice);
    }
  };
  const lines = carriageReturnsResolved(parser);
  /** The events completed so far, taken out of `ready`. */
  const batch = () => {
    const events = ready;
    ready = [];
    return events;
  };
  let ended = false;
  try {
    for (;;) {
      const step = await nextWithin(iterator, options);
      if (step.done) break;
      feed(typeof step.value === 'string' ? step.value : decoder.decode(step.value, { stream: true }));
      if (ready.length > 0) yield batch();
    }
    ended = true;
    // A multi-byte character cut by the end of the stream decodes to U+FFFD rather than vanishing.
    const rest = decoder.decode();
    if (rest) feed(rest);
    // A complete last event (its blank line a lone CR at the very end) is delivered; one without
    // its blank line stays dropped.
    lines.end();
    if (ready.length > 0) yield batch();
  } finally {
    // Early exit (the consumer stopped, idle, abort, error): free the socket.
    if (!ended) {
      options.cancel?.();
      iterator.return?.().catch(() => undefined);
    }
  }
}

/**
 * The parser fed so that it never sees a CR at the end of a chunk. eventsource-parser keeps such a
 * CR (an LF may follow it in the next chunk) and looks at it again only once a later chunk holds a
 * line end: an event ended by CR-only line ends would wait for more text, and be lost when the
 * stream ends there. Only a chunk's last CR is in doubt (CRs before it are line ends of their
 * own, given as LFs): it is held until what follows is known, and at the end of the stream it is
 * the line end it is, given as an LF too.
 */
function carriageReturnsResolved(parser: EventSourceParser): { feed(text: string): void; end(): void } {
  let heldCr = false;
  return {
    feed(text) {
      const whole = heldCr ? `\r${text}` : text;
      let cut = whole.length;
      while (cut > 0 && whole.charCodeAt(cut - 1) === carriageReturn) cut -= 1;
      heldCr = cut < whole.length;
      const ready = heldCr ? whole.slice(0, cut) + '\n'.repeat(whole.length - cut - 1) : whole;
      // Never an empty chunk: the parser looks for a byte order mark in the first one only.
      if (ready) parser.feed(ready);
    },
    end() {
      if (heldCr) parser.feed('\n');
      heldCr = false;
    },
  };
}

const carriageReturn = 13;

/** The iterator's next chunk, unless the stream goes idle or the caller aborts first. */
function nextWithin<T>(iterator: AsyncIterator<T>, options: SseReadOptions): Promise<IteratorResult<T>> {
  const { idleTimeoutMs, signal, endpoint } = options;
  if (signal?.aborted) return Promise.reject(abortedError(endpoint, signal.reason));
  const next = iterator.next();
  return new Promise<IteratorResult<T>>((resolve, reject) => {
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      action();
    };
    const timer =
      idleTimeoutMs && idleTimeoutMs > 0
        ? setTimeout(
            () =>
              settle(() =>
                reject(
                  new WorkflowRunsError(l10n.t('{0}: the stream went silent (nothing received for {1}).', endpoint, formatSeconds(idleTimeoutMs)), {
                    kind: 'stream',
                    endpoint,
                    retryable: true,
                  }),
                ),
              ),
            idleTimeoutMs,
          )
        : undefined;
    const onAbort = () => settle(() => reject(abortedError(endpoint, signal?.reason)));
    signal?.addEventListener('abort', onAbort, { once: true });
    next.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(signal?.aborted ? abortedError(endpoint, signal.reason) : cutError(endpoint, error))),
    );
  });
}

function cutError(endpoint: string, error: unknown): WorkflowRunsError {
  if (error instanceof WorkflowRunsError) return error;
  const problem = classifyTransportError(error);
  return new WorkflowRunsError(problem ? l10n.t('{0}: the stream was cut ({1}).', endpoint, problem.reason) : l10n.t('{0}: the stream was cut.', endpoint), { kind: 'stream', endpoint, retryable: true, cause: error });
}

/** Two line ends in a row (CRLF, LF or a lone CR each): the end of an event. */
const blankLine = /(?:\r\n|\n|\r(?!\n))(?:\r\n|\n|\r(?!\n))/g;

/** How much of `text` follows its last blank line; undefined when it has none. */
function charsAfterLastBlankLine(text: string): number | undefined {
  // Nearly every server ends lines with LF alone: then a blank line is "\n\n", found from the end
  // without a regular expression walking the whole text (this runs on every slice of the stream).
  if (text.indexOf('\r') === -1) {
    const at = text.lastIndexOf('\n\n');
    return at < 0 ? undefined : text.length - at - 2;
  }
  let end = -1;
  for (const match of text.matchAll(blankLine)) end = match.index + match[0].length;
  return end < 0 ? undefined : text.length - end;
}

/** The size of the pieces text is fed to the parser in (keeps the limit check fine-grained). */
const sliceChars = 64 * 1024;

function tooLargeError(endpoint: string, limit: number): WorkflowRunsError {
  // Not retryable: the platform would send the same event again.
  return new WorkflowRunsError(l10n.t('{0}: one event of the stream was larger than {1}, so the stream was closed.', endpoint, formatSize(limit)), {
    kind: 'stream',
    endpoint,
    retryable: false,
  });
}

function formatSize(chars: number): string {
  return chars >= 1024 * 1024 ? l10n.t('{0} MB', Math.round(chars / 1024 / 1024)) : l10n.t('{0} KB', Math.round(chars / 1024));
}

function abortedError(endpoint: string, reason: unknown): WorkflowRunsError {
  return new WorkflowRunsError(l10n.t('{0} was cancelled.', endpoint), { kind: 'aborted', endpoint, cause: reason });
}

function formatSeconds(ms: number): string {
  return l10n.t('{0} s', ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(1));
}
