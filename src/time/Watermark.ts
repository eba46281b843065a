import type { KinesisRecord, ShardRecord } from '../record.js';
import type { ShardEvent } from '../source/ShardEvent.js';

/**
 * The stream's event-time watermark, emitted between records: no record
 * emitted after it should have an event time at or below `timestamp`
 * (one that does is late). Milliseconds since the epoch; never decreases.
 */
export interface Watermark {
  readonly type: 'watermark';
  readonly timestamp: number;
}

/** A shard had no records for the idle interval: it no longer holds the watermark back. */
export interface ShardIdle {
  readonly type: 'shardIdle';
  readonly stream: string;
  readonly shardId: string;
}

/** An idle shard got a record again (emitted just before that record): it holds the watermark again. */
export interface ShardActive {
  readonly type: 'shardActive';
  readonly stream: string;
  readonly shardId: string;
}

/** Idleness transitions, as `idleShards` interleaves them with the records. */
export type ShardIdleness = ShardIdle | ShardActive;

/** Everything the event-time operators see or emit: records, shard lifecycle, idleness, watermarks. */
export type TimedEvent<R extends ShardRecord = KinesisRecord> =
  R | ShardEvent | ShardIdleness | Watermark;

/** True for a watermark element. */
export const isWatermark = (event: object): event is Watermark =>
  (event as { type?: unknown }).type === 'watermark';

/** True for a record (no `type` field): everything else is a control element. */
export const isRecord = <R extends ShardRecord>(event: TimedEvent<R>): event is R =>
  !('type' in event);

/** The default event time: when Kinesis accepted the record. */
export const arrivalTime = (record: KinesisRecord): number =>
  record.approximateArrivalTimestamp.getTime();

/**
 * The default event time of the event-time operators: `approximateArrivalTimestamp`
 * of a Kinesis record, `approximateCreationDateTime` of a DynamoDB Streams one.
 *
 * ## Example
 * ```ts
 * import { recordTime } from 'rx-kinesis';
 * recordTime(change); // change.approximateCreationDateTime.getTime()
 * ```
 */
export const recordTime = (record: ShardRecord): number => {
  const timed = record as {
    approximateArrivalTimestamp?: Date;
    approximateCreationDateTime?: Date;
  };
  return (
    (timed.approximateArrivalTimestamp ?? timed.approximateCreationDateTime) as Date
  ).getTime();
};
