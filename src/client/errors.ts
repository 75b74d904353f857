// One error type for everything the views show. Messages are plain words for users and never
// hold a credential, a stack trace or a response body dump.

export type ErrorKind =
  /** The platform answered with an error status. */
  | 'http'
  /** 401/403: the connection's credentials are wrong or lack a permission. */
  | 'auth'
  /** Refused, DNS, TLS, reset: the request never got an answer. */
  | 'network'
  | 'timeout'
  /** A body did not match its schema, or was not JSON (an HTML error page). */
  | 'schema'
  /** A stream was cut or went silent. */
  | 'stream'
  /** The user's settings or payload are wrong; nothing was sent. */
  | 'config'
  | 'aborted';

export interface WorkflowRunsErrorInit {
  kind: ErrorKind;
  status?: number;
  code?: string;
  retryable?: boolean;
  requestId?: string;
  connection?: string;
  endpoint?: string;
  /** The wait the server asked for (Retry-After), in ms, when it asked for one. */
  retryAfterMs?: number;
  /**
   * What the platform's error body said, as it said it (credentials removed), without the
   * extension's framing around it: a provider that rewords an error reads this, never the
   * translated sentence the message is.
   */
  platformMessage?: string;
  cause?: unknown;
}

export class WorkflowRunsError extends Error {
  readonly kind: ErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly retryable: boolean;
  readonly requestId?: string;
  readonly connection?: string;
  readonly endpoint?: string;
  /** The wait the server asked for (Retry-After), in ms: whoever asks again honours it. */
  readonly retryAfterMs?: number;
  /** See WorkflowRunsErrorInit.platformMessage. */
  readonly platformMessage?: string;

  constructor(message: string, init: WorkflowRunsErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'WorkflowRunsError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.retryable = init.retryable ?? false;
    this.requestId = init.requestId;
    this.connection = init.connection;
    this.endpoint = init.endpoint;
    this.retryAfterMs = init.retryAfterMs;
    this.platformMessage = init.platformMessage;
  }

  /** True when new credentials are the likely cure: the UI offers "Set Credentials…". */
  get isCredentialProblem(): boolean {
    return this.kind === 'auth';
  }
}

export function isWorkflowRunsError(error: unknown): error is WorkflowRunsError {
  return error instanceof WorkflowRunsError;
}

/** A user-facing sentence for any thrown value; unknown errors keep only their message. */
export function describeError(error: unknown): string {
  if (error instanceof WorkflowRunsError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The wait a server asked for before asking again (Retry-After), when the error carries one. */
export function serverRequestedWaitMs(error: unknown): number | undefined {
  return error instanceof WorkflowRunsError && error.retryAfterMs !== undefined && Number.isFinite(error.retryAfterMs) ? Math.max(0, error.retryAfterMs) : undefined;
}
