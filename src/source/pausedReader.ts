import { type Observable, combineLatest, distinctUntilChanged, map } from 'rxjs';
import type { DiscoveredShard } from './DiscoveredShard.js';
import type { ShardReader } from './ShardReader.js';

/**
 * Wraps a shard reader so that each shard also pauses on a signal of its
 * own (`pausedFor(shard)`), or'ed with the shared `context.paused` (sink
 * backpressure): the reader issues no fetch while either says `true`. Works
 * for any reader (polling or enhanced fan-out), since both honour
 * `context.paused`. `fromKinesis({ pausedFor })` uses it; so does
 * `alignWatermarks(...).pauseReader`.
 *
 * ## Example
 * ```ts
 * import { pausedReader, pollShard, alignWatermarks } from 'rx-kinesis';
 * const alignment = alignWatermarks({ lookaheadMs: 60_000 });
 * const reader = pausedReader(pollShard(), (s) => alignment.paused(s.stream, s.shardId));
 * ```
 *
 * @param reader the shard reader to wrap
 * @param pausedFor the pause signal of one shard (called once per shard read)
 * @returns a `ShardReader`
 */
export function pausedReader(
  reader: ShardReader,
  pausedFor: (shard: DiscoveredShard) => Observable<boolean>,
): ShardReader {
  return (shard, start, context) => {
    const own = pausedFor(shard);
    const signal =
      context.paused === undefined
        ? own
        : combineLatest([context.paused, own]).pipe(
            map(([outer, inner]) => outer || inner),
            distinctUntilChanged(),
          );
    return reader(shard, start, { ...context, paused: signal });
  };
}
