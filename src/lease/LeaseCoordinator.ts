import type { Observable, OperatorFunction, SchedulerLike } from 'rxjs';
import type { PinnedStart } from '../checkpoint/CheckpointState.js';
import type { CheckpointStore } from '../checkpoint/CheckpointStore.js';
import type { DiscoveredShard } from '../source/DiscoveredShard.js';
import type { ShardReader } from '../source/ShardReader.js';
import type { LeaseLostError } from './errors.js';

/** What the lease operator needs to know about the reading it serves. */
export interface LeaseShardsOptions {
  /** The streams read: leases of other streams in the table are left alone. */
  readonly streams: readonly string[];
  /** The pinned start of every stream (`pinStarts`): where a new lease starts. */
  readonly starts: Readonly<Record<string, PinnedStart>>;
}

/** A shard whose lease this worker holds, as `heldShards()` lists it. */
export interface HeldShard {
  readonly stream: string;
  readonly shardId: string;
  readonly leaseKey: string;
  readonly leaseCounter: number;
}

/**
 * Spreads shards over the processes that share a lease table, as the KCL
 * does, in the KCL's table layout: each worker takes free and expired
 * leases, renews its own, steals toward an even count, reads only the
 * shards it holds, children only after every parent's checkpoint is
 * `SHARD_END`. It is also the `CheckpointStore` of the reading: `save`
 * writes each held shard's position into its lease (only while this worker
 * holds it; a lost lease is skipped, not an error), `load` reads the
 * positions back.
 *
 * Made by `dynamoDBLeases(...)`; used as `fromKinesis({ ..., leases })` and
 * `persistCheckpoints(leases)`. One reading (one subscription of its
 * `leaseShards` operator) at a time.
 */
export interface LeaseCoordinator extends CheckpointStore {
  readonly tableName: string;
  readonly workerId: string;
  readonly failoverTimeMs: number;
  readonly renewalIntervalMs: number;
  readonly scanIntervalMs: number;
  /**
   * Every lease this worker loses while reading (stolen, expired by its own
   * clock, a renewal refused), once per loss, as a `LeaseLostError`: its
   * reader has stopped; records after the shard's last saved checkpoint are
   * read again by the new owner. Also a released lease taken by another
   * worker before a late `save` could write into it. Routine during
   * rebalancing: for logs and metrics, never the end of the reading.
   */
  readonly losses: Observable<LeaseLostError>;
  /**
   * The operator in place of `assignShards`: discovered shards in, the
   * shards this worker holds out (each once, when its lease is first taken).
   * While subscribed it creates missing leases (once per shard, a
   * conditional put), renews every `renewalIntervalMs`, scans, takes and
   * steals every `scanIntervalMs`, and takes an expired lease the moment it
   * expires; unsubscribing releases every held lease (others take them
   * within one scan interval). It does not complete by itself.
   */
  leaseShards(
    options: LeaseShardsOptions,
    scheduler?: SchedulerLike,
  ): OperatorFunction<DiscoveredShard, DiscoveredShard>;
  /**
   * Wraps a shard reader: it reads a shard only while this worker holds its
   * lease, from the lease's checkpoint; when the lease is lost it stops at
   * once (unsubscribes the reader) and waits; when retaken it reads on from
   * the lease's checkpoint. At the end of a closed shard it creates the
   * children's leases and writes `SHARD_END` before completing. A lease
   * finished by another worker completes the reading.
   */
  leasedReader(reader: ShardReader): ShardReader;
  /** The leases this worker holds now. */
  heldShards(): readonly HeldShard[];
  /**
   * Waits for the releases of a finished reading and destroys a DynamoDB
   * client the coordinator created (so the process can exit).
   */
  close(): Promise<void>;
}

/** True for a lease coordinator made by `dynamoDBLeases` (or one of the same shape). */
export const isLeaseCoordinator = (u: unknown): u is LeaseCoordinator =>
  typeof u === 'object' &&
  u !== null &&
  typeof (u as Partial<LeaseCoordinator>).leaseShards === 'function' &&
  typeof (u as Partial<LeaseCoordinator>).leasedReader === 'function' &&
  typeof (u as Partial<CheckpointStore>).save === 'function' &&
  typeof (u as Partial<CheckpointStore>).load === 'function';
