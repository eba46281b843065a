import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import * as t from 'io-ts';
import {
  Observable,
  type OperatorFunction,
  type SchedulerLike,
  Subject,
  Subscription,
  asyncScheduler,
  forkJoin,
  lastValueFrom,
  map,
} from 'rxjs';
import type { CheckpointState } from '../checkpoint/CheckpointState.js';
import { emptyCheckpointState, shardKey } from '../checkpoint/CheckpointState.js';
import type { BackoffPolicy } from '../client/BackoffPolicy.js';
import { ConfigError } from '../client/errors.js';
import { decodeConfig } from '../config/decodeConfig.js';
import { NonEmptyString } from '../config/NonEmptyString.js';
import { integerIn, numberAtLeast } from '../config/scalarCodecs.js';
import { strictObject } from '../config/strictObject.js';
import { createDynamoDBClient } from '../dynamodb/createDynamoDBClient.js';
import type { DynamoDBPort } from '../dynamodb/DynamoDBPort.js';
import { DynamoDBSettings } from '../dynamodb/DynamoDBSettings.js';
import type { DiscoveredShard } from '../source/DiscoveredShard.js';
import type { ShardReader } from '../source/ShardReader.js';
import { LeaseLostError } from './errors.js';
import { LEASE_ATTRIBUTES as A, isSequenceNumber, isShardEnd } from './Lease.js';
import type { HeldShard, LeaseCoordinator, LeaseShardsOptions } from './LeaseCoordinator.js';
import { LeaseSession, type LeaseMemory } from './LeaseSession.js';
import { DEFAULT_LEASE_TABLE_BACKOFF, LeaseTable } from './LeaseTable.js';
import { leasedReader } from './leasedReader.js';
import { seededRandom } from './seededRandom.js';

/** The KCL's default failover time. */
export const DEFAULT_FAILOVER_TIME_MS = 10_000;

