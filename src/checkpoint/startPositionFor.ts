import type { StartPosition } from '../source/StartPosition.js';
import { type CheckpointState, shardKey } from './CheckpointState.js';

/** Where to start one shard, or `'finished'` when the state says it was read to its end. */
export type ShardStart = StartPosition | 'finished';

/**
 * True when the state marks the shard finished, or when one of its children
 * has progress in the state (children are read only after their parents end).
 */
export function isFinishedIn(state: CheckpointState, stream: string, shardId: string): boolean {
  if (state.shards[shardKey(stream, shardId)]?.finished === true) return true;
  const prefix = `${stream}/`;
  for (const key in state.shards) {
    if (!key.startsWith(prefix)) continue;
    const entry = state.shards[key];
    if (
      entry?.parentShardIds?.includes(shardId) === true &&
      (entry.sequenceNumber !== undefined || entry.finished === true)
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Where a shard's reading starts on (re)start: after its stored position
 * (inside an aggregated record, at the next sub-record), `'finished'` for a
 * finished shard, else at its stream's pinned start. The state must already
 * carry a pinned start for the stream (`pinStarts`).
 *
 * ## Example
 * ```ts
 * import { startPositionFor } from 'rx-kinesis';
 * startPositionFor(state, 'orders', 'shardId-000000000001');
 * // { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '4960...' }
 * ```
 */
export function startPositionFor(
  state: CheckpointState,
  stream: string,
  shardId: string,
): ShardStart {
  if (isFinishedIn(state, stream, shardId)) return 'finished';
  const entry = state.shards[shardKey(stream, shardId)];
  if (entry?.sequenceNumber !== undefined) {
    return entry.subSequenceNumber !== undefined
      ? {
          type: 'AT_SEQUENCE_NUMBER',
          sequenceNumber: entry.sequenceNumber,
          afterSubSequenceNumber: entry.subSequenceNumber,
        }
      : { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: entry.sequenceNumber };
  }
  const pinned = state.starts[stream];
  if (pinned === undefined) {
    throw new Error(`no pinned start for stream "${stream}": call pinStarts first`);
  }
  return pinned === 'TRIM_HORIZON'
    ? { type: 'TRIM_HORIZON' }
    : { type: 'AT_TIMESTAMP', timestamp: new Date(pinned.atTimestamp) };
}
