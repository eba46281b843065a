import { type MonoTypeOperatorFunction, filter } from 'rxjs';
import type { DiscoveredShard } from './DiscoveredShard.js';
import { type ShardAssigner, uniformShardAssigner } from './uniformShardAssigner.js';

/**
 * Which shards this reader takes when several processes share streams:
 * reader `index` of `count`, with an assigner (default: the uniform one, by
 * hash-key midpoint), or a predicate of your own.
 */
export type ShardAssignment =
  | { readonly index: number; readonly count: number; readonly assigner?: ShardAssigner }
  | ((shard: DiscoveredShard) => boolean);

/** The assignment as a predicate on shards. */
export function assignmentPredicate(
  assignment: ShardAssignment,
): (shard: DiscoveredShard) => boolean {
  if (typeof assignment === 'function') return assignment;
  const { index, count } = assignment;
  const assigner = assignment.assigner ?? uniformShardAssigner;
  // A custom assigner may return any integer; like Flink, take it modulo the count.
  return (shard) => ((assigner(shard, count) % count) + count) % count === index;
}

/**
 * Static shard assignment: keeps the shards that belong to reader `index`
 * of `count`. Every process runs the same discovery and keeps its own part,
 * with no coordination. A parent that belongs to another process is not
 * waited for (this process cannot see its progress), so per-key order across
 * resharding holds within one process's shards.
 *
 * ## Example
 * ```ts
 * import { discoverShards, assignShards } from 'rx-kinesis';
 * discoverShards(client, ['orders']).pipe(assignShards({ index: 0, count: 3 }));
 * ```
 *
 * @param assignment `{ index, count, assigner? }` or a predicate
 * @returns an operator keeping the assigned shards
 */
export function assignShards(
  assignment: ShardAssignment,
): MonoTypeOperatorFunction<DiscoveredShard> {
  return filter(assignmentPredicate(assignment));
}
