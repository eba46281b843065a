import { describe, expect, it } from 'vitest';
import { assignmentPredicate } from '../../src/source/assignShards.js';
import type { DiscoveredShard } from '../../src/source/DiscoveredShard.js';
import { uniformShardAssigner } from '../../src/source/uniformShardAssigner.js';

const MAX = (1n << 128n) - 1n;
const shard = (start: bigint, end: bigint, shardId = 'x'): DiscoveredShard => ({
  stream: 's',
  shardId,
  parentShardIds: [],
  hashKeyRange: { startingHashKey: start.toString(), endingHashKey: end.toString() },
});
const even = (n: number): DiscoveredShard[] => {
  const width = (MAX + 1n) / BigInt(n);
  return Array.from({ length: n }, (_, i) =>
    shard(width * BigInt(i), i === n - 1 ? MAX : width * BigInt(i + 1) - 1n, `s${i}`),
  );
};

describe('uniformShardAssigner', () => {
  it('spreads evenly split shards evenly over the readers, by hash-range midpoint', () => {
    const counts = [0, 0, 0];
    for (const s of even(12))
      counts[uniformShardAssigner(s, 3)] = (counts[uniformShardAssigner(s, 3)] ?? 0) + 1;
    expect(counts).toEqual([4, 4, 4]);
  });

  it('gives the whole range to reader 0 of 1 and the top shard to the last reader', () => {
    expect(uniformShardAssigner(shard(0n, MAX), 1)).toBe(0);
    expect(uniformShardAssigner(shard(MAX - 10n, MAX), 7)).toBe(6);
    expect(uniformShardAssigner(shard(0n, 10n), 7)).toBe(0);
  });
});

describe('assignmentPredicate', () => {
  it('keeps the shards of reader index of count', () => {
    const keep = assignmentPredicate({ index: 1, count: 2 });
    expect(
      even(4)
        .filter(keep)
        .map((s) => s.shardId),
    ).toEqual(['s2', 's3']);
  });

  it('takes a custom assigner modulo count, negative values included', () => {
    const keep = assignmentPredicate({
      index: 1,
      count: 3,
      assigner: (s) => -Number(s.shardId.slice(1)) - 1,
    });
    // -1 → 2, -2 → 1, -3 → 0, -4 → 2, -5 → 1
    expect(
      even(5)
        .filter(keep)
        .map((s) => s.shardId),
    ).toEqual(['s1', 's4']);
  });

  it('takes a predicate as is', () => {
    const keep = assignmentPredicate((s) => s.shardId === 's0');
    expect(
      even(3)
        .filter(keep)
        .map((s) => s.shardId),
    ).toEqual(['s0']);
  });
});
