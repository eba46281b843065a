import type { CheckpointState } from './CheckpointState.js';
import type { CheckpointStore } from './CheckpointStore.js';

/**
 * A checkpoint store in memory: for tests, and for a pipeline that restarts
 * inside one process. `save` keeps a copy (`structuredClone`), so a caller
 * changing its state afterwards changes nothing stored; `load` answers a
 * copy too.
 *
 * ## Example
 * ```ts
 * import { memoryCheckpointStore, emptyCheckpointState } from 'rx-kinesis';
 * const store = memoryCheckpointStore();
 * await store.save(emptyCheckpointState());
 * const state = await store.load(); // { version: 1, starts: {}, shards: {} }
 * ```
 *
 * @param initial what `load` answers before the first save (default: nothing)
 * @returns the store
 */
export function memoryCheckpointStore(initial?: CheckpointState): CheckpointStore {
  let saved = initial === undefined ? undefined : copyOf(initial);
  return {
    description: 'memory checkpoint store',
    load: () => Promise.resolve(saved === undefined ? undefined : structuredClone(saved)),
    save: (state) => {
      try {
        saved = copyOf(state);
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },
  };
}

// A plain copy: JSON-shaped, as every other store would load it back.
const copyOf = (state: CheckpointState): CheckpointState =>
  structuredClone({ version: state.version, starts: state.starts, shards: state.shards });
