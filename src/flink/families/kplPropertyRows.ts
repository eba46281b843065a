import { booleanText, choiceText, integerText, stringText } from '../codecs/optionText.js';
import type { OptionRow } from '../OptionRow.js';

/** The sink's largest `requests.maxBuffered`. */
const MAX_BUFFERED = 100_000_000;
/** A KPL key that tunes the KPL's native process, which does not exist here. */
const native = (
  key: string,
  codec: OptionRow['codec'],
  defaultText: string | undefined,
  why: string,
): OptionRow => ({
  key,
  codec,
  ...(defaultText === undefined ? {} : { default: defaultText }),
  ignored: why,
});
const NO_NATIVE_PROCESS = 'there is no KPL native process: requests are sent from this process';
const NO_CLOUDWATCH =
  'the KPL uploads metrics to CloudWatch; here pass sink `metrics` (kinesisMetrics())';

/**
 * `FlinkKinesisProducer`'s properties (KPL `KinesisProducerConfiguration`
 * keys, with Flink's overrides of the KPL defaults) and its setters as keys,
 * each with its place in `SinkConfig`.
 */
export const KPL_PROPERTY_ROWS: readonly OptionRow[] = [
  {
    key: 'DefaultStream',
    codec: stringText(true),
    target: 'stream',
    required: true,
    note: '`setDefaultStream`: a stream name or ARN',
  },
  {
    key: 'DefaultPartition',
    codec: stringText(true),
    target: 'partitioner',
    map: (key: string) => () => key,
    note: '`setDefaultPartition`: every record gets this partition key (default: random keys)',
  },
  {
    key: 'QueueLimit',
    codec: integerText('Integer', 1),
    default: '2147483647',
    target: 'requests.maxBuffered',
    map: (limit: number) => Math.min(limit, MAX_BUFFERED),
    writeDefault: false,
    note: "`setQueueLimit`: Flink's default is unbounded; here the sink's 10000 applies unless set, and a limit above 100000000 is read as 100000000 (memory stays bounded)",
  },
  {
    key: 'FailOnError',
    codec: booleanText,
    default: 'false',
    target: 'failOnError',
    note: '`setFailOnError`',
  },
  {
    key: 'AggregationEnabled',
    codec: booleanText,
    default: 'true',
    note: 'true: sink `aggregation` from the Aggregation* keys (KPL records, de-aggregated by fromKinesis); false: none',
  },
  {
    key: 'AggregationMaxCount',
    codec: integerText('Long', 1, 4_294_967_295),
    default: '4294967295',
    target: 'aggregation.maxCount',
  },
  {
    key: 'AggregationMaxSize',
    codec: integerText('Long', 64, 1_048_576),
    default: '51200',
    target: 'aggregation.maxSize',
  },
  {
    key: 'CollectionMaxCount',
    codec: integerText('Long', 1, 500),
    default: '500',
    target: 'batch.maxSize',
    note: 'records per PutRecords',
  },
  {
    key: 'CollectionMaxSize',
    codec: integerText('Long', 52_224),
    default: '5242880',
    target: 'flushBuffer.size',
    note: 'bytes per PutRecords (at most 5 MiB)',
  },
  {
    key: 'RecordMaxBufferedTime',
    codec: integerText('Long', 0),
    default: '100',
    target: ['flushBuffer.timeoutMs', 'aggregation.timeoutMs'],
    note: 'how long a record may wait for its batch (and its aggregated record)',
  },
  {
    key: 'RecordTtl',
    codec: integerText('Long', 100),
    default: '30000',
    target: 'recordTtlMs',
    note: 'a record not stored in time goes to invalidRecords or fails the sink, never dropped silently',
  },
  {
    key: 'RateLimit',
    codec: integerText('Long', 1),
    default: '100',
    target: 'rateLimit',
    note: "percent of each shard's 1 MB/s and 1,000 records/s; Flink sets 100 (the KPL's own default is 150)",
  },
  {
    key: 'RequestTimeout',
    codec: integerText('Long', 100, 600_000),
    default: '6000',
    target: 'requestTimeoutMs',
    note: 'per PutRecords request',
  },
  {
    key: 'MaxConnections',
    codec: integerText('Long', 1, 256),
    default: '24',
    target: 'requests.maxInflight',
    note: 'concurrent PutRecords requests',
  },
  {
    key: 'FailIfThrottled',
    codec: booleanText,
    default: 'false',
    ignored: 'throttled entries are retried with backoff; RecordTtl bounds how long',
  },
  {
    key: 'Region',
    codec: stringText(true),
    aliasOf: 'aws.region',
    note: "the KPL's name for it",
  },
  {
    key: 'KinesisEndpoint',
    codec: stringText(true),
    note: 'host (or URL) of the Kinesis endpoint: client `endpoint` with KinesisPort, unless aws.endpoint is set',
  },
  {
    key: 'KinesisPort',
    codec: integerText('Long', 1, 65_535),
    default: '443',
    note: 'with KinesisEndpoint',
  },
  {
    key: 'VerifyCertificate',
    codec: booleanText,
    default: 'true',
    note: 'false: client `trustAllCertificates` (Node only)',
  },
  {
    key: 'aws.producer.collectionMaxCount',
    codec: integerText('Long', 1, 500),
    aliasOf: 'CollectionMaxCount',
    note: "ProducerConfigConstants' deprecated name",
  },
  {
    key: 'aws.producer.aggregationMaxCount',
    codec: integerText('Long', 1, 4_294_967_295),
    aliasOf: 'AggregationMaxCount',
    note: "ProducerConfigConstants' deprecated name",
  },
  native('ThreadingModel', choiceText(['PER_REQUEST', 'POOLED']), 'POOLED', NO_NATIVE_PROCESS),
  native('ThreadPoolSize', integerText('Long', 0), '10', NO_NATIVE_PROCESS),
  native('NativeExecutable', stringText(), undefined, NO_NATIVE_PROCESS),
  native('TempDirectory', stringText(), undefined, NO_NATIVE_PROCESS),
  native('EnableCoreDumps', booleanText, 'false', NO_NATIVE_PROCESS),
  native('LogLevel', choiceText(['info', 'warning', 'error']), 'info', NO_NATIVE_PROCESS),
  native(
    'CredentialsRefreshDelay',
    integerText('Long', 1, 300_000),
    '5000',
    'the SDK refreshes credentials itself',
  ),
  native(
    'ConnectTimeout',
    integerText('Long', 100, 300_000),
    '6000',
    "the SDK client's own HTTP settings apply; RequestTimeout bounds each request",
  ),
  native(
    'MinConnections',
    integerText('Long', 1, 16),
    '1',
    "the SDK client's own HTTP settings apply",
  ),
  native('MetricsLevel', choiceText(['none', 'summary', 'detailed']), 'detailed', NO_CLOUDWATCH),
  native('MetricsGranularity', choiceText(['global', 'stream', 'shard']), 'shard', NO_CLOUDWATCH),
  native('MetricsNamespace', stringText(), 'KinesisProducerLibrary', NO_CLOUDWATCH),
  native('MetricsUploadDelay', integerText('Long', 1, 60_000), '60000', NO_CLOUDWATCH),
  native('CloudwatchEndpoint', stringText(), undefined, NO_CLOUDWATCH),
  native('CloudwatchPort', integerText('Long', 1, 65_535), '443', NO_CLOUDWATCH),
  native(
    'RetryDuration',
    integerText('Long', 0),
    undefined,
    'listed by some FlinkKinesisProducer guides, not a KPL setting; retries are bounded by RecordTtl and the sink `retry` policy',
  ),
];
