// What `test` prints while it runs. In a terminal (and not in CI) one progress line at the bottom
// names each file in flight with its status and time, and is redrawn as they move; otherwise (a
// pipe, a log file, CI=true) only plain lines are written, one per finished file.
import { formatDuration } from '../util/format';
import { redact } from '../util/redact';

export interface ConsoleStreams {
  /** Where the per-file lines and the last line go (standard output, or standard error when a report takes standard output). */
  lines: NodeJS.WritableStream;
  /** Where the progress line is drawn (standard error). */
  progress: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export interface TestConsole {
  /** A file's run started. */
  started(file: string): void;
  /** A file's run moved (status word from the run model). */
  update(file: string, status: string): void;
  /** A file is done: its finished line. */
  finished(file: string, line: string): void;
  /** A warning (from the client, say), to standard error. */
  warn(text: string): void;
  close(): void;
}

/** Interactive only on a terminal that is not a CI log (CI=true is set by GitHub Actions and most others). */
export function isInteractive(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  const ci = (env.CI ?? '').toLowerCase();
  return stream.isTTY === true && ci !== 'true' && ci !== '1' && env.TERM !== 'dumb';
}

export function createTestConsole(streams: ConsoleStreams, options: { interactive: boolean; total: number; now?: () => number }): TestConsole {
  const now = options.now ?? Date.now;
  const running = new Map<string, { status: string; since: number }>();
  let done = 0;
  let drawn = false;
  let ticker: ReturnType<typeof setInterval> | undefined;

  const clear = () => {
    if (drawn) streams.progress.write('\r\x1b[2K');
    drawn = false;
  };
  const draw = () => {
    if (!options.interactive || running.size === 0) return;
    const parts = [...running].map(([file, state]) => `${file} (${state.status}, ${formatDuration(now() - state.since) || '0 ms'})`);
    const text = `${done}/${options.total} · ${parts.join(' · ')}`;
    const width = Math.max(20, (streams.progress.columns || 100) - 1);
    streams.progress.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    drawn = true;
  };
  const write = (text: string, stream: NodeJS.WritableStream = streams.lines) => {
    clear();
    stream.write(`${redact(text)}\n`);
    draw();
  };
  if (options.interactive) {
    ticker = setInterval(() => {
      clear();
      draw();
    }, 250);
    ticker.unref();
  }
  return {
    started(file) {
      running.set(file, { status: 'starting', since: now() });
      if (options.interactive) {
        clear();
        draw();
      }
    },
    update(file, status) {
      const state = running.get(file);
      if (state) state.status = status;
    },
    finished(file, line) {
      running.delete(file);
      done += 1;
      write(line);
    },
    warn(text) {
      write(text, streams.progress);
    },
    close() {
      if (ticker) clearInterval(ticker);
      clear();
    },
  };
}
