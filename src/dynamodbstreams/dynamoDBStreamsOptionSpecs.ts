import { DEFAULT_BACKOFF } from '../client/BackoffPolicy.js';
import {
  booleanText,
  choiceText,
  doubleText,
  durationText,
  integerText,
  stringText,
} from '../flink/codecs/optionText.js';
import type { OptionRow } from '../flink/OptionRow.js';

/** Which Flink generation a key comes from. */
export type DynamoDBStreamsOptionFamily =
  'SQL' | 'FlinkDynamoDBStreamsConsumer' | 'DynamoDbStreamsSource' | 'common';

/**
 * Every row writes only when its key is given (`writeDefault: false`): the
 * options go over a `base` config, and Flink's defaults are not all this
 * source's (see the notes); the config's own defaults apply to what is not set.
 */
const row = (spec: Omit<OptionRow, 'writeDefault'>): OptionRow => ({
  ...spec,
  writeDefault: false,
});

const EVERY_CALL = ['describeStream', 'getShardIterator', 'getRecords'] as const;
const everyCall = (field: string): string[] => EVERY_CALL.map((call) => `backoff.${call}.${field}`);
/** What a per-call field is here when the key is not set (the config's own defaults). */
const hereUnlessSet = (field: 'base' | 'max' | 'maxRetries', unit = ''): string =>
  `here, unless set: ${DEFAULT_BACKOFF.describeStream[field]}${unit} for DescribeStream, ` +
  `${DEFAULT_BACKOFF.getShardIterator[field]}${unit} for GetShardIterator and GetRecords`;

/**
 * The Flink option keys of a DynamoDB Streams source by generation, one
 * `OptionRow` each: the SQL connector's `scan.stream.describe.*` (seed 000),
 * the DataStream `FlinkDynamoDBStreamsConsumer`'s
 * `flink.dynamodbstreams.describe.*`, the current `DynamoDbStreamsSource`'s
 * `flink.dynamodbstreams.*`, and the common keys that make a map usable on
 * its own. Codecs only read the text; `DynamoDBStreamsConfig` judges the
 * values (ranges included) at the row's target.
 */
export const DYNAMODB_STREAMS_OPTION_GROUPS: Readonly<
  Record<DynamoDBStreamsOptionFamily, readonly OptionRow[]>
> = {
  // SQL connector (seed 000): "for consuming from DynamoDB streams"
  SQL: [
    row({
      key: 'scan.stream.describe.maxretries',
      codec: integerText('Integer'),
      default: '50',
      target: 'backoff.describeStream.maxRetries',
    }),
    row({
      key: 'scan.stream.describe.backoff.base',
      codec: integerText('Long'),
      default: '2000',
      target: 'backoff.describeStream.base',
    }),
    row({
      key: 'scan.stream.describe.backoff.max',
      codec: integerText('Long'),
      default: '5000',
      target: 'backoff.describeStream.max',
    }),
    row({
      key: 'scan.stream.describe.backoff.expconst',
      codec: doubleText(),
      default: '1.5',
      target: 'backoff.describeStream.expConst',
    }),
  ],
  // DataStream FlinkDynamoDBStreamsConsumer (java.util.Properties)
  FlinkDynamoDBStreamsConsumer: [
    row({
      key: 'flink.dynamodbstreams.describe.backoff.base',
      codec: integerText('Long'),
      default: '1000',
      target: 'backoff.describeStream.base',
      note: 'Flink 1000; here 2000 unless set (the SQL default)',
    }),
    row({
      key: 'flink.dynamodbstreams.describe.backoff.max',
      codec: integerText('Long'),
      default: '5000',
      target: 'backoff.describeStream.max',
    }),
    row({
      key: 'flink.dynamodbstreams.describe.backoff.expconst',
      codec: doubleText(),
      default: '1.5',
      target: 'backoff.describeStream.expConst',
    }),
    row({
      key: 'flink.dynamodbstreams.shardid.format.check',
      codec: booleanText,
      default: 'false',
      ignored: 'shard ids of any format are ordered by the number after "shardId-"',
    }),
  ],
  // current DynamoDbStreamsSource (flink-connector-aws)
  DynamoDbStreamsSource: [
    row({
      key: 'flink.stream.initpos',
      codec: choiceText(['LATEST', 'TRIM_HORIZON']),
      default: 'LATEST',
      target: 'initialPosition',
    }),
    row({
      key: 'flink.shard.discovery.intervalmillis',
      codec: durationText(),
      default: '10000',
      target: 'discoveryIntervalMs',
      note: 'the current source defaults to 60 s; every listing here already starts after the last shard seen',
    }),
    row({
      key: 'flink.shard.incremental.discovery.intervalmillis',
      codec: durationText(),
      default: '60000',
      ignored:
        'every listing is incremental (ExclusiveStartShardId); use flink.shard.discovery.intervalmillis',
    }),
    row({
      key: 'flink.describestream.inconsistencyresolution.retries',
      codec: integerText('Integer'),
      default: '5',
      ignored:
        'a shard whose parent is not listed counts the parent as finished (trimmed), as for Kinesis',
    }),
    row({
      key: 'flink.dynamodbstreams.numretries',
      codec: integerText('Integer'),
      default: '50',
      target: everyCall('maxRetries'),
      note: hereUnlessSet('maxRetries'),
    }),
    row({
      key: 'flink.dynamodbstreams.backoff.mindelayduration',
      codec: durationText(),
      default: '100 ms',
      target: everyCall('base'),
      note: hereUnlessSet('base', ' ms'),
    }),
    row({
      key: 'flink.dynamodbstreams.backoff.maxdelay',
      codec: durationText(),
      default: '1000 ms',
      target: everyCall('max'),
      note: hereUnlessSet('max', ' ms'),
    }),
    row({
      key: 'aws.dynamodbstreams.client.user-agent-prefix',
      codec: stringText(),
      ignored: 'the SDK client keeps its own user agent',
    }),
  ],
  // common: where and how fast
  common: [
    row({ key: 'aws.region', codec: stringText(), target: 'region' }),
    row({ key: 'aws.endpoint', codec: stringText(), target: 'endpoint' }),
    row({
      key: 'flink.shard.getrecords.maxrecordcount',
      codec: integerText('Integer'),
      default: '1000',
      target: 'polling.maxRecords',
      note: 'at most 1,000 on DynamoDB Streams',
    }),
    row({
      key: 'flink.shard.getrecords.intervalmillis',
      codec: integerText('Long'),
      default: '500',
      target: 'polling.intervalMs',
      note: 'the wait once a shard is caught up; calls stay ≥ 250 ms apart, ≤ 4 a second per shard',
    }),
  ],
};

/**
 * Every Flink option key of a DynamoDB Streams source (the groups above, in
 * order): the rows of `DYNAMODB_STREAMS_OPTIONS_FAMILY`, read by
 * `dynamoDBStreamsConfigFromFlinkOptions` and by the docs tables. Adding a
 * key is adding a row.
 */
export const DYNAMODB_STREAMS_OPTION_ROWS: readonly OptionRow[] = Object.values(
  DYNAMODB_STREAMS_OPTION_GROUPS,
).flat();
