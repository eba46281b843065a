import * as t from 'io-ts';
import { unionCodec } from '../config/unionCodec.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../client/BackoffPolicy.js';
import { ConfigError } from '../client/errors.js';
import { ClientConfig } from '../config/ClientConfig.js';
import { decodeConfig } from '../config/decodeConfig.js';
import { clientRegionFor } from '../client/clientRegionFor.js';
import { orStreamArn } from '../client/StreamArn.js';
import { NonEmptyString } from '../config/NonEmptyString.js';
import { functionCodec, integerIn } from '../config/scalarCodecs.js';
import { strictObject } from '../config/strictObject.js';
import type { MetricsRecorder } from '../metrics/Metric.js';
import { MetricsRecorderCodec } from '../metrics/MetricsRecorderCodec.js';
import type { InvalidRecordError } from './InvalidRecordError.js';

const MIB = 1024 * 1024;

const nonNegative = new t.Type<number, number, unknown>(
  'a number ≥ 0',
  (u): u is number => typeof u === 'number' && u >= 0 && Number.isFinite(u),
  (u, c) =>
    typeof u === 'number' && u >= 0 && Number.isFinite(u) ? t.success(u) : t.failure(u, c),
  t.identity,
);

/** `random` (default), `fixed` (one key per sink instance) or a function of the value. */
const PartitionerCodec = unionCodec([
  t.literal('random'),
  t.literal('fixed'),
  functionCodec<(value: never) => string>('a function from the value to a partition key'),
]);

const AggregationCodec = strictObject(
  'aggregation options',
  {},
  {
    /** User records per aggregated record (KPL `AggregationMaxCount`). */
    maxCount: integerIn('an integer from 1 to 4294967295', 1, 4_294_967_295),
    /** Bytes per aggregated record (KPL `AggregationMaxSize`, default 51200). */
    maxSize: integerIn('an integer from 1024 to 1048320 (1 MiB less a key)', 1024, MIB - 256),
    /** How long a record may wait for others to share its aggregated record (KPL `RecordMaxBufferedTime`). */
    timeoutMs: integerIn('an integer number of milliseconds from 0 to 3600000', 0, 3_600_000),
  },
);

const RetryCodec = strictObject(
  'retry options',
  {},
  {
    base: nonNegative,
    max: nonNegative,
    expConst: nonNegative,
    maxRetries: integerIn('an integer ≥ 0', 0, 1_000_000),
  },
);

/**
 * The sink's configuration, decoded with io-ts (bad input → one
 * `ConfigError` naming path, value and expected, before any request).
 * Names follow Flink's KinesisStreamsSink options, camelCased:
 *
 * | rx-kinesis | Flink | default |
 * |---|---|---|
 * | `stream` | `stream` | required |
 * | `batch.maxSize` | `sink.batch.max-size` | 500 |
 * | `flushBuffer.size` | `sink.flush-buffer.size` | 5242880 |
 * | `flushBuffer.timeoutMs` | `sink.flush-buffer.timeout` | 5000 |
 * | `requests.maxInflight` | `sink.requests.max-inflight` | 16 |
 * | `requests.maxBuffered` | `sink.requests.max-buffered` | 10000 |
 * | `failOnError` | `sink.fail-on-error` | false |
 * | `partitioner` | `sink.partitioner` (`random`/`fixed`/custom class) | `random` |
 * | `partitionBy` | `PARTITIONED BY` fields | none |
 * | `partitionerFieldDelimiter` | `sink.partitioner-field-delimiter` | `\|` |
 * | `aggregation` | `sink.producer.aggregation-enabled` (KPL) | off |
 * | `metrics` | (Flink metric group) | none |
 * | `recordTtlMs` | KPL `RecordTtl` | none (no expiry) |
 * | `rateLimit` | KPL `RateLimit` (KPL default 150) | none (off) |
 * | `requestTimeoutMs` | KPL `RequestTimeout` | none (no timeout) |
 *
 * `stream` (and a record's own `stream`) may be a stream name or a stream
 * ARN (`arn:aws:kinesis:<region>:<account>:stream/<name>`, sent as
 * `StreamARN`); an ARN's region must be the configured `region` (with no
 * `region` configured, the client is made for the ARN's region).
 */
