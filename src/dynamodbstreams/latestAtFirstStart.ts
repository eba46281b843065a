import { type MonoTypeOperatorFunction, filter } from 'rxjs';
import type { ShardRecord } from '../record.js';
import type { DiscoveredShard } from '../source/DiscoveredShard.js';
import type { ShardReader } from '../source/ShardReader.js';

/** The two halves of `latestAtFirstStart`: one on discovery, one around the reader. */
export interface LatestAtFirstStart<R extends ShardRecord> {
  /** Drops the shards the first listing found closed: all their changes came before the start. */
  readonly shards: MonoTypeOperatorFunction<DiscoveredShard>;
  /** Reads the shards the first listing found open from `LATEST`. */
  readonly reader: (reader: ShardReader<R>) => ShardReader<R>;
}

/**
 * LATEST on the first start of a DynamoDB stream, as Flink's DynamoDB
 * Streams source does it: the shards the first listing finds closed are
 * skipped (their changes all came before the start), the open ones are read
 * from a `LATEST` iterator, and every shard found later (born after the
 * start) from its beginning. DynamoDB Streams has no `AT_TIMESTAMP`
 * iterator, so without this each open shard would be read from its trim
 * horizon (up to 24 h of changes) only to skip what came before the start.
 * Only for a start pinned by this subscription: on restore the pinned start
 * (`AT_TIMESTAMP`, read from the trim horizon, older changes skipped) holds,
 * and a shard the checkpoint has a position for starts after it as always.
 *
 * ## Example
 * ```ts
 * import { latestAtFirstStart } from 'rx-kinesis';
 * const latest = latestAtFirstStart(() => listings === 1);
 * discoverShards(port, [arn]).pipe(latest.shards, readShards({ reader: latest.reader(reader), state, context }));
 * ```
 *
 * @param inFirstListing true while discovery emits the shards of its first listing
 * @returns the discovery filter and the reader wrapper
 */
export function latestAtFirstStart<R extends ShardRecord>(
  inFirstListing: () => boolean,
): LatestAtFirstStart<R> {
  const openAtStart = new Set<string>();
  return {
    shards: filter((shard) => {
      if (!inFirstListing()) return true;
      if (shard.endingSequenceNumber !== undefined) return false;
      openAtStart.add(shard.shardId);
      return true;
    }),
    reader: (reader) => (shard, start, context) =>
      reader(
        shard,
        start.type === 'AT_TIMESTAMP' && openAtStart.has(shard.shardId)
          ? { type: 'LATEST' }
          : start,
        context,
      ),
  };
}
