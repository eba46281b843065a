import * as t from 'io-ts';
import type { CheckpointState } from './CheckpointState.js';

/**
 * Where checkpoint state survives a restart: two methods. `load` answers
 * `undefined` when nothing was saved yet; a stored value that does not decode
 * is an error, never a silent fresh start.
 *
 * `description` (optional) names the store in errors, e.g.
 * `file /var/lib/app/checkpoint.json`; the built-in stores set it.
 *
 * `load` may take `{ abortSignal }`: `fromKinesis({ checkpointStore })`
 * passes one and aborts it when unsubscribed during the load (the built-in
 * stores stop their request and retries); a store that ignores it is fine too.
 *
 * ## Example
 * ```ts
 * import type { CheckpointState, CheckpointStore } from 'rx-kinesis';
 * let saved: CheckpointState | undefined;
 * const store: CheckpointStore = {
 *   load: async () => saved,
 *   save: async (state) => {
 *     saved = state;
 *   },
 * };
 * ```
 */
export interface CheckpointStore {
  load(options?: CheckpointLoadOptions): Promise<CheckpointState | undefined>;
  save(state: CheckpointState): Promise<void>;
  readonly description?: string;
}

/** What a caller may hand to `CheckpointStore.load`. */
export interface CheckpointLoadOptions {
  /** Aborted when the caller no longer wants the answer. */
  readonly abortSignal?: AbortSignal;
}

/** How a store reads in an error message. */
export const describeStore = (store: CheckpointStore): string =>
  store.description ?? 'checkpoint store';

const isStore = (u: unknown): u is CheckpointStore =>
  typeof u === 'object' &&
  u !== null &&
  typeof (u as Partial<CheckpointStore>).load === 'function' &&
  typeof (u as Partial<CheckpointStore>).save === 'function';
/** A checkpoint store in a config: any object with `load` and `save` methods. */
export const CheckpointStoreCodec = new t.Type<CheckpointStore, CheckpointStore, unknown>(
  'a checkpoint store (an object with load and save methods)',
  isStore,
  (u, c) => (isStore(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
