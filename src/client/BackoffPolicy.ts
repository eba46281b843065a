import * as t from 'io-ts';
import { typeCodec } from '../config/typeCodec.js';

/** Retry policy of one Kinesis API: full-jitter exponential backoff, as Flink's. */
export const BackoffPolicy = typeCodec({
  /** Base delay in milliseconds. */
  base: t.number,
  /** Cap of the delay in milliseconds. */
  max: t.number,
  /** Exponent base ("expconst"). */
  expConst: t.number,
  /** Retries after the first attempt before giving up. */
  maxRetries: t.number,
});
export type BackoffPolicy = t.TypeOf<typeof BackoffPolicy>;

/** Flink's defaults per API (`scan.*.backoff.*`, `scan.*.maxretries`). */
export const DEFAULT_BACKOFF = {
  listShards: { base: 1000, max: 5000, expConst: 1.5, maxRetries: 10 },
  describeStream: { base: 2000, max: 5000, expConst: 1.5, maxRetries: 50 },
  describeStreamConsumer: { base: 2000, max: 5000, expConst: 1.5, maxRetries: 50 },
  registerStreamConsumer: { base: 500, max: 2000, expConst: 1.5, maxRetries: 10 },
  deregisterStreamConsumer: { base: 500, max: 2000, expConst: 1.5, maxRetries: 10 },
  subscribeToShard: { base: 1000, max: 2000, expConst: 1.5, maxRetries: 10 },
  getRecords: { base: 300, max: 1000, expConst: 1.5, maxRetries: 3 },
  getShardIterator: { base: 300, max: 1000, expConst: 1.5, maxRetries: 3 },
  putRecords: { base: 100, max: 5000, expConst: 2, maxRetries: 10 },
} as const satisfies Record<string, BackoffPolicy>;

export type BackoffApi = keyof typeof DEFAULT_BACKOFF;

/**
 * The full-jitter delay before retry number `attempt` (0 for the first retry):
 * a uniform draw from `[0, min(max, base * expConst^attempt))`.
 *
 * ## Example
 * ```ts
 * import { fullJitterDelay } from 'rx-kinesis';
 * fullJitterDelay({ base: 300, max: 1000, expConst: 1.5, maxRetries: 3 }, 2, () => 0.5); // 337.5
 * ```
 */
export function fullJitterDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.max, policy.base * Math.pow(policy.expConst, attempt));
  return Math.floor(random() * ceiling);
}
