import type { ReaderStrategy } from './ShardReader.js';
import { type PollingOptions, pollShard } from './pollShard.js';

/**
 * The polling reader strategy: every shard is read with `pollShard`
 * (GetRecords); nothing to set up or tear down around the subscription.
 *
 * ## Example
 * ```ts
 * import { pollingStrategy } from 'rx-kinesis';
 * pollingStrategy({ maxRecords: 1000 }).use(['orders'], client, asyncScheduler, (reader) => ...);
 * ```
 *
 * @param options max records, interval, retry policies
 * @returns a `ReaderStrategy`
 */
export function pollingStrategy(options: PollingOptions = {}): ReaderStrategy {
  const reader = pollShard(options);
  return { use: (_streams, _client, _scheduler, body) => body(reader) };
}
