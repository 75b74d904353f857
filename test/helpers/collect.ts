// Draining a stream (snapshots, SSE events) into an array, for tests that check the whole sequence.
import { readSseBatches, type SseReadOptions } from '../../src/client/sse';
import type { SseEvent } from '../../src/client/types';

/** Every item `iterable` yields, in order; none when it is absent (a run without live updates). */
export async function collect<T>(iterable: AsyncIterable<T> | undefined): Promise<T[]> {
  const items: T[] = [];
  if (!iterable) return items;
  for await (const item of iterable) items.push(item);
  return items;
}

/**
 * The events of an SSE body one at a time (readSseBatches hands them out a chunk's worth at a
 * time): for tests about the events themselves, whatever chunks carried them.
 */
export async function* readSse(body: AsyncIterable<Uint8Array | string>, options: SseReadOptions): AsyncGenerator<SseEvent> {
  for await (const events of readSseBatches(body, options)) {
    for (const event of events) yield event;
  }
}
