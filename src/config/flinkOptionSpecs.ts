/** The value type of a Flink option, as Flink's table lists it. */
export type FlinkOptionType = 'String' | 'Integer' | 'Long' | 'Double' | 'Boolean';

/** One Flink SQL connector option: how to read it and what it becomes here. */
export interface FlinkOptionSpec {
  readonly key: string;
  readonly type: FlinkOptionType;
  /** Flink's default, as text (`undefined`: none). */
  readonly default?: string;
  /** Accepted values (case-insensitive), for enumerations. */
  readonly values?: readonly string[];
  /** Inclusive range for numbers. */
  readonly min?: number;
  readonly max?: number;
  readonly required?: boolean;
  /** A key prefix (`scan.stream.efo.consumerarn.<stream>`, `sink.producer.*`), not a key. */
  readonly prefix?: boolean;
  /** The config field it sets here (for the docs table). */
  readonly mapsTo: string;
  /** Anything a Flink user should know about how it behaves here. */
  readonly note?: string;
}

const backoff = (
  prefix: string,
  api: string,
  defaults: { base: number; max: number; expConst: number; maxRetries: number },
  flinkApi: string,
): FlinkOptionSpec[] => [
  {
    key: `${prefix}.maxretries`,
    type: 'Integer',
    default: String(defaults.maxRetries),
    min: 0,
    mapsTo: `source ${['listShards', 'getRecords', 'getShardIterator'].includes(api) ? '' : 'efo.'}backoff.${api}.maxRetries`,
    note: `retries of ${flinkApi} on a retryable error`,
  },
  {
    key: `${prefix}.backoff.base`,
    type: 'Long',
    default: String(defaults.base),
    min: 0,
    mapsTo: `source ${['listShards', 'getRecords', 'getShardIterator'].includes(api) ? '' : 'efo.'}backoff.${api}.base`,
  },
  {
    key: `${prefix}.backoff.max`,
    type: 'Long',
    default: String(defaults.max),
    min: 0,
    mapsTo: `source ${['listShards', 'getRecords', 'getShardIterator'].includes(api) ? '' : 'efo.'}backoff.${api}.max`,
  },
  {
    key: `${prefix}.backoff.expconst`,
    type: 'Double',
    default: String(defaults.expConst),
    min: 1,
    mapsTo: `source ${['listShards', 'getRecords', 'getShardIterator'].includes(api) ? '' : 'efo.'}backoff.${api}.expConst`,
  },
];

/**
 * Every option of Flink's Kinesis SQL connector table (seed 000), with its
 * default. The one source of truth for `fromFlinkOptions` and for
 * `docs/flink-options.md` (a test checks the docs list every key).
 */
