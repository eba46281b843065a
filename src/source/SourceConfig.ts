import * as t from 'io-ts';
import { unionCodec } from '../config/unionCodec.js';
import { type Observable, isObservable } from 'rxjs';
import { type BackoffPolicy, DEFAULT_BACKOFF } from '../client/BackoffPolicy.js';
import { clientRegionFor } from '../client/clientRegionFor.js';
import { ConfigError, show } from '../client/errors.js';
import { StreamRef, looksLikeArn, streamNameOf } from '../client/StreamArn.js';
import { CheckpointState } from '../checkpoint/CheckpointState.js';
import { type CheckpointStore, CheckpointStoreCodec } from '../checkpoint/CheckpointStore.js';
import { ClientConfig } from '../config/ClientConfig.js';
import { decodeConfig } from '../config/decodeConfig.js';
import { functionCodec, integerIn, numberAtLeast } from '../config/scalarCodecs.js';
import { strictObject } from '../config/strictObject.js';
import { EfoConfig } from './efo/efoStrategy.js';
import { type LeaseCoordinator, isLeaseCoordinator } from '../lease/LeaseCoordinator.js';
import type { MetricsRecorder } from '../metrics/Metric.js';
import { MetricsRecorderCodec } from '../metrics/MetricsRecorderCodec.js';
import type { ShardAssignment } from './assignShards.js';
import type { DiscoveredShard } from './DiscoveredShard.js';
import { DEFAULT_DISCOVERY_INTERVAL_MS } from './discoverShards.js';
import {
  InitialPosition,
  type ResolvedInitialPosition,
  resolveInitialPosition,
} from './InitialPosition.js';
import { DEFAULT_MAX_RECORDS, DEFAULT_POLL_INTERVAL_MS, type PollingOptions } from './pollShard.js';
import type { FetchReport } from './ShardReader.js';
import type { ShardAssigner } from './uniformShardAssigner.js';

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

