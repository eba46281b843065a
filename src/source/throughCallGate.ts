import { Observable, type SchedulerLike, Subscription, asyncScheduler } from 'rxjs';
import type { ShardCallGate } from './callGate.js';

/**
 * Runs `call` once its slot at `gate` comes: waits on `scheduler` until the
 * gate is free, marks the start, then subscribes to the call. Each
 * subscription (a retry re-subscribes) waits for a slot of its own;
 * unsubscribing while waiting cancels the wait.
 *
 * ## Example
 * ```ts
 * import { callGate, throughCallGate } from 'rx-kinesis';
 * const gate = callGate();
 * throughCallGate(gate, () => sendCommand(client, command)).pipe(retryWithBackoff(policy));
 * ```
 *
 * @param gate the shard's gate
 * @param call the call to start in its slot
 * @param scheduler where the wait runs; defaults to `asyncScheduler`
 */
export function throughCallGate<T>(
  gate: ShardCallGate,
  call: () => Observable<T>,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    const inner = new Subscription();
    const start = (): void => {
      // Another reader may have taken the slot meanwhile: wait again if so.
      const wait = gate.wait();
      if (wait > 0) {
        inner.add(scheduler.schedule(start, wait));
        return;
      }
      gate.take();
      try {
        inner.add(call().subscribe(subscriber));
      } catch (error) {
        subscriber.error(error);
      }
    };
    start();
    return inner;
  });
}
