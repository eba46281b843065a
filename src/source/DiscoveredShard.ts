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