/** Scans out of turn after lost take races, at most, between two periodic scans. */
const MAX_FOLLOW_UP_SCANS = 2;

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const TableName = new t.Type<string, string, unknown>(
  'a DynamoDB table name (3-255 characters of a-z, A-Z, 0-9, _ . -)',
  (u): u is string => typeof u === 'string' && TABLE_NAME.test(u),
  (u, c) => (typeof u === 'string' && TABLE_NAME.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
const PositiveMs = integerIn('a whole number of milliseconds ≥ 1', 1, Number.MAX_SAFE_INTEGER);

/**
 * The settings of `dynamoDBLeases`. Unknown keys are errors.
 *
 * - `tableName`: the lease table (a KCL application's table can be taken over).
 * - `workerId`: this worker's id, unique among the workers sharing the table.
 * - `dynamodb`: how to reach DynamoDB: `{ region?, endpoint?, credentials?, client?, httpProtocol?, trustAllCertificates? }`.
 * - `failoverTimeMs`: a lease whose counter has not moved for this long is expired (default 10,000, as the KCL).
 * - `renewalIntervalMs`: how often held leases are renewed (default `failoverTimeMs / 3`; must be below it).
 * - `scanIntervalMs`: how often the table is scanned to take, steal and balance (default `renewalIntervalMs`).
 *   A dead worker's leases are taken within `failoverTimeMs + scanIntervalMs`; the KCL scans every
 *   `2 × (failoverTimeMs + 25)`, which this setting can copy at that cost in failover time.
 * - `maxLeasesToStealAtOneTime`: at most this many steals per scan (default 1).
 * - `createTableIfMissing`: create a missing table, on-demand billing (default true).
 * - `backoff`: the retry policy of table calls, a partial `{ base, max, expConst, maxRetries }`.
 */
export const LeaseSettings = strictObject(
  'lease settings { tableName, workerId, dynamodb, failoverTimeMs?, ... }',
  { tableName: TableName, workerId: NonEmptyString, dynamodb: DynamoDBSettings },
  {
    failoverTimeMs: PositiveMs,
    renewalIntervalMs: PositiveMs,
    scanIntervalMs: PositiveMs,
    maxLeasesToStealAtOneTime: integerIn('a whole number ≥ 1', 1, Number.MAX_SAFE_INTEGER),
    createTableIfMissing: t.boolean,
    backoff: strictObject(
      'a backoff policy { base, max, expConst, maxRetries }',
      {},
      {
        base: integerIn('a whole number of milliseconds ≥ 0', 0, Number.MAX_SAFE_INTEGER),
        max: integerIn('a whole number of milliseconds ≥ 0', 0, Number.MAX_SAFE_INTEGER),
        expConst: numberAtLeast('a number ≥ 1', 1),
        maxRetries: integerIn('a whole number of retries ≥ 0', 0, Number.MAX_SAFE_INTEGER),
      },
    ),
  },
);
/** What `dynamoDBLeases` accepts. */
export type LeaseSettings = t.TypeOf<typeof LeaseSettings>;

class DynamoDBLeaseCoordinator implements LeaseCoordinator {
  readonly tableName: string;
  readonly workerId: string;
  readonly failoverTimeMs: number;
  readonly renewalIntervalMs: number;
  readonly scanIntervalMs: number;
  readonly losses = new Subject<LeaseLostError>();
  private readonly maxSteal: number;
  private readonly random: () => number;
  private readonly createTable: boolean;
  private readonly backoff: BackoffPolicy;
  private readonly memory: LeaseMemory = { written: new Map(), released: new Map() };
  private session: LeaseSession | undefined;
  private streams: readonly string[] = [];
  private scheduler: SchedulerLike = asyncScheduler;
  private client: DynamoDBPort | undefined;
  private releases: Array<Promise<void>> = [];

  constructor(private readonly settings: LeaseSettings) {
    this.tableName = settings.tableName;
    this.workerId = settings.workerId;
    this.failoverTimeMs = settings.failoverTimeMs ?? DEFAULT_FAILOVER_TIME_MS;
    this.renewalIntervalMs =
      settings.renewalIntervalMs ?? Math.max(1, Math.floor(this.failoverTimeMs / 3));
    this.scanIntervalMs = settings.scanIntervalMs ?? this.renewalIntervalMs;
    this.maxSteal = settings.maxLeasesToStealAtOneTime ?? 1;
    this.random = seededRandom(settings.workerId);
    this.createTable = settings.createTableIfMissing ?? true;
    this.backoff = { ...DEFAULT_LEASE_TABLE_BACKOFF, ...settings.backoff };
  }

  private port(): DynamoDBPort {
    this.client ??= createDynamoDBClient(this.settings.dynamodb);
    return this.client;
  }

  private table(scheduler: SchedulerLike): LeaseTable {
    return new LeaseTable(this.port(), this.tableName, scheduler, this.backoff);
  }

  private keyOf(stream: string, shardId: string): string {
    return this.streams.length === 1 ? shardId : `${stream}:${shardId}`;
  }

  private keyToShard(key: string, streams: readonly string[]): { stream: string; shardId: string } {
    if (streams.length === 1) return { stream: streams[0] as string, shardId: key };
    const cut = key.indexOf(':');
    return { stream: key.slice(0, cut), shardId: key.slice(cut + 1) };
  }

  leaseShards(
    options: LeaseShardsOptions,
    scheduler: SchedulerLike = asyncScheduler,
  ): OperatorFunction<DiscoveredShard, DiscoveredShard> {
    return (source) =>
      new Observable<DiscoveredShard>((subscriber) => {
        if (this.session !== undefined) {
          subscriber.error(
            new Error(
              `the lease coordinator of worker "${this.workerId}" already runs a reading: one subscription at a time`,
            ),
          );
          return undefined;
        }
        const subscriptions = new Subscription();
        const table = this.table(scheduler);
        let ready = false;
        let running = false;
        let scanDue = false;
        let takeDue = false;
        let renewing = false;
        // Scans out of turn after a lost race, since the last periodic scan (bounded, so a crowd
        // of workers starting together cannot turn into a scan storm).
        let followUps = 0;
        let expiry: Subscription | undefined;
        const armExpiry = (): void => {
          if (expiry !== undefined) {
            expiry.unsubscribe();
            subscriptions.remove(expiry);
            expiry = undefined;
          }
          const at = session.nextExpiry();
          if (at === undefined || subscriber.closed) return;
          expiry = scheduler.schedule(
            () => {
              takeDue = true;
              next();
            },
            Math.max(0, at - scheduler.now()),
          );
          subscriptions.add(expiry);
        };
        const next = (): void => {
          if (!ready || running || subscriber.closed) return;
          let work: Observable<never>;
          if (scanDue) {
            scanDue = false;
            takeDue = false;
            work = session.scanRound();
          } else if (takeDue) {
            takeDue = false;
            work = session.takeRound();
          } else return;
          running = true;
          subscriptions.add(
            work.subscribe({
              error: (error: unknown) => subscriber.error(error),
              complete: () => {
                running = false;
                if (session.contendedTake() && followUps < MAX_FOLLOW_UP_SCANS) {
                  followUps += 1;
                  scanDue = true;
                }
                armExpiry();
                next();
              },
            }),
          );
        };
        const session = new LeaseSession(
          table,
          {
            workerId: this.workerId,
            failoverTimeMs: this.failoverTimeMs,
            renewalIntervalMs: this.renewalIntervalMs,
            maxLeasesToStealAtOneTime: this.maxSteal,
            random: this.random,
          },
          this.memory,
          options.streams,
          options.starts,
          scheduler,
          (shard) => subscriber.next(shard),
          () => {
            takeDue = true;
            next();
          },
          (key) => {
            const shard = this.keyToShard(key, options.streams);
            this.losses.next(
              new LeaseLostError(this.tableName, shard.stream, shard.shardId, this.workerId),
            );
          },
        );
        this.session = session;
        this.streams = options.streams;
        this.scheduler = scheduler;
        const renewalMs = this.renewalIntervalMs;
        const scanMs = this.scanIntervalMs;
        subscriptions.add(
          table.ensureTable(this.createTable).subscribe({
            error: (error: unknown) => subscriber.error(error),
            complete: () => {
              ready = true;
              // Renewals keep held leases alive; they never wait for a scan.
              subscriptions.add(
                scheduler.schedule(function () {
                  session.dropStale();
                  if (!renewing) {
                    renewing = true;
                    subscriptions.add(
                      session.renew().subscribe({
                        error: (error: unknown) => subscriber.error(error),
                        complete: () => {
                          renewing = false;
                        },
                      }),
                    );
                  }
                  this.schedule(undefined, renewalMs);
                }, 0),
              );
              subscriptions.add(
                scheduler.schedule(function () {
                  followUps = 0;
                  scanDue = true;
                  next();
                  this.schedule(undefined, scanMs);
                }, 0),
              );
            },
          }),
        );
        subscriptions.add(
          source.subscribe({
            next: (shard) => session.offer(shard),
            error: (error: unknown) => subscriber.error(error),
            // The table may still hand this worker leases: go on until unsubscribed.
          }),
        );
        return () => {
          subscriptions.unsubscribe();
          if (this.session === session) this.session = undefined;
          const release = session.releaseAll();
          this.releases.push(
            new Promise<void>((resolve) => {
              release.subscribe({ complete: () => resolve(), error: () => resolve() });
            }),
          );
        };
      });
  }

  leasedReader(reader: ShardReader): ShardReader {
    return leasedReader(reader, () => this.session);
  }

  heldShards(): readonly HeldShard[] {
    const session = this.session;
    if (session === undefined) return [];
    return session.heldLeases().flatMap(({ key, lease }) => {
      const shard = session.shardOf(lease);
      return shard === undefined
        ? []
        : [{ ...shard, leaseKey: key, leaseCounter: lease.leaseCounter }];
    });
  }

  async save(state: CheckpointState): Promise<void> {
    // A save during a graceful stop waits for the releases, then writes into the released leases.
    if (this.session === undefined && this.releases.length > 0) await Promise.all(this.releases);
    const session = this.session;
    const writes: Array<Observable<unknown>> = [];
    for (const [entryKey, entry] of Object.entries(state.shards)) {
      // SHARD_END is written by the reader at the shard's end, before `shardFinished`.
      if (entry.finished === true || entry.sequenceNumber === undefined) continue;
      const cut = entryKey.indexOf('/');
      const stream = entryKey.slice(0, cut);
      const shardId = entryKey.slice(cut + 1);
      if (!this.streams.includes(stream)) continue;
      const key = this.keyOf(stream, shardId);
      const sequenceNumber = entry.sequenceNumber;
      const sub = entry.subSequenceNumber ?? 0;
      const text = `${sequenceNumber}/${sub}`;
      const last = this.memory.written.get(key);
      // never held here, unchanged, or finished: nothing of ours to write
      if (last === undefined || last === text || last === 'SHARD_END') continue;
      const done = (): void => {
        this.memory.written.set(key, text);
      };
      if (session?.isHeld(key) === true) {
        // false: lost meanwhile; reported on `losses` by the session, the new owner reads on from the lease
        writes.push(
          session.writeCheckpoint(key, sequenceNumber, sub).pipe(map((ok) => ok && done())),
        );
        continue;
      }
      const released = this.memory.released.get(key);
      if (released !== undefined) {
        // Released by a graceful stop and not taken since: the last position may still go in.
        const set: Record<string, AttributeValue> = {
          [A.checkpoint]: { S: sequenceNumber },
          [A.checkpointSubSequenceNumber]: { N: String(sub) },
          [A.ownerSwitchesSinceCheckpoint]: { N: '0' },
        };
        writes.push(
          this.table(this.scheduler)
            .update(key, { counter: released, owner: null }, set)
            .pipe(
              map((lease) => {
                if (lease !== undefined) done();
                else {
                  this.memory.released.delete(key);
                  this.losses.next(
                    new LeaseLostError(this.tableName, stream, shardId, this.workerId),
                  );
                }
              }),
            ),
        );
      }
      // Lost: the reader stopped at the loss (reported on `losses` then); not ours to write.
    }
    if (writes.length === 0) return;
    await lastValueFrom(forkJoin(writes));
  }

  async load(): Promise<CheckpointState | undefined> {
    let leases;
    try {
      leases = await lastValueFrom(this.table(this.scheduler).scan());
    } catch (error) {
      const cause = (error as { cause?: { name?: unknown } }).cause;
      if (cause?.name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
    const state = emptyCheckpointState();
    const only = this.streams.length === 1 ? this.streams[0] : undefined;
    for (const lease of leases) {
      let stream = lease.stream;
      let shardId = lease.leaseKey;
      if (stream !== undefined && lease.leaseKey.startsWith(`${stream}:`)) {
        shardId = lease.leaseKey.slice(stream.length + 1);
      }
      stream ??= only;
      if (stream === undefined) continue;
      if (lease.pinnedStart !== undefined && state.starts[stream] === undefined) {
        state.starts[stream] = lease.pinnedStart;
      }
      const parents =
        lease.parentShardIds.length > 0 ? { parentShardIds: [...lease.parentShardIds] } : {};
      if (isShardEnd(lease)) {
        state.shards[shardKey(stream, shardId)] = { finished: true, ...parents };
      } else if (isSequenceNumber(lease.checkpoint)) {
        state.shards[shardKey(stream, shardId)] = {
          sequenceNumber: lease.checkpoint,
          subSequenceNumber: lease.checkpointSubSequenceNumber,
          ...parents,
        };
      }
    }
    return leases.length > 0 ? state : undefined;
  }

  async close(): Promise<void> {
    const pending = this.releases;
    this.releases = [];
    await Promise.all(pending);
    if (this.settings.dynamodb.client === undefined && this.session === undefined) {
      (this.client as { destroy?: () => void } | undefined)?.destroy?.();
      this.client = undefined;
    }
  }
}

/**
 * KCL-compatible leases on DynamoDB: a lease coordinator that spreads the
 * shards of a reading over every process sharing `tableName`, with per-key
 * order across resharding (a child is read only once every parent's lease
 * says `SHARD_END`) and failover (a silent worker's leases are taken after
 * `failoverTimeMs`). It is also a `CheckpointStore`: positions live in the
 * leases, written only by their owner. The table has the KCL's layout
 * (`leaseKey`, `leaseOwner`, `leaseCounter`, `checkpoint`, ...), so a KCL
 * application's table can be taken over and KCL tooling can read ours.
 * Settings are checked here: a `ConfigError` before any request.
 *
 * How it behaves, and where it differs from the KCL:
 * - Every `renewalIntervalMs` it renews its held leases (a conditional
 *   `leaseCounter` update on owner and counter).
 * - Every `scanIntervalMs` (default: the renewal interval) it scans the
 *   table (eventually consistent, as the KCL), creates leases of newly
 *   discovered shards (a conditional put, so once per shard), takes free and
 *   expired leases up to an even share, picked at random, and steals at most
 *   `maxLeasesToStealAtOneTime` from the most loaded worker. A take that
 *   loses a race to another worker stops that round and scans again at once.
 * - Expiry is judged by this worker's clock: a counter unchanged for
 *   `failoverTimeMs` since this worker first saw it. It is checked at that
 *   exact moment (a timer per earliest expiry), not at the next scan: a
 *   worker killed with `kill -9` has its leases taken within
 *   `failoverTimeMs + scanIntervalMs` (the KCL checks at its next scan only).
 * - A lease lost (stolen, expired, a failed renewal) stops its reader at
 *   once and is reported on `losses` as a `LeaseLostError`; a later `save`
 *   skips that shard (its progress since the last save is read again by the
 *   new owner) and writes the others, so `persistCheckpoints(leases)` goes
 *   on through rebalancing.
 * - A child is taken only when every parent's lease is `SHARD_END`; a parent
 *   with no lease counts as finished (the KCL does the same). At a shard's end
 *   its reader creates the children's leases, writes `SHARD_END` (and
 *   `childShardIds`) and removes `leaseOwner` (the KCL keeps the owner until
 *   its cleanup deletes the lease; finished leases are never taken anyway).
 * - Unsubscribing releases every held lease (`leaseOwner` removed, counter
 *   moved on, conditional on the owner only); a `save` after that still
 *   writes as long as nobody took the lease.
 * - Keys: the bare shard id for one stream (a single-stream KCL
 *   application's table); with several streams `stream:shardId` (the KCL's
 *   multi-stream key is `account:stream:creationEpoch:shardId`, not used).
 * - Checkpoints: `checkpoint` is the sequence number of the last handled
 *   record, `checkpointSubSequenceNumber` its last handled sub-record (0 for
 *   a whole non-aggregated record, as the KCL writes it); reading resumes at
 *   that record and skips what it covers. `pendingCheckpoint` is neither
 *   read nor written. A new lease's checkpoint is `TRIM_HORIZON` or
 *   `AT_TIMESTAMP`, with the stream's pinned start in `rxKinesisPinnedStart`
 *   and its stream in `rxKinesisStream` (attributes KCL tooling ignores); in
 *   a KCL row without them, `LATEST` / `AT_TIMESTAMP` mean the reading's
 *   own pinned start.
 * - A conditional write retried after a network error whose first attempt
 *   landed finds the counter moved and counts the lease as lost (the KCL has
 *   the same window); the lease is then taken again by whoever comes first.
 *
 * ## Example
 * ```ts
 * import { dynamoDBLeases, fromKinesis } from 'rx-kinesis';
 * const leases = dynamoDBLeases({
 *   tableName: 'orders-app',
 *   workerId: 'worker-1',
 *   dynamodb: { region: 'eu-west-1' },
 * });
 * fromKinesis({ stream: 'orders', region: 'eu-west-1', leases }).subscribe(console.log);
 * ```
 *
 * @param settings table, worker id, DynamoDB settings, failover, renewal and scan times
 * @returns the lease coordinator
 */
export function dynamoDBLeases(settings: LeaseSettings): LeaseCoordinator {
  const decoded = decodeConfig(LeaseSettings, settings, 'leases');
  const failover = decoded.failoverTimeMs ?? DEFAULT_FAILOVER_TIME_MS;
  if (decoded.renewalIntervalMs !== undefined && decoded.renewalIntervalMs >= failover) {
    throw new ConfigError([
      {
        path: 'leases.renewalIntervalMs',
        value: decoded.renewalIntervalMs,
        expected: `a renewal interval below failoverTimeMs (${failover})`,
      },
    ]);
  }
  return new DynamoDBLeaseCoordinator(decoded);
}
