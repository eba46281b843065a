import {
  type KinesisClient,
  MergeShardsCommand,
  SplitShardCommand,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import type { KinesisRecord } from '../../src/record.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';
import {
  collect,
  indexOf,
  keysOutOfOrder,
  orderedPerShard,
  writeRecords,
} from './support/writeRecords.js';

const kinesis = useKinesisLocal();

const MAX_HASH = (1n << 128n) - 1n;

async function openShards(client: KinesisClient, stream: string) {
  const out = await client.send(new ListShardsCommand({ StreamName: stream }));
  return (out.Shards ?? []).filter(
    (s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined,
  );
}

/** Splits the first open shard in the middle, then merges its upper child with the next shard. */
async function splitThenMerge(client: KinesisClient, stream: string, between: () => Promise<void>) {
  const [first] = await openShards(client, stream);
  const start = BigInt(first?.HashKeyRange?.StartingHashKey ?? '0');
  const end = BigInt(first?.HashKeyRange?.EndingHashKey ?? MAX_HASH.toString());
  await client.send(
    new SplitShardCommand({
      StreamName: stream,
      ShardToSplit: first?.ShardId,
      NewStartingHashKey: ((start + end + 1n) / 2n).toString(),
    }),
  );
  await between();
  const open = (await openShards(client, stream)).sort((a, b) =>
    BigInt(a.HashKeyRange?.StartingHashKey ?? 0) < BigInt(b.HashKeyRange?.StartingHashKey ?? 0)
      ? -1
      : 1,
  );
  // the split's upper child and the shard right above it are adjacent
  const upper = open.find((s) => BigInt(s.HashKeyRange?.EndingHashKey ?? 0) === end);
  const next = open.find((s) => BigInt(s.HashKeyRange?.StartingHashKey ?? 0) === end + 1n);
  await client.send(
    new MergeShardsCommand({
      StreamName: stream,
      ShardToMerge: upper?.ShardId,
      AdjacentShardToMerge: next?.ShardId,
    }),
  );
}

const config = (credentials: { accessKeyId: string; secretAccessKey: string }, stream: string) => ({
  stream,
  region: 'us-east-1',
  endpoint: kinesis.endpoint,
  credentials,
  initialPosition: 'TRIM_HORIZON' as const,
  discoveryIntervalMs: 500,
  // small batches: a parent takes many fetches, so reading a child early would show
  polling: { maxRecords: 50 },
});

function expectComplete(records: KinesisRecord[], written: { index: number }[]): void {
  expect(records.map(indexOf).sort((a, b) => a - b)).toEqual(
    written.map((w) => w.index).sort((a, b) => a - b),
  );
  expect(orderedPerShard(records)).toBe(true);
  expect(keysOutOfOrder(records)).toEqual([]);
}

describe('resharding against kinesis-local', () => {
  it('reads across a split and a merge done before consumption, per-key order kept', async () => {
    const credentials = freshCredentials();
    const client = kinesis.client(credentials);
    await kinesis.createStream(client, 'before', 2);
    const written = await writeRecords(client, 'before', 600, 40);
    await splitThenMerge(client, 'before', async () => {
      written.push(...(await writeRecords(client, 'before', 600, 40)));
    });
    written.push(...(await writeRecords(client, 'before', 600, 40)));
    const records = await collect(
      fromKinesis(config(credentials, 'before')),
      written.length,
      60_000,
    );
    expectComplete(records, written);
    // parents, split children and the merged child were all read
    expect(new Set(records.map((r) => r.shardId)).size).toBe(5);
  });

  it('reads across a split and a merge done during consumption, per-key order kept', async () => {
    const credentials = freshCredentials();
    const client = kinesis.client(credentials);
    await kinesis.createStream(client, 'during', 2);
    const records: KinesisRecord[] = [];
    const written = await writeRecords(client, 'during', 400, 40);
    const done = new Promise<void>((resolve, reject) => {
      const subscription = fromKinesis(config(credentials, 'during')).subscribe({
        next: (record) => {
          records.push(record);
          if (records.length === 1200) {
            subscription.unsubscribe();
            resolve();
          }
        },
        error: reject,
      });
    });
    const until = async (n: number): Promise<void> => {
      const deadline = Date.now() + 30_000;
      while (records.length < n && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
    };
    await until(100);
    await splitThenMerge(client, 'during', async () => {
      written.push(...(await writeRecords(client, 'during', 400, 40)));
      await until(500);
    });
    written.push(...(await writeRecords(client, 'during', 400, 40)));
    await done;
    expectComplete(records, written);
  });
});
