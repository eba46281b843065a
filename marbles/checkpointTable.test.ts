import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { CheckpointTable } from '../src/checkpoint/CheckpointTable.js';
import { CheckpointTableError } from '../src/checkpoint/CheckpointTableError.js';
import { FakeDynamoDB, dynamoDBError } from '../src/testing/FakeDynamoDB.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const TABLE = 'checkpoints';
// Retry delays are full-jitter (random below the cap): timing is asserted exactly for the
// table polling, and as bounds and counts for retries.
const backoff = { base: 100, max: 100, expConst: 1, maxRetries: 3 };

/** DescribeTable answers CREATING for the first `creating` calls after the table was made. */
function slowTable(dynamodb: FakeDynamoDB, creating: number): void {
  let left = creating;
  dynamodb.inject((call) => {
    if (call.command !== 'DescribeTableCommand' || !dynamodb.hasTable(TABLE) || left <= 0) {
      return undefined;
    }
    left -= 1;
    return { response: { Table: { TableName: TABLE, TableStatus: 'CREATING' } } };
  });
}

describe('CheckpointTable.ensureTable (virtual time)', () => {
  it('an ACTIVE table: done at once, one DescribeTable', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const dynamodb = new FakeDynamoDB();
      dynamodb.createTable(TABLE, 'checkpointKey');
      const table = new CheckpointTable(dynamodb, TABLE, scheduler, backoff);
      expectObservable(table.ensureTable(true)).toBe('(a|)', { a: undefined });
      flush();
      expect(dynamodb.calls.map((c) => c.command)).toEqual(['DescribeTableCommand']);
    });
  });

  it('a missing table is created, then polled every second until ACTIVE', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const dynamodb = new FakeDynamoDB();
      slowTable(dynamodb, 2);
      const table = new CheckpointTable(dynamodb, TABLE, scheduler, backoff);
      // created at 0 (CREATING), polled at 1 s (CREATING), at 2 s (ACTIVE)
      expectObservable(table.ensureTable(true, 1000)).toBe('2000ms (a|)', { a: undefined });
      flush();
      expect(dynamodb.callsOf('CreateTableCommand')).toHaveLength(1);
      expect(dynamodb.callsOf('DescribeTableCommand').map((c) => c.at)).toEqual([0, 0, 1000, 2000]);
    });
  });

  it('a table that stays CREATING: never done; unsubscribing stops the polling', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const dynamodb = new FakeDynamoDB();
      slowTable(dynamodb, Number.POSITIVE_INFINITY);
      const table = new CheckpointTable(dynamodb, TABLE, scheduler, backoff);
      expectObservable(table.ensureTable(true, 1000), '5500ms !').toBe('');
      flush();
      scheduler.schedule(() => undefined, 20_000);
      flush();
      const polls = dynamodb.callsOf('DescribeTableCommand').map((c) => c.at);
      expect(Math.max(...polls)).toBe(5000);
    });
  });

  it('missing with creation off: an error at once, nothing created', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const dynamodb = new FakeDynamoDB();
      const table = new CheckpointTable(dynamodb, TABLE, scheduler, backoff);
      expectObservable(table.ensureTable(false)).toBe(
        '#',
        undefined,
        new CheckpointTableError(
          TABLE,
          'DescribeTable',
          undefined,
          `checkpoint table "${TABLE}" does not exist and createTableIfMissing is false: create it (hash key "checkpointKey", type S) or let the store create it`,
        ),
      );
      flush();
      expect(dynamodb.callsOf('DescribeTableCommand')).toHaveLength(1);
      expect(dynamodb.callsOf('CreateTableCommand')).toEqual([]);
    });
  });
});

describe('CheckpointTable.put / get (virtual time)', () => {
  it('a throttled put is retried within the policy, then answers true', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const dynamodb = new FakeDynamoDB();
      dynamodb.createTable(TABLE, 'checkpointKey');
      dynamodb.failNext('PutItemCommand', 'ProvisionedThroughputExceededException', 3);
      const table = new CheckpointTable(dynamodb, TABLE, scheduler, backoff);
      const answers: boolean[] = [];
      table.put('k', '{}', 1).subscribe((ok) => answers.push(ok));
      flush();
      expect(answers).toEqual([true]);
      const at = dynamodb.callsOf('PutItemCommand').map((c) => c.at);
      expect(at).toHaveLength(4);
      // each retry waits less than the cap
      for (let i = 1; i < at.length; i++) {
        expect((at[i] as number) - (at[i - 1] as number)).toBeLessThan(backoff.max);
      }
    });
  });

  it('throttled past the policy: a CheckpointTableError; a failed condition is an answer (false)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const dynamodb = new FakeDynamoDB();
      dynamodb.createTable(TABLE, 'checkpointKey');
      const table = new CheckpointTable(dynamodb, TABLE, scheduler, backoff);
      dynamodb.failNext('GetItemCommand', 'ThrottlingException', 4);
      const errors: unknown[] = [];
      table.get('k').subscribe({ error: (e: unknown) => errors.push(e) });
      const answers: boolean[] = [];
      table.put('k', '{}', 2).subscribe((ok) => answers.push(ok));
      flush();
      expect(errors[0]).toBeInstanceOf(CheckpointTableError);
      expect((errors[0] as CheckpointTableError).cause).toEqual(
        dynamoDBError('ThrottlingException'),
      );
      expect(dynamodb.callsOf('GetItemCommand')).toHaveLength(4);
      expect(answers).toEqual([false]);
      expect(dynamodb.callsOf('PutItemCommand')).toHaveLength(1);
    });
  });
});