export const FLINK_OPTION_SPECS: readonly FlinkOptionSpec[] = [
  // common
  {
    key: 'connector',
    type: 'String',
    required: true,
    values: ['kinesis'],
    mapsTo: '(checked: must be kinesis)',
  },
  { key: 'stream', type: 'String', required: true, mapsTo: 'source `stream` / sink `stream`' },
  {
    key: 'format',
    type: 'String',
    required: true,
    values: ['json', 'csv', 'raw', 'avro'],
    mapsTo: 'table format (`<format>.*` keys are its options)',
  },
  {
    key: 'aws.region',
    type: 'String',
    mapsTo: 'client `region`',
    note: 'this or aws.endpoint is required, as in Flink',
  },
  {
    key: 'aws.endpoint',
    type: 'String',
    mapsTo: 'client `endpoint`',
    note: 'http:// endpoints speak HTTP/1.1',
  },
  {
    key: 'aws.trust.all.certificates',
    type: 'Boolean',
    default: 'false',
    mapsTo: 'client `trustAllCertificates`',
    note: 'Node only',
  },
  // credentials
  {
    key: 'aws.credentials.provider',
    type: 'String',
    default: 'AUTO',
    values: [
      'AUTO',
      'BASIC',
      'ENV_VAR',
      'SYS_PROP',
      'PROFILE',
      'ASSUME_ROLE',
      'WEB_IDENTITY_TOKEN',
    ],
    mapsTo: 'client `credentials.type`',
    note: 'SYS_PROP (Java system properties) is refused with a ConfigError; AUTO with both basic keys set means BASIC, as in Flink',
  },
  {
    key: 'aws.credentials.basic.accesskeyid',
    type: 'String',
    mapsTo: 'client `credentials.accessKeyId` (BASIC)',
  },
  {
    key: 'aws.credentials.basic.secretkey',
    type: 'String',
    mapsTo: 'client `credentials.secretAccessKey` (BASIC)',
  },
  {
    key: 'aws.credentials.profile.path',
    type: 'String',
    mapsTo: 'client `credentials.path` (PROFILE)',
  },
  {
    key: 'aws.credentials.profile.name',
    type: 'String',
    mapsTo: 'client `credentials.name` (PROFILE)',
  },
  {
    key: 'aws.credentials.role.arn',
    type: 'String',
    mapsTo: 'client `credentials.roleArn` (ASSUME_ROLE, WEB_IDENTITY_TOKEN)',
  },
  {
    key: 'aws.credentials.role.sessionName',
    type: 'String',
    mapsTo: 'client `credentials.sessionName` (ASSUME_ROLE, WEB_IDENTITY_TOKEN)',
  },
  {
    key: 'aws.credentials.role.externalId',
    type: 'String',
    mapsTo: 'client `credentials.externalId` (ASSUME_ROLE)',
  },
  {
    key: 'aws.credentials.role.provider',
    type: 'String',
    default: 'AUTO',
    values: [
      'AUTO',
      'BASIC',
      'ENV_VAR',
      'SYS_PROP',
      'PROFILE',
      'ASSUME_ROLE',
      'WEB_IDENTITY_TOKEN',
    ],
    mapsTo: 'client `credentials.base.type` (ASSUME_ROLE)',
    note: 'its settings use this key as prefix: `aws.credentials.role.provider.basic.accesskeyid`, `aws.credentials.role.provider.role.arn`, `aws.credentials.role.provider.role.provider` (nested ASSUME_ROLE), …',
  },
  {
    key: 'aws.credentials.role.stsEndpoint',
    type: 'String',
    mapsTo: 'client `credentials.stsEndpoint` (ASSUME_ROLE, WEB_IDENTITY_TOKEN)',
    note: "as Flink's AWSConfigConstants `aws.credentials.role.stsEndpoint`",
  },
  {
    key: 'aws.credentials.webIdentityToken.file',
    type: 'String',
    mapsTo: 'client `credentials.tokenFile` (WEB_IDENTITY_TOKEN)',
  },
  // source
  {
    key: 'scan.stream.initpos',
    type: 'String',
    default: 'LATEST',
    values: ['LATEST', 'TRIM_HORIZON', 'AT_TIMESTAMP'],
    mapsTo: 'source `initialPosition`',
  },
  {
    key: 'scan.stream.initpos-timestamp',
    type: 'String',
    mapsTo: 'source `initialPosition.timestamp` (AT_TIMESTAMP)',
    note: 'seconds since the epoch (`1459799926.480`) or a date in the format below; checked here',
  },
  {
    key: 'scan.stream.initpos-timestamp-format',
    type: 'String',
    default: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
    mapsTo: 'source `initialPosition.format`',
    note: "SimpleDateFormat letters y M d H m s S X Z and 'quoted text'",
  },
  {
    key: 'scan.stream.recordpublisher',
    type: 'String',
    default: 'POLLING',
    values: ['POLLING', 'EFO'],
    mapsTo: 'source `recordPublisher`',
  },
  {
    key: 'scan.stream.efo.consumername',
    type: 'String',
    mapsTo: 'source `efo.consumerName`',
    note: 'required with EFO unless registration is NONE',
  },
  {
    key: 'scan.stream.efo.registration',
    type: 'String',
    default: 'LAZY',
    values: ['LAZY', 'EAGER', 'NONE'],
    mapsTo: 'source `efo.registration`',
  },
  {
    key: 'scan.stream.efo.consumerarn',
    prefix: true,
    type: 'String',
    mapsTo: 'source `efo.consumerArns[<stream>]`',
    note: 'a prefix: `scan.stream.efo.consumerarn.<stream-name>`; required per stream with registration NONE',
  },
  {
    key: 'scan.stream.efo.http-client.max-concurrency',
    type: 'Integer',
    default: '10000',
    min: 1,
    mapsTo: 'source `efo.maxConcurrency`',
    note: 'accepted and checked; the SDK manages HTTP/2 streams',
  },
  ...backoff(
    'scan.stream.describe',
    'describeStream',
    { base: 2000, max: 5000, expConst: 1.5, maxRetries: 50 },
    'DescribeStream',
  ),
  ...backoff(
    'scan.list.shards',
    'listShards',
    { base: 1000, max: 5000, expConst: 1.5, maxRetries: 10 },
    'ListShards',
  ),
  ...backoff(
    'scan.stream.describestreamconsumer',
    'describeStreamConsumer',
    { base: 2000, max: 5000, expConst: 1.5, maxRetries: 50 },
    'DescribeStreamConsumer',
  ),
  ...backoff(
    'scan.stream.registerstreamconsumer',
    'registerStreamConsumer',
    { base: 500, max: 2000, expConst: 1.5, maxRetries: 10 },
    'RegisterStreamConsumer',
  ),
  {
    key: 'scan.stream.registerstreamconsumer.timeout',
    type: 'Integer',
    default: '60',
    min: 1,
    mapsTo: 'source `efo.registerTimeoutMs` (seconds × 1000)',
  },
  ...backoff(
    'scan.stream.deregisterstreamconsumer',
    'deregisterStreamConsumer',
    { base: 500, max: 2000, expConst: 1.5, maxRetries: 10 },
    'DeregisterStreamConsumer',
  ),
  {
    key: 'scan.stream.deregisterstreamconsumer.timeout',
    type: 'Integer',
    default: '60',
    min: 1,
    mapsTo: 'source `efo.deregisterTimeoutMs` (seconds × 1000)',
  },
  ...backoff(
    'scan.shard.subscribetoshard',
    'subscribeToShard',
    { base: 1000, max: 2000, expConst: 1.5, maxRetries: 10 },
    'SubscribeToShard',
  ),
  {
    key: 'scan.shard.getrecords.maxrecordcount',
    type: 'Integer',
    default: '10000',
    min: 1,
    max: 10000,
    mapsTo: 'source `polling.maxRecords`',
  },
  ...backoff(
    'scan.shard.getrecords',
    'getRecords',
    { base: 300, max: 1000, expConst: 1.5, maxRetries: 3 },
    'GetRecords',
  ),
  {
    key: 'scan.shard.getrecords.intervalmillis',
    type: 'Long',
    default: '200',
    min: 0,
    max: 300000,
    mapsTo: 'source `polling.intervalMs`',
    note: 'Flink caps it at 300000 (iterators expire after 5 minutes)',
  },
  ...backoff(
    'scan.shard.getiterator',
    'getShardIterator',
    { base: 300, max: 1000, expConst: 1.5, maxRetries: 3 },
    'GetShardIterator',
  ),
  {
    key: 'scan.shard.discovery.intervalmillis',
    type: 'Integer',
    default: '10000',
    min: 1,
    mapsTo: 'source `discoveryIntervalMs`',
  },
  {
    key: 'scan.shard.adaptivereads',
    type: 'Boolean',
    default: 'false',
    mapsTo: 'source `polling.adaptive`',
  },
  {
    key: 'scan.shard.idle.interval',
    type: 'Long',
    default: '-1',
    min: -1,
    mapsTo: 'source `idleIntervalMs` (-1: never idle)',
  },
  {
    key: 'scan.watermark.sync.interval',
    type: 'Long',
    default: '30000',
    min: 1,
    mapsTo: 'source `watermark.syncIntervalMs`',
  },
  {
    key: 'scan.watermark.lookahead.millis',
    type: 'Long',
    default: '0',
    min: 0,
    mapsTo: 'source `watermark.lookaheadMs` (0: no alignment)',
  },
  {
    key: 'scan.watermark.sync.queue.capacity',
    type: 'Integer',
    default: '100',
    min: 1,
    mapsTo: 'source `watermark.syncQueueCapacity`',
  },
  // sink
  {
    key: 'sink.partitioner',
    type: 'String',
    mapsTo: 'sink `partitioner`: `random` (default without PARTITIONED BY) or `fixed`',
    note: 'a Java class name is refused; with PARTITIONED BY it is a ConfigError, as in Flink',
  },
  {
    key: 'sink.partitioner-field-delimiter',
    type: 'String',
    default: '|',
    mapsTo: 'sink key from PARTITIONED BY fields joined with this (empty allowed)',
  },
  {
    key: 'sink.producer',
    prefix: true,
    type: 'String',
    mapsTo:
      'deprecated prefix `sink.producer.*`: mapped to successors with a warning, others warned and ignored (see below)',
  },
  {
    key: 'sink.http-client.max-concurrency',
    type: 'Integer',
    default: '10000',
    min: 1,
    mapsTo: 'sink `httpClient.maxConcurrency`',
  },
  {
    key: 'sink.http-client.read-timeout',
    type: 'Integer',
    default: '360000',
    min: 1,
    mapsTo: 'sink `httpClient.readTimeoutMs`',
  },
  {
    key: 'sink.http-client.protocol.version',
    type: 'String',
    default: 'HTTP2',
    values: ['HTTP1_1', 'HTTP2'],
    mapsTo: 'client `httpProtocol` (`http1` / `http2`)',
    note: 'an http:// endpoint without this key stays HTTP/1.1',
  },
  {
    key: 'sink.batch.max-size',
    type: 'Integer',
    default: '500',
    min: 1,
    max: 500,
    mapsTo: 'sink `batch.maxRecords`',
  },
  {
    key: 'sink.requests.max-inflight',
    type: 'Integer',
    default: '16',
    min: 1,
    max: 10000,
    mapsTo: 'sink `maxInFlight`',
  },
  {
    key: 'sink.requests.max-buffered',
    type: 'Integer',
    default: '10000',
    min: 1,
    max: 100000000,
    mapsTo: 'sink `maxBuffered`',
    note: 'Flink types it String; read as an integer',
  },
  {
    key: 'sink.flush-buffer.size',
    type: 'Long',
    default: '5242880',
    min: 1,
    max: 5242880,
    mapsTo: 'sink `batch.maxBytes`',
    note: 'at most 5 MiB, the PutRecords limit',
  },
  {
    key: 'sink.flush-buffer.timeout',
    type: 'Long',
    default: '5000',
    min: 0,
    max: 3600000,
    mapsTo: 'sink `batch.maxDelayMs`',
  },
  { key: 'sink.fail-on-error', type: 'Boolean', default: 'false', mapsTo: 'sink `failOnError`' },
];

