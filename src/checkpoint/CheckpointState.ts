import * as t from 'io-ts';

/** Where a stream's reading began, pinned at the first start so it means the same on restore. */
export const PinnedStart = t.union([
  t.literal('TRIM_HORIZON'),
  t.type({ atTimestamp: t.string }), // ISO-8601
]);
export type PinnedStart = t.TypeOf<typeof PinnedStart>;

/** Progress of one shard. */
export const ShardCheckpoint = t.intersection([
  t.type({}),
  t.partial({
    /** Last record fully handled. Absent: nothing handled yet. */
    sequenceNumber: t.string,
    /** Last sub-record handled inside an aggregated record. */
    subSequenceNumber: t.number,
    /** A closed shard read to its end (or expired past retention). */
    finished: t.literal(true),
    parentShardIds: t.array(t.string),
  }),
]);
export type ShardCheckpoint = t.TypeOf<typeof ShardCheckpoint>;

/**
 * Checkpoint state: a plain JSON value. Keys of `shards` are `${stream}/${shardId}`.
 * Produce it with `checkpoints()`, store it anywhere, pass it back as `checkpoint`.
 */
export const CheckpointState = t.type({
  version: t.literal(1),
  starts: t.record(t.string, PinnedStart),
  shards: t.record(t.string, ShardCheckpoint),
});
export type CheckpointState = t.TypeOf<typeof CheckpointState>;

/** The key of a shard inside `CheckpointState.shards`. */
export const shardKey = (stream: string, shardId: string): string => `${stream}/${shardId}`;

/** A state that knows nothing yet. */
export const emptyCheckpointState = (): CheckpointState => ({ version: 1, starts: {}, shards: {} });
