import { randomPartitioner } from './randomPartitioner.js';

/**
 * A partitioner that gives every record of one sink instance the same key
 * (Flink's `fixed`: each writer ends up in one shard, so everything it
 * writes stays in order, at the throughput of one shard). The key is drawn
 * once, when the partitioner is made, unless given.
 *
 * ## Example
 * ```ts
 * import { fixedPartitioner } from 'rx-kinesis';
 * const partitioner = fixedPartitioner();
 * partitioner({ data: 'a' }) === partitioner({ data: 'b' }); // true
 * ```
 *
 * @param key the key to use; default a random one per call of `fixedPartitioner`
 * @param random source of randomness for the default key
 */
export function fixedPartitioner(
  key?: string,
  random: () => number = Math.random,
): (value: unknown) => string {
  const fixed = key ?? `fixed-${randomPartitioner(random)(undefined)}`;
  return () => fixed;
}
