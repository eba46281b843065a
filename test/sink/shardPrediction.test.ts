import { ListShardsCommand, type ListShardsOutput } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { partitionHash } from '../../src/sink/partitionHash.js';
import { ShardMap } from '../../src/sink/ShardMap.js';
import { TokenBucket } from '../../src/sink/TokenBucket.js';
import { FakeKinesis, hashOf } from '../../src/testing/FakeKinesis.js';

const listShards = async (fake: FakeKinesis, stream: string): Promise<ListShardsOutput> =>
  (await fake.send(new ListShardsCommand({ StreamName: stream }))) as ListShardsOutput;

describe('shard prediction', () => {
  it('partitionHash is the MD5 Kinesis routes by; an explicit hash key is taken as it is', () => {
    for (const key of ['', 'a', 'user-42', 'ключ', '🙂'.repeat(10)]) {
      expect(partitionHash(key, undefined)).toBe(hashOf(key));
    }
    // MD5("") = d41d8cd98f00b204e9800998ecf8427e
    expect(partitionHash('', undefined)).toBe(0xd41d8cd98f00b204e9800998ecf8427en);
    expect(partitionHash('whatever', '12345')).toBe(12345n);
  });

  it('ShardMap predicts the shard the fake stores each record on, also after a split and a merge', async () => {
    const fake = new FakeKinesis();
    fake.createStream('s', 5);
    fake.splitShard('s', 'shardId-000000000002');
    fake.mergeShards('s', 'shardId-000000000000', 'shardId-000000000001');
    const map = new ShardMap((await listShards(fake, 's')).Shards ?? [], 0);
    expect(map.size).toBe(5); // 2 untouched, 2 children of the split, 1 of the merge
    for (let i = 0; i < 2000; i++) {
      const key = `key-${i * 7919}`;
      const stored = fake.put('s', key, 'x');
      expect(map.shardOf(partitionHash(key, undefined))).toBe(stored.shardId);
      expect(map.has(stored.shardId)).toBe(true);
    }
    expect(map.has('shardId-000000000002')).toBe(false); // closed by the split
  });

  it('a hash outside every open range is not predicted', () => {
    const map = new ShardMap(
      [
        {
          ShardId: 'a',
          HashKeyRange: { StartingHashKey: '10', EndingHashKey: '20' },
          SequenceNumberRange: { StartingSequenceNumber: '1' },
        },
      ],
      0,
    );
    expect(map.shardOf(9n)).toBeUndefined();
    expect(map.shardOf(10n)).toBe('a');
    expect(map.shardOf(20n)).toBe('a');
    expect(map.shardOf(21n)).toBeUndefined();
  });

  it('TokenBucket: capacity, refill on the clock, waits, and an amount over the capacity taken when full', () => {
    const bucket = new TokenBucket(100, 900, 0);
    expect(bucket.take(100, 0)).toBe(true);
    expect(bucket.take(1, 0)).toBe(false);
    expect(bucket.waitFor(9, 0)).toBe(10);
    expect(bucket.take(9, 10)).toBe(true);
    expect(bucket.available(1000)).toBe(100); // capped
    expect(bucket.take(250, 1000)).toBe(true); // over the capacity: taken from a full bucket
    expect(bucket.available(1000)).toBe(-150);
    expect(bucket.waitFor(250, 1000)).toBe(Math.ceil((250 * 1000) / 900));
  });
});
