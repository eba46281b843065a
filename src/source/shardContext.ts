import type { CheckpointState, PinnedStart } from '../checkpoint/CheckpointState.js';

/**
 * The shard a record came from, as `checkpoints()` needs to know it: the
 * stream's pinned start, every pinned start of the reading, and the shard's
 * parents. Readers put it on every record they build as the plain field
 * `shard` (one object shared by all records of a shard, so the cost is per
 * shard, not per record), so an object spread, `structuredClone` or a
 * worker-thread message keeps it. `shardRecordPrototype` is how a reader is
 * handed the context (`context.recordPrototype`).
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
  /**
   * The state the reading resumed from (`checkpoint`, or what `checkpointStore`
   * held), when it had shard positions: `checkpoints()` fills in, once, the
   * entries its own state lacks, so a shard with no record in this run keeps
   * its stored position in every state saved. One object shared by every
   * record (in-process it costs a reference; a copy of each record, e.g. a
   * worker-thread message, copies it too).
   */
  readonly resumed?: CheckpointState;
}

/** The prototype readers give to every record of one shard. */
export function shardRecordPrototype(context: ShardContext): object {
  return Object.freeze(
    Object.create(Object.prototype, { [SHARD_CONTEXT]: { value: context } }) as object,
  );
}

/** The context of a record: its plain `shard` field (or, on a prototype given to a reader, the context there). */
export function shardContextOf(record: object): ShardContext | undefined {
  const own = (record as { shard?: unknown }).shard;
  if (typeof own === 'object' && own !== null && 'parentShardIds' in own)
    return own as ShardContext;
  return (record as { [SHARD_CONTEXT]?: ShardContext })[SHARD_CONTEXT];
}
