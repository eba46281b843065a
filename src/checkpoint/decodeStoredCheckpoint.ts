import { describeErrors } from '../config/decodeConfig.js';
import { CheckpointLoadError } from './CheckpointLoadError.js';
import { CheckpointState } from './CheckpointState.js';

/**
 * A stored value as a `CheckpointState`, or a `CheckpointLoadError` naming
 * the store and every bad path inside the value (root `state`).
 *
 * ## Example
 * ```ts
 * import { decodeStoredCheckpoint } from 'rx-kinesis';
 * decodeStoredCheckpoint({ version: 2 }, 'file /tmp/checkpoint.json');
 * // CheckpointLoadError: file /tmp/checkpoint.json holds no valid checkpoint state:
 * // state.version: expected 1, got 2 ...
 * ```
 */
export function decodeStoredCheckpoint(value: unknown, store: string): CheckpointState {
  const result = CheckpointState.decode(value);
  if (result._tag === 'Left')
    throw new CheckpointLoadError(store, describeErrors(result.left, 'state'));
  return result.right;
}
