import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { WorkflowRunsError } from '../../src/client/errors';
import { readSseBatches } from '../../src/client/sse';
import type { SseEvent } from '../../src/client/types';
import { collect, readSse } from '../helpers/collect';

const encoder = new TextEncoder();

/** A body that yields the given chunks, optionally failing or hanging after them. */
async function* chunks(parts: Array<string | Uint8Array>, end: 'close' | Error | 'hang' = 'close'): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    await new Promise((resolve) => setImmediate(resolve));
    yield typeof part === 'string' ? encoder.encode(part) : part;
  }
  if (end instanceof Error) throw end;
  if (end === 'hang') await new Promise(() => undefined);
}

describe('readSse', () => {
  it('parses events with CRLF line endings, ids and the default event name', async () => {
    const events = await collect(readSse(chunks(['event: a\r\ndata: {"x":1}\r\nid: 7\r\n\r\ndata: plain\r\n\r\n']), { endpoint: 'GET /s' }));
    assert.deepEqual(events, [
      { event: 'a', data: '{"x":1}', id: '7' },
      { event: 'message', data: 'plain' },
    ]);
  });

  it('joins events split mid-line and mid-character across chunks', async () => {
    const bytes = encoder.encode('data: {"text":"héllo €"}\n\n');
    const euro = bytes.indexOf(0xe2);
    const parts = [bytes.slice(0, 5), bytes.slice(5, 14), bytes.slice(14, euro + 1), bytes.slice(euro + 1, euro + 2), bytes.slice(euro + 2)];
    const events = await collect(readSse(chunks(parts), { endpoint: 'GET /s' }));
    assert.deepEqual(events, [{ event: 'message', data: '{"text":"héllo €"}' }]);
  });

  it('skips comments and data-less pings (as the SSE spec says) and yields unknown events as they are', async () => {
    const events = await collect(readSse(chunks([': keep-alive\n\nevent: ping\n\nevent: brand_new_thing\ndata: {}\n\n']), { endpoint: 'GET /s' }));
    assert.deepEqual(events, [{ event: 'brand_new_thing', data: '{}' }]);
  });

  it('counts pings as life: a pinging stream does not go idle', async () => {
    async function* pinging(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 6; i++) {
        await new Promise((resolve) => setTimeout(resolve, 30));
        yield encoder.encode('event: ping\n\n');
      }
      yield encoder.encode('data: done\n\n');
    }
    const events = await collect(readSse(pinging(), { endpoint: 'GET /s', idleTimeoutMs: 100 }));
    assert.deepEqual(events, [{ event: 'message', data: 'done' }]);
  });

  it('joins multi-line data with newlines', async () => {
    const events = await collect(readSse(chunks(['data: line one\ndata: line two\n\n']), { endpoint: 'GET /s' }));
    assert.deepEqual(events, [{ event: 'message', data: 'line one\nline two' }]);
  });

  it('ends quietly on a truncated stream, dropping the unterminated event', async () => {
    const events = await collect(readSse(chunks(['data: complete\n\ndata: {"half":']), { endpoint: 'GET /s' }));
    assert.deepEqual(events, [{ event: 'message', data: 'complete' }]);
  });

  it('delivers a last event ended by a blank line in any line ending (a lone CR at the end included)', async () => {
    for (const [ending, text] of [
      ['CR', 'data: a\r\rdata: b\r\r'],
      ['LF', 'data: a\n\ndata: b\n\n'],
      ['CRLF', 'data: a\r\n\r\ndata: b\r\n\r\n'],
      ['CRLF then CR', 'data: a\r\n\r\ndata: b\r\n\r'],
    ]) {
      // Split too, so the last CR comes alone in a chunk of its own.
      for (const parts of [[text], [text.slice(0, -1), text.slice(-1)]]) {
        const events = await collect(readSse(chunks(parts), { endpoint: 'GET /s' }));
        assert.deepEqual(events.map((event) => event.data), ['a', 'b'], `${ending}, ${parts.length} chunk(s)`);
      }
    }
  });

  it('still drops a last event without its blank line, whatever the line ending', async () => {
    for (const tail of ['data: b', 'data: b\r', 'data: b\n', 'data: b\r\n']) {
      const events = await collect(readSse(chunks(['data: a\r\r', tail]), { endpoint: 'GET /s' }));
      assert.deepEqual(events.map((event) => event.data), ['a'], JSON.stringify(tail));
    }
  });

  it('reports a socket error mid-stream as a cut stream', async () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const seen: SseEvent[] = [];
    await assert.rejects(
      async () => {
        for await (const event of readSse(chunks(['data: one\n\n'], reset), { endpoint: 'GET /runs/1/stream' })) seen.push(event);
      },
      (error: unknown) => {
        assert.ok(error instanceof WorkflowRunsError);
        assert.equal(error.kind, 'stream');
        assert.match(error.message, /GET \/runs\/1\/stream: the stream was cut/);
        return true;
      },
    );
    assert.equal(seen.length, 1, 'events before the cut are delivered');
  });

  it('gives up on an idle stream and releases it', async () => {
    let cancelled = false;
    const started = Date.now();
    await assert.rejects(
      collect(readSse(chunks(['data: one\n\n'], 'hang'), { endpoint: 'GET /s', idleTimeoutMs: 80, cancel: () => (cancelled = true) })),
      (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'stream' && /went silent/.test(error.message),
    );
    assert.ok(Date.now() - started < 2000);
    assert.equal(cancelled, true);
  });

  it('stops with kind aborted when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(
      collect(readSse(chunks([], 'hang'), { endpoint: 'GET /s', signal: controller.signal })),
      (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'aborted',
    );
  });
});

