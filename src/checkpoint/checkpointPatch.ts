import type { ShardRecord } from '../record.js';
import { type ShardRecordEvent, isShardEvent } from '../source/ShardEvent.js';
import { shardContextOf } from '../source/shardContext.js';
import {
  type CheckpointState,
  type PinnedStart,
  type ShardCheckpoint,
  shardKey,
} from './CheckpointState.js';

/** What one event changes in a checkpoint state: a few shard entries, maybe a pinned start. */
export interface CheckpointPatch {
  /** New entries, whole (never merged into the old ones). */
  readonly shards: ReadonlyArray<readonly [key: string, entry: ShardCheckpoint]>;
  /** Pinned starts of streams the state did not know. */
  readonly starts?: Readonly<Record<string, PinnedStart>>;
}

/**
 * The change one record or shard event makes to `state`, or `undefined` for
 * none; `state` is only read. Records advance their shard's position; a
 * shard that starts marks its parents finished (children are read only
 * after their parents end); a finished shard is marked; the stream's pinned
 * start comes from the record's shard context (or the `shardStarted` event)
 * when the state has none. The one place these rules live: the pure
 * `advanceCheckpoint` and the `checkpoints()` operator both apply it.
 */
export function checkpointPatch(
  state: CheckpointState,
  event: ShardRecordEvent,
): CheckpointPatch | undefined {
  if (!isShardEvent(event)) return recorded(state, event);
  if (event.type === 'shardFinished') {
    const key = shardKey(event.stream, event.shardId);
    const previous = state.shards[key];
    if (previous?.finished === true) return undefined;
    return { shards: [[key, { ...previous, finished: true }]] };
  }
  const key = shardKey(event.stream, event.shardId);
  const previous = state.shards[key];
  const changes: Array<readonly [string, ShardCheckpoint]> = [];
  if (event.parentShardIds.length > 0 && previous?.parentShardIds === undefined) {
    changes.push([key, { ...previous, parentShardIds: [...event.parentShardIds] }]);
  }
  for (const parent of event.parentShardIds) finished(state, event.stream, parent, changes);
  return patchOf(state, event.stream, changes, event.pinnedStart);
}

function recorded(state: CheckpointState, record: ShardRecord): CheckpointPatch | undefined {
  const key = shardKey(record.stream, record.shardId);
  const previous = state.shards[key];
  const context = shardContextOf(record);
  const entry: ShardCheckpoint = { sequenceNumber: record.sequenceNumber };
  if (record.subSequenceNumber !== undefined) entry.subSequenceNumber = record.subSequenceNumber;
  const parents = previous?.parentShardIds ?? context?.parentShardIds;
  if (parents !== undefined && parents.length > 0) {
    // Shared, never mutated: the same array as the previous entry's or the shard context's.
    entry.parentShardIds = parents as string[];
  }
  const changes: Array<readonly [string, ShardCheckpoint]> = [[key, entry]];
  if (previous === undefined && parents !== undefined) {
    for (const parent of parents) finished(state, record.stream, parent, changes);
  }
  return patchOf(state, record.stream, changes, context?.pinnedStart, context?.pinnedStarts);
}

function finished(
  state: CheckpointState,
  stream: string,
  shardId: string,
  changes: Array<readonly [string, ShardCheckpoint]>,
): void {
  const key = shardKey(stream, shardId);
  const previous = state.shards[key];
  if (previous?.finished !== true) changes.push([key, { ...previous, finished: true }]);
}

function patchOf(
  state: CheckpointState,
  stream: string,
  shards: Array<readonly [string, ShardCheckpoint]>,
  pinnedStart: PinnedStart | undefined,
  pinnedStarts?: Readonly<Record<string, PinnedStart>>,
): CheckpointPatch | undefined {
  let starts: Record<string, PinnedStart> | undefined;
  if (pinnedStart !== undefined && state.starts[stream] === undefined) {
    starts = { [stream]: pinnedStart };
  }
  // Every stream of the reading, not only this record's: a stream with no record yet
  // keeps its first start in the state (a few streams at most, so cheap per record).
  if (pinnedStarts !== undefined) {
    for (const other in pinnedStarts) {
      if (state.starts[other] === undefined && starts?.[other] === undefined) {
        (starts ??= {})[other] = pinnedStarts[other] as PinnedStart;
      }
    }
  }
  if (shards.length === 0 && starts === undefined) return undefined;
  return starts === undefined ? { shards } : { shards, starts };
}
