// What this window shares with the other windows of VS Code, read and written through the
// persistence's shared files (formats and merge rules: shared.ts): removal tombstones, which win
// in every window, and leases, which say which window follows which run.
import type { HistoryPersistence } from './persistence';
import { emptyRemovals, isRemoved, mergeRemovals, parseLeases, parseRemovals, pruneRemovals, type Removals } from './shared';

export class WindowsState {
  private removals: Removals = emptyRemovals();
  private removalsDirty = false;

  constructor(
    private readonly persistence: HistoryPersistence,
    readonly windowId: string,
    /** How long a lease on a run lasts unless renewed. */
    private readonly leaseMs: number,
  ) {}

  // ---- removals -------------------------------------------------------------------------

  /** Takes the stored removals as they are (at load). */
  loadRemovals(): void {
    this.removals = parseRemovals(this.persistence.readShared('removals'));
  }

  /** Takes in removals other windows stored: true when any of them is new here. */
  syncRemovals(): boolean {
    return mergeRemovals(this.removals, parseRemovals(this.persistence.readShared('removals')));
  }

  /** The removals as stored now, without taking them in. */
  storedRemovals(): Removals {
    return parseRemovals(this.persistence.readShared('removals'));
  }

  isRemoved(key: string, connection: string, bornAt: number): boolean {
    return isRemoved(this.removals, key, connection, bornAt);
  }

  removeRun(key: string, at: number): void {
    this.removals.runs[key] = at;
    this.removalsDirty = true;
  }

  removeConnection(connection: string, at: number): void {
    this.removals.connections[connection] = at;
    this.removalsDirty = true;
  }

  /** Writes the removals made here, merged with what other windows stored meanwhile. */
  writeRemovals(now: number): void {
    if (!this.removalsDirty) return;
    mergeRemovals(this.removals, parseRemovals(this.persistence.readShared('removals')));
    pruneRemovals(this.removals, now);
    this.persistence.writeShared('removals', JSON.stringify(this.removals));
    this.removalsDirty = false;
  }

  // ---- leases ---------------------------------------------------------------------------

  /** True when this window holds the lease on the run now (nobody else held a live one). */
  acquireLease(key: string, now: number): boolean {
    const leases = parseLeases(this.persistence.readShared('leases'));
    const current = leases[key];
    if (current && current.owner !== this.windowId && current.until > now) return false;
    for (const [other, lease] of Object.entries(leases)) if (lease.until <= now) delete leases[other];
    leases[key] = { owner: this.windowId, until: now + this.leaseMs };
    this.persistence.writeShared('leases', JSON.stringify(leases));
    return true;
  }

  releaseLease(key: string): void {
    const leases = parseLeases(this.persistence.readShared('leases'));
    if (leases[key]?.owner !== this.windowId) return;
    delete leases[key];
    this.persistence.writeShared('leases', JSON.stringify(leases));
  }

  /** At dispose: another window takes over this one's runs at once, not when the leases lapse. */
  releaseAllLeases(): void {
    const leases = parseLeases(this.persistence.readShared('leases'));
    const mine = Object.keys(leases).filter((key) => leases[key]!.owner === this.windowId);
    if (mine.length === 0) return;
    for (const key of mine) delete leases[key];
    this.persistence.writeShared('leases', JSON.stringify(leases));
  }

  /** The window holding a live lease on the run, if any. */
  leaseHolder(key: string, now: number): string | undefined {
    const lease = parseLeases(this.persistence.readShared('leases'))[key];
    return lease && lease.until > now ? lease.owner : undefined;
  }

  /** How often a holder renews its lease: well before it lapses. */
  get leaseRenewMs(): number {
    return Math.max(1, Math.floor(this.leaseMs / 3));
  }
}
