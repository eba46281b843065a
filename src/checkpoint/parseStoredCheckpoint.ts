import { CheckpointLoadError } from './CheckpointLoadError.js';
import type { CheckpointState } from './CheckpointState.js';
import { decodeStoredCheckpoint } from './decodeStoredCheckpoint.js';

/**
 * A stored JSON text as a `CheckpointState`, or a `CheckpointLoadError`
 * naming the store: at path `state` when the text is not JSON, else at every
 * bad path inside the value (see `decodeStoredCheckpoint`).
 *
 * ## Example
 * ```ts
 * import { parseStoredCheckpoint } from 'rx-kinesis';
 * parseStoredCheckpoint('{"version":1,"starts":{},"shards":{}}', 'file /tmp/checkpoint.json');
 * // { version: 1, starts: {}, shards: {} }
 * ```
 *
 * @param text what the store holds
 * @param store how the store describes itself in errors
 * @returns the decoded state
 */
export function parseStoredCheckpoint(text: string, store: string): CheckpointState {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new CheckpointLoadError(
      store,
      [
        {
          path: 'state',
          value: text,
          expected: `JSON text (${error instanceof Error ? error.message : String(error)})`,
        },
      ],
      error,
    );
  }
  return decodeStoredCheckpoint(value, store);
}
