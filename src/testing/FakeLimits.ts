import * as t from 'io-ts';
import { decodeConfig } from '../config/decodeConfig.js';
import { integerIn } from '../config/scalarCodecs.js';
import { strictObject, validateAs } from '../config/strictObject.js';

const MIB = 1024 * 1024;
const positive = integerIn('a whole number from 1 to 1000000000', 1, 1_000_000_000);

/**
 * AWS's per-shard (and per-stream) limits the fake can enforce, each per
 * second. Every field is optional; a missing one takes AWS's figure.
 */
export const FakeLimitsCodec = strictObject(
  'FakeKinesis limits',
  {},
  {
    /** GetRecords calls per shard per second (AWS: 5). */
    getRecordsPerSecond: positive,
    /** Bytes (data + partition key) GetRecords may return per shard per second (AWS: 2 MiB). */
    readBytesPerSecond: positive,
    /** Bytes (data + partition key) written per shard per second (AWS: 1 MiB). */
    writeBytesPerSecond: positive,
    /** Records written per shard per second (AWS: 1,000). */
    writeRecordsPerSecond: positive,
    /** ListShards calls per stream per second (AWS: 1,000; older documentation said 100). */
    listShardsPerSecond: positive,
  },
);

export type FakeLimitsOption = boolean | t.TypeOf<typeof FakeLimitsCodec>;

/**
 * The `limits` option: `true` for AWS's limits, an object to change some of
 * them, `false` for none. An object is checked as such, so its errors name
 * the bad field rather than "expected boolean".
 */
export const FakeLimitsOptionCodec: t.Type<FakeLimitsOption, FakeLimitsOption, unknown> =
  new t.Type<FakeLimitsOption, FakeLimitsOption, unknown>(
    'boolean or FakeKinesis limits',
    (u): u is FakeLimitsOption => typeof u === 'boolean' || FakeLimitsCodec.is(u),
    (u, c) => {
      if (typeof u === 'boolean') return t.success(u);
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c);
      return validateAs(FakeLimitsCodec, u, c);
    },
    t.identity,
  );

/** The limits in force, every figure known. */
export interface FakeLimits {
  readonly getRecordsPerSecond: number;
  readonly readBytesPerSecond: number;
  readonly writeBytesPerSecond: number;
  readonly writeRecordsPerSecond: number;
  readonly listShardsPerSecond: number;
}

/** AWS's figures for a provisioned stream (Kinesis Data Streams quotas). */
export const AWS_LIMITS: FakeLimits = {
  getRecordsPerSecond: 5,
  readBytesPerSecond: 2 * MIB,
  writeBytesPerSecond: MIB,
  writeRecordsPerSecond: 1000,
  listShardsPerSecond: 1000,
};

/**
 * Decodes the fake's `limits` option into the limits in force, or
 * `undefined` when none are enforced. Bad input throws a `ConfigError`
 * naming the path (`limits.getRecordsPerSecond`), the value and what was
 * expected.
 *
 * ## Example
 * ```ts
 * import { fakeLimitsOf } from 'rx-kinesis/testing';
 * fakeLimitsOf({ getRecordsPerSecond: 2 }); // AWS's limits, but 2 GetRecords per second
 * fakeLimitsOf({ getRecordsPerSecond: 0 }); // throws ConfigError: limits.getRecordsPerSecond: …
 * ```
 *
 * @param value `true`, `false`, `undefined` or a partial `FakeLimits`
 * @returns the limits in force, or `undefined` for none
 */
export function fakeLimitsOf(value: unknown): FakeLimits | undefined {
  if (value === undefined) return undefined;
  const decoded = decodeConfig(FakeLimitsOptionCodec, value, 'limits');
  if (decoded === false) return undefined;
  if (decoded === true) return AWS_LIMITS;
  // a key given as undefined keeps AWS's figure
  const pick = (key: keyof FakeLimits): number => decoded[key] ?? AWS_LIMITS[key];
  return {
    getRecordsPerSecond: pick('getRecordsPerSecond'),
    readBytesPerSecond: pick('readBytesPerSecond'),
    writeBytesPerSecond: pick('writeBytesPerSecond'),
    writeRecordsPerSecond: pick('writeRecordsPerSecond'),
    listShardsPerSecond: pick('listShardsPerSecond'),
  };
}
