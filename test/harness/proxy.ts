// A real forward proxy for tests: Debian's tinyproxy, on a free loopback port, with or without
// Basic authentication, logging every request it receives to a file the tests read to prove that
// traffic went through it (a `CONNECT host:port` line per tunnel). tinyproxy is small, starts in
// milliseconds, needs no cache directory, answers 407 on CONNECT without credentials and allows
// CONNECT to any port when no ConnectPort line is configured — all a test needs.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const tinyproxyPath = '/usr/bin/tinyproxy';

export interface ProxyOptions {
  /** Require Basic credentials (tinyproxy's BasicAuth). */
  auth?: { user: string; password: string };
  /**
   * The loopback address tinyproxy connects out from (its `Bind`), e.g. 127.0.0.3: a server that
   * sees every connection come from it knows none came directly from the client (127.0.0.1).
   */
  outgoingAddress?: string;
}

export interface ProxyRequest {
  method: string;
  /** `host:port` for CONNECT, the absolute URL for a forwarded plain request. */
  target: string;
}

export interface TestProxy {
  port: number;
  /** `http://127.0.0.1:<port>`, without credentials. */
  url: string;
  /** `http://user:password@127.0.0.1:<port>` when auth is on (else the same as url). */
  urlWithCredentials: string;
  logFile: string;
  /** Every request the proxy received so far, in order (read from its log). */
  requests(): ProxyRequest[];
  /** Requests received after a mark (see `mark`). */
  requestsSince(mark: number): ProxyRequest[];
  /** The number of requests logged so far, to compare against later. */
  mark(): number;
  stop(): Promise<void>;
}

export function isTinyproxyInstalled(): boolean {
  return existsSync(tinyproxyPath);
}

/** A port nobody listens on right now (the proxy binds it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Until tinyproxy logs that it accepts connections (so the port is really its own, not another
 * process's that took it in the meantime) and the port answers.
 */
async function waitUntilListening(port: number, logFile: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tinyproxy exited with code ${child.exitCode} (port ${port} taken?)`);
    const started = existsSync(logFile) && readFileSync(logFile, 'utf8').includes('Accepting connections');
    const open =
      started &&
      (await new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      }));
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`tinyproxy did not listen on port ${port} within ${timeoutMs} ms`);
}

const requestLine = /Request \(file descriptor \d+\): (\S+) (\S+) HTTP\//;

export async function startProxy(options: ProxyOptions = {}): Promise<TestProxy> {
  if (!isTinyproxyInstalled()) throw new Error(`${tinyproxyPath} is missing: apt-get install tinyproxy`);
  // The free port may be taken by someone else before tinyproxy binds it: then try another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

async function startOnce(options: ProxyOptions): Promise<TestProxy> {
  const dir = mkdtempSync(path.join(tmpdir(), 'workflow-runs-proxy-'));
  const logFile = path.join(dir, 'tinyproxy.log');
  const port = await freePort();
  const lines = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 60',
    `LogFile "${logFile}"`,
    // Info logs each request line ("CONNECT host:port") and each refused authentication.
    'LogLevel Info',
    'MaxClients 64',
    'Allow 127.0.0.1',
    'DisableViaHeader Yes',
    // No ConnectPort line: CONNECT is allowed to any port (the test servers use random ones).
  ];
  if (options.outgoingAddress) lines.push(`Bind ${options.outgoingAddress}`);
  if (options.auth) lines.push(`BasicAuth ${options.auth.user} ${options.auth.password}`);
  const configFile = path.join(dir, 'tinyproxy.conf');
  writeFileSync(configFile, `${lines.join('\n')}\n`);

  // Its own process group (detached), so stop() ends tinyproxy and anything it forked.
  const child = spawn(tinyproxyPath, ['-d', '-c', configFile], { detached: true, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitUntilListening(port, logFile, child, 5_000);
  } catch (error) {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const requests = (): ProxyRequest[] => {
    const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    const found: ProxyRequest[] = [];
    for (const line of text.split('\n')) {
      const match = requestLine.exec(line);
      if (match) found.push({ method: match[1]!, target: match[2]! });
    }
    return found;
  };
  const url = `http://127.0.0.1:${port}`;
  const auth = options.auth;
  return {
    port,
    url,
    urlWithCredentials: auth ? `http://${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.password)}@127.0.0.1:${port}` : url,
    logFile,
    requests,
    requestsSince: (mark) => requests().slice(mark),
    mark: () => requests().length,
    async stop() {
      if (child.pid && child.exitCode === null) {
        process.kill(-child.pid, 'SIGTERM');
        const killer = setTimeout(() => child.exitCode === null && process.kill(-child.pid!, 'SIGKILL'), 2_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
