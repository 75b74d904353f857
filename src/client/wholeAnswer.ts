// A request whose answer is wanted whole (every `request()`; streams are `stream()`'s), sent with
// undici's dispatch API: the handler below is handed the status, the raw headers and the body
// chunks as they arrive. undici's request() wraps each exchange in an AsyncResource, a Readable
// body, listeners and promise hops: on a keep-alive status read that cost more than all the
// client's own work. A plain body is bounded as it arrives; a compressed one goes through a
// Readable to readBody, which decodes it within the limit.
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { AttemptAbort } from './attemptAbort';
import { isEncoded, maxBodyBytes, maxErrorBodyBytes, rawHeader, readBody, recordOfRawHeaders, tooLarge } from './body';
import type { AnyRequest } from './types';

/** An answer read whole: a success's body refused past maxBodyBytes, a failure's cut at maxErrorBodyBytes. */
export class WholeAnswer {
  readonly #rawHeaders: readonly Buffer[];
  #headers: Record<string, string> | undefined;

  constructor(
    readonly status: number,
    /** As undici received them: name, value, name, value …. */
    rawHeaders: readonly Buffer[],
    /** Decoded. */
    readonly body: Buffer,
  ) {
    this.#rawHeaders = rawHeaders;
  }

  /** Made into strings when first read: ≈ 1 µs per answer, and no provider reads those of a success. */
  get headers(): Record<string, string> {
    return (this.#headers ??= recordOfRawHeaders(this.#rawHeaders));
  }

  /** The one header every answer's body needs (its charset), read without making all of them strings. */
  get contentType(): string | undefined {
    return this.#headers ? this.#headers['content-type'] : rawHeader(this.#rawHeaders, 'content-type');
  }
}

/**
 * Sends `options` and reads the whole answer. Settles at once when `attempt` aborts (its deadline
 * or the caller's Cancel), whether the request is still queued, waiting for headers or reading the
 * body; the exchange is then aborted (a queued one when its turn comes, before anything is sent).
 */
export function requestWhole(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, attempt: AttemptAbort, request: AnyRequest): Promise<WholeAnswer> {
  return new Promise((resolve, reject) => {
    const handler = new WholeAnswerHandler(resolve, reject, attempt, request, options.body);
    dispatcher.dispatch(options, handler);
    handler.watch();
  });
}

/**
 * A dispatch handler in the form undici's core calls (and its own request() implements): the newer
 * controller form is adapted to it by a wrapper per request. One object per attempt.
 */
class WholeAnswerHandler implements Dispatcher.DispatchHandler {
  private abortExchange: ((reason: Error) => void) | undefined;
  private status = 0;
  private rawHeaders: Buffer[] = [];
  private chunks: Buffer[] = [];
  private size = 0;
  /** A compressed body, pushed to readBody (whose decoder is bounded) instead of collected here. */
  private encoded: Readable | undefined;
  private settled = false;
  /** undici is done with the exchange (answered or failed): nothing to abort. */
  private ended = false;
  private readonly onAbort = () => this.fail(this.attempt.reason);

  constructor(
    private readonly resolve: (answer: WholeAnswer) => void,
    private readonly reject: (reason: unknown) => void,
    private readonly attempt: AttemptAbort,
    private readonly request: AnyRequest,
    private readonly upload: Dispatcher.DispatchOptions['body'],
  ) {}

  /** Follows the attempt's abort (after dispatch, which may already have failed synchronously). */
  watch(): void {
    if (this.attempt.aborted) this.onAbort();
    else if (!this.settled) this.attempt.addEventListener('abort', this.onAbort);
  }

  onConnect(abort: (reason: Error) => void): void {
    // Aborted while queued: undici drops the request before sending anything.
    if (this.settled) abort(abortReason(this.attempt.reason));
    else this.abortExchange = abort;
  }

  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void): boolean {
    // 1xx: informational, the answer is still to come.
    if (status < 200) return true;
    this.status = status;
    this.rawHeaders = rawHeaders;
    if (isEncoded(rawHeaders)) {
      // Pushed as undici pushes its own body: backpressure resumes the socket, destroying it aborts the exchange.
      this.encoded = new Readable({
        read: () => resume(),
        destroy: (error, callback) => {
          this.abortExchange?.(abortReason(error));
          callback(error);
        },
      });
      readBody({ status, headers: recordOfRawHeaders(rawHeaders), body: this.encoded }, this.limit(), status >= 300, this.request).then(
        (body) => this.succeed(body),
        (error: unknown) => this.fail(error),
      );
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.encoded) return this.encoded.push(chunk);
    const limit = this.limit();
    this.size += chunk.length;
    if (this.size <= limit) {
      this.chunks.push(chunk);
      return true;
    }
    // A success is refused past its limit; a failure's body is only read for its message, so cut.
    if (this.status < 300) this.fail(tooLarge(this.request, limit, false));
    else {
      this.chunks.push(chunk.subarray(0, chunk.length - (this.size - limit)));
      this.succeed(Buffer.concat(this.chunks, limit));
    }
    return false;
  }

  onComplete(): void {
    this.ended = true;
    if (this.encoded) this.encoded.push(null);
    // A single chunk is the body as it is (undici hands each chunk over once).
    else this.succeed(this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size));
  }

  onError(error: Error): void {
    this.ended = true;
    // A compressed body learns of the cut as undici's own body would; readBody reports it.
    if (this.encoded && !this.settled) this.encoded.destroy(error);
    else this.fail(error);
    // A streamed upload (a file being read) must not stay open, as undici's request() ensures;
    // destroyed without the error, which nobody may be listening for any more.
    if (this.upload instanceof Readable) this.upload.destroy();
  }

  private limit(): number {
    return this.status >= 300 ? maxErrorBodyBytes : maxBodyBytes;
  }

  private succeed(body: Buffer): void {
    if (this.settled) return;
    this.settle();
    this.resolve(new WholeAnswer(this.status, this.rawHeaders, body));
  }

  private fail(reason: unknown): void {
    if (this.settled) return;
    this.settle();
    this.reject(reason);
    this.encoded?.destroy(abortReason(reason));
  }

  /** Settled: the attempt's abort is no longer followed, and the exchange (if still running) ends. */
  private settle(): void {
    this.settled = true;
    this.attempt.removeEventListener('abort', this.onAbort);
    // In the middle of an answer (or before it), the socket is freed or the request dropped.
    if (!this.ended) this.abortExchange?.(abortReason(this.attempt.reason));
  }
}

function abortReason(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error('The request was aborted.');
}