export const SinkConfigCodec = strictObject(
  'sink options',
  { stream: orStreamArn(NonEmptyString) },
  {
    ...ClientConfig.props,
    partitioner: PartitionerCodec,
    /** Fields of the value whose values, joined by the delimiter, make the partition key. */
    partitionBy: new t.Type<readonly string[], readonly string[], unknown>(
      'a non-empty array of field names',
      (u): u is readonly string[] =>
        Array.isArray(u) && u.length > 0 && u.every((f) => typeof f === 'string' && f.length > 0),
      (u, c) =>
        Array.isArray(u) && u.length > 0 && u.every((f) => typeof f === 'string' && f.length > 0)
          ? t.success(u as readonly string[])
          : t.failure(u, c),
      t.identity,
    ),
    partitionerFieldDelimiter: t.string,
    /** A function giving each value an explicit hash key (a decimal 128-bit integer). */
    explicitHashKey: functionCodec<(value: never) => string | undefined>(
      'a function from the value to an explicit hash key',
    ),
    batch: strictObject(
      'batch options',
      {},
      { maxSize: integerIn('a positive integer ≤ 500', 1, 500) },
    ),
    flushBuffer: strictObject(
      'flush buffer options',
      {},
      {
        size: integerIn('a positive integer ≤ 5242880 (5 MiB)', 1, 5 * MIB),
        timeoutMs: integerIn('an integer number of milliseconds from 0 to 3600000', 0, 3_600_000),
      },
    ),
    requests: strictObject(
      'request options',
      {},
      {
        maxInflight: integerIn('a positive integer ≤ 10000', 1, 10_000),
        maxBuffered: integerIn('a positive integer', 1, 100_000_000),
      },
    ),
    failOnError: t.boolean,
    /** `none` (default) or `per-key`: at most one in-flight request per key lane, one record per key per request. */
    ordering: unionCodec([t.literal('none'), t.literal('per-key')]),
    aggregation: unionCodec([t.boolean, AggregationCodec]),
    retry: RetryCodec,
    /** `fail` (default): an invalid record fails the sink; a function: it receives the error instead. */
    invalidRecords: unionCodec([
      t.literal('fail'),
      functionCodec<(error: InvalidRecordError) => void>(
        'a function receiving the InvalidRecordError',
      ),
    ]),
    /** Source of randomness in [0, 1) for random keys and retry jitter (tests). */
    random: functionCodec<() => number>('a function returning a number in [0, 1)'),
    /**
     * Where the `sink.*` metrics go (`kinesisMetrics()`, a `Subject<Metric>`):
     * requests in flight and records buffered when they change (per batch and
     * per request), retried entries per retried request, and the length of
     * each backpressure pause when it ends. Absent: nothing is measured.
     */
    metrics: MetricsRecorderCodec,
    /**
     * A record not stored within this many milliseconds of the sink receiving
     * it (scheduler time, checked before every attempt) is not sent again: it
     * goes to `invalidRecords` as a `RecordExpiredError` (by default that fails
     * the sink) — never dropped silently, unlike the KPL's `RecordTtl`.
     * Absent: records never expire.
     */
    recordTtlMs: integerIn('a whole number of milliseconds ≥ 100', 100, Number.MAX_SAFE_INTEGER),
    /**
     * Keep every shard under this percentage of its write limits (1 MiB/s and
     * 1,000 records/s): the target shard of each record is predicted from the
     * MD5 of its partition key (or its explicit hash key) and the stream's
     * shard map (ListShards), and a per-shard token bucket holds a record back
     * until its shard has room, so far fewer requests are throttled. Absent:
     * off — no ListShards calls, no holding back (the KPL's default is 150;
     * say `rateLimit: 150` for the KPL's behaviour).
     */
    rateLimit: integerIn('a whole percentage from 1 to 100000', 1, 100_000),
    /**
     * Abort a request (PutRecords, and ListShards for `rateLimit`) that has no
     * answer after this many milliseconds and retry it as a retryable error
     * under `retry`. Absent: no timeout of our own.
     */
    requestTimeoutMs: integerIn(
      'a whole number of milliseconds ≥ 100',
      100,
      Number.MAX_SAFE_INTEGER,
    ),
  },
);

type Decoded = t.TypeOf<typeof SinkConfigCodec>;

/**
 * `toKinesis` / `writeToKinesis` options for values of type `T`: the decoded
 * config with its functions typed by `T`.
 */
export type SinkConfig<T> = Omit<Decoded, 'partitioner' | 'explicitHashKey'> & {
  readonly partitioner?: 'random' | 'fixed' | ((value: T) => string);
  readonly explicitHashKey?: (value: T) => string | undefined;
};

