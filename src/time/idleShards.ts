import {
  type OperatorFunction,
  type SchedulerLike,
  Observable,
  Subscription,
  asyncScheduler,
} from 'rxjs';
import { ConfigError } from '../client/errors.js';
import type { ShardRecord } from '../record.js';
import type { ShardIdle, ShardActive, TimedEvent } from './Watermark.js';

interface ShardIdleState {
  readonly stream: string;
  readonly shardId: string;
  lastActivity: number;
  idle: boolean;
  timer: Subscription | undefined;
}

/**
 * Marks shards that go quiet: a shard with no record for `idleIntervalMs`
 * gets a `{ type: 'shardIdle' }` element, and, when a record comes again, a
 * `{ type: 'shardActive' }` element just before that record. `watermarks`
 * stops waiting for an idle shard, so one quiet shard cannot stall event time.
 *
 * A shard is known from its `shardStarted` event or its first record; a
 * `shardFinished` forgets it. Per record the cost is one clock read: each
 * shard has at most one timer, re-armed only when it fires.
 *
 * ## Example
 * ```ts
 * import { readKinesis, idleShards, watermarks } from 'rx-kinesis';
 * readKinesis(config).pipe(idleShards(30_000), watermarks({ idleIntervalMs: 'off' }));
 * ```
 *
 * @param idleIntervalMs quiet time after which a shard is idle (Flink `scan.shard.idle.interval`)
 * @param scheduler clock and timers; defaults to `asyncScheduler`
 * @returns the events unchanged, with idleness transitions interleaved
 */
export function idleShards<R extends ShardRecord>(
  idleIntervalMs: number,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<TimedEvent<R>, TimedEvent<R>> {
  if (!(idleIntervalMs > 0) || !Number.isFinite(idleIntervalMs)) {
    throw new ConfigError([
      {
        path: 'idleShards.idleIntervalMs',
        value: idleIntervalMs,
        expected: 'a positive number of milliseconds',
      },
    ]);
  }
  return (source) =>
    new Observable<TimedEvent<R>>((subscriber) => {
      const shards = new Map<string, ShardIdleState>();
      // Fired timers leave this container, so it holds at most one timer per shard.
      const timers = new Subscription();
      subscriber.add(timers);
      let last: ShardIdleState | undefined;

      const arm = (state: ShardIdleState, delay: number): void => {
        const timer = scheduler.schedule(() => {
          timers.remove(timer);
          state.timer = undefined;
          if (shards.get(`${state.stream}/${state.shardId}`) !== state || state.idle) return;
          const quiet = scheduler.now() - state.lastActivity;
          if (quiet >= idleIntervalMs) {
            state.idle = true;
            const idle: ShardIdle = {
              type: 'shardIdle',
              stream: state.stream,
              shardId: state.shardId,
            };
            subscriber.next(idle);
          } else {
            arm(state, idleIntervalMs - quiet);
          }
        }, delay);
        state.timer = timer;
        timers.add(timer);
      };

      const track = (stream: string, shardId: string): ShardIdleState => {
        if (last !== undefined && last.shardId === shardId && last.stream === stream) return last;
        const key = `${stream}/${shardId}`;
        let state = shards.get(key);
        if (state === undefined) {
          state = { stream, shardId, lastActivity: scheduler.now(), idle: false, timer: undefined };
          shards.set(key, state);
          arm(state, idleIntervalMs);
        }
        last = state;
        return state;
      };

      const subscription = source.subscribe({
        next: (event) => {
          if (!('type' in event)) {
            const state = track(event.stream, event.shardId);
            state.lastActivity = scheduler.now();
            if (state.idle) {
              state.idle = false;
              const active: ShardActive = {
                type: 'shardActive',
                stream: state.stream,
                shardId: state.shardId,
              };
              subscriber.next(active);
              arm(state, idleIntervalMs);
            }
          } else if (event.type === 'shardStarted') {
            track(event.stream, event.shardId).lastActivity = scheduler.now();
          } else if (event.type === 'shardFinished') {
            const key = `${event.stream}/${event.shardId}`;
            const state = shards.get(key);
            if (state !== undefined) {
              if (state.timer !== undefined) {
                timers.remove(state.timer);
                state.timer.unsubscribe();
              }
              shards.delete(key);
              if (last === state) last = undefined;
            }
          }
          subscriber.next(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        subscription.unsubscribe();
        shards.clear();
      };
    });
}
