import { Observable } from 'rxjs';
import { CheckpointLoadError } from './CheckpointLoadError.js';
import type { CheckpointState } from './CheckpointState.js';
import { type CheckpointStore, describeStore } from './CheckpointStore.js';
import { decodeStoredCheckpoint } from './decodeStoredCheckpoint.js';

/**
 * A store's state as a cold Observable: loads on subscribe (nothing before),
 * emits the state (or `undefined` when nothing is stored) and completes;
 * unsubscribing aborts the load (its `abortSignal`). Whatever the store
 * answers is decoded, so a store of your own that answers something else is
 * caught too; any failure is a `CheckpointLoadError` naming the store.
 *
 * ## Example
 * ```ts
 * import { loadCheckpoint, memoryCheckpointStore } from 'rx-kinesis';
 * loadCheckpoint(memoryCheckpointStore()).subscribe((state) => console.log(state)); // undefined
 * ```
 *
 * @param store where the state is
 * @returns the stored state, once
 */
export function loadCheckpoint(store: CheckpointStore): Observable<CheckpointState | undefined> {
  return new Observable<CheckpointState | undefined>((subscriber) => {
    const name = describeStore(store);
    const controller = new AbortController();
    const failed = (error: unknown): void => {
      if (controller.signal.aborted) return;
      subscriber.error(
        error instanceof CheckpointLoadError ? error : new CheckpointLoadError(name, [], error),
      );
    };
    let answer: PromiseLike<CheckpointState | undefined>;
    try {
      answer = store.load({ abortSignal: controller.signal });
    } catch (error) {
      failed(error);
      return undefined;
    }
    Promise.resolve(answer).then((value) => {
      if (controller.signal.aborted) return;
      let state: CheckpointState | undefined;
      try {
        state = value === undefined ? undefined : decodeStoredCheckpoint(value, name);
      } catch (error) {
        return failed(error);
      }
      subscriber.next(state);
      subscriber.complete();
    }, failed);
    return () => controller.abort();
  });
}
