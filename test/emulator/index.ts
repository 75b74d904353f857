// Local emulator of Zuora Workflow, Dify (one workflow app) and B3OS: the backend of `npm start`,
// of the provider integration tests and of the UI tests. One node:http server per platform.
// What each platform does, its demo data and its scenarios are documented at the top of
// zuora/server.ts + zuora/seed.ts, dify/server.ts + dify/app.ts, b3os/server.ts + b3os/seed.ts.
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createPlatformServer, type PlatformDefinition, type RecordedRequest, type Shared } from './core/http';
import { FaultQueue, type Fault, type Platform } from './core/faults';
import type { TriggerCount } from './core/runBook';
import type { ControlTarget } from './core/control';
import { ZuoraPlatform } from './zuora/server';
import { DifyPlatform } from './dify/server';
import { B3osPlatform } from './b3os/server';

export type { Fault, FaultKind, Platform } from './core/faults';
export type { RecordedRequest } from './core/http';
export type { TriggerCount } from './core/runBook';

export interface EmulatorOptions {
  /** First platform's port; the others use port+1, port+2. 0 or absent: ephemeral ports. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Time multiplier for how fast runs progress; default 1 (tests use e.g. 10 or 20). */
  speed?: number;
  /** No request log on stderr. */
  quiet?: boolean;
  /** Real ms of stream silence before a keep-alive (Dify `event: ping`, B3OS ping). Default 2000. */
  pingIntervalMs?: number;
  /** Lifetime of Zuora OAuth tokens, reported as `expires_in`. Default 3599. */
  zuoraTokenTtlSeconds?: number;
  /** Serve https with this certificate (PEM, leaf + chain) and key instead of plain http. */
  tls?: { cert: string; key: string };
  /** Told of every accepted connection and where it came from (network tests: direct or via a proxy). */
  onConnection?: (platform: Platform, remoteAddress: string) => void;
}

export interface Emulator {
  urls: { zuora: string; dify: string; b3os: string };
  /** Every request received, in order. `body` is the body text (gunzipped if it was sent gzipped). */
  requests: RecordedRequest[];
  /** Runs actually created per platform (to prove a retried trigger created one run). */
  runsCreated(platform: Platform): number;
  /**
   * Trigger requests and created runs per trigger key (Zuora: Idempotency-Key; B3OS: the client's
   * run id; Dify: one key per request). A key with `runs > 1` was triggered twice.
   */
  triggers(platform: Platform): TriggerCount[];
  /** Queue faults for the next matching requests (also over HTTP: core/control.ts, remote.ts). */
  injectFault(fault: Fault): void;
  /** Clears one platform's faults, or all. */
  clearFaults(platform?: Platform): void;
  /** Starts a run as another client would (Dify: another user; B3OS: default workflow wf_9k2m4x7q1b3n). */
  startRunElsewhere(platform: 'dify' | 'b3os', request?: { workflowId?: string; inputs?: Record<string, unknown> }): { runId: string };
  /** Clears requests, faults, runs (seeded history comes back), tokens and idempotency keys. */
  reset(): void;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new Error(`speed must be a positive number, got ${speed}`);
  const pingIntervalMs = options.pingIntervalMs ?? 2000;
  const shared: Shared = { requests: [], faults: new FaultQueue(), quiet: options.quiet ?? false };

  const zuora = new ZuoraPlatform({ speed, tokenTtlSeconds: options.zuoraTokenTtlSeconds ?? 3599 });
  const dify = new DifyPlatform({ speed, pingIntervalMs });
  const b3os = new B3osPlatform({ speed, pingIntervalMs });
  const platforms: Array<[PlatformDefinition, { reset(): void; runsCreated: number; triggers(): TriggerCount[]; startElsewhere?: ControlTarget['startElsewhere'] }]> = [
    [zuora, zuora],
    [dify, dify],
    [b3os, b3os],
  ];

  const servers: Array<http.Server | https.Server> = [];
  const ports: number[] = [];
  try {
    for (const [index, [definition, state]] of platforms.entries()) {
      const plain = createPlatformServer(definition, shared, {
        platform: definition.platform,
        faults: shared.faults,
        runsCreated: () => state.runsCreated,
        triggers: () => state.triggers(),
        reset: () => state.reset(),
        ...(state.startElsewhere ? { startElsewhere: (request) => state.startElsewhere!(request) } : {}),
      });
      const server = withOptions(plain, definition.platform, options);
      servers.push(server);
      const port = options.port ? options.port + index : 0;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      ports.push((server.address() as AddressInfo).port);
    }
  } catch (error) {
    await Promise.all(servers.map((server) => closeServer(server)));
    throw error;
  }

  const urlHost = host.includes(':') ? `[${host}]` : host;
  const scheme = options.tls ? 'https' : 'http';
  const byName = { zuora, dify, b3os } as const;
  return {
    urls: {
      zuora: `${scheme}://${urlHost}:${ports[0]}`,
      dify: `${scheme}://${urlHost}:${ports[1]}/v1`,
      b3os: `${scheme}://${urlHost}:${ports[2]}`,
    },
    requests: shared.requests,
    runsCreated: (platform) => byName[platform].runsCreated,
    triggers: (platform) => byName[platform].triggers(),
    injectFault: (fault) => shared.faults.add(fault),
    clearFaults: (platform) => shared.faults.clear(platform),
    startRunElsewhere: (platform, request = {}) => byName[platform].startElsewhere(request),
    reset: () => {
      // Emptied in place: callers may hold the array.
      shared.requests.length = 0;
      shared.faults.clear();
      for (const [, state] of platforms) state.reset();
    },
    close: async () => {
      await Promise.all(servers.map((server) => closeServer(server)));
    },
  };
}

/** The same request handling over TLS (the plain server's handler moves over) and connection reports. */
function withOptions(plain: http.Server, platform: Platform, options: EmulatorOptions): http.Server | https.Server {
  let server: http.Server | https.Server = plain;
  if (options.tls) {
    server = https.createServer({ cert: options.tls.cert, key: options.tls.key });
    for (const listener of plain.listeners('request')) server.on('request', listener as (...args: unknown[]) => void);
  }
  const report = options.onConnection;
  if (report) server.on('connection', (socket: { remoteAddress?: string }) => report(platform, socket.remoteAddress ?? ''));
  return server;
}

/** Closes a server, cutting open streams and hanging requests instead of waiting for them. */
function closeServer(server: http.Server | https.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
