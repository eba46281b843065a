import type { DiscoveredShard } from './DiscoveredShard.js';

/** Assigns a shard to one of `count` readers: an index in `[0, count)`. */
export type ShardAssigner = (shard: DiscoveredShard, count: number) => number;

const HASH_SPACE = 1n << 128n;

/**
 * Flink's uniform assigner: the midpoint of the shard's hash-key range,
 * scaled to `[0, count)`. Shards of a stream cover the hash space, so open
 * shards spread evenly over the readers whatever their ids are.
 *
 * ## Example
 * ```ts
 * import { uniformShardAssigner } from 'rx-kinesis';
 * uniformShardAssigner(shard, 4); // 0..3
 * ```
 */
export const uniformShardAssigner: ShardAssigner = (shard, count) => {
  const start = BigInt(shard.hashKeyRange.startingHashKey);
  const end = BigInt(shard.hashKeyRange.endingHashKey);
  const middle = (start + end) / 2n;
  const index = Number((middle * BigInt(count)) / HASH_SPACE);
  return Math.min(Math.max(index, 0), count - 1);
};
