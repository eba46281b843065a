import type { Lease } from './Lease.js';

/** A lease as this worker last saw it, and when (its clock) it last saw the lease change. */
export interface LeaseView {
  readonly lease: Lease;
  /** When this worker saw this counter/owner first: leases expire by the observer's clock, never by a clock of another worker. */
  readonly observedAt: number;
  /** When this worker last read the lease (its last scan, or its own write): unchanged from `observedAt` to here. Default `observedAt`. */
  readonly seenAt?: number;
}

/** What `planTakes` decides from. */
export interface TakeInput {
  readonly workerId: string;
  readonly now: number;
  readonly failoverTimeMs: number;
  readonly maxLeasesToStealAtOneTime: number;
  /** Every unfinished lease of this worker's streams, as last seen. */
  readonly views: readonly LeaseView[];
  /** How many leases this worker holds now (counted only where `views` agree it is the owner). */
  readonly heldCount: number;
  /** Whether this worker may read a lease now (parents finished). */
  readonly eligible: (lease: Lease) => boolean;
  /** Uniform in [0, 1): picks which free leases to take and which to steal. Default `Math.random`. */
  readonly random?: () => number;
  /**
   * A lease of another worker that a later read saw unchanged for this long looks abandoned (its
   * owner missed a renewal): no steals from another worker while one does, it is about to expire
   * (see `looksAbandoned`).
   * The renewal interval; default: never (steal whenever nothing is free).
   */
  readonly abandonedAfterMs?: number;
}

/** True when a lease has no owner, or its counter has not moved for a failover time (by the observer's clock). */
export const isExpired = (view: LeaseView, now: number, failoverTimeMs: number): boolean =>
  view.lease.leaseOwner === undefined || now - view.observedAt >= failoverTimeMs;

/** When a lease of another worker expires by this observer's clock, unless its counter moves first. */
export const expiresAt = (view: LeaseView, failoverTimeMs: number): number =>
  view.observedAt + failoverTimeMs;

/**
 * True when a lease of another worker, not yet expired, was seen unchanged by a read at least
 * `abandonedAfterMs` after its counter last moved: its owner missed a renewal and it is likely to
 * expire. A steal meanwhile is counted twice until the victim's next renewal (the thief's and,
 * by the victim, its own): when the suspect lease then expires, every worker may count itself at
 * the even share and leave it to nobody until that renewal, past failover + one renewal period.
 */
const looksAbandoned = (
  view: LeaseView,
  now: number,
  failoverTimeMs: number,
  abandonedAfterMs: number,
): boolean =>
  view.lease.leaseOwner !== undefined &&
  view.seenAt !== undefined &&
  view.seenAt > view.observedAt &&
  view.seenAt - view.observedAt >= abandonedAfterMs &&
  !isExpired(view, now, failoverTimeMs);

/** The first `count` of `items` in a random order (a partial Fisher-Yates shuffle of a copy). */
function pickRandom<T>(items: readonly T[], count: number, random: () => number): T[] {
  const copy = [...items];
  const n = Math.min(count, copy.length);
  for (let i = 0; i < n; i += 1) {
    const j = i + Math.floor(random() * (copy.length - i));
    const swap = copy[i] as T;
    copy[i] = copy[j] as T;
    copy[j] = swap;
  }
  return copy.slice(0, n);
}

/**
 * Which leases to try to take in one round, as the KCL's `DynamoDBLeaseTaker`
 * decides: the target is an even share, `ceil(leases / workers)` (workers:
 * owners of unexpired leases, and this one). Below it, take free and expired
 * leases up to the target, picked at random (so workers starting together
 * do not all go for the same leases); when there are none, steal from the
 * most loaded worker if it holds more than the target (or the target while
 * this one is more than one short), at most `maxLeasesToStealAtOneTime` per
 * round, picked at random among its leases.
 *
 * ## Example
 * ```ts
 * import { planTakes } from 'rx-kinesis';
 * const plan = planTakes({
 *   workerId: 'w1', now: Date.now(), failoverTimeMs: 10_000, maxLeasesToStealAtOneTime: 1,
 *   views: [], heldCount: 0, eligible: () => true,
 * });
 * console.log(plan.take.length, plan.steal.length);
 * ```
 *
 * @param input this worker, the clock, the lease views and its held count
 * @returns the leases to take (free or expired) and to steal
 */
export function planTakes(input: TakeInput): { readonly take: Lease[]; readonly steal: Lease[] } {
  const { workerId, now, failoverTimeMs, views, heldCount, eligible } = input;
  const random = input.random ?? Math.random;
  const counts = new Map<string, number>();
  const free: LeaseView[] = [];
  let own = 0;
  // Owners of leases that look abandoned (see `looksAbandoned`).
  const silent = new Set<string>();
  const abandonedAfterMs = input.abandonedAfterMs ?? Number.POSITIVE_INFINITY;
  for (const view of views) {
    const owner = view.lease.leaseOwner;
    if (owner === workerId) {
      own += 1;
      continue;
    }
    if (isExpired(view, now, failoverTimeMs)) {
      if (eligible(view.lease)) free.push(view);
    } else if (owner !== undefined) {
      counts.set(owner, (counts.get(owner) ?? 0) + 1);
      if (eligible(view.lease) && looksAbandoned(view, now, failoverTimeMs, abandonedAfterMs))
        silent.add(owner);
    }
  }
  const workers = counts.size + 1;
  const target = Math.ceil(views.length / workers);
  // A lease stolen from this worker is the thief's in the table before this worker's renewal
  // finds out: counting it on both sides would leave an expired lease untaken by everyone.
  const needed = target - Math.min(heldCount, own);
  if (needed <= 0) return { take: [], steal: [] };
  if (free.length > 0) {
    return { take: pickRandom(free, needed, random).map((v) => v.lease), steal: [] };
  }
  let mostLoaded: string | undefined;
  let most = 0;
  for (const [owner, count] of counts) {
    if (count > most || (count === most && mostLoaded !== undefined && owner < mostLoaded)) {
      most = count;
      mostLoaded = owner;
    }
  }
  if (mostLoaded === undefined) return { take: [], steal: [] };
  // As the KCL steals only when nothing expired is left to take, this one waits too while a
  // lease looks abandoned: it is taken at its expiry, and a steal from a live worker now would
  // still be counted by its victim then (see `looksAbandoned`). A silent owner has no count.
  if (silent.size > 0 && !silent.has(mostLoaded)) return { take: [], steal: [] };
  let toSteal = 0;
  if (most > target) toSteal = Math.min(needed, most - target);
  else if (most === target && needed > 1) toSteal = 1;
  toSteal = Math.min(toSteal, input.maxLeasesToStealAtOneTime);
  if (toSteal <= 0) return { take: [], steal: [] };
  const candidates = views.filter((v) => v.lease.leaseOwner === mostLoaded && eligible(v.lease));
  return { take: [], steal: pickRandom(candidates, toSteal, random).map((v) => v.lease) };
}
