import type { ShardRecord } from '../record.js';
import type { ShardContext } from '../source/shardContext.js';

/** An item (or its key) as a plain JS object, unmarshalled with `@aws-sdk/util-dynamodb`. */
export type DynamoDBItem = Record<string, unknown>;

/** What happened to the item: put new, changed, or deleted (by a user or by TTL). */
export type DynamoDBEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/**
 * One change of a DynamoDB table, read from its stream by
 * `fromDynamoDBStreams`. `keys` and the images are plain JS objects
 * (numbers as `number`, or `bigint` beyond 2^53, or as `wrapNumbers` says;
 * sets as `Set`; binary as `Uint8Array`). Which images are present depends
 * on the stream's view type (`KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE`,
 * `NEW_AND_OLD_IMAGES`) and on the event (an INSERT has no old image, a
 * REMOVE no new one).
 */
export interface DynamoDBStreamRecord extends ShardRecord {
  /** The stream ARN (also the key of its shards in the checkpoint state). */
  readonly stream: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly eventName: DynamoDBEventName;
  readonly keys: DynamoDBItem;
  readonly newImage?: DynamoDBItem;
  readonly oldImage?: DynamoDBItem;
  /** When the change was made, to the second (DynamoDB Streams rounds down); the event time of `watermarks`. */
  readonly approximateCreationDateTime: Date;
  /** What `checkpoints()` needs of the record's shard, as plain data (see `KinesisRecord.shard`). */
  readonly shard?: ShardContext;
}
