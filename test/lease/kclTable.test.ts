// A lease table written by hand exactly as the KCL writes it (table keyed by
// `leaseKey`, on-demand billing; one lease per shard with the KCL's
// attribute names and types) on AWS's own DynamoDB Local: a worker of ours
// resumes from it. Reading goes on after each seeded checkpoint, nothing
// before it is read again, and the lease of a dead KCL worker is taken only
// once it has expired (its counter did not move for failoverTimeMs).
import { describe, expect, it } from 'vitest';
import {
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { ListShardsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { type Subscription, tap } from 'rxjs';
import {
  type CheckpointState,
  checkpoints,
  dynamoDBLeases,
  fromKinesis,
  type KinesisRecord,
} from '../../src/index.js';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';
import { useDynamoDBLocal } from '../support/dynamodb.js';

const FAILOVER_MS = 3000;
const kinesis = useKinesisLocal({ LOG_LEVEL: 'WARN' });
const dynamodb = useDynamoDBLocal();

const until = async (what: string, condition: () => boolean, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('a KCL lease table', () => {
  it('is resumed from: after each seeded checkpoint, nothing before it, a dead owner waited out', async () => {
    const credentials = freshCredentials();
    const client = kinesis.client(credentials);
    const stream = 'kcl-orders';
    await kinesis.createStream(client, stream, 2);
    const shards = (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards!;
    const [s0, s1] = shards;
    // n = 1..20 on the first shard, 1..5 on the second; keep every sequence number.
    const put = async (hashKey: string, n: number): Promise<string> =>
      (
        await client.send(
          new PutRecordCommand({
            StreamName: stream,
            PartitionKey: `key-${n}`,
            ExplicitHashKey: hashKey,
            Data: new TextEncoder().encode(String(n)),
          }),
        )
      ).SequenceNumber!;
    const seq0: string[] = [];
    for (let n = 1; n <= 20; n += 1) seq0.push(await put(s0!.HashKeyRange!.StartingHashKey!, n));
    const seq1: string[] = [];
    for (let n = 1; n <= 5; n += 1) seq1.push(await put(s1!.HashKeyRange!.StartingHashKey!, n));

    // The table as the KCL (2.x) creates it, and its rows as its DynamoDBLeaseSerializer writes them.
    const db = dynamodb.client();
    const tableName = 'kcl-orders-app';
    await db.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [{ AttributeName: 'leaseKey', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'leaseKey', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await waitUntilTableExists({ client: db, maxWaitTime: 30 }, { TableName: tableName });
    // The first shard: held by a KCL worker that died (its counter will not move), checkpoint at n = 10.
    await db.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          leaseKey: { S: s0!.ShardId! },
          leaseOwner: { S: 'ip-10-0-0-12.ec2.internal:5f1c7c4e-kcl-worker' },
          leaseCounter: { N: '42' },
          checkpoint: { S: seq0[9]! },
          checkpointSubSequenceNumber: { N: '0' },
          ownerSwitchesSinceCheckpoint: { N: '0' },
          startingHashKey: { S: s0!.HashKeyRange!.StartingHashKey! },
          endingHashKey: { S: s0!.HashKeyRange!.EndingHashKey! },
        },
      }),
    );
    // The second shard: released by a graceful KCL shutdown (no owner), checkpoint at n = 3.
    await db.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          leaseKey: { S: s1!.ShardId! },
          leaseCounter: { N: '7' },
          checkpoint: { S: seq1[2]! },
          checkpointSubSequenceNumber: { N: '0' },
          ownerSwitchesSinceCheckpoint: { N: '1' },
          startingHashKey: { S: s1!.HashKeyRange!.StartingHashKey! },
          endingHashKey: { S: s1!.HashKeyRange!.EndingHashKey! },
        },
      }),
    );

    const leases = dynamoDBLeases({
      tableName,
      workerId: 'rx-worker-1',
      failoverTimeMs: FAILOVER_MS,
      dynamodb: {
        region: 'us-east-1',
        endpoint: dynamodb.endpoint,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      },
    });
    const read: Array<{ record: KinesisRecord; at: number }> = [];
    let latest: CheckpointState | undefined;
    const startedAt = Date.now();
    const subscription: Subscription = fromKinesis({
      stream,
      region: 'us-east-1',
      endpoint: kinesis.endpoint,
      credentials,
      // Not used: every shard has a lease with a position.
      initialPosition: 'LATEST',
      discoveryIntervalMs: 500,
      polling: { intervalMs: 100 },
      leases,
    })
      .pipe(
        tap((record) => read.push({ record, at: Date.now() })),
        checkpoints(),
      )
      .subscribe((state) => {
        latest = state;
      });
    const of = (shardId: string): string[] =>
      read
        .filter((r) => r.record.shardId === shardId)
        .map((r) => new TextDecoder().decode(r.record.data));
    try {
      await until(
        'both shards read to their last record',
        () => of(s0!.ShardId!).includes('20') && of(s1!.ShardId!).includes('5'),
        30_000,
      );
      // A little longer: anything read twice or before a checkpoint would show now.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(of(s0!.ShardId!)).toEqual([
        '11',
        '12',
        '13',
        '14',
        '15',
        '16',
        '17',
        '18',
        '19',
        '20',
      ]);
      expect(of(s1!.ShardId!)).toEqual(['4', '5']);
      // The dead KCL worker's lease expires by this worker's clock: not taken before failoverTimeMs.
      const firstOfDead = read.find((r) => r.record.shardId === s0!.ShardId!)!.at;
      expect(firstOfDead - startedAt).toBeGreaterThanOrEqual(FAILOVER_MS);
      // Ours now, in the KCL's layout: a KCL worker (or its tooling) reads it as a live lease.
      await leases.save(latest!);
      const row = (
        await db.send(
          new GetItemCommand({ TableName: tableName, Key: { leaseKey: { S: s0!.ShardId! } } }),
        )
      ).Item!;
      expect(row.leaseOwner).toEqual({ S: 'rx-worker-1' });
      expect(Number(row.leaseCounter!.N)).toBeGreaterThan(42);
      expect(row.checkpoint).toEqual({ S: seq0[19] });
      expect(row.checkpointSubSequenceNumber).toEqual({ N: '0' });
    } finally {
      subscription.unsubscribe();
      await leases.close();
    }
    // A graceful stop releases: no owner left.
    for (const shard of [s0!, s1!]) {
      const row = (
        await db.send(
          new GetItemCommand({ TableName: tableName, Key: { leaseKey: { S: shard.ShardId! } } }),
        )
      ).Item!;
      expect(row.leaseOwner).toBeUndefined();
    }
  }, 90_000);
});
