// The HTTP client's surface as the providers use it. The implementation (undici pools, timeouts,
// retries, SSE) lives beside this file; providers depend only on these types.
import type { z } from 'zod';
import type { WorkflowRunsError } from './errors';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * How a request may be retried.
 * - `read`: idempotent read; retried on 429/502/503/504 and connection resets.
 * - `deduplicated`: a write the platform de-duplicates (Zuora Idempotency-Key), or one whose
 *   result is looked up before it is sent again (`confirmResend`: B3OS client run id); retried
 *   like a read, with exactly the same body and headers.
 * - `never`: a write that could start a second run; never retried.
 */
export type RetryPolicy = 'read' | 'deduplicated' | 'never';

/** What a platform's error body says, extracted by the provider's own parser. */
export interface PlatformErrorInfo {
  code?: string;
  message?: string;
  /** The platform's own verdict (Zuora `retryable`); overrides the status-based default. */
  retryable?: boolean;
  requestId?: string;
}

export interface RequestOptions<T> {
  method: HttpMethod;
  /** Absolute URL (the provider joins its base URL and path). */
  url: string;
  /** A label for errors and logs, e.g. "GET /workflows/workflow_runs/{id}". Never holds secrets. */
  endpoint: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON body. */
  json?: unknown;
  /** application/x-www-form-urlencoded body. */
  form?: Record<string, string>;
  /** A streamed body of a known length (multipart uploads: ./multipart.ts). */
  upload?: UploadBody;
  /** Every response body is parsed with a schema; unknown extra fields are kept by passthrough schemas. */
  schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  retry: RetryPolicy;
  signal?: AbortSignal;
  /** Overrides the default body timeout for this call (e.g. Dify blocking runs, Zuora /sync). */
  timeoutMs?: number;
  /** Turns a platform's error body into code/message/retryable. */
  parseError?: (body: unknown, status: number) => PlatformErrorInfo | undefined;
  /**
   * Whether a 2xx JSON body is the platform refusing the request (B3OS's envelope with an error
   * `code`, Zuora's `success: false`): it is then an error worded by `parseError`, never resent.
   */
  isErrorBody?: (body: unknown) => boolean;
  /**
   * Asked before resending an attempt that may have been carried out (retry.ts
   * mayHaveBeenCarriedOut): true sends it again, false gives up with that attempt's error. For a
   * write the platform does not promise to de-duplicate but whose result can be looked up (B3OS:
   * the run under the id the client made).
   */
  confirmResend?: (error: WorkflowRunsError) => Promise<boolean>;
  /** Connection name, for error messages ("check the credentials of connection X"). */
  connection?: string;
  /** The platform's name for messages ("Zuora rejected the credentials …"); defaults to the host. */
  platform?: string;
}

/** A request body read as it is sent; `open()` is called once per attempt. */
export interface UploadBody {
  contentType: string;
  /** Exact byte length (sent as Content-Length). */
  length: number;
  open(): AsyncIterable<Uint8Array>;
}

export interface HttpResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string>;
}

/** One server-sent event. `event` defaults to "message" as in the SSE spec. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * An open event stream, read a batch at a time: each batch holds the events one received chunk
 * completed, in order, and is never empty. One step per chunk rather than per event: a run stream
 * may bring tens of thousands of events at once.
 */
export type SseBatches = AsyncIterable<readonly SseEvent[]>;

export type StreamOptions = Omit<RequestOptions<unknown>, 'schema'> & {
  /** The stream is considered dead when nothing (not even a ping) arrives for this long. */
  idleTimeoutMs?: number;
};

export interface HttpClient {
  request<T>(options: RequestOptions<T>): Promise<HttpResponse<T>>;
  /**
   * Opens a text/event-stream. Resolves once the response headers arrived with a 2xx status
   * (errors before that reject like `request`); the batches end when the server closes the
   * stream, and throw a `WorkflowRunsError` of kind `stream` if it was cut or went idle.
   */
  stream(options: StreamOptions): Promise<SseBatches>;
}

/** Either kind of request, for the parts of the client that treat both alike. */
export type AnyRequest = RequestOptions<unknown> | StreamOptions;
