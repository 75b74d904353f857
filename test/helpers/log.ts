// Loggers for tests and benchmarks: one that drops everything, one that keeps the lines.
import type { ProviderLogger } from '../../src/providers/provider';

export const silentLog: ProviderLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** A logger whose lines (every level) land in `lines`, for checks such as "no secret was logged". */
export function recordingLog(): { log: ProviderLogger; lines: string[] } {
  const lines: string[] = [];
  const keep = (message: string) => void lines.push(message);
  return { log: { trace: keep, debug: keep, info: keep, warn: keep, error: keep }, lines };
}
