// The run statuses of the contract, without zod: activation reads them (to decide whether runs
// in flight must be watched again) before any schema is loaded.

export const runStatuses = ['queued', 'running', 'waiting', 'stopping', 'succeeded', 'partial', 'failed', 'stopped'] as const;
export type RunStatus = (typeof runStatuses)[number];

const terminal: ReadonlySet<string> = new Set<RunStatus>(['succeeded', 'partial', 'failed', 'stopped']);

/** A run in one of these states will never change again: watching it stops. */
export function isTerminal(status: string): boolean {
  return terminal.has(status);
}

/** A run still moving that the extension can follow: not ended, and not one the platform will never report on. */
export function isFollowable(snapshot: { status: string; untracked?: string }): boolean {
  return !isTerminal(snapshot.status) && !snapshot.untracked;
}

/**
 * A platform's status word as the mappings compare it: case and surrounding spaces carry no
 * meaning ("Success", "SUCCESS " and "success" are one state). The word as sent stays for display.
 */
export function statusWord(word: string | null | undefined): string {
  return (word ?? '').trim().toLowerCase();
}
