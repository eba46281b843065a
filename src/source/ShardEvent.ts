import type { CheckpointState, PinnedStart } from '../checkpoint/CheckpointState.js';
import type { KinesisRecord, ShardRecord } from '../record.js';
import type { DiscoveredShard } from './DiscoveredShard.js';

/** A shard began to be read (its parents are finished). */
export interface ShardStarted {
  readonly type: 'shardStarted';
  readonly stream: string;
  readonly shardId: string;
  readonly parentShardIds: readonly string[];
  /** The stream's pinned start, for `checkpoints()`. */
  readonly pinnedStart?: PinnedStart;
  /** The state the reading resumed from, when it had shard positions (see `ShardContext.resumed`). */
  readonly resumed?: CheckpointState;
}

/** A closed shard was read to its end (or no longer exists): its children may start. */
export interface ShardFinished {
  readonly type: 'shardFinished';
  readonly stream: string;
  readonly shardId: string;
  readonly childShards: readonly DiscoveredShard[];
}

/** Lifecycle of a shard, interleaved with its records by `readKinesis`. */
export type ShardEvent = ShardStarted | ShardFinished;

/** What `readKinesis` emits: records, and shard lifecycle events in order with them. */
export type KinesisEvent = KinesisRecord | ShardEvent;

/**
 * Records of any shard service (Kinesis, DynamoDB Streams) with their shard
 * lifecycle events: what `checkpoints()` takes.
 */
export type ShardRecordEvent<R extends ShardRecord = ShardRecord> = R | ShardEvent;

/** True for a shard lifecycle event, false for a record. */
export const isShardEvent = (event: ShardRecord | ShardEvent): event is ShardEvent =>
  'type' in event;

/**
 * One fetch's worth of a shard, as a shard reader (polling or EFO) emits it:
 * records in sequence order (already de-aggregated), lag, and, on the last
 * batch of a closed shard, its children.
 */
export interface ShardBatch<R extends ShardRecord = KinesisRecord> {
  readonly shard: DiscoveredShard;
  readonly records: readonly R[];
  readonly millisBehindLatest?: number;
  /** Present on the final batch of a closed shard (empty array: no children known). */
  readonly childShards?: readonly DiscoveredShard[];
}
