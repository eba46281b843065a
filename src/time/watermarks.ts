import {
  type OperatorFunction,
  type SchedulerLike,
  Observable,
  asyncScheduler,
  identity,
} from 'rxjs';
import { ConfigError } from '../client/errors.js';
import type { KinesisRecord, ShardRecord } from '../record.js';
import { idleShards } from './idleShards.js';
import { type TimedEvent, type Watermark, recordTime } from './Watermark.js';

/** Settings of `watermarks`. */
export interface WatermarkOptions<R extends ShardRecord = KinesisRecord> {
  /**
   * Event time of a record in ms since the epoch. Default: `approximateArrivalTimestamp`
   * (Kinesis), `approximateCreationDateTime` (DynamoDB Streams).
   */
  readonly timestampOf?: (record: R) => number;
  /** How far a shard's records may come out of event-time order. Default 0. */
  readonly maxOutOfOrdernessMs?: number;
  /**
   * Quiet time after which a shard stops holding the watermark back
   * (Flink `scan.shard.idle.interval`). Default 30 000; `'off'` only if you
   * put your own `idleShards` in front, or accept that one quiet shard
   * stalls event time.
   */
  readonly idleIntervalMs?: number | 'off';
  /** How often the watermark is recomputed and emitted if it advanced. Default 200 (Flink's auto-watermark interval). */
  readonly emitIntervalMs?: number;
  /** Watermark to resume from after a restore: nothing at or below it is emitted again. */
  readonly initialWatermark?: number;
  /**
   * What the watermark does when every shard is idle (or none is active):
   * `'clock'` (default) follows the scheduler's clock minus the idle interval
   * and the out-of-orderness, never below the highest shard watermark;
   * `'hold'` stays at the highest shard watermark.
   */
  readonly whenAllIdle?: 'clock' | 'hold';
}

interface ShardTime {
  /** Highest event time seen, or the inherited/initial bound before the first record. */
  maxTimestamp: number;
  idle: boolean;
}

/**
 * Adds event-time watermarks to a `readKinesis` stream: per shard, the
 * highest event time seen minus the out-of-orderness bound; for the stream,
 * the minimum over the shards that are neither idle nor finished, emitted as
 * `{ type: 'watermark', timestamp }` elements between the records every
 * `emitIntervalMs` when it advanced. It never goes backwards: not when a
 * child shard starts (a child inherits its parents' event time), not when an
 * idle shard rejoins with old records (those are late), and not across a
 * restore (`initialWatermark`).
 *
 * A started shard with no record yet holds the watermark back until it gets
 * records or turns idle. Idleness is on by default (30 s): a quiet shard must
 * not stall event time. When all shards are idle, the watermark keeps
 * advancing with the clock (`whenAllIdle`). On completion the last advance is
 * emitted before `complete`.
 *
 * ## Example
 * ```ts
 * import { readKinesis, watermarks, isWatermark } from 'rx-kinesis';
 * readKinesis(config)
 *   .pipe(watermarks({ timestampOf: (r) => JSON.parse(new TextDecoder().decode(r.data)).ts,
 *     maxOutOfOrdernessMs: 5_000 }))
 *   .subscribe((e) => isWatermark(e) && console.log('event time is now', e.timestamp));
 * ```
 *
 * @param options extractor, out-of-orderness, idleness, emit interval, restore point
 * @param scheduler clock and timers; defaults to `asyncScheduler`
 */
