import {
  CreateTableCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { firstValueFrom, lastValueFrom, takeWhile, tap, timeout, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  type CheckpointState,
  type DynamoDBStreamRecord,
  StreamNotFoundError,
  checkpoints,
  fromDynamoDBStreams,
  readDynamoDBStreams,
} from '../../src/index.js';
import { useDynamoDBLocal } from '../support/dynamodb.js';

const server = useDynamoDBLocal();
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
// quick rediscovery and polling: the emulator has no call limits to respect
const quick = { discoveryIntervalMs: 500, polling: { intervalMs: 50 } } as const;

let tables = 0;
async function streamTable(client: DynamoDBClient): Promise<{ table: string; arn: string }> {
  const table = `changes${(tables += 1)}`;
  const created = await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return { table, arn: created.TableDescription?.LatestStreamArn as string };
}

const put = (client: DynamoDBClient, table: string, pk: string, v: number): Promise<unknown> =>
  client.send(
    new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, v: { N: String(v) } } }),
  );

/** Reads until the record of item `sentinel` (included): nothing after it is asked for. */
const untilSentinel = (sentinel: string) =>
  takeWhile<DynamoDBStreamRecord>((record) => record.keys.pk !== sentinel, true);

describe('fromDynamoDBStreams against DynamoDB Local', () => {
  it('reads inserts, updates and deletes of many items, in order per key, with plain images', async () => {
    const client = server.client();
    const { table, arn } = await streamTable(client);
    const items = 120;
    for (let i = 0; i < items; i++) await put(client, table, `item-${i}`, 0);
    for (let round = 1; round <= 2; round++) {
      for (let i = 0; i < items; i++) {
        await client.send(
          new UpdateItemCommand({
            TableName: table,
            Key: { pk: { S: `item-${i}` } },
            UpdateExpression: 'SET v = :v, tags = :t',
            ExpressionAttributeValues: {
              ':v': { N: String(round) },
              ':t': { SS: ['a', `r${round}`] },
            },
          }),
        );
      }
    }
    for (let i = 0; i < items; i += 3) {
      await client.send(
        new DeleteItemCommand({ TableName: table, Key: { pk: { S: `item-${i}` } } }),
      );
    }
    await put(client, table, 'sentinel', 0);

    const records = await lastValueFrom(
      fromDynamoDBStreams({
        table,
        endpoint: server.endpoint,
        region: 'us-east-1',
        credentials,
        initialPosition: 'TRIM_HORIZON',
        ...quick,
      }).pipe(untilSentinel('sentinel'), timeout(45_000), toArray()),
    );

    const deletes = Math.ceil(items / 3);
    expect(records).toHaveLength(items * 3 + deletes + 1);
    const byKey = new Map<string, DynamoDBStreamRecord[]>();
    for (const record of records) {
      expect(record.stream).toBe(arn);
      expect(record.approximateCreationDateTime).toBeInstanceOf(Date);
      const key = record.keys.pk as string;
      byKey.set(key, [...(byKey.get(key) ?? []), record]);
    }
    for (let i = 0; i < items; i++) {
      const changes = byKey.get(`item-${i}`) ?? [];
      const expected = ['INSERT', 'MODIFY', 'MODIFY', ...(i % 3 === 0 ? ['REMOVE'] : [])];
      expect(changes.map((c) => c.eventName)).toEqual(expected);
      expect(changes.map((c) => c.newImage?.v)).toEqual([
        0,
        1,
        2,
        ...(i % 3 === 0 ? [undefined] : []),
      ]);
      expect(changes[0]?.oldImage).toBeUndefined();
      expect(changes[1]?.oldImage).toEqual({ pk: `item-${i}`, v: 0 });
      expect(changes[2]?.newImage?.tags).toEqual(new Set(['a', 'r2']));
      if (i % 3 === 0) expect(changes[3]?.oldImage?.v).toBe(2);
    }
    // per shard, in sequence order
    const byShard = new Map<string, bigint>();
    for (const record of records) {
      const previous = byShard.get(record.shardId) ?? -1n;
      expect(BigInt(record.sequenceNumber)).toBeGreaterThan(previous);
      byShard.set(record.shardId, BigInt(record.sequenceNumber));
    }
  });

  it('restarts from a checkpoint with no loss and no duplicates, also for writes made while down', async () => {
    const client = server.client();
    const { table, arn } = await streamTable(client);
    for (let i = 0; i < 100; i++) await put(client, table, `first-${i}`, i);
    const config = {
      streamArn: arn,
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials,
      initialPosition: 'TRIM_HORIZON',
      ...quick,
    } as const;

    // the first run handles 60 records, checkpointing each, then stops
    let state: CheckpointState | undefined;
    let handled = 0;
    await lastValueFrom(
      readDynamoDBStreams(config).pipe(
        tap((event) => {
          if (!('type' in event)) handled += 1;
        }),
        checkpoints(),
        takeWhile(() => handled < 60, true),
        tap((s) => (state = JSON.parse(JSON.stringify(s)) as CheckpointState)),
        timeout(30_000),
      ),
    );
    expect(handled).toBe(60);
    expect(state?.starts[arn]).toBe('TRIM_HORIZON');

    for (let i = 0; i < 50; i++) await put(client, table, `second-${i}`, i);
    await put(client, table, 'sentinel', 0);

    // the restart: exactly the other 40 of the first batch, then all written while down
    const again = await lastValueFrom(
      fromDynamoDBStreams({ ...config, initialPosition: 'LATEST', checkpoint: state }).pipe(
        untilSentinel('sentinel'),
        timeout(30_000),
        toArray(),
      ),
    );
    const keys = again.map((r) => r.keys.pk as string);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([
      ...Array.from({ length: 40 }, (_, i) => `first-${i + 60}`),
      ...Array.from({ length: 50 }, (_, i) => `second-${i}`),
      'sentinel',
    ]);
  });

  it('LATEST starts at the first subscription: earlier changes are not read', async () => {
    const client = server.client();
    const { table } = await streamTable(client);
    for (let i = 0; i < 5; i++) await put(client, table, `before-${i}`, i);
    let fetched!: () => void;
    const polling = new Promise<void>((resolve) => (fetched = resolve));
    const records = lastValueFrom(
      fromDynamoDBStreams({
        table,
        endpoint: server.endpoint,
        region: 'us-east-1',
        credentials,
        ...quick,
        // the first GetRecords: the open shard's LATEST iterator is taken
        onFetch: () => fetched(),
      }).pipe(untilSentinel('sentinel'), timeout(30_000), toArray()),
    );
    await polling;
    for (let i = 0; i < 5; i++) await put(client, table, `after-${i}`, i);
    await put(client, table, 'sentinel', 0);
    expect((await records).map((r) => r.keys.pk)).toEqual([
      'after-0',
      'after-1',
      'after-2',
      'after-3',
      'after-4',
      'sentinel',
    ]);
  });

  it('a table without a stream fails with StreamNotFoundError, before reading anything', async () => {
    const client = server.client();
    await client.send(
      new CreateTableCommand({
        TableName: 'nostream',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const source = (table: string) =>
      fromDynamoDBStreams({
        table,
        endpoint: server.endpoint,
        region: 'us-east-1',
        credentials,
        backoff: { describeTable: { maxRetries: 0 } },
      });
    await expect(firstValueFrom(source('nostream'))).rejects.toBeInstanceOf(StreamNotFoundError);
    await expect(firstValueFrom(source('missing'))).rejects.toBeInstanceOf(StreamNotFoundError);
  });
});
