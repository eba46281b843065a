import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import { CheckpointLoadError } from '../../src/checkpoint/CheckpointLoadError.js';
import { CheckpointTableError } from '../../src/checkpoint/CheckpointTableError.js';
import { CheckpointTooLargeError } from '../../src/checkpoint/CheckpointTooLargeError.js';
import {
  DYNAMODB_ITEM_LIMIT,
  type DynamoDBCheckpointStoreSettings,
  dynamoDBCheckpointStore,
} from '../../src/checkpoint/dynamoDBCheckpointStore.js';
import { StaleCheckpointError } from '../../src/checkpoint/StaleCheckpointError.js';
import { FakeDynamoDB, dynamoDBError } from '../../src/testing/FakeDynamoDB.js';
import { itemBytes, stateOf, stateOfLength } from './support/stateOf.js';

const TABLE = 'checkpoints';
const fast = { base: 1, max: 2, expConst: 2, maxRetries: 3 };

function storeOn(
  dynamodb: FakeDynamoDB,
  key = 'app',
  more: Partial<DynamoDBCheckpointStoreSettings> = {},
): ReturnType<typeof dynamoDBCheckpointStore> {
  return dynamoDBCheckpointStore({
    tableName: TABLE,
    key,
    dynamodb: { client: dynamodb },
    backoff: fast,
    ...more,
  });
}

const failure = <T>(promise: Promise<T>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );

