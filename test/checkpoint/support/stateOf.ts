import type { CheckpointState } from '../../../src/checkpoint/CheckpointState.js';

/** A state whose size and content depend on `n`: `shards` entries, each naming `n`. */
export const stateOf = (n: number, shards = 50): CheckpointState => {
  const state: CheckpointState = { version: 1, starts: { s: 'TRIM_HORIZON' }, shards: {} };
  for (let i = 0; i < shards; i++) {
    state.shards[`s/shardId-${String(i).padStart(12, '0')}`] = { sequenceNumber: `${n}0${i}` };
  }
  return state;
};
