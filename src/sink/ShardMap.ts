import type { Shard } from '@aws-sdk/client-kinesis';

/**
 * The open shards of a stream by hash key range, from a ListShards listing:
 * `shardOf(hash)` finds the shard a record with that hash key goes to
 * (binary search over the sorted ranges). Closed shards (with an ending
 * sequence number) take no writes and are left out.
 *
 * ## Example
 * ```ts
 * import { ShardMap, partitionHash } from 'rx-kinesis';
 * const map = new ShardMap(listShardsOutput.Shards ?? [], Date.now());
 * map.shardOf(partitionHash('user-42', undefined)); // 'shardId-000000000001'
 * ```
 */
export class ShardMap {
  private readonly starts: bigint[] = [];
  private readonly ends: bigint[] = [];
  private readonly ids: string[] = [];
  private readonly known = new Set<string>();

  constructor(
    shards: readonly Shard[],
    /** Scheduler time of the listing. */
    readonly listedAt: number,
  ) {
    const open = shards
      .filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined)
      .map((s) => ({
        id: s.ShardId ?? '',
        start: BigInt(s.HashKeyRange?.StartingHashKey ?? '0'),
        end: BigInt(s.HashKeyRange?.EndingHashKey ?? '0'),
      }))
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    for (const shard of open) {
      this.starts.push(shard.start);
      this.ends.push(shard.end);
      this.ids.push(shard.id);
      this.known.add(shard.id);
    }
  }

  /** Open shards in the map. */
  get size(): number {
    return this.ids.length;
  }

  /** Whether `shardId` is an open shard of this map. */
  has(shardId: string): boolean {
    return this.known.has(shardId);
  }

  /** The open shard whose range holds `hash`, or undefined (a gap: the map is stale). */
  shardOf(hash: bigint): string | undefined {
    let low = 0;
    let high = this.starts.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if ((this.starts[mid] as bigint) <= hash) low = mid + 1;
      else high = mid - 1;
    }
    if (high < 0 || hash > (this.ends[high] as bigint)) return undefined;
    return this.ids[high];
  }
}
