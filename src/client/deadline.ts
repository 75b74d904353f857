// How long one attempt of a request may take. An answer is awaited for the request timeout (the
// user's setting); a request that uploads a body must first send it, and on a slow link a 3 MB
// file alone takes longer than the timeout: it then timed out every time it was sent. So an upload
// gets the timeout plus the time its body takes at a slow but real rate, within a ceiling.
export const uploadPace = {
  /** The slowest rate an upload is allowed to go at before it counts as stuck. */
  minBytesPerSecond: 64 * 1024,
  /** The most an upload's size adds: 100 MB (the largest upload read, localFiles.ts) at that rate fits. */
  maxExtraMs: 30 * 60_000,
} as const;

/** The deadline of one attempt: `timeoutMs`, plus the time `uploadBytes` take at the slowest rate allowed. */
export function attemptDeadlineMs(timeoutMs: number, uploadBytes: number | undefined): number {
  if (!uploadBytes || uploadBytes <= 0) return timeoutMs;
  return timeoutMs + Math.min(uploadPace.maxExtraMs, Math.ceil((uploadBytes * 1000) / uploadPace.minBytesPerSecond));
}
