import * as t from 'io-ts';
import { intersectionCodec } from '../config/intersectionCodec.js';
import { partialCodec } from '../config/partialCodec.js';
import { recordCodec } from '../config/recordCodec.js';
import { typeCodec } from '../config/typeCodec.js';
import { unionCodec } from '../config/unionCodec.js';

/** Where a stream's reading began, pinned at the first start so it means the same on restore. */
export const PinnedStart = unionCodec([
  t.literal('TRIM_HORIZON'),
  typeCodec({ atTimestamp: t.string }), // ISO-8601
]);
export type PinnedStart = t.TypeOf<typeof PinnedStart>;

/** Progress of one shard. */
export const ShardCheckpoint = intersectionCodec([
  typeCodec({}),
  partialCodec({
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
export const CheckpointState = typeCodec({
  version: t.literal(1),
  starts: recordCodec(PinnedStart),
  shards: recordCodec(ShardCheckpoint),
});
export type CheckpointState = t.TypeOf<typeof CheckpointState>;

/** The key of a shard inside `CheckpointState.shards`. */
export const shardKey = (stream: string, shardId: string): string => `${stream}/${shardId}`;

/** A state that knows nothing yet. */
export const emptyCheckpointState = (): CheckpointState => ({ version: 1, starts: {}, shards: {} });
