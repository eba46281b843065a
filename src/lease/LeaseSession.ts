import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  BehaviorSubject,
  EMPTY,
  type Observable,
  type SchedulerLike,
  catchError,
  concat,
  defer,
  from,
  concatMap,
  ignoreElements,
  map,
  mergeMap,
  of,
  takeWhile,
  tap,
  toArray,
} from 'rxjs';
import type { PinnedStart } from '../checkpoint/CheckpointState.js';
import type { DiscoveredShard } from '../source/DiscoveredShard.js';
import type { StartPosition } from '../source/StartPosition.js';
import { KeyedQueue } from './KeyedQueue.js';
import {
  LEASE_ATTRIBUTES as A,
  type Lease,
  isSequenceNumber,
  isShardEnd,
  sentinelOf,
} from './Lease.js';
import type { LeaseTable } from './LeaseTable.js';
import { type LeaseView, expiresAt, isExpired, planTakes } from './planTakes.js';

/** Where a shard's reading stands, as the lease table says. */
export type LeaseStatus = 'held' | 'waiting' | 'finished';

/** The settings a session runs with. */
export interface LeaseSessionSettings {
  readonly workerId: string;
  readonly failoverTimeMs: number;
  readonly renewalIntervalMs: number;
  readonly maxLeasesToStealAtOneTime: number;
  /** Uniform in [0, 1): which free leases to take and which to steal. */
  readonly random: () => number;
}

/** What outlives one session: what this worker last wrote, and what it released. */
export interface LeaseMemory {
  /** Per lease key, the checkpoint text last written or taken over (`seq/sub` or `SHARD_END`). */
  readonly written: Map<string, string>;
  /** Per lease key released by a graceful stop, the counter it was left at. */
  readonly released: Map<string, number>;
}

interface Held {
  lease: Lease;
  renewedAt: number;
}

/**
 * True when a scan after the counter last changed saw it unchanged: only
 * then is there evidence of silence. A lease seen changing at the last scan
 * is not expired between scans, however long they are apart (with a scan
 * interval above the failover time, it expires at a scan, as in the KCL).
 */
const isConfirmedSilent = (view: LeaseView): boolean =>
  view.seenAt !== undefined && view.seenAt > view.observedAt;

/** The checkpoint text we compare to know whether a position changed. */
export const checkpointText = (
  lease: Pick<Lease, 'checkpoint' | 'checkpointSubSequenceNumber'>,
): string =>
  isSequenceNumber(lease.checkpoint)
    ? `${lease.checkpoint}/${lease.checkpointSubSequenceNumber}`
    : lease.checkpoint;

const N = (n: number): AttributeValue => ({ N: String(n) });
const S = (s: string): AttributeValue => ({ S: s });

/**
 * One worker's lease loop over one reading (one subscription of the lease
 * operator): the lease views, the held leases, each shard's status, and
 * every write, serialized per lease.
 */
export class LeaseSession {
  private readonly views = new Map<string, LeaseView>();
  private readonly held = new Map<string, Held>();
  private readonly statuses = new Map<string, BehaviorSubject<LeaseStatus>>();
  private readonly discovered = new Map<string, DiscoveredShard>();
  private readonly created = new Set<string>();
  private readonly emitted = new Set<string>();
  private readonly queue = new KeyedQueue();
  private scanned = false;
  private contended = false;

  constructor(
    readonly table: LeaseTable,
    private readonly settings: LeaseSessionSettings,
    private readonly memory: LeaseMemory,
    readonly streams: readonly string[],
    private readonly starts: Readonly<Record<string, PinnedStart>>,
    private readonly scheduler: SchedulerLike,
    private readonly emit: (shard: DiscoveredShard) => void,
    private readonly wake: () => void,
    private readonly lost: (key: string) => void,
  ) {}

  /** The lease key of a shard: the bare shard id for one stream (as a KCL application), else `stream:shardId`. */
  keyOf(stream: string, shardId: string): string {
    return this.streams.length === 1 ? shardId : `${stream}:${shardId}`;
  }

  /** The stream and shard id of a lease, or `undefined` when it is not one of this reading's streams. */
  shardOf(lease: Lease): { stream: string; shardId: string } | undefined {
    if (this.streams.length === 1) {
      const stream = this.streams[0] as string;
      if (lease.stream !== undefined && lease.stream !== stream) return undefined;
      return { stream, shardId: lease.leaseKey };
    }
    const cut = lease.leaseKey.indexOf(':');
    if (cut < 0) return undefined;
    const stream = lease.leaseKey.slice(0, cut);
    if (!this.streams.includes(stream)) return undefined;
    return { stream, shardId: lease.leaseKey.slice(cut + 1) };
  }

