import type { ShardContext } from './source/shardContext.js';

/**
 * What every record read from a shard carries, whatever the service
 * (Kinesis, DynamoDB Streams): its stream, shard and position, and the
 * shard context `checkpoints()` needs. The shard operators (`readShards`,
 * `pollShard`, `checkpoints`, `watermarks`) work on any record of this shape.
 */
export interface ShardRecord {
  readonly stream: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
  /** Set only inside a KPL aggregated Kinesis record. */
  readonly subSequenceNumber?: number;
  /**
   * What `checkpoints()` needs of the record's shard (the pinned starts of the reading, the
   * shard's parents), as plain data: one object shared by every record of a shard, so a spread
   * copy, `structuredClone` or a worker-thread message keeps it.
   */
  readonly shard?: ShardContext;
}

/**
 * One record read from a Kinesis shard, as `fromKinesis` emits it.
 *
 * `subSequenceNumber` is set only for records de-aggregated from a KPL
 * aggregated record; together with `sequenceNumber` it is the record's
 * position inside its shard.
 */
export interface KinesisRecord extends ShardRecord {
  /**
   * The stream's name — also for a stream given by ARN (the name part of
   * the ARN), so checkpoint keys are the same whichever way it was given.
   */
  readonly stream: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber?: number;
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  readonly data: Uint8Array;
  readonly approximateArrivalTimestamp: Date;
  readonly millisBehindLatest?: number;
  /**
   * What `checkpoints()` needs of the record's shard (the pinned starts of the reading, the
   * shard's parents), as plain data: one object shared by every record of a shard, so a spread
   * copy, `structuredClone` or a worker-thread message keeps it.
   */
  readonly shard?: ShardContext;
}
