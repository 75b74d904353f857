// What every window must agree on, kept apart from the runs themselves:
// - removals: a tombstone per removed run and per removed connection, with the time of removal.
//   A copy of a run that some window first saw ("born") before that time is dead everywhere, so
//   another window's next write cannot bring back what "Clear Run History" or "Remove Connection"
//   took away; a run opened again later is born again and lives.
// - leases: which window follows which run, until when. The holder renews while it watches; once
//   it lapses (window closed) another window takes over.
// Both merge by union/maximum, so a write lost to a race between two windows is restored by the
// next write of either.

export interface Removals {
  runs: Record<string, number>;
  connections: Record<string, number>;
}

export interface Lease {
  owner: string;
  until: number;
}
export type Leases = Record<string, Lease>;

/** Tombstones older than this are dropped: no window keeps a copy that long without syncing. */
const tombstoneLifetimeMs = 30 * 24 * 3600_000;
/** And at most this many are kept (the newest), so the removals file stays small. */
const maxTombstones = 20_000;

export function emptyRemovals(): Removals {
  return { runs: {}, connections: {} };
}

export function parseRemovals(text: string | undefined): Removals {
  const parsed = parseObject(text);
  return { runs: numberRecord(parsed?.runs), connections: numberRecord(parsed?.connections) };
}

export function mergeRemovals(into: Removals, from: Removals): boolean {
  let changed = false;
  for (const part of ['runs', 'connections'] as const) {
    for (const [key, at] of Object.entries(from[part])) {
      if ((into[part][key] ?? -1) < at) {
        into[part][key] = at;
        changed = true;
      }
    }
  }
  return changed;
}

export function pruneRemovals(removals: Removals, now: number): void {
  const entries = Object.entries(removals.runs).filter(([, at]) => now - at < tombstoneLifetimeMs);
  entries.sort((a, b) => b[1] - a[1]);
  removals.runs = Object.fromEntries(entries.slice(0, maxTombstones));
}

/** A copy of a run born at `bornAt` is dead when it was removed, or its connection was, after that. */
export function isRemoved(removals: Removals, key: string, connection: string, bornAt: number): boolean {
  return (removals.runs[key] ?? -Infinity) >= bornAt || (removals.connections[connection] ?? -Infinity) >= bornAt;
}

export function parseLeases(text: string | undefined): Leases {
  const parsed = parseObject(text);
  const leases: Leases = {};
  for (const [key, value] of Object.entries(parsed ?? {})) {
    const lease = value as Partial<Lease> | null;
    if (typeof lease?.owner === 'string' && typeof lease.until === 'number') leases[key] = { owner: lease.owner, until: lease.until };
  }
  return leases;
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function numberRecord(value: unknown): Record<string, number> {
  const result: Record<string, number> = {};
  if (typeof value !== 'object' || value === null) return result;
  for (const [key, at] of Object.entries(value)) if (typeof at === 'number') result[key] = at;
  return result;
}
