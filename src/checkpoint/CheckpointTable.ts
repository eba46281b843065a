import {
  type AttributeValue,
  CreateTableCommand,
  DescribeTableCommand,
  type DescribeTableCommandOutput,
  GetItemCommand,
  type GetItemCommandOutput,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type Observable,
  type SchedulerLike,
  catchError,
  defer,
  map,
  mergeMap,
  of,
  throwError,
  timer,
} from 'rxjs';
import type { BackoffPolicy } from '../client/BackoffPolicy.js';
import type { KinesisPort } from '../client/KinesisPort.js';
import { retryWithBackoff } from '../client/retryWithBackoff.js';
import { sendCommand } from '../client/sendCommand.js';
import type { DynamoDBPort } from '../dynamodb/DynamoDBPort.js';
import { isRetryableDynamoDBError } from '../dynamodb/isRetryableDynamoDBError.js';
import { CheckpointTableError } from './CheckpointTableError.js';

/** The attributes of a checkpoint item. */
export const CHECKPOINT_ATTRIBUTES = {
  /** The hash key (S): the store's `key`. */
  key: 'checkpointKey',
  /** The state as JSON text (S). */
  state: 'checkpointState',
  /** 1 on the first save, one more on each save (N): what conditional writes compare. */
  counter: 'checkpointCounter',
} as const;
const A = CHECKPOINT_ATTRIBUTES;

const nameOf = (error: unknown): unknown => (error as { name?: unknown } | null)?.name;

/**
 * The DynamoDB calls of `dynamoDBCheckpointStore`, each a cold Observable
 * that sends on subscribe, aborts on unsubscribe and retries throttling, 5xx
 * and network errors with our full-jitter backoff on the scheduler. What
 * fails for good is a `CheckpointTableError`.
 */
export class CheckpointTable {
  constructor(
    private readonly port: DynamoDBPort,
    readonly tableName: string,
    private readonly scheduler: SchedulerLike,
    private readonly backoff: BackoffPolicy,
  ) {}

  private call<T>(operation: string, command: object): Observable<T> {
    return defer(() => sendCommand<T>(this.port as unknown as KinesisPort, command)).pipe(
      retryWithBackoff<T>(this.backoff, { shouldRetry: isRetryableDynamoDBError }, this.scheduler),
      catchError((error: unknown) =>
        throwError(() =>
          nameOf(error) === 'ConditionalCheckFailedException' ||
          nameOf(error) === 'ResourceNotFoundException' ||
          nameOf(error) === 'ResourceInUseException'
            ? error
            : new CheckpointTableError(this.tableName, operation, error),
        ),
      ),
    );
  }

  private describe(): Observable<string | undefined> {
    return this.call<DescribeTableCommandOutput>(
      'DescribeTable',
      new DescribeTableCommand({ TableName: this.tableName }),
    ).pipe(
      map((out) => out.Table?.TableStatus ?? 'ACTIVE'),
      catchError((error: unknown) =>
        nameOf(error) === 'ResourceNotFoundException'
          ? of(undefined)
          : throwError(() => new CheckpointTableError(this.tableName, 'DescribeTable', error)),
      ),
    );
  }

  /**
   * Makes sure the table exists and is ACTIVE: creates it (hash key
   * `checkpointKey`, on-demand billing) when missing and `create` is true,
   * else fails with a `CheckpointTableError` saying so.
   */
  ensureTable(create: boolean, pollMs = 1000): Observable<void> {
    const untilActive = (status: string | undefined): Observable<void> =>
      status === 'ACTIVE'
        ? of(undefined)
        : timer(pollMs, this.scheduler).pipe(
            mergeMap(() => this.describe()),
            mergeMap((next) => untilActive(next ?? 'CREATING')),
          );
    return this.describe().pipe(
      mergeMap((status) => {
        if (status !== undefined) return untilActive(status);
        if (!create) {
          return throwError(
            () =>
              new CheckpointTableError(
                this.tableName,
                'DescribeTable',
                undefined,
                `checkpoint table "${this.tableName}" does not exist and createTableIfMissing is false: create it (hash key "${A.key}", type S) or let the store create it`,
              ),
          );
        }
        return this.call<unknown>(
          'CreateTable',
          new CreateTableCommand({
            TableName: this.tableName,
            AttributeDefinitions: [{ AttributeName: A.key, AttributeType: 'S' }],
            KeySchema: [{ AttributeName: A.key, KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
          }),
        ).pipe(
          catchError((error: unknown) =>
            // another process is creating it at the same time
            nameOf(error) === 'ResourceInUseException'
              ? of(undefined)
              : throwError(() => new CheckpointTableError(this.tableName, 'CreateTable', error)),
          ),
          mergeMap(() => this.describe()),
          mergeMap((next) => untilActive(next ?? 'CREATING')),
        );
      }),
    );
  }

  /** The item of `key` (a consistent read), or undefined. */
  get(key: string): Observable<Record<string, AttributeValue> | undefined> {
    return this.call<GetItemCommandOutput>(
      'GetItem',
      new GetItemCommand({
        TableName: this.tableName,
        Key: { [A.key]: { S: key } },
        ConsistentRead: true,
      }),
    ).pipe(
      map((out) => out.Item),
      catchError((error: unknown) =>
        throwError(() =>
          error instanceof CheckpointTableError
            ? error
            : new CheckpointTableError(this.tableName, 'GetItem', error),
        ),
      ),
    );
  }

  /**
   * Writes the state of `key` with counter `counter`, if the stored counter
   * is `counter - 1` (or, for counter 1, if nothing is stored). Answers
   * `true` when written, `false` when the condition did not hold.
   */
  put(key: string, text: string, counter: number): Observable<boolean> {
    const first = counter === 1;
    return this.call<unknown>(
      'PutItem',
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          [A.key]: { S: key },
          [A.state]: { S: text },
          [A.counter]: { N: String(counter) },
        },
        ConditionExpression: first ? 'attribute_not_exists(#key)' : '#counter = :expected',
        ExpressionAttributeNames: first ? { '#key': A.key } : { '#counter': A.counter },
        ...(first
          ? {}
          : { ExpressionAttributeValues: { ':expected': { N: String(counter - 1) } } }),
      }),
    ).pipe(
      map(() => true),
      catchError((error: unknown) =>
        nameOf(error) === 'ConditionalCheckFailedException'
          ? of(false)
          : throwError(() =>
              error instanceof CheckpointTableError
                ? error
                : new CheckpointTableError(this.tableName, 'PutItem', error),
            ),
      ),
    );
  }
}
