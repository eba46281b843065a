import * as t from 'io-ts';
import { type Observable, isObservable } from 'rxjs';
import { type BackoffPolicy, DEFAULT_BACKOFF } from '../client/BackoffPolicy.js';
import { ConfigError } from '../client/errors.js';
import { CheckpointState } from '../checkpoint/CheckpointState.js';
import { type ClientConfig, ClientConfig as ClientConfigCodec } from '../config/ClientConfig.js';
import { decodeConfig } from '../config/decodeConfig.js';
import { functionCodec, integerIn, numberAtLeast, refinedCodec } from '../config/scalarCodecs.js';
import { strictObject } from '../config/strictObject.js';
import type { DynamoDBPort } from '../dynamodb/DynamoDBPort.js';
import { DynamoDBPortCodec } from '../dynamodb/DynamoDBSettings.js';
import { DEFAULT_DISCOVERY_INTERVAL_MS } from '../source/discoverShards.js';
import type { FetchReport } from '../source/ShardReader.js';
import {
  DESCRIBE_STREAM_MAX_LIMIT,
  DYNAMODB_STREAMS_MAX_RECORDS,
} from './dynamoDBStreamsAsKinesis.js';
import type { DynamoDBStreamsPort } from './DynamoDBStreamsPort.js';
import type { WrapNumbers } from './streamRecords.js';

/** Wait after a GetRecords that found the shard caught up (AWS's stream adapter waits 500 ms too). */
export const DEFAULT_DYNAMODB_STREAMS_POLL_INTERVAL_MS = 500;
/**
 * Per shard, AWS advises at most 2 readers and about 4 GetRecords calls a
 * second: one reader's calls start at least 250 ms apart, 4 in any second.
 */
export const DYNAMODB_STREAMS_CALL_LIMITS = { spacingMs: 250, perSecond: 4 } as const;

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const STREAM_ARN =
  /^arn:[a-z0-9-]+:dynamodb:[^:]*:[^:]*:table\/[a-zA-Z0-9_.-]{3,255}\/stream\/\S+$/;

/** A DynamoDB table name: 3–255 characters of a-z, A-Z, 0-9, `_`, `.`, `-`. */
export const TableName = refinedCodec(
  'a table name (3-255 characters of a-z, A-Z, 0-9, _ . -)',
  (u): u is string => typeof u === 'string' && TABLE_NAME.test(u),
);
/** A DynamoDB stream ARN: `arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>`. */
export const StreamArn = refinedCodec(
  'a stream ARN (arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>)',
  (u): u is string => typeof u === 'string' && STREAM_ARN.test(u),
);

const NonNegativeMs = integerIn('a whole number of milliseconds ≥ 0', 0, Number.MAX_SAFE_INTEGER);
const PositiveMs = integerIn('a whole number of milliseconds ≥ 1', 1, Number.MAX_SAFE_INTEGER);
const BackoffOverride = strictObject(
  'a backoff policy { base, max, expConst, maxRetries }',
  {},
  {
    base: NonNegativeMs,
    max: NonNegativeMs,
    expConst: numberAtLeast('a number ≥ 1', 1),
    maxRetries: integerIn('a whole number of retries ≥ 0', 0, Number.MAX_SAFE_INTEGER),
  },
);
const isStreamsPort = (u: unknown): u is DynamoDBStreamsPort =>
  typeof u === 'object' && u !== null && typeof (u as { send?: unknown }).send === 'function';
const DynamoDBStreamsPortCodec = refinedCodec(
  'a DynamoDBStreamsClient (an object with a send method)',
  isStreamsPort,
);
const PausedSignal = refinedCodec('an Observable<boolean>', (u): u is Observable<boolean> =>
  isObservable(u),
);

