import type { KinesisRecord } from '../record.js';
import { type KinesisEvent, isShardEvent } from '../source/ShardEvent.js';
import { shardContextOf } from '../source/shardContext.js';
import {
  type CheckpointState,
  type PinnedStart,
  type ShardCheckpoint,
  shardKey,
} from './CheckpointState.js';

/**
 * The pure checkpoint reducer: the state after handling one record or shard
 * event. Records advance their shard's position; a shard that starts marks
 * its parents finished (children are read only after their parents end); a
 * finished shard is marked. The stream's pinned start is taken from the
 * record's shard context when the state has none.
 *
 * Cost per call is one copy of the `shards` map (one entry per shard), never
 * of anything that grows with the number of records.
 *
 * ## Example
 * ```ts
 * import { scan } from 'rxjs';
 * import { advanceCheckpoint, emptyCheckpointState } from 'rx-kinesis';
 * records.pipe(scan(advanceCheckpoint, emptyCheckpointState()));
 * ```
 */
export function advanceCheckpoint(state: CheckpointState, event: KinesisEvent): CheckpointState {
  if (isShardEvent(event)) {
    if (event.type === 'shardFinished') {
      const key = shardKey(event.stream, event.shardId);
      if (state.shards[key]?.finished === true) return state;
      return withShards(
        state,
        { [key]: { ...state.shards[key], finished: true } },
        undefined,
        event.stream,
      );
    }
    return started(state, event.stream, event.shardId, event.parentShardIds, event.pinnedStart);
  }
  return recorded(state, event);
}

function recorded(state: CheckpointState, record: KinesisRecord): CheckpointState {
  const key = shardKey(record.stream, record.shardId);
  const previous = state.shards[key];
  const context = shardContextOf(record);
  const entry: ShardCheckpoint = { sequenceNumber: record.sequenceNumber };
  if (record.subSequenceNumber !== undefined) entry.subSequenceNumber = record.subSequenceNumber;
  const parents = previous?.parentShardIds ?? context?.parentShardIds;
  if (parents !== undefined && parents.length > 0) entry.parentShardIds = [...parents];
  const changes: Record<string, ShardCheckpoint> = { [key]: entry };
  if (previous === undefined && parents !== undefined) {
    for (const parent of parents) markFinished(state, record.stream, parent, changes);
  }
  return withShards(state, changes, context?.pinnedStart, record.stream);
}

function started(
  state: CheckpointState,
  stream: string,
  shardId: string,
  parentShardIds: readonly string[],
  pinnedStart: PinnedStart | undefined,
): CheckpointState {
  const key = shardKey(stream, shardId);
  const previous = state.shards[key];
  const changes: Record<string, ShardCheckpoint> = {};
  if (parentShardIds.length > 0 && previous?.parentShardIds === undefined) {
    changes[key] = { ...previous, parentShardIds: [...parentShardIds] };
  }
  for (const parent of parentShardIds) markFinished(state, stream, parent, changes);
  if (
    Object.keys(changes).length === 0 &&
    (pinnedStart === undefined || state.starts[stream] !== undefined)
  ) {
    return state;
  }
  return withShards(state, changes, pinnedStart, stream);
}

function markFinished(
  state: CheckpointState,
  stream: string,
  shardId: string,
  changes: Record<string, ShardCheckpoint>,
): void {
  const key = shardKey(stream, shardId);
  const previous = state.shards[key];
  if (previous?.finished !== true) changes[key] = { ...previous, finished: true };
}

function withShards(
  state: CheckpointState,
  changes: Record<string, ShardCheckpoint>,
  pinnedStart: PinnedStart | undefined,
  stream: string,
): CheckpointState {
  const starts =
    pinnedStart !== undefined && state.starts[stream] === undefined
      ? { ...state.starts, [stream]: pinnedStart }
      : state.starts;
  return { version: 1, starts, shards: Object.assign({}, state.shards, changes) };
}
