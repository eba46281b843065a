import { type Observable, type SchedulerLike, asyncScheduler } from 'rxjs';
import { flattenRecords } from '../source/flattenRecords.js';
import type { DynamoDBStreamRecord } from './DynamoDBStreamRecord.js';
import type { DynamoDBStreamsConfig } from './DynamoDBStreamsConfig.js';
import { dynamoDBStreamsBatches } from './dynamoDBStreamsBatches.js';

/**
 * Reads a DynamoDB table's changes (its stream) as an Observable of records:
 * `INSERT`, `MODIFY` and `REMOVE` with the keys and images as plain objects.
 * Shards are discovered and re-discovered (they close about every 4 hours),
 * read parents first, and polled within the DynamoDB Streams limits,
 * starting where `checkpoint` left off or at `initialPosition`. Per shard,
 * records come in sequence order, and per item (key), in the order the
 * changes were made, across shard rollovers. `checkpoints()` works on them
 * as on Kinesis records; `watermarks` use `approximateCreationDateTime`.
 *
 * `table` reads the table's latest stream (DescribeTable's
 * `LatestStreamArn`); `streamArn` names one. The checkpoint is keyed by the
 * stream ARN: a stream disabled and enabled again is a new stream.
 *
 * ## Example
 * ```ts
 * import { fromDynamoDBStreams } from 'rx-kinesis';
 * fromDynamoDBStreams({ table: 'orders', region: 'eu-west-1', initialPosition: 'TRIM_HORIZON' })
 *   .subscribe((change) => console.log(change.eventName, change.keys, change.newImage));
 * ```
 *
 * @param config the source config (throws `ConfigError` at once when wrong)
 * @param scheduler where every timer runs; defaults to `asyncScheduler`
 * @returns the records
 */
export function fromDynamoDBStreams(
  config: DynamoDBStreamsConfig,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<DynamoDBStreamRecord> {
  return dynamoDBStreamsBatches(config, scheduler).pipe(flattenRecords<DynamoDBStreamRecord>());
}
