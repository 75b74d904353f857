// The emulator's control endpoint, for tests that do not share its process (the extension host in
// code-server, a UI scenario): every platform server answers `/__emulator/…` for its own platform,
// so the base URL a test already has is enough. Never recorded as a platform request, never
// subject to faults.
//
//   POST   /__emulator/faults     body: a Fault (platform optional); `path` may be a string or
//                                 {"regex": "…", "flags": "…"}                         → {queued}
//   GET    /__emulator/faults     the platform's pending faults
//   DELETE /__emulator/faults     clears the platform's faults
//   GET    /__emulator/triggers   {runsCreated, triggers: [{key, requests, runs}]}
//   POST   /__emulator/reset      the platform's runs, faults and counters back to the seed
//   POST   /__emulator/elsewhere  body {workflowId?, inputs?}: starts a run as another client would
//                                 (Dify, B3OS)                                          → {runId}
import type http from 'node:http';
import type { Fault, FaultQueue, Platform } from './faults';
import type { TriggerCount } from './runBook';

export const controlPrefix = '/__emulator/';

export interface ControlTarget {
  platform: Platform;
  faults: FaultQueue;
  runsCreated(): number;
  triggers(): TriggerCount[];
  reset(): void;
  /** Starts a run as another client would (platforms that list runs started elsewhere). */
  startElsewhere?(request: { workflowId?: string; inputs?: Record<string, unknown> }): { runId: string };
}

/** A fault as JSON carries it: a RegExp path travels as `{regex, flags}`. */
export type WireFault = Omit<Fault, 'path' | 'platform'> & { platform?: Platform; path?: string | { regex: string; flags?: string } };

export function faultFromWire(wire: WireFault, platform: Platform): Fault {
  if (wire.platform !== undefined && wire.platform !== platform) throw new Error(`this is the ${platform} server, not ${wire.platform}`);
  const { path, ...rest } = wire;
  const fault: Fault = { ...rest, platform };
  if (typeof path === 'string') fault.path = path;
  else if (path && typeof path.regex === 'string') fault.path = new RegExp(path.regex, path.flags);
  return fault;
}

export function faultToWire(fault: Fault): WireFault {
  const { path, ...rest } = fault;
  return { ...rest, ...(path instanceof RegExp ? { path: { regex: path.source, flags: path.flags } } : path !== undefined ? { path } : {}) };
}

export async function handleControl(target: ControlTarget, req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const reply = (status: number, body: unknown): void => {
    const buffer = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(buffer.length) });
    res.end(buffer);
  };
  const route = `${method} ${path.slice(controlPrefix.length - 1)}`;
  try {
    switch (route) {
      case 'POST /faults': {
        const wire = JSON.parse(text || '{}') as WireFault;
        target.faults.add(faultFromWire(wire, target.platform));
        return reply(200, { queued: target.faults.pending(target.platform).length });
      }
      case 'GET /faults':
        return reply(200, { faults: target.faults.pending(target.platform).map(({ fault, left }) => ({ ...faultToWire(fault), left })) });
      case 'DELETE /faults':
        target.faults.clear(target.platform);
        return reply(200, { queued: 0 });
      case 'GET /triggers':
        return reply(200, { runsCreated: target.runsCreated(), triggers: target.triggers() });
      case 'POST /reset':
        target.faults.clear(target.platform);
        target.reset();
        return reply(200, { reset: true });
      case 'POST /elsewhere':
        if (!target.startElsewhere) return reply(404, { error: `${target.platform} has no runs started elsewhere` });
        return reply(200, target.startElsewhere(JSON.parse(text || '{}') as { workflowId?: string; inputs?: Record<string, unknown> }));
      default:
        return reply(404, { error: `no control route ${route}` });
    }
  } catch (error) {
    return reply(400, { error: error instanceof Error ? error.message : String(error) });
  }
}