/**
 * The config of `fromDynamoDBStreams` / `readDynamoDBStreams`. Unknown keys
 * are errors (with a did-you-mean).
 *
 * - `table` (its latest stream, found with DescribeTable) or `streamArn`.
 * - `region`, `endpoint`, `credentials`, `httpProtocol`, `trustAllCertificates`:
 *   how to reach DynamoDB Streams (and DynamoDB, for `table`).
 * - `client`: a ready `DynamoDBStreamsClient` (create it with `maxAttempts: 1`:
 *   the retries are ours); `dynamoDBClient`: a ready `DynamoDBClient` for
 *   DescribeTable.
 * - `initialPosition`: `'LATEST'` (default) or `'TRIM_HORIZON'`, for a stream
 *   the checkpoint does not know.
 * - `checkpoint`: a `CheckpointState` to resume from.
 * - `discoveryIntervalMs`: time between DescribeStream listings (default 10,000).
 * - `describeStreamPageSize`: DescribeStream `Limit`, 1–100 (default 100).
 * - `polling`: `{ maxRecords (1–1,000, default 1,000), intervalMs (default 500) }`.
 * - `backoff`: `{ describeStream, getShardIterator, getRecords, describeTable }`,
 *   each a partial `{ base, max, expConst, maxRetries }`; DescribeStream and
 *   DescribeTable default to Flink's `scan.stream.describe.*` (2,000 / 5,000 / 1.5 / 50).
 * - `wrapNumbers`: how numbers are unmarshalled (`@aws-sdk/util-dynamodb`): `false`
 *   (default), `true` (`NumberValue`), or a function of the number's text.
 * - `paused`: an `Observable<boolean>`; while it says true no fetch starts.
 * - `onFetch`: called with a `FetchReport` after every GetRecords.
 */
export const DynamoDBStreamsConfig = strictObject(
  'a DynamoDB Streams source config',
  {},
  {
    table: TableName,
    streamArn: StreamArn,
    region: ClientConfigCodec.props.region,
    endpoint: ClientConfigCodec.props.endpoint,
    credentials: ClientConfigCodec.props.credentials,
    httpProtocol: ClientConfigCodec.props.httpProtocol,
    trustAllCertificates: t.boolean,
    client: DynamoDBStreamsPortCodec,
    dynamoDBClient: DynamoDBPortCodec,
    initialPosition: t.union(
      [t.literal('LATEST'), t.literal('TRIM_HORIZON')],
      "'LATEST' or 'TRIM_HORIZON'",
    ),
    checkpoint: CheckpointState,
    discoveryIntervalMs: PositiveMs,
    describeStreamPageSize: integerIn(
      `a whole number from 1 to ${DESCRIBE_STREAM_MAX_LIMIT}`,
      1,
      DESCRIBE_STREAM_MAX_LIMIT,
    ),
    polling: strictObject(
      'polling settings { maxRecords, intervalMs }',
      {},
      {
        maxRecords: integerIn(
          `a whole number from 1 to ${DYNAMODB_STREAMS_MAX_RECORDS}`,
          1,
          DYNAMODB_STREAMS_MAX_RECORDS,
        ),
        intervalMs: NonNegativeMs,
      },
    ),
    backoff: strictObject(
      'backoff policies { describeStream, getShardIterator, getRecords, describeTable }',
      {},
      {
        describeStream: BackoffOverride,
        getShardIterator: BackoffOverride,
        getRecords: BackoffOverride,
        describeTable: BackoffOverride,
      },
    ),
    wrapNumbers: refinedCodec(
      'true, false or a function (text) => value',
      (u): u is WrapNumbers => typeof u === 'boolean' || typeof u === 'function',
    ),
    paused: PausedSignal,
    onFetch: functionCodec<(report: FetchReport) => void>('a function (report) => void'),
  },
);
/** What `fromDynamoDBStreams` / `readDynamoDBStreams` accept. */
export type DynamoDBStreamsConfig = t.TypeOf<typeof DynamoDBStreamsConfig>;

