// Server-Sent Events writer. It deliberately exercises client parsers the way real proxies do:
// some events use CRLF line endings, and each event is written in two pieces split mid-line with
// a pause between them, so the pieces arrive in separate TCP segments. It also honours the
// stream faults (`truncateStream`, `cutStream`, `streamNeverEnds`, `endlessSseLine`, `badSchema`,
// `invalidJson`, `slowHeaders`, `slowBody`, `afterProcess`).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Exchange } from './http';
import { corrupt, reshape } from './corrupt';
import { writeEndless } from './bodies';

export interface SseOptions {
  /** Real milliseconds of silence after which a keep-alive is written. */
  pingMs: number;
  /** The keep-alive exactly as written, e.g. `event: ping\n\n`. */
  ping: string;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

export interface SseEvent {
  event?: string;
  id?: string;
  /** Serialised as JSON on one `data:` line. */
  data?: unknown;
}

/** How many events `truncateStream` and `cutStream` let through by default before the cut. */
const defaultCutAfter = 2;

export class SseStream {
  private chain: Promise<void> = Promise.resolve();
  private sent = 0;
  private lastWrite = Date.now();
  private readonly timer: NodeJS.Timeout;
  private ended = false;
  private readonly closeHandlers: Array<() => void> = [];
  closed = false;

  constructor(
    private readonly ex: Exchange,
    private readonly options: SseOptions,
  ) {
    const res = ex.res;
    res.on('close', () => this.onClosed());
    this.timer = setInterval(() => this.keepAlive(), Math.max(10, Math.min(options.pingMs, 250)));
    this.timer.unref();
    if (ex.fault?.kind === 'afterProcess') {
      ex.destroy();
      this.onClosed();
      return;
    }
    res.socket?.setNoDelay(true);
    const head = (): void => {
      if (this.closed) return;
      res.writeHead(200, {
        ...ex.def.responseHeaders?.(ex),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        ...options.headers,
      });
      res.flushHeaders();
    };
    const fault = ex.fault;
    if (fault?.kind === 'slowHeaders') {
      // Everything written waits behind the late headers.
      this.chain = sleep(fault.delayMs ?? 2000).then(head);
    } else head();
    if (fault?.kind === 'endlessSseLine') {
      this.ended = true; // nothing else is ever written
      void writeEndless(res, 'data: ').catch(() => res.destroy());
    }
  }

  /** Runs `handler` once the stream is closed, by either side. */
  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.closeHandlers.push(handler);
  }

  /** Queues one event. */
  send(event: SseEvent): void {
    if (this.closed || this.ended) return;
    const fault = this.ex.fault?.kind;
    if (fault === 'streamNeverEnds') return; // only keep-alives ever arrive
    const cutAfter = this.ex.fault?.afterEvents ?? defaultCutAfter;
    if (fault === 'cutStream' && this.sent >= cutAfter) {
      this.cut();
      return;
    }
    this.sent += 1;
    const data = fault === 'badSchema' ? corrupt(event.data) : fault === 'reshape' ? reshape(event.data, this.ex.fault?.omit, this.ex.fault?.set) : event.data;
    const eol = this.sent % 3 === 0 ? '\r\n' : '\n'; // every third event uses CRLF
    let text = '';
    if (event.id !== undefined) text += `id: ${event.id}${eol}`;
    if (event.event !== undefined) text += `event: ${event.event}${eol}`;
    if (event.data !== undefined) text += `data: ${fault === 'invalidJson' ? `${JSON.stringify(data).slice(0, 20)}<<not json` : JSON.stringify(data)}${eol}`;
    text += eol;
    if (fault === 'truncateStream' && this.sent > cutAfter) {
      // Half an event, then the connection drops: the parser must not take the half as an event.
      this.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))), false);
      this.cut();
      return;
    }
    this.write(text, true);
  }

  /** Ends the stream cleanly after the queued events (or cuts it under `truncateStream`). */
  end(): void {
    if (this.closed || this.ended) return;
    const fault = this.ex.fault?.kind;
    if (fault === 'streamNeverEnds') return;
    if (fault === 'truncateStream' || fault === 'cutStream') return this.cut();
    this.ended = true;
    this.chain = this.chain.then(() => {
      if (!this.closed) this.ex.res.end();
    });
  }

  private cut(): void {
    this.ended = true;
    this.chain = this.chain.then(() => this.ex.destroy());
  }

  private write(text: string, split: boolean): void {
    this.lastWrite = Date.now();
    this.chain = this.chain.then(async () => {
      if (this.closed) return;
      const res = this.ex.res;
      if (!split || text.length < 8) {
        res.write(text);
        return;
      }
      // Cut inside the first line after its field name so the parser must join the halves.
      const at = Math.min(text.length - 2, Math.max(7, Math.floor(text.length / 2)));
      res.write(text.slice(0, at));
      await sleep(this.ex.fault?.kind === 'slowBody' ? (this.ex.fault.delayMs ?? 2000) : 3);
      if (!this.closed) res.write(text.slice(at));
      this.lastWrite = Date.now();
    });
  }

  private keepAlive(): void {
    if (this.closed || this.ended) return;
    if (Date.now() - this.lastWrite >= this.options.pingMs) this.write(this.options.ping, false);
  }

  private onClosed(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    for (const handler of this.closeHandlers.splice(0)) handler();
  }
}