  heldLeases(): ReadonlyArray<{ key: string; lease: Lease }> {
    return [...this.held].map(([key, h]) => ({ key, lease: h.lease }));
  }

  isHeld(key: string): boolean {
    return this.held.has(key);
  }

  heldCounter(key: string): number | undefined {
    return this.held.get(key)?.lease.leaseCounter;
  }

  statusOf(key: string): BehaviorSubject<LeaseStatus> {
    let status = this.statuses.get(key);
    if (status === undefined) {
      status = new BehaviorSubject<LeaseStatus>(this.held.has(key) ? 'held' : 'waiting');
      this.statuses.set(key, status);
    }
    return status;
  }

  private setStatus(key: string, status: LeaseStatus): void {
    const subject = this.statuses.get(key);
    if (subject !== undefined && subject.value !== status) subject.next(status);
  }

  /** A discovered shard: its lease is created at the next round unless the table has it. */
  offer(shard: DiscoveredShard): void {
    const key = this.keyOf(shard.stream, shard.shardId);
    if (this.discovered.has(key)) return;
    this.discovered.set(key, shard);
    this.wake();
  }

  /** Where a held shard's reading starts: after the lease's checkpoint, or at its pinned start. */
  startOf(key: string, fallback: StartPosition): StartPosition {
    const lease = this.held.get(key)?.lease;
    if (lease === undefined) return fallback;
    if (isSequenceNumber(lease.checkpoint)) {
      return {
        type: 'AT_SEQUENCE_NUMBER',
        sequenceNumber: lease.checkpoint,
        afterSubSequenceNumber: lease.checkpointSubSequenceNumber,
      };
    }
    const pinned = lease.pinnedStart;
    if (pinned !== undefined) {
      return pinned === 'TRIM_HORIZON'
        ? { type: 'TRIM_HORIZON' }
        : { type: 'AT_TIMESTAMP', timestamp: new Date(pinned.atTimestamp) };
    }
    // A KCL row: TRIM_HORIZON is itself; LATEST / AT_TIMESTAMP mean this reading's pinned start.
    return lease.checkpoint === 'TRIM_HORIZON' ? { type: 'TRIM_HORIZON' } : fallback;
  }

  private lose(key: string): void {
    if (!this.held.delete(key)) return;
    this.setStatus(key, 'waiting');
    this.lost(key);
  }

  /**
   * Drops, by this worker's clock, every held lease it could not renew for
   * so long that it may expire before the next check (a failover time less
   * one renewal interval): its reader stops before another worker may take
   * it, even while a round is stuck in retries. Called by the timer, not by
   * the round.
   */
  dropStale(): void {
    const now = this.scheduler.now();
    const { failoverTimeMs, renewalIntervalMs } = this.settings;
    for (const [key, held] of [...this.held]) {
      if (now - held.renewedAt + renewalIntervalMs > failoverTimeMs) this.lose(key);
    }
  }

  /**
   * A scan round: scans the table, creates missing leases, takes free and
   * expired ones up to an even share and steals (at most
   * `maxLeasesToStealAtOneTime`). Runs every scan interval, and once more
   * at once after a take lost a race (see `contendedTake`).
   */
  scanRound(): Observable<never> {
    this.contended = false;
    return concat(
      this.scan(),
      defer(() => this.createMissing()),
      defer(() => this.takeSome(true)),
    ).pipe(ignoreElements());
  }

  /**
   * A take round without a scan: creates the leases of newly offered shards
   * and takes free and expired leases from the views of the last scan.
   * Runs when shards are offered and at the moment the earliest lease of
   * another worker expires by this worker's clock (`nextExpiry`), so a dead
   * worker's leases are taken a failover time after this worker first saw
   * their last counter, not at a later round.
   */
  takeRound(): Observable<never> {
    this.contended = false;
    return concat(
      defer(() => this.createMissing()),
      defer(() => this.takeSome(false)),
    ).pipe(ignoreElements());
  }

  /** True when a take of the last round found the lease changed since the scan: the views are stale, scan again. */
  contendedTake(): boolean {
    return this.contended;
  }

