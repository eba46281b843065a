/** Which Flink generation a key comes from. */
export type DynamoDBStreamsOptionFamily =
  'SQL' | 'FlinkDynamoDBStreamsConsumer' | 'DynamoDbStreamsSource' | 'common';

/** One Flink option of a DynamoDB Streams source: how to read it and what it sets here. */
export interface DynamoDBStreamsOptionSpec {
  readonly key: string;
  readonly family: DynamoDBStreamsOptionFamily;
  /** `Duration`: whole milliseconds, or a number with a unit (`ms`, `s`, `min`, `h`). */
  readonly type: 'Integer' | 'Long' | 'Double' | 'Boolean' | 'String' | 'Duration';
  /** Flink's default, as text. */
  readonly default?: string;
  /** Accepted values (case-insensitive), for enumerations. */
  readonly values?: readonly string[];
  /** The `fromDynamoDBStreams` config paths it sets; none: accepted, no effect here (see `note`). */
  readonly mapsTo: readonly string[];
  readonly note?: string;
}

const EVERY_CALL = ['describeStream', 'getShardIterator', 'getRecords'] as const;

/**
 * The Flink option keys of a DynamoDB Streams source, one row each: the SQL
 * connector's `scan.stream.describe.*` (seed 000), the DataStream
 * `FlinkDynamoDBStreamsConsumer`'s `flink.dynamodbstreams.describe.*`, the
 * current `DynamoDbStreamsSource`'s `flink.dynamodbstreams.*`, and the
 * common keys that make a map usable on its own. Read by
 * `dynamoDBStreamsConfigFromFlinkOptions` and by the docs table; a key is
 * one row, and the config's io-ts codec judges the values.
 */
export const DYNAMODB_STREAMS_OPTION_SPECS: readonly DynamoDBStreamsOptionSpec[] = [
  // SQL connector (seed 000): "for consuming from DynamoDB streams"
  {
    key: 'scan.stream.describe.maxretries',
    family: 'SQL',
    type: 'Integer',
    default: '50',
    mapsTo: ['backoff.describeStream.maxRetries'],
  },
  {
    key: 'scan.stream.describe.backoff.base',
    family: 'SQL',
    type: 'Long',
    default: '2000',
    mapsTo: ['backoff.describeStream.base'],
  },
  {
    key: 'scan.stream.describe.backoff.max',
    family: 'SQL',
    type: 'Long',
    default: '5000',
    mapsTo: ['backoff.describeStream.max'],
  },
  {
    key: 'scan.stream.describe.backoff.expconst',
    family: 'SQL',
    type: 'Double',
    default: '1.5',
    mapsTo: ['backoff.describeStream.expConst'],
  },
  // DataStream FlinkDynamoDBStreamsConsumer (java.util.Properties)
  {
    key: 'flink.dynamodbstreams.describe.backoff.base',
    family: 'FlinkDynamoDBStreamsConsumer',
    type: 'Long',
    default: '1000',
    mapsTo: ['backoff.describeStream.base'],
    note: 'Flink 1000; here 2000 unless set (the SQL default)',
  },
  {
    key: 'flink.dynamodbstreams.describe.backoff.max',
    family: 'FlinkDynamoDBStreamsConsumer',
    type: 'Long',
    default: '5000',
    mapsTo: ['backoff.describeStream.max'],
  },
  {
    key: 'flink.dynamodbstreams.describe.backoff.expconst',
    family: 'FlinkDynamoDBStreamsConsumer',
    type: 'Double',
    default: '1.5',
    mapsTo: ['backoff.describeStream.expConst'],
  },
  {
    key: 'flink.dynamodbstreams.shardid.format.check',
    family: 'FlinkDynamoDBStreamsConsumer',
    type: 'Boolean',
    default: 'false',
    mapsTo: [],
    note: 'no effect: shard ids of any format are ordered by the number after "shardId-"',
  },
  // current DynamoDbStreamsSource (flink-connector-aws)
  {
    key: 'flink.stream.initpos',
    family: 'DynamoDbStreamsSource',
    type: 'String',
    default: 'LATEST',
    values: ['LATEST', 'TRIM_HORIZON'],
    mapsTo: ['initialPosition'],
  },
  {
    key: 'flink.shard.discovery.intervalmillis',
    family: 'DynamoDbStreamsSource',
    type: 'Duration',
    default: '10000',
    mapsTo: ['discoveryIntervalMs'],
    note: 'the current source defaults to 60 s; every listing here already starts after the last shard seen',
  },
  {
    key: 'flink.shard.incremental.discovery.intervalmillis',
    family: 'DynamoDbStreamsSource',
    type: 'Duration',
    default: '60000',
    mapsTo: [],
    note: 'no effect: every listing is incremental (ExclusiveStartShardId); use flink.shard.discovery.intervalmillis',
  },
  {
    key: 'flink.describestream.inconsistencyresolution.retries',
    family: 'DynamoDbStreamsSource',
    type: 'Integer',
    default: '5',
    mapsTo: [],
    note: 'no effect: a shard whose parent is not listed counts the parent as finished (trimmed), as for Kinesis',
  },
  {
    key: 'flink.dynamodbstreams.numretries',
    family: 'DynamoDbStreamsSource',
    type: 'Integer',
    default: '50',
    mapsTo: EVERY_CALL.map((call) => `backoff.${call}.maxRetries`),
  },
  {
    key: 'flink.dynamodbstreams.backoff.mindelayduration',
    family: 'DynamoDbStreamsSource',
    type: 'Duration',
    default: '100 ms',
    mapsTo: EVERY_CALL.map((call) => `backoff.${call}.base`),
  },
  {
    key: 'flink.dynamodbstreams.backoff.maxdelay',
    family: 'DynamoDbStreamsSource',
    type: 'Duration',
    default: '1000 ms',
    mapsTo: EVERY_CALL.map((call) => `backoff.${call}.max`),
  },
  {
    key: 'aws.dynamodbstreams.client.user-agent-prefix',
    family: 'DynamoDbStreamsSource',
    type: 'String',
    mapsTo: [],
    note: 'no effect: the SDK client keeps its own user agent',
  },
  // common: where and how fast
  { key: 'aws.region', family: 'common', type: 'String', mapsTo: ['region'] },
  { key: 'aws.endpoint', family: 'common', type: 'String', mapsTo: ['endpoint'] },
  {
    key: 'flink.shard.getrecords.maxrecordcount',
    family: 'common',
    type: 'Integer',
    default: '1000',
    mapsTo: ['polling.maxRecords'],
    note: 'at most 1,000 on DynamoDB Streams',
  },
  {
    key: 'flink.shard.getrecords.intervalmillis',
    family: 'common',
    type: 'Long',
    default: '500',
    mapsTo: ['polling.intervalMs'],
    note: 'the wait once a shard is caught up; calls stay ≥ 250 ms apart, ≤ 4 a second per shard',
  },
];
