// Host-side helpers of the panel that need no VS Code: the HTML shell and the post throttle.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, createNonce, renderShell } from '../../src/webview/html';
import { Throttle, type ThrottleTimers } from '../../src/util/throttle';

describe('webview HTML shell', () => {
  const html = renderShell({
    cspSource: 'https://*.vscode-cdn.net',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/webview.css',
    nonce: 'abc123',
  });

  it('has a strict CSP: nothing by default, scripts by nonce only', () => {
    assert.equal(
      contentSecurityPolicy('https://*.vscode-cdn.net', 'abc123'),
      "default-src 'none'; style-src https://*.vscode-cdn.net; script-src 'nonce-abc123'; img-src https://*.vscode-cdn.net data:; font-src https://*.vscode-cdn.net",
    );
    assert.ok(html.includes(`content="default-src 'none'; style-src`));
    assert.ok(!html.includes('unsafe-inline'));
    assert.ok(!html.includes('unsafe-eval'));
  });

  it('loads exactly one script, with the nonce, and the stylesheet', () => {
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.ok(html.includes('<script nonce="abc123" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js"></script>'));
    assert.ok(html.includes('href="https://file+.vscode-resource.vscode-cdn.net/ext/media/webview.css"'));
    assert.ok(!/\sstyle=/.test(html), 'no inline style attributes');
  });

  it('makes a fresh nonce each time', () => {
    const nonces = new Set(Array.from({ length: 20 }, createNonce));
    assert.equal(nonces.size, 20);
    for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
  });
});

class FakeTimers implements ThrottleTimers {
  time = 0;
  private queue: Array<{ at: number; callback: () => void; id: number }> = [];
  private nextId = 1;
  now = (): number => this.time;
  setTimeout = (callback: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.queue.push({ at: this.time + ms, callback, id });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.queue = this.queue.filter((timer) => timer.id !== handle);
  };
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.queue.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.queue = this.queue.filter((timer) => timer !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = until;
  }
}

describe('post throttle', () => {
  it('posts the first change at once, then at most one per interval, and always the last', () => {
    const timers = new FakeTimers();
    const posts: number[] = [];
    let state = 0;
    const throttle = new Throttle(() => posts.push(state), 100, timers);
    state = 1;
    throttle.schedule();
    assert.deepEqual(posts, [1]);
    for (let i = 2; i <= 30; i += 1) {
      timers.advance(10);
      state = i;
      throttle.schedule();
    }
    // Changes every 10 ms for 290 ms: posts at 0, 100 and 200 ms (with the state then), and a
    // trailing one at 300 ms with the last state.
    timers.advance(1_000);
    assert.deepEqual(posts, [1, 10, 20, 30]);
  });

  it('posts the end of a burst once changes pause (16 ms), not at the interval end, and never 50 ms after the previous post or sooner', () => {
    const timers = new FakeTimers();
    const postedAt: number[] = [];
    const throttle = new Throttle(() => postedAt.push(timers.now()), 100, timers);
    throttle.schedule(); // posted at 0
    timers.advance(5);
    throttle.schedule(); // a short burst right after: the gap holds it to 50
    timers.advance(100);
    timers.advance(100); // quiet: the next change posts at once
    throttle.schedule();
    timers.advance(30);
    for (let i = 0; i < 5; i += 1) {
      throttle.schedule(); // a burst at 235–239 ms, then a pause
      timers.advance(1);
    }
    timers.advance(200);
    assert.deepEqual(postedAt, [0, 50, 205, 255]);
  });

  it('posts a change that comes after a pause at once, as the first one, once 50 ms have passed since the previous post', () => {
    const timers = new FakeTimers();
    const postedAt: number[] = [];
    const throttle = new Throttle(() => postedAt.push(timers.now()), 100, timers);
    throttle.schedule(); // posted at 0
    timers.advance(60);
    throttle.schedule(); // 60 ms of quiet, 60 ms since the post: at once (it used to wait 16 ms more)
    timers.advance(20);
    throttle.schedule(); // quiet again, but 20 ms after the post: held to the 50 ms gap
    timers.advance(200);
    // Changes 30 ms apart: each after a pause, so each is posted once the gap allows: never two
    // within 50 ms (at most 20 a second).
    for (let i = 0; i < 10; i += 1) {
      throttle.schedule();
      timers.advance(30);
    }
    timers.advance(500);
    assert.deepEqual(postedAt.slice(0, 4), [0, 60, 110, 280]);
    const gaps = postedAt.slice(1).map((at, i) => at - postedAt[i]!);
    assert.ok(gaps.every((gap) => gap >= 50), `gaps ${gaps.join(', ')}`);
  });

  it('flush posts now and cancels the pending one', () => {
    const timers = new FakeTimers();
    let posts = 0;
    const throttle = new Throttle(() => (posts += 1), 100, timers);
    throttle.schedule();
    throttle.schedule();
    throttle.flush();
    timers.advance(500);
    assert.equal(posts, 2);
  });

  it('posts nothing after dispose', () => {
    const timers = new FakeTimers();
    let posts = 0;
    const throttle = new Throttle(() => (posts += 1), 100, timers);
    throttle.schedule();
    throttle.schedule();
    throttle.dispose();
    timers.advance(500);
    assert.equal(posts, 1);
  });
});