  /**
   * When the earliest lease of another worker expires by this worker's
   * clock (a failover time after it first saw its counter), unless its
   * counter moves first; `undefined` when no such lease could be taken.
   */
  nextExpiry(): number | undefined {
    const now = this.scheduler.now();
    const { workerId, failoverTimeMs } = this.settings;
    let earliest: number | undefined;
    for (const view of this.views.values()) {
      const owner = view.lease.leaseOwner;
      if (owner === undefined || owner === workerId || isShardEnd(view.lease)) continue;
      if (!isConfirmedSilent(view) || isExpired(view, now, failoverTimeMs)) continue;
      const at = expiresAt(view, failoverTimeMs);
      if (earliest === undefined || at < earliest) earliest = at;
    }
    return earliest;
  }

  /** Renews every held lease (a conditional `leaseCounter` update each), unless written within the last half interval. */
  renew(): Observable<never> {
    return this.renewAll().pipe(ignoreElements());
  }

  private renewAll(): Observable<unknown> {
    const keys = [...this.held.keys()];
    if (keys.length === 0) return EMPTY;
    return from(keys).pipe(
      mergeMap((key) =>
        this.queue.run(key, () => {
          const held = this.held.get(key);
          if (held === undefined) return EMPTY;
          // A write within the last half interval (take, checkpoint) moved the counter already.
          if (this.scheduler.now() - held.renewedAt < this.settings.renewalIntervalMs / 2)
            return EMPTY;
          const { leaseCounter } = held.lease;
          return this.table
            .update(
              key,
              { counter: leaseCounter, owner: this.settings.workerId },
              { [A.leaseCounter]: N(leaseCounter + 1) },
            )
            .pipe(
              tap((lease) => {
                if (lease === undefined) this.lose(key);
                else if (this.held.has(key)) {
                  this.held.set(key, { lease, renewedAt: this.scheduler.now() });
                }
              }),
              // Not renewed (DynamoDB unreachable past the retries): the lease is lost
              // by this worker's clock once a failover time passed, as the KCL's renewer does.
              catchError(() => {
                const now = this.scheduler.now();
                const current = this.held.get(key);
                if (
                  current !== undefined &&
                  now - current.renewedAt >= this.settings.failoverTimeMs
                ) {
                  this.lose(key);
                }
                return EMPTY;
              }),
            );
        }),
      ),
    );
  }

  private scan(): Observable<unknown> {
    return this.table.scan(false).pipe(
      tap((leases) => {
        const now = this.scheduler.now();
        const seen = new Set<string>();
        for (const lease of leases) {
          if (this.shardOf(lease) === undefined) continue;
          const key = lease.leaseKey;
          seen.add(key);
          const previous = this.views.get(key);
          // Counters only grow: a lower one is a stale read (scans are eventually consistent, as the KCL's).
          if (previous !== undefined && lease.leaseCounter < previous.lease.leaseCounter) continue;
          const held = this.held.get(key);
          if (held !== undefined && lease.leaseCounter < held.lease.leaseCounter) continue;
          const changed =
            previous === undefined ||
            previous.lease.leaseCounter !== lease.leaseCounter ||
            previous.lease.leaseOwner !== lease.leaseOwner;
          this.views.set(key, {
            lease,
            observedAt: changed ? now : previous.observedAt,
            seenAt: now,
          });
          if (held !== undefined) {
            if (lease.leaseOwner !== this.settings.workerId) this.lose(key);
            else if (lease.leaseCounter > held.lease.leaseCounter) held.lease = lease;
          }
          if (isShardEnd(lease)) {
            // finished: never held again, whoever wrote SHARD_END
            this.held.delete(key);
            this.memory.written.set(key, 'SHARD_END');
            this.setStatus(key, 'finished');
          }
        }
        for (const key of [...this.views.keys()]) if (!seen.has(key)) this.views.delete(key);
        this.scanned = true;
      }),
    );
  }

  private newLease(shard: DiscoveredShard): Lease {
    const pinned = this.starts[shard.stream] ?? 'TRIM_HORIZON';
    return {
      leaseKey: this.keyOf(shard.stream, shard.shardId),
      leaseCounter: 0,
      checkpoint: sentinelOf(pinned),
      checkpointSubSequenceNumber: 0,
      ownerSwitchesSinceCheckpoint: 0,
      parentShardIds: shard.parentShardIds,
      startingHashKey: shard.hashKeyRange.startingHashKey,
      endingHashKey: shard.hashKeyRange.endingHashKey,
      stream: shard.stream,
      pinnedStart: pinned,
    };
  }