/** A DynamoDB Streams config decoded, checked and with every default filled in. */
export interface ResolvedDynamoDBStreamsConfig {
  /** The table whose latest stream is read, or the stream's ARN. */
  readonly target: { readonly table: string } | { readonly streamArn: string };
  /** How to reach DynamoDB Streams and DynamoDB (a ready `client` for the former wins). */
  readonly client: Omit<ClientConfig, 'client'> & { readonly client?: DynamoDBStreamsPort };
  readonly dynamoDBClient?: DynamoDBPort;
  readonly initialPosition: { readonly type: 'LATEST' | 'TRIM_HORIZON' };
  readonly checkpoint?: CheckpointState;
  readonly discovery: {
    readonly intervalMs: number;
    readonly pageSize: number;
    readonly backoff: BackoffPolicy;
  };
  readonly polling: {
    readonly maxRecords: number;
    readonly intervalMs: number;
    readonly backoff: {
      readonly getRecords: BackoffPolicy;
      readonly getShardIterator: BackoffPolicy;
    };
  };
  readonly describeTableBackoff: BackoffPolicy;
  readonly wrapNumbers: WrapNumbers;
  readonly paused?: Observable<boolean>;
  readonly onFetch?: (report: FetchReport) => void;
}

/**
 * Decodes and checks a DynamoDB Streams config and fills in defaults. Throws
 * one `ConfigError` (root path `dynamoDBStreams`) naming path, value and
 * expectation; sends nothing.
 *
 * ## Example
 * ```ts
 * import { resolveDynamoDBStreamsConfig } from 'rx-kinesis';
 * resolveDynamoDBStreamsConfig({ table: 'orders', polling: { maxRecords: 5000 } });
 * // ConfigError: dynamoDBStreams.polling.maxRecords: expected a whole number from 1 to 1000, got 5000
 * ```
 *
 * @param input the config
 * @returns the resolved config
 */
export function resolveDynamoDBStreamsConfig(input: unknown): ResolvedDynamoDBStreamsConfig {
  const config = decodeConfig(DynamoDBStreamsConfig, input, 'dynamoDBStreams');
  const problem = (path: string, value: unknown, expected: string): never => {
    throw new ConfigError([{ path: `dynamoDBStreams.${path}`, value, expected }]);
  };
  if (config.table !== undefined && config.streamArn !== undefined) {
    problem('streamArn', config.streamArn, 'either table or streamArn, not both');
  }
  const target =
    config.streamArn !== undefined
      ? { streamArn: config.streamArn }
      : config.table !== undefined
        ? { table: config.table }
        : problem('table', undefined, 'a table name (or streamArn)');
  const backoff = config.backoff ?? {};
  return {
    target,
    client: {
      ...(config.region !== undefined ? { region: config.region } : {}),
      ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
      ...(config.credentials !== undefined ? { credentials: config.credentials } : {}),
      ...(config.client !== undefined ? { client: config.client } : {}),
      ...(config.httpProtocol !== undefined ? { httpProtocol: config.httpProtocol } : {}),
      ...(config.trustAllCertificates !== undefined
        ? { trustAllCertificates: config.trustAllCertificates }
        : {}),
    },
    ...(config.dynamoDBClient !== undefined ? { dynamoDBClient: config.dynamoDBClient } : {}),
    initialPosition: { type: config.initialPosition ?? 'LATEST' },
    ...(config.checkpoint !== undefined ? { checkpoint: config.checkpoint } : {}),
    discovery: {
      intervalMs: config.discoveryIntervalMs ?? DEFAULT_DISCOVERY_INTERVAL_MS,
      pageSize: config.describeStreamPageSize ?? DESCRIBE_STREAM_MAX_LIMIT,
      backoff: { ...DEFAULT_BACKOFF.describeStream, ...backoff.describeStream },
    },
    polling: {
      maxRecords: config.polling?.maxRecords ?? DYNAMODB_STREAMS_MAX_RECORDS,
      intervalMs: config.polling?.intervalMs ?? DEFAULT_DYNAMODB_STREAMS_POLL_INTERVAL_MS,
      backoff: {
        getRecords: { ...DEFAULT_BACKOFF.getRecords, ...backoff.getRecords },
        getShardIterator: { ...DEFAULT_BACKOFF.getShardIterator, ...backoff.getShardIterator },
      },
    },
    describeTableBackoff: { ...DEFAULT_BACKOFF.describeStream, ...backoff.describeTable },
    wrapNumbers: config.wrapNumbers ?? false,
    ...(config.paused !== undefined ? { paused: config.paused } : {}),
    ...(config.onFetch !== undefined ? { onFetch: config.onFetch } : {}),
  };
}
