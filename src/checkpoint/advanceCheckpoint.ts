import type { ShardRecordEvent } from '../source/ShardEvent.js';
import { checkpointPatch } from './checkpointPatch.js';
import type { CheckpointState } from './CheckpointState.js';

/**
 * The pure checkpoint reducer: the state after handling one record or shard
 * event (the rules are in `checkpointPatch`). Returns `state` itself when
 * nothing changes, else a new state; the input is never changed.
 *
 * Each call copies the `shards` map, so its cost grows with the number of
 * shards: fine for occasional use, while `checkpoints()` applies the same
 * rules at a cost per record that does not grow.
 *
 * ## Example
 * ```ts
 * import { advanceCheckpoint, emptyCheckpointState } from 'rx-kinesis';
 * const next = advanceCheckpoint(emptyCheckpointState(), record);
 * ```
 */
export function advanceCheckpoint(
  state: CheckpointState,
  event: ShardRecordEvent,
): CheckpointState {
  const patch = checkpointPatch(state, event);
  if (patch === undefined) return state;
  const shards = Object.assign({}, state.shards);
  for (const [key, entry] of patch.shards) shards[key] = entry;
  const starts = patch.starts === undefined ? state.starts : { ...state.starts, ...patch.starts };
  return { version: 1, starts, shards };
}
