import {
  type KinesisClient,
  ListShardsCommand,
  PutRecordCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { advanceCheckpoint } from '../../src/checkpoint/advanceCheckpoint.js';
import {
  type CheckpointState,
  emptyCheckpointState,
} from '../../src/checkpoint/CheckpointState.js';
import { encodeAggregatedRecord } from '../../src/kpl/encodeAggregatedRecord.js';
import type { KinesisRecord } from '../../src/record.js';
import { readKinesis } from '../../src/source/readKinesis.js';
import { isShardEvent } from '../../src/source/ShardEvent.js';
import type { SourceConfig } from '../../src/source/SourceConfig.js';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';
import { type Written, indexOf, keysOutOfOrder, writeRecords } from './support/writeRecords.js';

const kinesis = useKinesisLocal();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Consumes with readKinesis, folding every event into the checkpoint state
 * (what `checkpoints()` does), and unsubscribes as soon as `stop` holds (or,
 * with `settleMs`, that long after it first holds: to see stray duplicates).
 * Returns the records seen and the state covering exactly them, JSON-serialised and back.
 */
async function consume(
  config: SourceConfig,
  stop: (records: KinesisRecord[]) => boolean,
  ms = 30_000,
  settleMs = 0,
): Promise<{ records: KinesisRecord[]; state: CheckpointState }> {
  const records: KinesisRecord[] = [];
  let state = config.checkpoint ?? emptyCheckpointState();
  await new Promise<void>((resolve, reject) => {
    let settling = false;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const subscription = readKinesis(config).subscribe({
      next: (event) => {
        state = advanceCheckpoint(state, event);
        if (isShardEvent(event)) return;
        records.push(event);
        if (settling || !stop(records)) return;
        if (settleMs === 0) finish();
        else {
          settling = true;
          clearTimeout(deadline);
          deadline = setTimeout(finish, settleMs);
        }
      },
      error: (error: unknown) => {
        clearTimeout(deadline);
        reject(error);
      },
    });
    const finish = (): void => {
      clearTimeout(deadline);
      subscription.unsubscribe();
      resolve();
    };
    deadline = setTimeout(finish, ms);
    if (subscription.closed) clearTimeout(deadline);
  });
  return { records, state: JSON.parse(JSON.stringify(state)) as CheckpointState };
}

async function hashKeysOf(client: KinesisClient, stream: string): Promise<string[]> {
  const out = await client.send(new ListShardsCommand({ StreamName: stream }));
  return (out.Shards ?? []).map((s) => s.HashKeyRange?.StartingHashKey ?? '0');
}

describe('restore from a JSON checkpoint against kinesis-local', () => {
  it('continues after the stored positions: no loss, no duplicates, unread shard and child born while stopped', async () => {
    const credentials = freshCredentials();
    const client = kinesis.client(credentials);
    await kinesis.createStream(client, 'restore', 3);
    const [h0, h1, h2] = await hashKeysOf(client, 'restore');
    await writeRecords(client, 'restore', 100); // before the first start: LATEST skips them
    await sleep(20);
    const config: SourceConfig = {
      stream: 'restore',
      region: 'us-east-1',
      endpoint: kinesis.endpoint,
      credentials,
      initialPosition: 'LATEST',
      discoveryIntervalMs: 500,
      polling: { maxRecords: 50 },
    };
    const written: Written[] = [];
    const firstRun = consume(config, (records) => records.length >= 250);
    await sleep(300);
    written.push(
      ...(await writeRecords(client, 'restore', 300, 20, { explicitHashKey: h0, prefix: 'a' })),
    );
    written.push(
      ...(await writeRecords(client, 'restore', 300, 20, { explicitHashKey: h1, prefix: 'b' })),
    );
    const first = await firstRun;
    expect(first.records.length).toBe(250);
    expect(first.state.starts['restore']).toEqual({ atTimestamp: expect.any(String) });
    const shard2 =
      (await client.send(new ListShardsCommand({ StreamName: 'restore' }))).Shards?.[2]?.ShardId ??
      '';
    expect(first.state.shards[`restore/${shard2}`]).toBeUndefined();

    // while stopped: the unread shard gets records, shard 0 is split and its children get records
    written.push(
      ...(await writeRecords(client, 'restore', 100, 10, { explicitHashKey: h2, prefix: 'c' })),
    );
    const shards =
      (await client.send(new ListShardsCommand({ StreamName: 'restore' }))).Shards ?? [];
    const end0 = BigInt(shards[0]?.HashKeyRange?.EndingHashKey ?? '0');
    await client.send(
      new SplitShardCommand({
        StreamName: 'restore',
        ShardToSplit: shards[0]?.ShardId,
        NewStartingHashKey: ((BigInt(h0 ?? '0') + end0 + 1n) / 2n).toString(),
      }),
    );
    written.push(
      ...(await writeRecords(client, 'restore', 100, 20, { explicitHashKey: h0, prefix: 'a' })),
    );
    written.push(
      ...(await writeRecords(client, 'restore', 100, 20, {
        explicitHashKey: (end0 - 1n).toString(),
        prefix: 'd',
      })),
    );

    const remaining = written.length - first.records.length;
    const second = await consume(
      { ...config, checkpoint: first.state },
      // every record still to read (however long that takes on a loaded machine), then 1.5 s
      // more for stray duplicates
      (records) => records.length >= remaining,
      30_000,
      1500,
    );
    const all = [...first.records, ...second.records].map(indexOf);
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort((a, b) => a - b)).toEqual(written.map((w) => w.index).sort((a, b) => a - b));
    expect(keysOutOfOrder([...first.records, ...second.records])).toEqual([]);
    expect(second.state.shards[`restore/${shards[0]?.ShardId}`]?.finished).toBe(true);
  });

  it('resumes inside a KPL aggregated record at the next sub-record', async () => {
    const credentials = freshCredentials();
    const client = kinesis.client(credentials);
    await kinesis.createStream(client, 'kpl', 1);
    const subKeys = Array.from({ length: 10 }, (_, i) => `sub-${i}`);
    await client.send(
      new PutRecordCommand({
        StreamName: 'kpl',
        PartitionKey: 'aggregate',
        Data: encodeAggregatedRecord(
          subKeys.map((partitionKey) => ({
            partitionKey,
            data: new TextEncoder().encode(partitionKey),
          })),
        ),
      }),
    );
    for (let i = 0; i < 3; i++) {
      await client.send(
        new PutRecordCommand({
          StreamName: 'kpl',
          PartitionKey: `plain-${i}`,
          Data: Uint8Array.of(i),
        }),
      );
    }
    const config: SourceConfig = {
      stream: 'kpl',
      region: 'us-east-1',
      endpoint: kinesis.endpoint,
      credentials,
      initialPosition: 'TRIM_HORIZON',
    };
    const first = await consume(config, (records) => records.length >= 4);
    expect(first.records.map((r) => r.subSequenceNumber)).toEqual([0, 1, 2, 3]);
    expect(Object.values(first.state.shards)[0]).toMatchObject({ subSequenceNumber: 3 });
    const second = await consume(
      { ...config, checkpoint: first.state },
      (records) => records.length >= 9,
    );
    expect(second.records.map((r) => `${r.partitionKey}:${r.subSequenceNumber ?? '-'}`)).toEqual([
      'sub-4:4',
      'sub-5:5',
      'sub-6:6',
      'sub-7:7',
      'sub-8:8',
      'sub-9:9',
      'plain-0:-',
      'plain-1:-',
      'plain-2:-',
    ]);
  });
});