export function watermarks<R extends ShardRecord>(
  options: WatermarkOptions<R> = {},
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<TimedEvent<R>, TimedEvent<R>> {
  const timestampOf = options.timestampOf ?? (recordTime as (record: R) => number);
  const outOfOrderness = nonNegative('maxOutOfOrdernessMs', options.maxOutOfOrdernessMs ?? 0);
  const emitInterval = positive('emitIntervalMs', options.emitIntervalMs ?? 200);
  const idleSetting = options.idleIntervalMs ?? 30_000;
  const idleInterval = idleSetting === 'off' ? 0 : positive('idleIntervalMs', idleSetting);
  const initial = options.initialWatermark ?? Number.NEGATIVE_INFINITY;
  const followClock = (options.whenAllIdle ?? 'clock') === 'clock';
  const detectIdle: OperatorFunction<TimedEvent<R>, TimedEvent<R>> = idleSetting === 'off'
    ? identity
    : idleShards<R>(idleInterval, scheduler);

  return (source) =>
    new Observable<TimedEvent<R>>((subscriber) => {
      const shards = new Map<string, ShardTime>();
      // Event time of finished shards, inherited by their children.
      const finished = new Map<string, number>();
      let lastStream = '';
      let lastShardId = '';
      let last: ShardTime | undefined;
      let emitted = initial;
      let highest = initial;
      let everSawShard = false;

      const shardOf = (stream: string, shardId: string, inherited: number): ShardTime => {
        const key = `${stream}/${shardId}`;
        let state = shards.get(key);
        if (state === undefined) {
          state = { maxTimestamp: Math.max(initial, inherited), idle: false };
          shards.set(key, state);
          everSawShard = true;
        }
        return state;
      };

      const emitIfAdvanced = (): void => {
        let min = Number.POSITIVE_INFINITY;
        for (const state of shards.values()) {
          if (!state.idle && state.maxTimestamp < min) min = state.maxTimestamp;
        }
        let candidate: number;
        if (min !== Number.POSITIVE_INFINITY) candidate = min - outOfOrderness;
        else if (!everSawShard) return;
        else if (followClock) {
          candidate = Math.max(
            highest - outOfOrderness,
            scheduler.now() - idleInterval - outOfOrderness,
          );
        } else candidate = highest - outOfOrderness;
        if (candidate > emitted && Number.isFinite(candidate)) {
          emitted = candidate;
          const watermark: Watermark = { type: 'watermark', timestamp: candidate };
          subscriber.next(watermark);
        }
      };

      const ticker = scheduler.schedule(function tick() {
        emitIfAdvanced();
        this.schedule(undefined, emitInterval);
      }, emitInterval);
      subscriber.add(ticker);

      const subscription = source.pipe(detectIdle).subscribe({
        next: (event) => {
          // a synchronous source goes on after an error until its subscribe returns
          if (subscriber.closed) return;
          if (!('type' in event)) {
            let state = last;
            if (
              state === undefined ||
              event.shardId !== lastShardId ||
              event.stream !== lastStream
            ) {
              state = shardOf(event.stream, event.shardId, Number.NEGATIVE_INFINITY);
              last = state;
              lastStream = event.stream;
              lastShardId = event.shardId;
            }
            let timestamp: number;
            try {
              timestamp = timestampOf(event);
            } catch (error) {
              // a plain observer's throw would be an uncaught exception: the error channel, as in `map`
              subscriber.error(error);
              return;
            }
            if (timestamp > state.maxTimestamp) {
              state.maxTimestamp = timestamp;
              if (timestamp > highest) highest = timestamp;
            }
            state.idle = false;
          } else {
            switch (event.type) {
              case 'shardStarted': {
                let inherited = Number.NEGATIVE_INFINITY;
                for (const parent of event.parentShardIds) {
                  const parentTime = finished.get(`${event.stream}/${parent}`);
                  if (parentTime !== undefined && parentTime > inherited) inherited = parentTime;
                }
                shardOf(event.stream, event.shardId, inherited);
                break;
              }
              case 'shardFinished': {
                const key = `${event.stream}/${event.shardId}`;
                const state = shards.get(key);
                if (state !== undefined) {
                  finished.set(key, state.maxTimestamp);
                  shards.delete(key);
                  if (state === last) last = undefined;
                }
                break;
              }
              case 'shardIdle':
              case 'shardActive': {
                const state = shards.get(`${event.stream}/${event.shardId}`);
                if (state !== undefined) state.idle = event.type === 'shardIdle';
                break;
              }
              case 'watermark':
                // An upstream watermark: ours replaces it.
                return;
            }
          }
          subscriber.next(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          emitIfAdvanced();
          subscriber.complete();
        },
      });
      return () => subscription.unsubscribe();
    });
}

function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new ConfigError([
      { path: `watermarks.${name}`, value, expected: 'a positive number of milliseconds' },
    ]);
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new ConfigError([
      { path: `watermarks.${name}`, value, expected: 'a non-negative number of milliseconds' },
    ]);
  }
  return value;
}
