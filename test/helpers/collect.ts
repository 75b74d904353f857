// Draining a stream (snapshots, SSE events) into an array, for tests that check the whole sequence.

/** Every item `iterable` yields, in order; none when it is absent (a run without live updates). */
export async function collect<T>(iterable: AsyncIterable<T> | undefined): Promise<T[]> {
  const items: T[] = [];
  if (!iterable) return items;
  for await (const item of iterable) items.push(item);
  return items;
}
