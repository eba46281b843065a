import { type Observable, type SchedulerLike, asyncScheduler } from 'rxjs';
import { flattenBatches } from '../source/flattenBatches.js';
import type { ShardRecordEvent } from '../source/ShardEvent.js';
import type { DynamoDBStreamRecord } from './DynamoDBStreamRecord.js';
import type { DynamoDBStreamsConfig } from './DynamoDBStreamsConfig.js';
import { dynamoDBStreamsBatches } from './dynamoDBStreamsBatches.js';

/**
 * Reads a DynamoDB table's stream as records interleaved, in order, with
 * shard lifecycle events (`shardStarted`, `shardFinished`), like
 * `readKinesis`: `checkpoints()` over it records finished shards exactly,
 * and `watermarks` know when shards start and end.
 *
 * ## Example
 * ```ts
 * import { readDynamoDBStreams, checkpoints } from 'rx-kinesis';
 * readDynamoDBStreams({ table: 'orders', region: 'eu-west-1' })
 *   .pipe(checkpoints())
 *   .subscribe((state) => save(state));
 * ```
 *
 * @param config the source config (throws `ConfigError` at once when wrong)
 * @param scheduler where every timer runs; defaults to `asyncScheduler`
 * @returns records and shard events
 */
export function readDynamoDBStreams(
  config: DynamoDBStreamsConfig,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<ShardRecordEvent<DynamoDBStreamRecord>> {
  return dynamoDBStreamsBatches(config, scheduler).pipe(flattenBatches<DynamoDBStreamRecord>());
}