/** A deprecated `sink.producer.*` key and what became of it. */
export interface DeprecatedProducerOption {
  readonly key: string;
  /** The successor key it is read as, or `undefined` when it is ignored. */
  readonly successor?: string;
  /** How the value converts (e.g. verify-certificate is negated). */
  readonly convert?: (value: string) => string;
  readonly note: string;
}

/** `sink.producer.*` keys of the legacy FlinkKinesisProducer (seed 000, "Updates in 1.15"). */
export const DEPRECATED_PRODUCER_OPTIONS: readonly DeprecatedProducerOption[] = [
  { key: 'sink.producer.fail-on-error', successor: 'sink.fail-on-error', note: 'same meaning' },
  {
    key: 'sink.producer.record-max-buffered-time',
    successor: 'sink.flush-buffer.timeout',
    note: 'milliseconds',
  },
  {
    key: 'sink.producer.collection-max-count',
    successor: 'sink.batch.max-size',
    note: 'records per PutRecords',
  },
  {
    key: 'sink.producer.collection-max-size',
    successor: 'sink.flush-buffer.size',
    note: 'bytes per PutRecords',
  },
  {
    key: 'sink.producer.max-connections',
    successor: 'sink.http-client.max-concurrency',
    note: 'concurrent requests',
  },
  {
    key: 'sink.producer.request-timeout',
    successor: 'sink.http-client.read-timeout',
    note: 'milliseconds',
  },
  {
    key: 'sink.producer.verify-certificate',
    successor: 'aws.trust.all.certificates',
    convert: (v) =>
      v.trim().toLowerCase() === 'false' ? 'true' : v.trim().toLowerCase() === 'true' ? 'false' : v,
    note: 'negated',
  },
  {
    key: 'sink.producer.aggregation-enabled',
    successor: 'sink aggregation',
    note: 'Flink ≥ 1.15 ignores it; this sink can still write KPL aggregated records, so it turns `aggregation` on',
  },
  {
    key: 'sink.producer.aggregation-max-count',
    successor: 'sink aggregation.maxCount',
    note: 'with aggregation-enabled',
  },
  {
    key: 'sink.producer.aggregation-max-size',
    successor: 'sink aggregation.maxSize',
    note: 'with aggregation-enabled',
  },
];