/** A Kinesis stream name: 1–128 characters of a-z, A-Z, 0-9, `_`, `.`, `-`. */
export const StreamName = new t.Type<string, string, unknown>(
  'a stream name (1-128 characters of a-z, A-Z, 0-9, _ . -)',
  (u): u is string => typeof u === 'string' && STREAM_NAME.test(u),
  (u, c) => (typeof u === 'string' && STREAM_NAME.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

const NonNegativeMs = integerIn('a whole number of milliseconds ≥ 0', 0, Number.MAX_SAFE_INTEGER);
const PositiveMs = integerIn('a whole number of milliseconds ≥ 1', 1, Number.MAX_SAFE_INTEGER);

/** A partial override of one API's backoff policy. */
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

const Assignment = new t.Type<ShardAssignment, ShardAssignment, unknown>(
  'an assignment { index, count, assigner? } or a predicate function',
  (u): u is ShardAssignment => typeof u === 'function' || (typeof u === 'object' && u !== null),
  (u, c) => {
    if (typeof u === 'function') return t.success(u as ShardAssignment);
    const shape = strictObject(
      'an assignment { index, count, assigner? }',
      {
        index: integerIn('a whole number ≥ 0', 0, Number.MAX_SAFE_INTEGER),
        count: integerIn('a whole number ≥ 1', 1, Number.MAX_SAFE_INTEGER),
      },
      { assigner: functionCodec<ShardAssigner>('an assigner function (shard, count) => index') },
    );
    const result = shape.validate(u, c);
    if (result._tag === 'Left') return result;
    const { index, count } = result.right;
    if (index >= count) {
      return t.failure(
        index,
        [...c, { key: 'index', type: t.number, actual: index }],
        `a whole number below count (${count})`,
      );
    }
    return t.success(result.right);
  },
  t.identity,
);

const Timestamp = new t.Type<Date | number | string, Date | number | string, unknown>(
  'a Date, a number of seconds since the epoch (≥ 0) or a formatted string',
  (u): u is Date | number | string =>
    (u instanceof Date && !isNaN(u.getTime())) ||
    (typeof u === 'number' && Number.isFinite(u) && u >= 0) ||
    typeof u === 'string',
  (u, c) =>
    (u instanceof Date && !isNaN(u.getTime())) ||
    (typeof u === 'number' && Number.isFinite(u) && u >= 0) ||
    typeof u === 'string'
      ? t.success(u)
      : t.failure(u, c),
  t.identity,
);
const AtTimestamp = strictObject(
  'an AT_TIMESTAMP position { type, timestamp, format? }',
  { type: t.literal('AT_TIMESTAMP'), timestamp: Timestamp },
  { format: t.string },
);
/** `InitialPosition`, with errors that read well: one name for the whole, inner paths for AT_TIMESTAMP. */
const InitialPositionSetting = new t.Type<InitialPosition, InitialPosition, unknown>(
  "'LATEST', 'TRIM_HORIZON' or { type: 'AT_TIMESTAMP', timestamp, format? }",
  InitialPosition.is,
  (u, c) => {
    if (typeof u === 'object' && u !== null && (u as { type?: unknown }).type === 'AT_TIMESTAMP') {
      return AtTimestamp.validate(u, c);
    }
    return InitialPosition.is(u) ? t.success(u) : t.failure(u, c);
  },
  t.identity,
);

const PausedSignal = new t.Type<Observable<boolean>, Observable<boolean>, unknown>(
  'an Observable<boolean>',
  (u): u is Observable<boolean> => isObservable(u),
  (u, c) => (isObservable(u) ? t.success(u as Observable<boolean>) : t.failure(u, c)),
  t.identity,
);

/**
 * The source config of `fromKinesis` / `readKinesis`. Unknown keys are errors.
 *
 * - `stream` or `streams`: what to read, each a name or a stream ARN
 *   (`arn:aws:kinesis:<region>:<account>:stream/<name>`). A stream given by
 *   ARN is addressed by `StreamARN` in every request (ListShards,
 *   GetShardIterator, DescribeStreamSummary, RegisterStreamConsumer); records,
 *   shard events and checkpoint keys name it by its name, so a checkpoint
 *   taken reading by name resumes reading by ARN and back. An ARN's region
 *   must be the configured `region` (none configured: the client is made for
 *   the ARN's region); two streams with one name are an error.
 * - `region`, `endpoint`, `credentials`, `client`, `httpProtocol`,
 *   `trustAllCertificates`: how to reach Kinesis (`ClientConfig`).
 * - `initialPosition`: `'LATEST'` (default), `'TRIM_HORIZON'` or
 *   `{ type: 'AT_TIMESTAMP', timestamp, format? }`, for streams the
 *   checkpoint does not know.
 * - `checkpoint`: a `CheckpointState` to resume from.
 * - `checkpointStore`: a `CheckpointStore` to resume from: loaded on
 *   subscribe (before any Kinesis request), nothing stored = start as
 *   configured, a failed load or a stored value that does not decode = a
 *   `CheckpointLoadError` on the Observable. Not together with `checkpoint`
 *   or `leases` (a `ConfigError`: one source of positions).
 * - `discoveryIntervalMs`: shard discovery interval (default 10,000).
 * - `listShardsPageSize`: ListShards `MaxResults` (default 1,000).
 * - `polling`: `{ maxRecords (default 10,000), intervalMs (default 200),
 *   adaptive (default false: Flink `scan.shard.adaptivereads`) }`.
 * - `backoff`: `{ listShards, getShardIterator, getRecords }`, each a partial
 *   `{ base, max, expConst, maxRetries }` over `DEFAULT_BACKOFF`.
 * - `assignment`: `{ index, count, assigner? }` or a predicate on shards.
 * - `leases`: a lease coordinator (`dynamoDBLeases(...)`): shards are spread
 *   over the workers sharing its table, and read from the positions in their
 *   leases (not with `assignment`).
 * - `recordPublisher`: `'POLLING'` (default) or `'EFO'` with `efo` settings.
 * - `paused`: an `Observable<boolean>`; while it says true no fetch starts.
 * - `pausedFor`: `(shard) => Observable<boolean>`, a pause signal per shard
 *   (or'ed with `paused`), e.g. watermark alignment:
 *   `pausedFor: (s) => alignment.paused(s.stream, s.shardId)`.
 * - `onFetch`: called with a `FetchReport` after every fetch.
 * - `metrics`: a `MetricsRecorder` (e.g. `kinesisMetrics()`): gets the
 *   `source.*` metrics of every fetch and `source.retries` per retried call.
 */
export const SourceConfig = strictObject(
  'a source config',
  {},
  {
    stream: StreamRef,
    streams: new t.Type<string[], string[], unknown>(
      'a non-empty array of stream names or ARNs',
      (u): u is string[] => Array.isArray(u) && u.length > 0 && u.every(StreamRef.is),
      (u, c) => {
        if (!Array.isArray(u) || u.length === 0) return t.failure(u, c);
        return t.array(StreamRef).validate(u, c);
      },
      t.identity,
    ),
    ...ClientConfig.props,
    initialPosition: InitialPositionSetting,
    checkpoint: CheckpointState,
    checkpointStore: CheckpointStoreCodec,
    discoveryIntervalMs: PositiveMs,
    listShardsPageSize: integerIn('a whole number from 1 to 10000', 1, 10_000),
    polling: strictObject(
      'polling settings { maxRecords, intervalMs, adaptive }',
      {},
      {
        maxRecords: integerIn('a whole number from 1 to 10000', 1, 10_000),
        intervalMs: NonNegativeMs,
        adaptive: t.boolean,
      },
    ),
    backoff: strictObject(
      'backoff policies { listShards, getShardIterator, getRecords }',
      {},
      {
        listShards: BackoffOverride,
        getShardIterator: BackoffOverride,
        getRecords: BackoffOverride,
      },
    ),
    assignment: Assignment,
    leases: new t.Type<LeaseCoordinator, LeaseCoordinator, unknown>(
      'a lease coordinator (dynamoDBLeases(...))',
      isLeaseCoordinator,
      (u, c) => (isLeaseCoordinator(u) ? t.success(u) : t.failure(u, c)),
      t.identity,
    ),
    recordPublisher: unionCodec([t.literal('POLLING'), t.literal('EFO')]),
    efo: EfoConfig,
    paused: PausedSignal,
    pausedFor: functionCodec<(shard: DiscoveredShard) => Observable<boolean>>(
      'a function (shard) => Observable<boolean>',
    ),
    onFetch: functionCodec<(report: FetchReport) => void>('a function (report) => void'),
    metrics: MetricsRecorderCodec,
  },
);
/** What `fromKinesis` / `readKinesis` accept. */
export type SourceConfig = t.TypeOf<typeof SourceConfig>;

/** A source config decoded, checked and with every default filled in. */
export interface ResolvedSourceConfig {
  /** Stream names (the name part of a stream given by ARN). */
  readonly streams: readonly string[];
  /** Stream name → ARN, for the streams given by ARN. */
  readonly streamArns: Readonly<Record<string, string>>;
  readonly client: ClientConfig;
  readonly initialPosition: ResolvedInitialPosition;
  readonly checkpoint?: CheckpointState;
  readonly checkpointStore?: CheckpointStore;
  readonly discovery: {
    readonly intervalMs: number;
    readonly pageSize: number;
    readonly backoff: BackoffPolicy;
  };
  readonly polling: Required<Pick<PollingOptions, 'maxRecords' | 'intervalMs' | 'adaptive'>> & {
    readonly backoff: {
      readonly getRecords: BackoffPolicy;
      readonly getShardIterator: BackoffPolicy;
    };
  };
  readonly assignment?: ShardAssignment;
  readonly leases?: LeaseCoordinator;
  readonly recordPublisher: 'POLLING' | 'EFO';
  readonly efo: EfoConfig;
  readonly paused?: Observable<boolean>;
  readonly pausedFor?: (shard: DiscoveredShard) => Observable<boolean>;
  readonly onFetch?: (report: FetchReport) => void;
  readonly metrics?: MetricsRecorder;
}

/**
 * Decodes and checks a source config, fills in defaults, resolves the
 * initial position's timestamp. Throws one `ConfigError` (root path
 * `source`) naming path, value and expectation; sends nothing.
 *
 * ## Example
 * ```ts
 * import { resolveSourceConfig } from 'rx-kinesis';
 * resolveSourceConfig({ stream: 'orders', polling: { maxRecords: 0 } });
 * // ConfigError: source.polling.maxRecords: expected a whole number from 1 to 10000, got 0
 * ```
 */
export function resolveSourceConfig(input: unknown): ResolvedSourceConfig {
  const config = decodeConfig(SourceConfig, input, 'source');
  const problem = (path: string, value: unknown, expected: string): never => {
    throw new ConfigError([{ path: `source.${path}`, value, expected }]);
  };
  if (config.stream !== undefined && config.streams !== undefined) {
    problem('streams', config.streams, 'either stream or streams, not both');
  }
  const refs = config.streams ?? (config.stream !== undefined ? [config.stream] : undefined);
  if (refs === undefined) return problem('stream', undefined, 'a stream name (or streams)');
  const pathOf = (index: number): string =>
    config.streams !== undefined ? `source.streams.${index}` : 'source.stream';
  const region = clientRegionFor(
    config.region,
    refs.map((stream, index) => ({ path: pathOf(index), stream })),
  );
  const streams = refs.map(streamNameOf);
  const streamArns: Record<string, string> = {};
  refs.forEach((ref, index) => {
    const name = streams[index] as string;
    if (streams.indexOf(name) !== index) {
      problem(
        `streams.${index}`,
        ref,
        `a stream not given before (${show(refs[streams.indexOf(name)])} is the same name)`,
      );
    }
    if (looksLikeArn(ref)) streamArns[name] = ref;
  });
  const initial = resolveInitialPosition(config.initialPosition ?? 'LATEST');
  if (typeof initial === 'string') {
    const position = config.initialPosition as { timestamp: unknown };
    return problem('initialPosition.timestamp', position.timestamp, initial);
  }
  if (config.assignment !== undefined && config.leases !== undefined) {
    problem('leases', 'a lease coordinator', 'either assignment or leases, not both');
  }
  if (config.checkpointStore !== undefined && config.checkpoint !== undefined) {
    problem(
      'checkpointStore',
      'a checkpoint store',
      'either checkpoint or checkpointStore, not both (one state to resume from)',
    );
  }
  if (config.checkpointStore !== undefined && config.leases !== undefined) {
    problem(
      'checkpointStore',
      'a checkpoint store',
      'either leases or checkpointStore, not both (with leases, positions live in the lease table)',
    );
  }
  const backoff = config.backoff ?? {};
  const efo = config.efo ?? {};
  return {
    streams,
    streamArns,
    client: {
      ...(region !== undefined ? { region } : {}),
      ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
      ...(config.credentials !== undefined ? { credentials: config.credentials } : {}),
      ...(config.client !== undefined ? { client: config.client } : {}),
      ...(config.httpProtocol !== undefined ? { httpProtocol: config.httpProtocol } : {}),
      ...(config.trustAllCertificates !== undefined
        ? { trustAllCertificates: config.trustAllCertificates }
        : {}),
    },
    initialPosition: initial,
    ...(config.checkpoint !== undefined ? { checkpoint: config.checkpoint } : {}),
    ...(config.checkpointStore !== undefined ? { checkpointStore: config.checkpointStore } : {}),
    discovery: {
      intervalMs: config.discoveryIntervalMs ?? DEFAULT_DISCOVERY_INTERVAL_MS,
      pageSize: config.listShardsPageSize ?? 1000,
      backoff: { ...DEFAULT_BACKOFF.listShards, ...backoff.listShards },
    },
    polling: {
      maxRecords: config.polling?.maxRecords ?? DEFAULT_MAX_RECORDS,
      intervalMs: config.polling?.intervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      adaptive: config.polling?.adaptive ?? false,
      backoff: {
        getRecords: { ...DEFAULT_BACKOFF.getRecords, ...backoff.getRecords },
        getShardIterator: { ...DEFAULT_BACKOFF.getShardIterator, ...backoff.getShardIterator },
      },
    },
    ...(config.assignment !== undefined ? { assignment: config.assignment } : {}),
    ...(config.leases !== undefined ? { leases: config.leases } : {}),
    recordPublisher: config.recordPublisher ?? 'POLLING',
    efo: efo.consumerArns === undefined ? efo : { ...efo, consumerArns: byName(efo.consumerArns) },
    ...(config.paused !== undefined ? { paused: config.paused } : {}),
    ...(config.pausedFor !== undefined ? { pausedFor: config.pausedFor } : {}),
    ...(config.onFetch !== undefined ? { onFetch: config.onFetch } : {}),
    ...(config.metrics !== undefined ? { metrics: config.metrics } : {}),
  };
}

/** `consumerArns` keyed by stream name, also where the key was the stream's ARN. */
function byName(arns: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, arn] of Object.entries(arns)) out[streamNameOf(key)] = arn;
  return out;
}
