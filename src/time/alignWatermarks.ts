import {
  type MonoTypeOperatorFunction,
  type Observable,
  BehaviorSubject,
  distinctUntilChanged,
  tap,
  finalize,
} from 'rxjs';
import { ConfigError } from '../client/errors.js';
import type { KinesisRecord, ShardRecord } from '../record.js';
import { pausedReader } from '../source/pausedReader.js';
import type { ShardReader } from '../source/ShardReader.js';
import { type TimedEvent, recordTime } from './Watermark.js';

/** Settings of `alignWatermarks`: use the same extractor and bound as `watermarks`. */
export interface AlignmentOptions<R extends ShardRecord = KinesisRecord> {
  /** How far a shard's watermark may run ahead of the stream's (Flink `scan.watermark.lookahead.millis`). */
  readonly lookaheadMs: number;
  /** Event time of a record; default `approximateArrivalTimestamp`. */
  readonly timestampOf?: (record: R) => number;
  /** Out-of-orderness bound, as given to `watermarks`. Default 0. */
  readonly maxOutOfOrdernessMs?: number;
}

/** The two halves of watermark alignment: an operator that watches, and the pause signals it drives. */
export interface WatermarkAlignment<R extends ShardRecord = KinesisRecord> {
  /** Put after `watermarks`: reads records and watermarks (passing them through) and drives `paused`. */
  readonly align: MonoTypeOperatorFunction<TimedEvent<R>>;
  /** Pause signal of one shard, for its reader's `ShardReaderContext.paused`: starts `false`. */
  paused(stream: string, shardId: string): Observable<boolean>;
  /** Wraps a shard reader so that each shard also pauses on its own signal (or'ed with `context.paused`). */
  pauseReader(reader: ShardReader): ShardReader;
}

interface ShardAlignment {
  readonly signal: BehaviorSubject<boolean>;
  maxTimestamp: number;
  idle: boolean;
}

/**
 * Watermark alignment: a shard whose watermark runs more than `lookaheadMs`
 * ahead of the stream's watermark is paused (its reader issues no fetch, so
 * nothing buffers beyond the batch in flight) until the stream catches up.
 *
 * It cannot deadlock: the shard furthest behind among the non-idle shards
 * (among all, when every shard is idle) is never paused, so something always
 * moves the watermark on; a paused shard that turns idle stops holding the
 * watermark back (and `watermarks` advances with the clock when all are idle);
 * a finished shard's signal turns `false` and completes. When the operator's
 * subscription ends, every signal turns `false`.
 *
 * ## Example
 * ```ts
 * import { readKinesis, watermarks, alignWatermarks } from 'rx-kinesis';
 * const alignment = alignWatermarks({ lookaheadMs: 60_000 });
 * readKinesis({ ...config, pausedFor: (s) => alignment.paused(s.stream, s.shardId) })
 *   .pipe(watermarks(), alignment.align);
 * ```
 *
 * @param options lookahead, extractor and out-of-orderness bound
 * @returns the operator and the per-shard pause signals
 */
export function alignWatermarks<R extends ShardRecord>(
  options: AlignmentOptions<R>,
): WatermarkAlignment<R> {
  const lookahead = options.lookaheadMs;
  if (!(lookahead >= 0) || !Number.isFinite(lookahead)) {
    throw new ConfigError([
      {
        path: 'alignWatermarks.lookaheadMs',
        value: lookahead,
        expected: 'a non-negative number of milliseconds',
      },
    ]);
  }
  const outOfOrderness = options.maxOutOfOrdernessMs ?? 0;
  const timestampOf = options.timestampOf ?? (recordTime as (record: R) => number);
  const shards = new Map<string, ShardAlignment>();
  let global = Number.NEGATIVE_INFINITY;

  const shardOf = (key: string): ShardAlignment => {
    let state = shards.get(key);
    if (state === undefined) {
      state = {
        signal: new BehaviorSubject(false),
        maxTimestamp: Number.NEGATIVE_INFINITY,
        idle: false,
      };
      shards.set(key, state);
    }
    return state;
  };

  const set = (state: ShardAlignment, paused: boolean): void => {
    if (state.signal.value !== paused) state.signal.next(paused);
  };

  /** The shard furthest behind: never paused, so the watermark can always move. */
  const laggard = (): ShardAlignment | undefined => {
    let lowest: ShardAlignment | undefined;
    let lowestAny: ShardAlignment | undefined;
    for (const state of shards.values()) {
      if (lowestAny === undefined || state.maxTimestamp < lowestAny.maxTimestamp) lowestAny = state;
      if (!state.idle && (lowest === undefined || state.maxTimestamp < lowest.maxTimestamp))
        lowest = state;
    }
    return lowest ?? lowestAny;
  };

  // Before the first watermark nothing is known to be behind, so nothing pauses.
  const ahead = (state: ShardAlignment): boolean =>
    global !== Number.NEGATIVE_INFINITY && state.maxTimestamp - outOfOrderness > global + lookahead;

  const reconsider = (): void => {
    const behind = laggard();
    for (const state of shards.values()) set(state, state !== behind && ahead(state));
  };

  let lastStream = '';
  let lastShardId = '';
  let last: ShardAlignment | undefined;

  const align: MonoTypeOperatorFunction<TimedEvent<R>> = (source) =>
    source.pipe(
      tap((event) => {
        if (!('type' in event)) {
          let state = last;
          if (state === undefined || event.shardId !== lastShardId || event.stream !== lastStream) {
            state = shardOf(`${event.stream}/${event.shardId}`);
            last = state;
            lastStream = event.stream;
            lastShardId = event.shardId;
          }
          const timestamp = timestampOf(event);
          if (timestamp > state.maxTimestamp) state.maxTimestamp = timestamp;
          state.idle = false;
          // Only a pause can make a paused shard the laggard, so that is when to look again.
          if (!state.signal.value && ahead(state) && laggard() !== state) reconsider();
          return;
        }
        switch (event.type) {
          case 'watermark':
            if (event.timestamp > global) global = event.timestamp;
            reconsider();
            break;
          case 'shardIdle':
          case 'shardActive':
            shardOf(`${event.stream}/${event.shardId}`).idle = event.type === 'shardIdle';
            reconsider();
            break;
          case 'shardFinished': {
            const key = `${event.stream}/${event.shardId}`;
            const state = shards.get(key);
            if (state !== undefined) {
              shards.delete(key);
              if (state === last) last = undefined;
              set(state, false);
              state.signal.complete();
            }
            reconsider();
            break;
          }
          case 'shardStarted':
            shardOf(`${event.stream}/${event.shardId}`);
            break;
        }
      }),
      finalize(() => {
        for (const state of shards.values()) {
          set(state, false);
          state.signal.complete();
        }
        shards.clear();
        last = undefined;
        lastShardId = '';
        global = Number.NEGATIVE_INFINITY;
      }),
    );

  const paused = (stream: string, shardId: string): Observable<boolean> =>
    shardOf(`${stream}/${shardId}`).signal.pipe(distinctUntilChanged());
  return {
    align,
    paused,
    pauseReader: (reader) => pausedReader(reader, (shard) => paused(shard.stream, shard.shardId)),
  };
}
