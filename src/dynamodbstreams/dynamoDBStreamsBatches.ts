import {
  type Observable,
  type SchedulerLike,
  asyncScheduler,
  defer,
  finalize,
  identity,
  of,
  switchMap,
} from 'rxjs';
import { emptyCheckpointState } from '../checkpoint/CheckpointState.js';
import { pinStarts } from '../checkpoint/pinStarts.js';
import { createDynamoDBClient } from '../dynamodb/createDynamoDBClient.js';
import type { DynamoDBPort } from '../dynamodb/DynamoDBPort.js';
import { discoverShards } from '../source/discoverShards.js';
import { pollShard } from '../source/pollShard.js';
import { type ShardOutput, readShards } from '../source/readShards.js';
import { createDynamoDBStreamsClient } from './createDynamoDBStreamsClient.js';
import {
  DYNAMODB_STREAMS_CALL_LIMITS,
  type DynamoDBStreamsConfig,
  resolveDynamoDBStreamsConfig,
} from './DynamoDBStreamsConfig.js';
import type { DynamoDBStreamRecord } from './DynamoDBStreamRecord.js';
import { dynamoDBStreamsAsKinesis } from './dynamoDBStreamsAsKinesis.js';
import { latestAtFirstStart } from './latestAtFirstStart.js';
import { resolveStreamArn } from './resolveStreamArn.js';
import { streamRecords } from './streamRecords.js';

/**
 * The DynamoDB Streams source as batches and shard events: the recipe
 * behind `fromDynamoDBStreams` and `readDynamoDBStreams`, made of the same
 * operators as `kinesisBatches` over `dynamoDBStreamsAsKinesis`. Decodes the
 * config at once (a `ConfigError` is thrown here, before any request); on
 * subscribe finds the stream ARN (`table`: DescribeTable's
 * `LatestStreamArn`), pins its start unless the checkpoint knows the stream
 * (LATEST becomes AT_TIMESTAMP of now), discovers shards with DescribeStream
 * paged from the last shard seen, and polls them parents first within the
 * DynamoDB Streams limits (≤ 1,000 records a call, calls ≥ 250 ms apart and
 * ≤ 4 a second per shard, an expired iterator replaced after the last
 * record read). Unsubscribing aborts every request, stops every timer and
 * destroys the clients it created.
 *
 * ## Example
 * ```ts
 * import { dynamoDBStreamsBatches } from 'rx-kinesis';
 * dynamoDBStreamsBatches({ table: 'orders', region: 'eu-west-1' })
 *   .subscribe((out) => 'records' in out && console.log(out.records.length));
 * ```
 *
 * @param config the DynamoDB Streams config
 * @param scheduler where every timer runs; defaults to `asyncScheduler`
 * @returns each shard's batches, framed by `shardStarted` / `shardFinished`
 */
export function dynamoDBStreamsBatches(
  config: DynamoDBStreamsConfig,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<ShardOutput<DynamoDBStreamRecord>> {
  const source = resolveDynamoDBStreamsConfig(config);
  const { polling, paused, onFetch } = source;
  const { client: given, ...clientConfig } = source.client;
  const reader = pollShard({
    maxRecords: polling.maxRecords,
    intervalMs: polling.intervalMs,
    backoff: polling.backoff,
    callLimits: DYNAMODB_STREAMS_CALL_LIMITS,
    records: streamRecords(source.wrapNumbers),
  });
  return defer(() => {
    const created: object[] = [];
    const streams = given ?? createDynamoDBStreamsClient(clientConfig);
    if (given === undefined) created.push(streams);
    let listings = 0;
    const port = dynamoDBStreamsAsKinesis(streams, () => (listings += 1));
    const streamArn = (): Observable<string> => {
      if ('streamArn' in source.target) return of(source.target.streamArn);
      let dynamodb: DynamoDBPort | undefined = source.dynamoDBClient;
      if (dynamodb === undefined) {
        dynamodb = createDynamoDBClient(clientConfig);
        created.push(dynamodb);
      }
      return resolveStreamArn(
        dynamodb,
        source.target.table,
        source.describeTableBackoff,
        scheduler,
      );
    };
    return streamArn().pipe(
      switchMap((arn) => {
        const known = source.checkpoint ?? emptyCheckpointState();
        const state = pinStarts(known, [arn], source.initialPosition, scheduler.now());
        // LATEST pinned just now: the first listing's open shards from a LATEST iterator
        const latest =
          known.starts[arn] === undefined && source.initialPosition.type === 'LATEST'
            ? latestAtFirstStart<DynamoDBStreamRecord>(() => listings === 1)
            : undefined;
        return discoverShards(port, [arn], source.discovery, scheduler).pipe(
          latest !== undefined ? latest.shards : identity,
          readShards({
            reader: latest !== undefined ? latest.reader(reader) : reader,
            state,
            context: {
              client: port,
              scheduler,
              ...(paused !== undefined ? { paused } : {}),
              ...(onFetch !== undefined ? { onFetch } : {}),
            },
          }),
        );
      }),
      // clients we created are ours to close (sockets), so the process can exit
      finalize(() => {
        for (const client of created) (client as { destroy?: () => void }).destroy?.();
      }),
    );
  });
}
