import { DescribeTableCommand, type DescribeTableOutput } from '@aws-sdk/client-dynamodb';
import {
  type Observable,
  type SchedulerLike,
  asyncScheduler,
  catchError,
  map,
  throwError,
} from 'rxjs';
import type { BackoffPolicy } from '../client/BackoffPolicy.js';
import { classifyError } from '../client/classifyError.js';
import { KinesisCallError, StreamNotFoundError } from '../client/errors.js';
import type { KinesisPort } from '../client/KinesisPort.js';
import { retryWithBackoff } from '../client/retryWithBackoff.js';
import { sendCommand } from '../client/sendCommand.js';
import type { DynamoDBPort } from '../dynamodb/DynamoDBPort.js';

/**
 * The ARN of a table's latest stream (`LatestStreamArn` of DescribeTable).
 * A table whose stream was disabled and enabled again has a new stream, with
 * new shards: a checkpoint of the old stream does not apply to it. A table
 * without a stream, or that does not exist, fails with `StreamNotFoundError`
 * naming the table; other errors, after retries, with `KinesisCallError`.
 *
 * ## Example
 * ```ts
 * import { resolveStreamArn, createDynamoDBClient, DEFAULT_BACKOFF } from 'rx-kinesis';
 * resolveStreamArn(createDynamoDBClient({ region: 'eu-west-1' }), 'orders', DEFAULT_BACKOFF.describeStream)
 *   .subscribe((arn) => console.log(arn));
 * ```
 *
 * @param dynamodb a DynamoDB client (or fake)
 * @param table the table name
 * @param backoff retry policy of DescribeTable
 * @param scheduler where the backoff waits run; defaults to `asyncScheduler`
 * @returns the stream ARN, then completes
 */
export function resolveStreamArn(
  dynamodb: DynamoDBPort,
  table: string,
  backoff: BackoffPolicy,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<string> {
  return sendCommand<DescribeTableOutput>(
    dynamodb as unknown as KinesisPort,
    new DescribeTableCommand({ TableName: table }),
  ).pipe(
    retryWithBackoff<DescribeTableOutput>(backoff, {}, scheduler),
    catchError((error: unknown) =>
      throwError(() =>
        classifyError(error) === 'not-found'
          ? new StreamNotFoundError(table, error)
          : new KinesisCallError('DescribeTable', table, error),
      ),
    ),
    map((output) => {
      const arn = output.Table?.LatestStreamArn;
      // a disabled stream keeps its ARN (its records stay readable for 24 h): read it
      if (arn === undefined || arn === null || arn === '') {
        throw new StreamNotFoundError(table, new Error(`table "${table}" has no stream enabled`));
      }
      return arn;
    }),
  );
}