describe('readSseBatches', () => {
  it('hands out the events each chunk completed as one batch, as soon as the chunk came', async () => {
    const batches = readSseBatches(chunks(['data: a\n\nevent: ping\n\ndata: b\n\ndata: c', '\n\n: keep-alive\n\n', ': nothing new\n\n', 'data: d\n\n'], 'hang'), { endpoint: 'GET /s' });
    const next = async () => ((await batches.next()).value as readonly SseEvent[]).map((event) => event.data);
    assert.deepEqual(await next(), ['a', 'b']);
    // A chunk that completes no event (a comment, a ping) yields no batch of its own.
    assert.deepEqual(await next(), ['c']);
    assert.deepEqual(await next(), ['d'], 'not held back while the stream stays open');
    await batches.return(undefined);
  });

  it('delivers a last event ended by a lone CR at the end of the stream in a last batch', async () => {
    const batches = await collect(readSseBatches(chunks(['data: a\r\rdata: b\r', '\r']), { endpoint: 'GET /s' }));
    assert.deepEqual(batches.map((batch) => batch.map((event) => event.data)), [['a'], ['b']]);
  });

  it('releases the stream when the reader stops after a batch', async () => {
    let cancelled = 0;
    for await (const batch of readSseBatches(chunks(['data: one\n\ndata: two\n\n', 'data: three\n\n'], 'hang'), { endpoint: 'GET /s', cancel: () => (cancelled += 1) })) {
      assert.equal(batch.length, 2);
      break;
    }
    assert.equal(cancelled, 1);
  });

  it('refuses an event larger than the limit, however the batch around it', async () => {
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const batch of readSseBatches(chunks(['data: small\n\n', `data: ${'x'.repeat(500)}`, 'x\n\n']), { endpoint: 'GET /s', maxEventChars: 100 })) seen.push(...batch.map((event) => event.data));
      })(),
      (error: unknown) => error instanceof WorkflowRunsError && error.kind === 'stream' && /larger than/.test(error.message),
    );
    assert.deepEqual(seen, ['small']);
  });
});
