/**
 * A partitioner that gives every record a fresh random key, spreading
 * records evenly over the shards (Flink's `random`, the default).
 *
 * ## Example
 * ```ts
 * import { randomPartitioner } from 'rx-kinesis';
 * const key = randomPartitioner()({ data: 'x' }); // e.g. "3k9x0c2m1qz"
 * ```
 *
 * @param random source of randomness in [0, 1); default `Math.random`
 */
export function randomPartitioner(random: () => number = Math.random): (value: unknown) => string {
  // 52 random bits are plenty: Kinesis hashes the key with MD5 anyway
  return () => Math.floor(random() * 4_503_599_627_370_496).toString(36);
}