/** The sink config with every default filled in. */
export interface ResolvedSinkConfig<T> {
  readonly client: ClientConfig;
  readonly stream: string;
  readonly partitioner: 'random' | 'fixed' | ((value: T) => string);
  readonly partitionBy: readonly string[] | undefined;
  readonly partitionerFieldDelimiter: string;
  readonly explicitHashKey: ((value: T) => string | undefined) | undefined;
  readonly batchMaxSize: number;
  readonly flushBufferSize: number;
  readonly flushBufferTimeoutMs: number;
  readonly maxInflight: number;
  readonly maxBuffered: number;
  readonly failOnError: boolean;
  readonly ordering: 'none' | 'per-key';
  readonly aggregation: { maxCount: number; maxSize: number; timeoutMs: number } | undefined;
  readonly retry: BackoffPolicy;
  readonly invalidRecords: 'fail' | ((error: InvalidRecordError) => void);
  readonly random: () => number;
  readonly metrics: MetricsRecorder | undefined;
  /** Records not stored this long after the sink received them expire; undefined: never. */
  readonly recordTtlMs: number | undefined;
  /** Percentage of the per-shard write limits to stay under; undefined: no rate limit. */
  readonly rateLimit: number | undefined;
  /** Per-request timeout; undefined: none. */
  readonly requestTimeoutMs: number | undefined;
}

/** KPL's aggregation defaults (`AggregationMaxCount`, `AggregationMaxSize`, `RecordMaxBufferedTime`). */
export const DEFAULT_AGGREGATION = { maxCount: 4_294_967_295, maxSize: 51_200, timeoutMs: 100 };

/**
 * Decodes sink options and fills in the defaults; throws one `ConfigError`
 * naming every bad path (root `sink`) before anything is sent.
 *
 * ## Example
 * ```ts
 * import { resolveSinkConfig } from 'rx-kinesis';
 * resolveSinkConfig({ stream: 'out', batch: { maxSize: 501 } });
 * // ConfigError: sink.batch.maxSize: expected a positive integer ≤ 500, got 501
 * ```
 */
export function resolveSinkConfig<T>(config: SinkConfig<T>): ResolvedSinkConfig<T> {
  const decoded = decodeConfig(SinkConfigCodec, config, 'sink') as Decoded;
  const typed = config;
  if (decoded.partitionBy !== undefined && decoded.partitioner !== undefined) {
    // Flink: a PARTITIONED BY table cannot also set sink.partitioner
    throw new ConfigError([
      {
        path: 'sink.partitioner',
        value: decoded.partitioner,
        expected: 'no partitioner when partitionBy is set (the fields make the key)',
      },
    ]);
  }
  // an ARN names its region: the client must be made for it
  const region = clientRegionFor(decoded.region, [{ path: 'sink.stream', stream: decoded.stream }]);
  const aggregation =
    decoded.aggregation === undefined || decoded.aggregation === false
      ? undefined
      : { ...DEFAULT_AGGREGATION, ...(decoded.aggregation === true ? {} : decoded.aggregation) };
  return {
    client: {
      ...(region !== undefined ? { region } : {}),
      ...(decoded.endpoint !== undefined ? { endpoint: decoded.endpoint } : {}),
      ...(decoded.credentials !== undefined ? { credentials: decoded.credentials } : {}),
      ...(decoded.client !== undefined ? { client: decoded.client } : {}),
      ...(decoded.httpProtocol !== undefined ? { httpProtocol: decoded.httpProtocol } : {}),
      ...(decoded.trustAllCertificates !== undefined
        ? { trustAllCertificates: decoded.trustAllCertificates }
        : {}),
    },
    stream: decoded.stream,
    partitioner: typed.partitioner ?? 'random',
    partitionBy: decoded.partitionBy,
    partitionerFieldDelimiter: decoded.partitionerFieldDelimiter ?? '|',
    explicitHashKey: typed.explicitHashKey,
    batchMaxSize: decoded.batch?.maxSize ?? 500,
    flushBufferSize: decoded.flushBuffer?.size ?? 5 * MIB,
    flushBufferTimeoutMs: decoded.flushBuffer?.timeoutMs ?? 5000,
    maxInflight: decoded.requests?.maxInflight ?? 16,
    maxBuffered: decoded.requests?.maxBuffered ?? 10_000,
    failOnError: decoded.failOnError ?? false,
    ordering: decoded.ordering ?? 'none',
    aggregation,
    retry: { ...DEFAULT_BACKOFF.putRecords, ...decoded.retry },
    invalidRecords: decoded.invalidRecords ?? 'fail',
    random: decoded.random ?? Math.random,
    metrics: decoded.metrics,
    recordTtlMs: decoded.recordTtlMs,
    rateLimit: decoded.rateLimit,
    requestTimeoutMs: decoded.requestTimeoutMs,
  };
}
