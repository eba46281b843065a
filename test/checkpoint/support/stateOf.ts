import type { CheckpointState } from '../../../src/checkpoint/CheckpointState.js';

/** A state whose size and content depend on `n`: `shards` entries, each naming `n`. */
export const stateOf = (n: number, shards = 50): CheckpointState => {
  const state: CheckpointState = { version: 1, starts: { s: 'TRIM_HORIZON' }, shards: {} };
  for (let i = 0; i < shards; i++) {
    state.shards[`s/shardId-${String(i).padStart(12, '0')}`] = { sequenceNumber: `${n}0${i}` };
  }
  return state;
};

/** A state whose JSON text is exactly `bytes` long (ASCII), padded in one shard entry. */
export const stateOfLength = (bytes: number): CheckpointState => {
  const state = stateOf(1, 10);
  state.shards['s/pad'] = { sequenceNumber: '' };
  const bare = JSON.stringify(state).length;
  state.shards['s/pad'] = { sequenceNumber: '7'.repeat(bytes - bare) };
  return state;
};

/** The bytes a DynamoDB checkpoint item takes by the store's own count (names, key, state, a number). */
export const itemBytes = (key: string, state: CheckpointState): number =>
  'checkpointKey'.length +
  Buffer.byteLength(key) +
  'checkpointState'.length +
  Buffer.byteLength(JSON.stringify(state)) +
  'checkpointCounter'.length +
  21;
