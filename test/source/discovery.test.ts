import {
  type KinesisClient,
  ListShardsCommand,
  type ListShardsCommandInput,
  type ListShardsOutput,
  SplitShardCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import type { KinesisPort } from '../../src/client/KinesisPort.js';
import type { DiscoveredShard } from '../../src/source/DiscoveredShard.js';
import { discoverShards } from '../../src/source/discoverShards.js';
import { type Emulator, useKinesalite, useKinesisLocal } from '../support/emulators.js';

interface Listed {
  readonly input: ListShardsCommandInput;
  readonly shards: number;
}

/** The client, recording each ListShards request and how many shards it answered. */
function recording(client: KinesisClient): KinesisPort & { listed: Listed[] } {
  const listed: Listed[] = [];
  const send = (async (command: ListShardsCommand, options?: object) => {
    const output = (await (client.send as (c: object, o?: object) => Promise<unknown>)(
      command,
      options,
    )) as ListShardsOutput;
    if (command instanceof ListShardsCommand)
      listed.push({ input: command.input, shards: output.Shards?.length ?? 0 });
    return output;
  }) as unknown as KinesisPort['send'];
  return { send, listed };
}

const until = async (check: () => boolean, ms = 15_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

async function discoverAcrossSplit(
  emulator: Emulator,
  stream: string,
): Promise<{ emitted: DiscoveredShard[]; listed: Listed[] }> {
  const client = emulator.client();
  await emulator.createStream(client, stream, 3);
  const port = recording(client);
  const emitted: DiscoveredShard[] = [];
  const subscription = discoverShards(port, [stream], { intervalMs: 200, pageSize: 2 }).subscribe(
    (shard) => emitted.push(shard),
  );
  try {
    await until(() => emitted.length === 3 && port.listed.length >= 4);
    await client.send(
      new SplitShardCommand({
        StreamName: stream,
        ShardToSplit: 'shardId-000000000001',
        NewStartingHashKey: (2n ** 128n / 2n).toString(),
      }),
    );
    await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: stream });
    await until(() => emitted.length === 5);
    const seen = port.listed.length;
    await until(() => port.listed.length >= seen + 2);
  } finally {
    subscription.unsubscribe();
  }
  return { emitted, listed: port.listed };
}

const ids = (shards: readonly DiscoveredShard[]): string[] => shards.map((s) => s.shardId);
const children = ['shardId-000000000003', 'shardId-000000000004'];

describe('discoverShards lists only new shards (ShardFilter AFTER_SHARD_ID)', () => {
  const kinesisLocal = useKinesisLocal();
  const kinesalite = useKinesalite();

  it('kinesis-local (honours the filter): later listings return only shards after the newest', async () => {
    const { emitted, listed } = await discoverAcrossSplit(kinesisLocal, 'discover-local');
    expect(ids(emitted).slice(0, 3)).toEqual([
      'shardId-000000000000',
      'shardId-000000000001',
      'shardId-000000000002',
    ]);
    expect(ids(emitted).slice(3).sort()).toEqual(children);
    // First listing: 2 pages, the whole stream. After it, every listing is filtered...
    expect(listed[0]?.input).toEqual({ StreamName: 'discover-local', MaxResults: 2 });
    for (const entry of listed.slice(2)) {
      if (entry.input.NextToken !== undefined) {
        expect(entry.input.StreamName).toBeUndefined();
        expect(entry.input.ShardFilter).toBeUndefined();
      } else {
        expect(entry.input.ShardFilter?.Type).toBe('AFTER_SHARD_ID');
      }
    }
    // ... and answers with no shard at all before the split: not the 3 shards again.
    const beforeSplit = listed
      .slice(2)
      .filter((e) => e.input.ShardFilter?.ShardId === 'shardId-000000000002');
    expect(beforeSplit.length).toBeGreaterThan(0);
    const lastListing = listed[listed.length - 1];
    expect(lastListing?.input.ShardFilter?.ShardId).toBe('shardId-000000000004');
    expect(lastListing?.shards).toBe(0);
  }, 60_000);

  it('kinesalite (ignores the filter, no paging): every shard emitted once', async () => {
    const { emitted, listed } = await discoverAcrossSplit(kinesalite, 'discover-lite');
    expect(ids(emitted).slice(0, 3)).toEqual([
      'shardId-000000000000',
      'shardId-000000000001',
      'shardId-000000000002',
    ]);
    expect(ids(emitted).slice(3).sort()).toEqual(children);
    expect(new Set(ids(emitted)).size).toBe(emitted.length);
    expect(listed.some((e) => e.input.ShardFilter?.Type === 'AFTER_SHARD_ID')).toBe(true);
  }, 60_000);
});
