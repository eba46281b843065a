import type { Lease } from './Lease.js';

/** A lease as this worker last saw it, and when (its clock) it last saw the lease change. */
export interface LeaseView {
  readonly lease: Lease;
  /** When this worker saw this counter/owner first: leases expire by the observer's clock, never by a clock of another worker. */
  readonly observedAt: number;
}

/** What `planTakes` decides from. */
export interface TakeInput {
  readonly workerId: string;
  readonly now: number;
  readonly failoverTimeMs: number;
  readonly maxLeasesToStealAtOneTime: number;
  /** Every unfinished lease of this worker's streams, as last seen. */
  readonly views: readonly LeaseView[];
  /** How many leases this worker holds now. */
  readonly heldCount: number;
  /** Whether this worker may read a lease now (parents finished). */
  readonly eligible: (lease: Lease) => boolean;
}

/** True when a lease has no owner, or its counter has not moved for a failover time (by the observer's clock). */
export const isExpired = (view: LeaseView, now: number, failoverTimeMs: number): boolean =>
  view.lease.leaseOwner === undefined || now - view.observedAt > failoverTimeMs;

const byKey = (a: LeaseView, b: LeaseView): number =>
  a.lease.leaseKey < b.lease.leaseKey ? -1 : a.lease.leaseKey > b.lease.leaseKey ? 1 : 0;

/**
 * Which leases to try to take in one round, as the KCL's `LeaseTaker`
 * decides: the target is an even share, `ceil(leases / workers)` (workers:
 * owners of unexpired leases, and this one). Below it, take free and expired
 * leases up to the target; when there are none, steal from the most loaded
 * worker if it holds more than the target (or the target while this one is
 * more than one short), at most `maxLeasesToStealAtOneTime` per round.
 * Pure: the same views give the same plan (by lease key, where the KCL
 * shuffles).
 */
export function planTakes(input: TakeInput): { readonly take: Lease[]; readonly steal: Lease[] } {
  const { workerId, now, failoverTimeMs, views, heldCount, eligible } = input;
  const counts = new Map<string, number>();
  const free: LeaseView[] = [];
  for (const view of views) {
    const owner = view.lease.leaseOwner;
    if (owner === workerId) continue;
    if (isExpired(view, now, failoverTimeMs)) {
      if (eligible(view.lease)) free.push(view);
    } else if (owner !== undefined) {
      counts.set(owner, (counts.get(owner) ?? 0) + 1);
    }
  }
  const workers = counts.size + 1;
  const target = Math.ceil(views.length / workers);
  const needed = target - heldCount;
  if (needed <= 0) return { take: [], steal: [] };
  if (free.length > 0) {
    return {
      take: free
        .sort(byKey)
        .slice(0, needed)
        .map((v) => v.lease),
      steal: [],
    };
  }
  let mostLoaded: string | undefined;
  let most = 0;
  for (const [owner, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (count > most) {
      most = count;
      mostLoaded = owner;
    }
  }
  if (mostLoaded === undefined) return { take: [], steal: [] };
  let toSteal = 0;
  if (most > target) toSteal = Math.min(needed, most - target);
  else if (most === target && needed > 1) toSteal = 1;
  toSteal = Math.min(toSteal, input.maxLeasesToStealAtOneTime);
  if (toSteal <= 0) return { take: [], steal: [] };
  const candidates = views
    .filter((v) => v.lease.leaseOwner === mostLoaded && eligible(v.lease))
    .sort(byKey);
  return { take: [], steal: candidates.slice(0, toSteal).map((v) => v.lease) };
}