  /** Creates the lease of a shard unless known (a conditional put: once per shard, whoever comes first). */
  private ensure(shard: DiscoveredShard): Observable<unknown> {
    const key = this.keyOf(shard.stream, shard.shardId);
    if (this.views.has(key) || this.created.has(key)) return EMPTY;
    this.created.add(key);
    const lease = this.newLease(shard);
    return this.table.create(lease).pipe(
      tap((made) => {
        if (made && !this.views.has(key)) {
          this.views.set(key, {
            lease,
            observedAt: this.scheduler.now(),
            seenAt: this.scheduler.now(),
          });
        }
      }),
    );
  }

  private createMissing(): Observable<unknown> {
    if (!this.scanned) return EMPTY;
    const missing = [...this.discovered.values()].filter(
      (shard) => !this.views.has(this.keyOf(shard.stream, shard.shardId)),
    );
    return from(missing).pipe(mergeMap((shard) => this.ensure(shard)));
  }

  private eligible = (lease: Lease): boolean => {
    if (isShardEnd(lease)) return false;
    const shard = this.shardOf(lease);
    if (shard === undefined) return false;
    // A parent without a lease counts as finished (expired past retention, or
    // cleaned up), as the KCL's BlockOnParentShardTask does.
    return lease.parentShardIds.every((parent) => {
      const view = this.views.get(this.keyOf(shard.stream, parent));
      return view === undefined || isShardEnd(view.lease);
    });
  };

  private takeSome(steal: boolean, raced: ReadonlySet<string> = new Set()): Observable<unknown> {
    const now = this.scheduler.now();
    const me = this.settings.workerId;
    let views = [...this.views.values()].filter(
      (v) => !isShardEnd(v.lease) && !raced.has(v.lease.leaseKey),
    );
    if (!steal) {
      // Between scans, a lease of another worker expires only with evidence of silence.
      views = views.map((v) =>
        v.lease.leaseOwner === undefined || v.lease.leaseOwner === me || isConfirmedSilent(v)
          ? v
          : { lease: v.lease, observedAt: Math.max(v.observedAt, now) },
      );
    }
    const plan = planTakes({
      workerId: me,
      now,
      failoverTimeMs: this.settings.failoverTimeMs,
      maxLeasesToStealAtOneTime: this.settings.maxLeasesToStealAtOneTime,
      views,
      heldCount: this.held.size,
      eligible: this.eligible,
      random: this.settings.random,
      // A lease not renewed for a renewal period looks abandoned: no steals until it is taken.
      abandonedAfterMs: this.settings.renewalIntervalMs,
    });
    const leases = steal ? [...plan.take, ...plan.steal] : plan.take;
    if (steal) {
      // One at a time; a take that finds the lease changed since the scan means another
      // worker is taking too: stop, and let a fresh scan recount the workers.
      return from(leases).pipe(
        concatMap((lease) => this.take(lease)),
        takeWhile((taken) => taken),
      );
    }
    // Between scans (an expiry, new shards), survivors of a dead worker race for its
    // leases: a lease lost to another is left out and the plan made again without it,
    // so this worker still gets its share now rather than at its next scan.
    const lost = new Set(raced);
    return concat(
      from(leases).pipe(
        concatMap((lease) =>
          this.take(lease).pipe(
            tap((taken) => {
              if (!taken) lost.add(lease.leaseKey);
            }),
          ),
        ),
      ),
      defer(() => (lost.size > raced.size ? this.takeSome(false, lost) : EMPTY)),
    );
  }

  private take(seen: Lease): Observable<boolean> {
    const key = seen.leaseKey;
    const me = this.settings.workerId;
    return this.queue.run(key, () =>
      this.table
        .update(
          key,
          { counter: seen.leaseCounter, owner: seen.leaseOwner ?? null },
          {
            [A.leaseOwner]: S(me),
            [A.leaseCounter]: N(seen.leaseCounter + 1),
            [A.ownerSwitchesSinceCheckpoint]: N(
              seen.ownerSwitchesSinceCheckpoint + (seen.leaseOwner === me ? 0 : 1),
            ),
          },
        )
        .pipe(
          map((lease) => {
            if (lease === undefined) {
              this.contended = true;
              return false;
            }
            const now = this.scheduler.now();
            this.held.set(key, { lease, renewedAt: now });
            this.views.set(key, { lease, observedAt: now, seenAt: now });
            this.memory.written.set(key, checkpointText(lease));
            this.memory.released.delete(key);
            this.setStatus(key, 'held');
            if (!this.emitted.has(key)) {
              this.emitted.add(key);
              this.emit(this.shardFor(key, lease));
            }
            return true;
          }),
        ),
    );
  }

