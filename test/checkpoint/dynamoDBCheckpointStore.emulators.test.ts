import { DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointLoadError } from '../../src/checkpoint/CheckpointLoadError.js';
import { CheckpointTableError } from '../../src/checkpoint/CheckpointTableError.js';
import { CheckpointTooLargeError } from '../../src/checkpoint/CheckpointTooLargeError.js';
import {
  DYNAMODB_ITEM_LIMIT,
  type DynamoDBCheckpointStore,
  dynamoDBCheckpointStore,
} from '../../src/checkpoint/dynamoDBCheckpointStore.js';
import { StaleCheckpointError } from '../../src/checkpoint/StaleCheckpointError.js';
import { type DynamoDBEmulator, useDynalite, useDynamoDBLocal } from '../support/dynamodb.js';
import { itemBytes, stateOf, stateOfLength } from './support/stateOf.js';

const emulators: ReadonlyArray<[string, DynamoDBEmulator]> = [
  ['dynalite', useDynalite()],
  ['DynamoDB Local', useDynamoDBLocal()],
];

let tables = 0;
const opened: DynamoDBCheckpointStore[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

describe.each(emulators)('dynamoDBCheckpointStore on %s', (_name, emulator) => {
  const newTable = (): string => `checkpoints-${++tables}`;
  const storeOf = (tableName: string, key = 'app', createTableIfMissing = true) => {
    const store = dynamoDBCheckpointStore({
      tableName,
      key,
      createTableIfMissing,
      // a client of the store's own (no SDK retries), closed after each test
      dynamodb: {
        region: 'us-east-1',
        endpoint: emulator.endpoint,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      },
    });
    opened.push(store);
    return store;
  };

  it('creates the table on demand, saves and loads back', async () => {
    const table = newTable();
    const store = storeOf(table);
    expect(await store.load()).toBeUndefined();
    const description = await emulator
      .client()
      .send(new DescribeTableCommand({ TableName: table }));
    expect(description.Table?.KeySchema).toEqual([
      { AttributeName: 'checkpointKey', KeyType: 'HASH' },
    ]);
    expect(description.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    await store.save(stateOf(1));
    await store.save(stateOf(2));
    expect(await storeOf(table).load()).toEqual(stateOf(2));
    expect(await storeOf(table, 'other').load()).toBeUndefined();
  });

  it('a stale writer fails with StaleCheckpointError and the newer state stays', async () => {
    const table = newTable();
    const first = storeOf(table);
    const second = storeOf(table);
    await first.load();
    await second.load();
    await first.save(stateOf(1));
    const error = await second.save(stateOf(2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleCheckpointError);
    expect(error).toMatchObject({ tableName: table, key: 'app', storedCounter: 1 });
    expect(await storeOf(table).load()).toEqual(stateOf(1));
  });

  it('of 8 writers that loaded the same state, exactly one saves', async () => {
    const table = newTable();
    const seed = storeOf(table);
    await seed.load();
    await seed.save(stateOf(0));
    const writers = Array.from({ length: 8 }, () => storeOf(table));
    await Promise.all(writers.map((w) => w.load()));
    const results = await Promise.allSettled(writers.map((w, i) => w.save(stateOf(i + 1))));
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i + 1] : []));
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StaleCheckpointError);
    }
    expect(await storeOf(table).load()).toEqual(stateOf(won[0] as number));
  });

  it('a state at the 400 KB item limit (by our count) is accepted; one byte more is refused by us', async () => {
    const table = newTable();
    const store = storeOf(table);
    await store.load();
    const overhead = itemBytes('app', stateOfLength(1000)) - 1000;
    const fits = stateOfLength(DYNAMODB_ITEM_LIMIT - overhead);
    await store.save(fits);
    expect(await storeOf(table).load()).toEqual(fits);
    const error = await store
      .save(stateOfLength(DYNAMODB_ITEM_LIMIT - overhead + 1))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointTooLargeError);
  });

  it('an item that does not decode is a CheckpointLoadError naming table, key and path', async () => {
    const table = newTable();
    await storeOf(table).load(); // creates the table
    await emulator.client().send(
      new PutItemCommand({
        TableName: table,
        Item: {
          checkpointKey: { S: 'app' },
          checkpointState: { S: '{"version":1,"starts":{},"shards":{"s/x":{"finished":false}}}' },
          checkpointCounter: { N: '4' },
        },
      }),
    );
    const error = (await storeOf(table)
      .load()
      .catch((e: unknown) => e)) as CheckpointLoadError;
    expect(error).toBeInstanceOf(CheckpointLoadError);
    expect(error.store).toBe(`DynamoDB table ${table}, key app`);
    expect(error.problems.map((p) => p.path)).toEqual(['state.shards.s/x.finished']);
  });

  it('with createTableIfMissing false a missing table is a clear error', async () => {
    const error = (await storeOf(newTable(), 'app', false)
      .load()
      .catch((e: unknown) => e)) as CheckpointLoadError;
    expect(error).toBeInstanceOf(CheckpointLoadError);
    expect(error.cause).toBeInstanceOf(CheckpointTableError);
    expect(error.message).toContain('does not exist and createTableIfMissing is false');
  });
});
