// A tiny route table: method + path pattern → handler. A path that matches with another method
// answers 405, as the vendors' gateways do.
import type { Exchange } from './http';

export type RouteHandler = (ex: Exchange, params: string[]) => unknown;
export type Route = [method: string | string[], pattern: RegExp, handler: RouteHandler];

/** Dispatches to the first matching route; returns false when no path matched at all. */
export async function dispatch(ex: Exchange, routes: readonly Route[]): Promise<boolean> {
  let pathMatched = false;
  for (const [method, pattern, handler] of routes) {
    const match = pattern.exec(ex.path);
    if (!match) continue;
    pathMatched = true;
    const methods = Array.isArray(method) ? method : [method];
    if (!methods.includes(ex.method)) continue;
    await handler(ex, match.slice(1).map((p) => decodeURIComponent(p)));
    return true;
  }
  if (pathMatched) {
    ex.sendError(405, `The method ${ex.method} is not allowed for this resource.`);
    return true;
  }
  return false;
}

/** Parses a positive integer query parameter; `undefined` when absent, `NaN` when malformed. */
export function intParam(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  return /^\d+$/.test(value) ? Number(value) : Number.NaN;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