describe('dynamoDBCheckpointStore (in-memory DynamoDB twin)', () => {
  it('creates a missing table (hash key checkpointKey, on-demand), loads nothing, saves, loads back', async () => {
    const dynamodb = new FakeDynamoDB();
    const store = storeOn(dynamodb);
    expect(dynamodb.calls).toEqual([]); // nothing before the first call
    expect(await store.load()).toBeUndefined();
    const create = dynamodb.callsOf('CreateTableCommand')[0]?.input;
    expect(create?.['KeySchema']).toEqual([{ AttributeName: 'checkpointKey', KeyType: 'HASH' }]);
    expect(create?.['BillingMode']).toBe('PAY_PER_REQUEST');
    await store.save(stateOf(1));
    expect(dynamodb.item(TABLE, 'app')).toEqual({
      checkpointKey: { S: 'app' },
      checkpointState: { S: JSON.stringify(stateOf(1)) },
      checkpointCounter: { N: '1' },
    });
    await store.save(stateOf(2));
    expect(dynamodb.item(TABLE, 'app')?.['checkpointCounter']).toEqual({ N: '2' });
    expect(await storeOn(dynamodb).load()).toEqual(stateOf(2));
    expect(store.description).toBe('DynamoDB table checkpoints, key app');
    // the table is checked once per store (the first: missing, created, active)
    expect(dynamodb.callsOf('DescribeTableCommand')).toHaveLength(3);
    // reads are consistent
    expect(dynamodb.callsOf('GetItemCommand')[0]?.input['ConsistentRead']).toBe(true);
  });

  it('keys are independent items of one table', async () => {
    const dynamodb = new FakeDynamoDB();
    const a = storeOn(dynamodb, 'a');
    const b = storeOn(dynamodb, 'b');
    await a.load();
    await b.load();
    await a.save(stateOf(1));
    await b.save(stateOf(2));
    expect(await storeOn(dynamodb, 'a').load()).toEqual(stateOf(1));
    expect(await storeOn(dynamodb, 'b').load()).toEqual(stateOf(2));
  });

  it('a stale writer cannot overwrite a newer state: StaleCheckpointError until it loads again', async () => {
    const dynamodb = new FakeDynamoDB();
    const first = storeOn(dynamodb);
    const second = storeOn(dynamodb);
    expect(await first.load()).toBeUndefined();
    expect(await second.load()).toBeUndefined();
    await first.save(stateOf(1));
    const stale = (await failure(second.save(stateOf(2)))) as StaleCheckpointError;
    expect(stale).toBeInstanceOf(StaleCheckpointError);
    expect(stale.name).toBe('StaleCheckpointError');
    expect(stale).toMatchObject({ tableName: TABLE, key: 'app', expectedCounter: 0 });
    expect(stale.storedCounter).toBe(1);
    expect(stale.message).toContain('DynamoDB table checkpoints, key app');
    // still stale: the newer state stays
    await expect(second.save(stateOf(3))).rejects.toBeInstanceOf(StaleCheckpointError);
    expect(await storeOn(dynamodb).load()).toEqual(stateOf(1));
    // after a load it writes over what it loaded; now the first one is stale
    expect(await second.load()).toEqual(stateOf(1));
    await second.save(stateOf(4));
    const again = (await failure(first.save(stateOf(5)))) as StaleCheckpointError;
    expect(again).toMatchObject({ expectedCounter: 1, storedCounter: 2 });
    expect(await storeOn(dynamodb).load()).toEqual(stateOf(4));
  });

  it('a save before any load writes only when nothing is stored', async () => {
    const dynamodb = new FakeDynamoDB();
    await storeOn(dynamodb).save(stateOf(1));
    await expect(storeOn(dynamodb).save(stateOf(2))).rejects.toBeInstanceOf(StaleCheckpointError);
    expect(await storeOn(dynamodb).load()).toEqual(stateOf(1));
  });

  it('a conditional write retried after its first attempt landed is a success, not stale', async () => {
    const dynamodb = new FakeDynamoDB();
    const store = storeOn(dynamodb);
    await store.load();
    let dropped = false;
    dynamodb.inject((call) => {
      if (call.command !== 'PutItemCommand' || dropped) return undefined;
      dropped = true;
      // the write lands, the answer is lost on the way back
      dynamodb.putItem(TABLE, call.input['Item'] as never);
      return { error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) };
    });
    await store.save(stateOf(1));
    expect(dynamodb.callsOf('PutItemCommand')).toHaveLength(2);
    await store.save(stateOf(2)); // and goes on from counter 1
    expect(dynamodb.item(TABLE, 'app')?.['checkpointCounter']).toEqual({ N: '2' });
  });

  it('retries throttling with backoff; gives up with a CheckpointTableError', async () => {
    const dynamodb = new FakeDynamoDB();
    const store = storeOn(dynamodb);
    await store.load();
    dynamodb.failNext('PutItemCommand', 'ProvisionedThroughputExceededException', 2);
    await store.save(stateOf(1));
    expect(dynamodb.callsOf('PutItemCommand')).toHaveLength(3);
    dynamodb.failNext('PutItemCommand', 'ThrottlingException', 1 + fast.maxRetries);
    const error = (await failure(store.save(stateOf(2)))) as CheckpointTableError;
    expect(error).toBeInstanceOf(CheckpointTableError);
    expect(error).toMatchObject({ tableName: TABLE, operation: 'PutItem' });
    expect(dynamodb.callsOf('PutItemCommand')).toHaveLength(3 + 1 + fast.maxRetries);
    // a refusal that is not transient is not retried
    dynamodb.failNext('PutItemCommand', dynamoDBError('ValidationException'));
    await expect(store.save(stateOf(3))).rejects.toBeInstanceOf(CheckpointTableError);
    expect(dynamodb.callsOf('PutItemCommand')).toHaveLength(3 + 1 + fast.maxRetries + 1);
  });

  it('a state over 400 KB is a CheckpointTooLargeError before any request; one at the limit is saved', async () => {
    const dynamodb = new FakeDynamoDB();
    const store = storeOn(dynamodb);
    await store.load();
    const limit = DYNAMODB_ITEM_LIMIT;
    // everything of the item but the state text
    const overhead = itemBytes('app', stateOfLength(1000)) - 1000;
    const fits = stateOfLength(limit - overhead);
    expect(itemBytes('app', fits)).toBe(limit);
    await store.save(fits);
    const over = stateOfLength(limit - overhead + 1);
    const puts = dynamodb.callsOf('PutItemCommand').length;
    const error = (await failure(store.save(over))) as CheckpointTooLargeError;
    expect(error).toBeInstanceOf(CheckpointTooLargeError);
    expect(error).toMatchObject({ bytes: limit + 1, limit });
    expect(error.message).toContain('DynamoDB table checkpoints, key app');
    expect(dynamodb.callsOf('PutItemCommand')).toHaveLength(puts);
    expect(await storeOn(dynamodb).load()).toEqual(fits);
  });

  it('an item that does not decode is a CheckpointLoadError naming table, key and path', async () => {
    const dynamodb = new FakeDynamoDB();
    dynamodb.createTable(TABLE, 'checkpointKey');
    const cases: Array<[Record<string, { S?: string; N?: string }>, string]> = [
      [{ checkpointCounter: { N: '1' } }, 'checkpointState'],
      [{ checkpointState: { S: '{}' } }, 'checkpointCounter'],
      [{ checkpointState: { S: '{}' }, checkpointCounter: { S: '1' } }, 'checkpointCounter'],
      [{ checkpointState: { S: '{"vers' }, checkpointCounter: { N: '3' } }, 'state'],
      [
        {
          checkpointState: { S: '{"version":1,"starts":{"s":"LATEST"},"shards":{}}' },
          checkpointCounter: { N: '3' },
        },
        'state.starts.s',
      ],
    ];
    for (const [attributes, path] of cases) {
      dynamodb.putItem(TABLE, { checkpointKey: { S: 'app' }, ...attributes });
      const error = (await failure(storeOn(dynamodb).load())) as CheckpointLoadError;
      expect(error).toBeInstanceOf(CheckpointLoadError);
      expect(error.store).toBe('DynamoDB table checkpoints, key app');
      expect(error.problems.map((p) => p.path)).toContain(path);
      expect(error.message).toContain('DynamoDB table checkpoints, key app holds no valid');
    }
  });

  it('with createTableIfMissing false a missing table is a clear error, and nothing is created', async () => {
    const dynamodb = new FakeDynamoDB();
    const store = storeOn(dynamodb, 'app', { createTableIfMissing: false });
    const error = (await failure(store.load())) as CheckpointLoadError;
    expect(error).toBeInstanceOf(CheckpointLoadError);
    expect(error.cause).toBeInstanceOf(CheckpointTableError);
    expect(error.message).toContain(
      'checkpoint table "checkpoints" does not exist and createTableIfMissing is false',
    );
    const saved = await failure(store.save(stateOf(1)));
    expect(saved).toBeInstanceOf(CheckpointTableError);
    expect(dynamodb.hasTable(TABLE)).toBe(false);
    expect(dynamodb.callsOf('CreateTableCommand')).toEqual([]);
    // an existing table is used
    dynamodb.createTable(TABLE, 'checkpointKey');
    expect(await store.load()).toBeUndefined();
  });

  it('aborting a load stops its retries', async () => {
    const dynamodb = new FakeDynamoDB();
    dynamodb.createTable(TABLE, 'checkpointKey');
    const store = storeOn(dynamodb, 'app', {
      backoff: { base: 50, max: 50, expConst: 1, maxRetries: 100 },
    });
    dynamodb.throttle(() => true);
    const controller = new AbortController();
    const loading = failure(store.load({ abortSignal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 120));
    controller.abort();
    const error = await loading;
    expect((error as Error).name).toBe('AbortError');
    const calls = dynamodb.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(dynamodb.calls.length).toBe(calls);
  });

  it('settings are checked at once: a ConfigError naming the path', () => {
    const client = new FakeDynamoDB();
    const bad: Array<[unknown, string]> = [
      [{ tableName: 'ab', key: 'k', dynamodb: { client } }, 'checkpointStore.tableName'],
      [{ tableName: TABLE, key: '', dynamodb: { client } }, 'checkpointStore.key'],
      [{ tableName: TABLE, key: 'x'.repeat(2049), dynamodb: { client } }, 'checkpointStore.key'],
      [{ tableName: TABLE, key: 'k' }, 'checkpointStore.dynamodb'],
      [{ tableName: TABLE, key: 'k', dynamodb: {}, tabelName: 'x' }, 'checkpointStore.tabelName'],
      [
        { tableName: TABLE, key: 'k', dynamodb: {}, backoff: { maxRetries: -1 } },
        'checkpointStore.backoff.maxRetries',
      ],
    ];
    for (const [settings, path] of bad) {
      let error: unknown;
      try {
        dynamoDBCheckpointStore(settings as DynamoDBCheckpointStoreSettings);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(path);
    }
    expect(client.calls).toEqual([]);
  });
});
