import {
  type AttributeValue,
  CreateTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type UpdateItemCommandOutput,
  type ScanCommandOutput,
  type DescribeTableCommandOutput,
} from '@aws-sdk/client-dynamodb';
import {
  EMPTY,
  type Observable,
  type SchedulerLike,
  catchError,
  defer,
  expand,
  map,
  mergeMap,
  of,
  reduce,
  throwError,
  timer,
} from 'rxjs';
import type { BackoffPolicy } from '../client/BackoffPolicy.js';
import { classifyError } from '../client/classifyError.js';
import type { KinesisPort } from '../client/KinesisPort.js';
import { retryWithBackoff } from '../client/retryWithBackoff.js';
import { sendCommand } from '../client/sendCommand.js';
import type { DynamoDBPort } from '../dynamodb/DynamoDBPort.js';
import { LEASE_ATTRIBUTES as A, type Lease, leaseFromItem, leaseToItem } from './Lease.js';
import { LeaseTableError } from './errors.js';

/** The retry policy of lease-table calls (throttling, 5xx, network). */
export const DEFAULT_LEASE_TABLE_BACKOFF: BackoffPolicy = {
  base: 100,
  max: 2000,
  expConst: 2,
  maxRetries: 8,
};

const DYNAMODB_RETRYABLE = new Set([
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'InternalServerError',
  'TransactionConflictException',
]);

/** True for the error DynamoDB answers when a condition does not hold. */
export const isConditionFailed = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { name?: unknown }).name === 'ConditionalCheckFailedException';

const shouldRetry = (error: unknown): boolean =>
  !isConditionFailed(error) &&
  (classifyError(error) === 'retryable' ||
    DYNAMODB_RETRYABLE.has(String((error as { name?: unknown } | null)?.name)));

/** What a conditional write answers: the new lease, or `undefined` when its condition did not hold. */
export type ConditionalResult = Lease | undefined;

/**
 * The DynamoDB calls of the lease coordinator, each a cold Observable that
 * sends on subscribe, aborts on unsubscribe and retries throttling, 5xx and
 * network errors with our full-jitter backoff on the scheduler. A failed
 * condition is an answer (`undefined`), not an error; anything else that
 * fails for good is a `LeaseTableError`.
 */
export class LeaseTable {
  constructor(
    private readonly port: DynamoDBPort,
    readonly tableName: string,
    private readonly scheduler: SchedulerLike,
    private readonly backoff: BackoffPolicy = DEFAULT_LEASE_TABLE_BACKOFF,
  ) {}

  private call<T>(command: object): Observable<T> {
    return defer(() => sendCommand<T>(this.port as unknown as KinesisPort, command)).pipe(
      retryWithBackoff<T>(this.backoff, { shouldRetry }, this.scheduler),
    );
  }

  private fail(operation: string): (error: unknown) => Observable<never> {
    return (error) =>
      throwError(() =>
        error instanceof LeaseTableError
          ? error
          : new LeaseTableError(this.tableName, operation, error),
      );
  }

