import type { PinnedStart } from '../checkpoint/CheckpointState.js';

/**
 * The shard a record came from, as `checkpoints()` needs to know it: the
 * stream's pinned start and the shard's parents. Readers put it on the
 * prototype of the records they build (one prototype per shard, so the cost
 * is per shard, not per record); it is not an own property, so it stays out
 * of JSON, of `toEqual` and of the sink. A copy made with spread loses it,
 * and `checkpoints()` then falls back to what its initial state knows.
 */
export const SHARD_CONTEXT: unique symbol = Symbol.for('rx-kinesis.shardContext');

export interface ShardContext {
  readonly pinnedStart?: PinnedStart;
  /**
   * The pinned starts of every stream the reading was started with: a
   * checkpoint taken from the records of one stream must keep the start of a
   * quiet stream too, or a restart would pin it again later and lose what was
   * written in between.
   */
  readonly pinnedStarts?: Readonly<Record<string, PinnedStart>>;
  readonly parentShardIds: readonly string[];
}

/** The prototype readers give to every record of one shard. */
export function shardRecordPrototype(context: ShardContext): object {
  return Object.freeze(
    Object.create(Object.prototype, { [SHARD_CONTEXT]: { value: context } }) as object,
  );
}

/** The context of a record, if it still has one. */
export function shardContextOf(record: object): ShardContext | undefined {
  return (record as { [SHARD_CONTEXT]?: ShardContext })[SHARD_CONTEXT];
}
