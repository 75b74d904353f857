// Fault injection: a queue of misbehaviours (one-shot, n-shot or until cleared) that the next
// matching requests suffer. Tests use it to prove the client survives what real networks and
// vendors do. Faults are set in process (`emulator.injectFault`) or over HTTP (core/control.ts).

export type Platform = 'zuora' | 'dify' | 'b3os';

export const faultKinds = [
  'status',
  'html',
  'reset',
  'hang',
  'badSchema',
  'reshape',
  'truncateStream',
  'cutStream',
  'streamNeverEnds',
  'afterProcess',
  'slowHeaders',
  'slowBody',
  'invalidJson',
  'hugeBody',
  'gzipBomb',
  'endlessSseLine',
] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface Fault {
  platform: Platform;
  /** Default: any method. */
  method?: string;
  /**
   * Matched against the request path without its query. A string matches exactly; a RegExp is
   * tested. Both are tried against the full path (Dify's includes `/v1`) and, for Dify, against the
   * path with the `/v1` base stripped, so `'/workflows/run'` and `'/v1/workflows/run'` both work.
   * Default: any path.
   */
  path?: string | RegExp;
  /** How many matching requests it affects (default 1); `'always'`: every one until cleared. */
  times?: number | 'always';
  /**
   * - `status`: answers `status` (default 500) with the platform's error body unless `body` is given.
   * - `html`: an nginx-style HTML error page (default 502).
   * - `reset`: the socket is destroyed before anything is done.
   * - `afterProcess`: the request is processed (a trigger creates its run and is counted), then
   *   the socket is destroyed instead of answering.
   * - `hang`: never answered.
   * - `slowHeaders`: processed at once, the answer's headers only after `delayMs`.
   * - `slowBody`: headers at once, the body trickled over `delayMs`.
   * - `badSchema`: the answer (or each event) with one well-known field retyped.
   * - `reshape`: the answer (or each event) with the fields named in `omit` left out wherever they
   *   are, and the fields named in `set` given those values wherever they are.
   * - `invalidJson`: a JSON content type over text that is not JSON (each event's data too).
   * - `hugeBody`: valid JSON of about `sizeBytes` (default 40 MB), written in pieces.
   * - `gzipBomb`: `Content-Encoding: gzip` over a small body that inflates to `sizeBytes`
   *   (default 256 MB) of JSON whitespace, generated while it is sent.
   * - `truncateStream`: `afterEvents` events (default 2), then half of the next one and the cut;
   *   plain JSON: half the body under a full Content-Length.
   * - `cutStream`: `afterEvents` whole events (default 2), then the cut; the run itself goes on.
   * - `streamNeverEnds`: keep-alives only, forever; plain JSON: accepted, never answered.
   * - `endlessSseLine`: a `data:` line that never ends (plain JSON: a body that never ends).
   */
  kind: FaultKind;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** `status` faults: adds `Retry-After` in this many seconds (as a number, or an HTTP date). */
  retryAfterSeconds?: number;
  retryAfterFormat?: 'seconds' | 'date';
  /** `slowHeaders`, `slowBody`: the delay in real ms (default 2000). */
  delayMs?: number;
  /** `hugeBody`, `gzipBomb`: size of the (inflated) body in bytes. */
  sizeBytes?: number;
  /** `reshape`: field names to leave out, and fields to overwrite. */
  omit?: string[];
  set?: Record<string, unknown>;
  /** `truncateStream`, `cutStream`: whole events let through before the cut. */
  afterEvents?: number;
}

interface Queued {
  fault: Fault;
  left: number;
}

export class FaultQueue {
  private queued: Queued[] = [];

  add(fault: Fault): void {
    if (!(faultKinds as readonly string[]).includes(fault.kind)) throw new Error(`unknown fault kind: ${String(fault.kind)}`);
    const times = fault.times ?? 1;
    if (times !== 'always' && (!Number.isInteger(times) || times < 1)) throw new Error(`fault.times must be a positive integer or 'always', got ${String(fault.times)}`);
    this.queued.push({ fault, left: times === 'always' ? Number.POSITIVE_INFINITY : times });
  }

  /** Clears the faults of one platform, or all. */
  clear(platform?: Platform): void {
    this.queued = platform ? this.queued.filter(({ fault }) => fault.platform !== platform) : [];
  }

  /** What is still queued (for the control endpoint and for tests). */
  pending(platform?: Platform): Array<{ fault: Fault; left: number | 'always' }> {
    return this.queued
      .filter(({ fault }) => !platform || fault.platform === platform)
      .map(({ fault, left }) => ({ fault, left: Number.isFinite(left) ? left : 'always' }));
  }

  /** Finds the first fault matching the request and consumes one use of it. */
  take(platform: Platform, method: string, paths: readonly string[]): Fault | undefined {
    const index = this.queued.findIndex(({ fault }) => matches(fault, platform, method, paths));
    if (index < 0) return undefined;
    const entry = this.queued[index]!;
    entry.left -= 1;
    if (entry.left <= 0) this.queued.splice(index, 1);
    return entry.fault;
  }
}

function matches(fault: Fault, platform: Platform, method: string, paths: readonly string[]): boolean {
  if (fault.platform !== platform) return false;
  if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  const pattern = fault.path;
  if (pattern === undefined) return true;
  return paths.some((p) => {
    if (typeof pattern === 'string') return pattern === p;
    pattern.lastIndex = 0; // a /g RegExp keeps state between tests; matching must not depend on it
    return pattern.test(p);
  });
}