  /**
   * Makes sure the table exists and is ACTIVE: creates it (key `leaseKey`,
   * on-demand billing, as the KCL does) when missing and `create` is true,
   * else fails with a `LeaseTableError` saying so.
   */
  ensureTable(create: boolean, pollMs = 1000): Observable<void> {
    const describe = (): Observable<string | undefined> =>
      this.call<DescribeTableCommandOutput>(
        new DescribeTableCommand({ TableName: this.tableName }),
      ).pipe(
        map((out) => out.Table?.TableStatus ?? 'ACTIVE'),
        catchError((error: unknown) =>
          (error as { name?: unknown }).name === 'ResourceNotFoundException'
            ? of(undefined)
            : this.fail('DescribeTable')(error),
        ),
      );
    const untilActive = (status: string | undefined): Observable<void> =>
      status === 'ACTIVE'
        ? of(undefined)
        : timer(pollMs, this.scheduler).pipe(
            mergeMap(() => describe()),
            mergeMap((next) => untilActive(next ?? 'CREATING')),
          );
    return describe().pipe(
      mergeMap((status) => {
        if (status !== undefined) return untilActive(status);
        if (!create) {
          return throwError(
            () =>
              new LeaseTableError(
                this.tableName,
                'DescribeTable',
                undefined,
                `lease table "${this.tableName}" does not exist and createTableIfMissing is false: create it (hash key "leaseKey", type S) or let the coordinator create it`,
              ),
          );
        }
        return this.call<unknown>(
          new CreateTableCommand({
            TableName: this.tableName,
            AttributeDefinitions: [{ AttributeName: A.leaseKey, AttributeType: 'S' }],
            KeySchema: [{ AttributeName: A.leaseKey, KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
          }),
        ).pipe(
          catchError((error: unknown) =>
            // another worker is creating it at the same time
            (error as { name?: unknown }).name === 'ResourceInUseException'
              ? of(undefined)
              : this.fail('CreateTable')(error),
          ),
          mergeMap(() => describe()),
          mergeMap((next) => untilActive(next ?? 'CREATING')),
        );
      }),
    );
  }

  /**
   * Every lease of the table (a paged Scan). `consistent` false reads as the
   * KCL's lease taker does (eventually consistent, half the read capacity):
   * a stale item only shows an older counter, which the caller skips.
   */
  scan(consistent = true): Observable<Lease[]> {
    const page = (
      start: Record<string, AttributeValue> | undefined,
    ): Observable<ScanCommandOutput> =>
      this.call<ScanCommandOutput>(
        new ScanCommand({
          TableName: this.tableName,
          ConsistentRead: consistent,
          ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
        }),
      );
    return page(undefined).pipe(
      expand((out) => (out.LastEvaluatedKey !== undefined ? page(out.LastEvaluatedKey) : EMPTY)),
      reduce<ScanCommandOutput, Lease[]>((all, out) => {
        for (const item of out.Items ?? []) {
          const lease = leaseFromItem(item);
          if (lease !== undefined) all.push(lease);
        }
        return all;
      }, []),
      catchError(this.fail('Scan')),
    );
  }

  /** Creates a lease unless one with its key exists: `true` when this call created it. */
  create(lease: Lease): Observable<boolean> {
    return this.call<unknown>(
      new PutItemCommand({
        TableName: this.tableName,
        Item: leaseToItem(lease),
        ConditionExpression: 'attribute_not_exists(#key)',
        ExpressionAttributeNames: { '#key': A.leaseKey },
      }),
    ).pipe(
      map(() => true),
      catchError((error: unknown) =>
        isConditionFailed(error) ? of(false) : this.fail('PutItem')(error),
      ),
    );
  }

  /**
   * One conditional update: `set` (attribute -> value) and `remove`
   * (attributes), if the lease's counter is `counter` and its owner is
   * `owner` (`null`: it has none). Answers the lease as it is now, or
   * `undefined` when the condition failed.
   */
  update(
    leaseKey: string,
    expected: { readonly counter: number; readonly owner: string | null },
    set: Readonly<Record<string, AttributeValue>>,
    remove: readonly string[] = [],
  ): Observable<ConditionalResult> {
    const names: Record<string, string> = {
      '#key': A.leaseKey,
      '#counter': A.leaseCounter,
      '#owner': A.leaseOwner,
    };
    const values: Record<string, AttributeValue> = {
      ':expectedCounter': { N: String(expected.counter) },
    };
    const sets: string[] = [];
    let i = 0;
    for (const [attribute, value] of Object.entries(set)) {
      names[`#s${i}`] = attribute;
      values[`:s${i}`] = value;
      sets.push(`#s${i} = :s${i}`);
      i += 1;
    }
    const removes = remove.map((attribute, j) => {
      names[`#r${j}`] = attribute;
      return `#r${j}`;
    });
    let condition = 'attribute_exists(#key) AND #counter = :expectedCounter';
    if (expected.owner === null) condition += ' AND attribute_not_exists(#owner)';
    else {
      values[':expectedOwner'] = { S: expected.owner };
      condition += ' AND #owner = :expectedOwner';
    }
    const expression = [
      sets.length > 0 ? `SET ${sets.join(', ')}` : '',
      removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
    ]
      .filter((part) => part !== '')
      .join(' ');
    return this.call<UpdateItemCommandOutput>(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { [A.leaseKey]: { S: leaseKey } },
        UpdateExpression: expression,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    ).pipe(
      map((out) => (out.Attributes !== undefined ? leaseFromItem(out.Attributes) : undefined)),
      catchError((error: unknown) =>
        isConditionFailed(error) ? of(undefined) : this.fail('UpdateItem')(error),
      ),
    );
  }

  /**
   * Lets a lease go: removes its owner and moves its counter on, if `owner`
   * still owns it. Only the owner is checked, as the KCL's eviction does: a
   * renewal aborted by the stop may still have landed and moved the counter.
   * Answers the lease as it is now, or `undefined` when another worker owns it.
   */
  release(leaseKey: string, owner: string): Observable<ConditionalResult> {
    return this.call<UpdateItemCommandOutput>(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { [A.leaseKey]: { S: leaseKey } },
        UpdateExpression: 'SET #counter = #counter + :one REMOVE #owner',
        ConditionExpression: 'attribute_exists(#key) AND #owner = :owner',
        ExpressionAttributeNames: {
          '#key': A.leaseKey,
          '#counter': A.leaseCounter,
          '#owner': A.leaseOwner,
        },
        ExpressionAttributeValues: { ':one': { N: '1' }, ':owner': { S: owner } },
        ReturnValues: 'ALL_NEW',
      }),
    ).pipe(
      map((out) => (out.Attributes !== undefined ? leaseFromItem(out.Attributes) : undefined)),
      catchError((error: unknown) =>
        isConditionFailed(error) ? of(undefined) : this.fail('UpdateItem')(error),
      ),
    );
  }
}
