// The heap as the figures that report memory read it: after a full collection, so what is counted
// is what is still held, not garbage waiting for the collector.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** A full garbage collection, without starting Node with --expose-gc. */
export function gc(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** Bytes of heap in use right after a full collection. */
export function heapAfterGc(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** Bytes as megabytes with one decimal, for notes. */
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
