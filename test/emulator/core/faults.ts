// Fault injection: a queue of one-shot (or n-shot) misbehaviours that the next matching requests
// suffer. Tests use it to prove the client survives what real networks and vendors do.

export type Platform = 'zuora' | 'dify' | 'b3os';

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
  /** How many matching requests it affects (default 1). */
  times?: number;
  kind: 'status' | 'html' | 'reset' | 'hang' | 'badSchema' | 'truncateStream' | 'streamNeverEnds' | 'afterProcess';
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Queued {
  fault: Fault;
  left: number;
}

export class FaultQueue {
  private queued: Queued[] = [];

  add(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault.times must be a positive integer, got ${String(fault.times)}`);
    this.queued.push({ fault, left: times });
  }

  clear(): void {
    this.queued = [];
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