  private shardFor(key: string, lease: Lease): DiscoveredShard {
    const known = this.discovered.get(key);
    if (known !== undefined) return known;
    const { stream, shardId } = this.shardOf(lease) as { stream: string; shardId: string };
    return {
      stream,
      shardId,
      parentShardIds: lease.parentShardIds,
      hashKeyRange: {
        startingHashKey: lease.startingHashKey ?? '0',
        endingHashKey: lease.endingHashKey ?? '0',
      },
    };
  }

  /**
   * A held shard was read to its end: creates its children's leases, then
   * writes `SHARD_END` (and the children) into its lease and lets it go.
   * Answers `true` when written, `false` when the lease was lost meanwhile.
   */
  finish(key: string, children: readonly DiscoveredShard[]): Observable<boolean> {
    const me = this.settings.workerId;
    return concat(
      from(children).pipe(
        mergeMap((child) => this.ensure(child)),
        ignoreElements(),
      ),
      this.queue.run(key, () => {
        const held = this.held.get(key);
        if (held === undefined) return of(false);
        const { leaseCounter } = held.lease;
        const set: Record<string, AttributeValue> = {
          [A.checkpoint]: S('SHARD_END'),
          [A.checkpointSubSequenceNumber]: N(0),
          [A.leaseCounter]: N(leaseCounter + 1),
          [A.ownerSwitchesSinceCheckpoint]: N(0),
        };
        if (children.length > 0) set[A.childShardIds] = { SS: children.map((c) => c.shardId) };
        return this.table
          .update(key, { counter: leaseCounter, owner: me }, set, [A.leaseOwner])
          .pipe(
            map((lease) => {
              if (lease === undefined) {
                this.lose(key);
                return false;
              }
              this.held.delete(key);
              this.views.set(key, {
                lease,
                observedAt: this.scheduler.now(),
                seenAt: this.scheduler.now(),
              });
              this.memory.written.set(key, 'SHARD_END');
              // Children are taken at the next round, by whichever worker comes first.
              this.setStatus(key, 'finished');
              return true;
            }),
          );
      }),
    );
  }

  /** Writes a held lease's checkpoint: `true` when written, `false` when the lease is not (or no longer) held. */
  writeCheckpoint(
    key: string,
    sequenceNumber: string,
    subSequenceNumber: number,
  ): Observable<boolean> {
    const me = this.settings.workerId;
    return this.queue.run(key, () => {
      const held = this.held.get(key);
      if (held === undefined) return of(false);
      const { leaseCounter } = held.lease;
      return this.table
        .update(
          key,
          { counter: leaseCounter, owner: me },
          {
            [A.checkpoint]: S(sequenceNumber),
            [A.checkpointSubSequenceNumber]: N(subSequenceNumber),
            [A.ownerSwitchesSinceCheckpoint]: N(0),
            [A.leaseCounter]: N(leaseCounter + 1),
          },
        )
        .pipe(
          map((lease) => {
            if (lease === undefined) {
              this.lose(key);
              return false;
            }
            const current = this.held.get(key);
            if (current !== undefined) {
              current.lease = lease;
              current.renewedAt = this.scheduler.now();
            }
            return true;
          }),
        );
    });
  }

  /**
   * Lets every held lease go (graceful stop): removes the owner and bumps
   * the counter, so others take them at their next round. Runs after the
   * writes queued before it; answers when all are done.
   */
  releaseAll(): Observable<never> {
    const me = this.settings.workerId;
    const keys = [...this.held.keys()];
    for (const status of this.statuses.values()) status.complete();
    return from(keys).pipe(
      mergeMap((key) =>
        this.queue.run(key, () => {
          const held = this.held.get(key);
          if (held === undefined) return EMPTY;
          this.held.delete(key);
          return this.table.release(key, me).pipe(
            tap((lease) => {
              if (lease !== undefined) this.memory.released.set(key, lease.leaseCounter);
            }),
            catchError(() => EMPTY),
          );
        }),
      ),
      toArray(),
      ignoreElements(),
    );
  }
}
