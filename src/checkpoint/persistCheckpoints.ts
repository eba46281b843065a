import {
  type MonoTypeOperatorFunction,
  Observable,
  type SchedulerLike,
  type Subscription,
  asyncScheduler,
} from 'rxjs';
import { decodeConfig } from '../config/decodeConfig.js';
import { functionCodec, integerIn } from '../config/scalarCodecs.js';
import { strictObject } from '../config/strictObject.js';
import { CheckpointSaveError } from './CheckpointSaveError.js';
import type { CheckpointState } from './CheckpointState.js';
import { type CheckpointStore, describeStore } from './CheckpointStore.js';

/** Default spacing of saves. */
export const DEFAULT_PERSIST_INTERVAL_MS = 5_000;

const PersistCheckpointsOptions = strictObject(
  'persist options { intervalMs, onFinalSaveError }',
  {},
  {
    intervalMs: integerIn('a whole number of milliseconds ≥ 0', 0, Number.MAX_SAFE_INTEGER),
    onFinalSaveError: functionCodec<(error: CheckpointSaveError) => void>(
      'a function (error) => void',
    ),
  },
);
/** How `persistCheckpoints` saves. */
export type PersistCheckpointsOptions = {
  /** Least time between the starts of two saves (default 5,000). */
  readonly intervalMs?: number;
  /**
   * Gets the error of a save nobody downstream can wait for: the one made on
   * unsubscribe, and the last save before a source error (the source error is
   * what goes downstream). Default: `console.error`. Whatever it throws is ignored.
   */
  readonly onFinalSaveError?: (error: CheckpointSaveError) => void;
};

/**
 * Saves checkpoint states to a store while passing them through unchanged.
 *
 * - The first state is saved at once; after that a save starts at most every
 *   `intervalMs` (from the start of the previous save), with the latest
 *   state: states in between are skipped, never saved out of order.
 * - Never two saves at once: a state that arrives while a save is running
 *   is saved after it (the newest one only).
 * - On complete, the latest state is saved (after a running save) and
 *   `complete` goes downstream only when that save resolved.
 * - On a source error, the latest state is saved the same way (it only
 *   covers records handled before the error), then the source error goes
 *   downstream.
 * - On unsubscribe, the latest unsaved state is saved once, best effort
 *   (errors go to `onFinalSaveError`).
 * - A failing save is a `CheckpointSaveError` (naming the store) on the Observable.
 *
 * ## Example
 * ```ts
 * import { fromKinesis, checkpoints, persistCheckpoints, memoryCheckpointStore } from 'rx-kinesis';
 * const store = memoryCheckpointStore();
 * const checkpoint = await store.load();
 * fromKinesis({ stream: 'orders', region: 'eu-west-1', ...(checkpoint ? { checkpoint } : {}) })
 *   .pipe(checkpoints(checkpoint), persistCheckpoints(store, { intervalMs: 10_000 }))
 *   .subscribe();
 * ```
 *
 * @param store where states go
 * @param options `intervalMs` (default 5,000), `onFinalSaveError`
 * @param scheduler where the interval is timed; defaults to `asyncScheduler`
 * @returns an operator passing states through
 */
export function persistCheckpoints(
  store: CheckpointStore,
  options: PersistCheckpointsOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<CheckpointState> {
  const decoded = decodeConfig(PersistCheckpointsOptions, options, 'persistCheckpoints');
  const intervalMs = decoded.intervalMs ?? DEFAULT_PERSIST_INTERVAL_MS;
  const name = describeStore(store);
  const report = (error: CheckpointSaveError): void => {
    try {
      if (decoded.onFinalSaveError !== undefined) decoded.onFinalSaveError(error);
      else console.error(error);
    } catch {
      // A reporting hook has nowhere to report to.
    }
  };
  return (source) =>
    new Observable<CheckpointState>((subscriber) => {
      let pending: CheckpointState | undefined; // latest state not yet handed to a save
      let saving = false;
      let lastStart = Number.NEGATIVE_INFINITY;
      let timer: Subscription | undefined;
      let ended: { error: unknown } | 'complete' | undefined; // the source's end
      let done = false; // we sent complete or error downstream
      let torn = false; // downstream is gone

      const finish = (): void => {
        done = true;
        if (ended === 'complete') subscriber.complete();
        else if (ended !== undefined) subscriber.error(ended.error);
      };
      const failed = (cause: unknown): void => {
        const error = new CheckpointSaveError(name, cause);
        if (torn || done) return report(error);
        if (ended !== undefined && ended !== 'complete') {
          report(error);
          return finish();
        }
        done = true;
        subscriber.error(error);
      };
      const afterSave = (): void => {
        saving = false;
        if (done) return;
        if (torn || ended !== undefined) {
          if (pending !== undefined) return start();
          if (!torn) finish();
          return;
        }
        schedule();
      };
      const start = (): void => {
        const state = pending as CheckpointState;
        pending = undefined;
        saving = true;
        lastStart = scheduler.now();
        let result: PromiseLike<void>;
        try {
          result = store.save(state);
        } catch (error) {
          result = Promise.reject(error);
        }
        if (typeof result?.then !== 'function') result = Promise.resolve();
        result.then(afterSave, (cause: unknown) => {
          saving = false;
          failed(cause);
        });
      };
      const schedule = (): void => {
        if (saving || timer !== undefined || pending === undefined) return;
        const wait = lastStart + intervalMs - scheduler.now();
        if (wait <= 0) return start();
        timer = scheduler.schedule(() => {
          timer = undefined;
          schedule();
        }, wait);
      };
      const end = (how: { error: unknown } | 'complete'): void => {
        ended = how;
        timer?.unsubscribe();
        timer = undefined;
        if (saving) return; // afterSave saves the latest, then ends
        if (pending !== undefined) start();
        else finish();
      };

      const subscription = source.subscribe({
        next: (state) => {
          pending = state;
          schedule();
          subscriber.next(state);
        },
        error: (error: unknown) => end({ error }),
        complete: () => end('complete'),
      });
      return () => {
        torn = true;
        subscription.unsubscribe();
        timer?.unsubscribe();
        timer = undefined;
        if (!done && !saving && pending !== undefined) start();
      };
    });
}
