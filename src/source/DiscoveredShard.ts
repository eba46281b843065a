/** A shard as discovery (ListShards) or a closed parent's `ChildShards` reports it. */
export interface DiscoveredShard {
  readonly stream: string;
  readonly shardId: string;
  /** Parent and adjacent parent, when the shard was born by split or merge. */
  readonly parentShardIds: readonly string[];
  readonly hashKeyRange: { readonly startingHashKey: string; readonly endingHashKey: string };
  /** Set once the shard is closed (resharded away). */
  readonly endingSequenceNumber?: string;
}

/**
 * A `ChildShards` entry (of the last GetRecords of a closed shard, or of an
 * EFO event) as a `DiscoveredShard`, so its children can start at once.
 */
export function childShardOf(
  stream: string,
  child: {
    ShardId?: string;
    ParentShards?: string[];
    HashKeyRange?: { StartingHashKey?: string; EndingHashKey?: string };
  },
): DiscoveredShard {
  return {
    stream,
    shardId: child.ShardId ?? '',
    parentShardIds: child.ParentShards ?? [],
    hashKeyRange: {
      startingHashKey: child.HashKeyRange?.StartingHashKey ?? '0',
      endingHashKey: child.HashKeyRange?.EndingHashKey ?? '0',
    },
  };
}
