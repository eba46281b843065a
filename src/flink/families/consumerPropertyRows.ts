import { DEFAULT_BACKOFF } from '../../client/BackoffPolicy.js';
import { DEFAULT_TIMESTAMP_FORMAT } from '../../source/InitialPosition.js';
import {
  booleanText,
  choiceText,
  doubleText,
  durationText,
  integerText,
  listText,
  stringText,
} from '../codecs/optionText.js';
import type { OptionRow } from '../OptionRow.js';

/** `<prefix>.maxretries` and `<prefix>.backoff.{base,max,expconst}` of one Kinesis API. */
const backoffRows = (
  prefix: string,
  target: string,
  api: keyof typeof DEFAULT_BACKOFF,
  /** Where the delays also go (Flink backfills DescribeStream's into ListShards'). */
  also?: string,
): OptionRow[] => {
  const defaults = DEFAULT_BACKOFF[api];
  const to = (field: string): string | string[] =>
    also === undefined ? `${target}.${field}` : [`${target}.${field}`, `${also}.${field}`];
  const note =
    also === undefined ? {} : { note: `also ${also} (Flink's backfillConsumerKeys), when given` };
  return [
    {
      key: `${prefix}.maxretries`,
      codec: integerText('Integer', 0),
      default: String(defaults.maxRetries),
      target: `${target}.maxRetries`,
    },
    {
      key: `${prefix}.backoff.base`,
      codec: integerText('Long', 0),
      default: String(defaults.base),
      target: to('base'),
      ...note,
    },
    {
      key: `${prefix}.backoff.max`,
      codec: integerText('Long', 0),
      default: String(defaults.max),
      target: to('max'),
      ...note,
    },
    {
      key: `${prefix}.backoff.expconst`,
      codec: doubleText(1),
      default: String(defaults.expConst),
      target: to('expConst'),
      ...note,
    },
  ];
};

const INITIAL_POSITIONS = ['LATEST', 'TRIM_HORIZON', 'AT_TIMESTAMP'] as const;

/**
 * `FlinkKinesisConsumer`'s properties (`ConsumerConfigConstants`, seed 001),
 * each with Flink's default and its place in `SourceConfig`. The stream(s),
 * a constructor argument in Flink, are the `stream` key here.
 */
export const CONSUMER_PROPERTY_ROWS: readonly OptionRow[] = [
  {
    key: 'stream',
    codec: listText,
    target: 'streams',
    required: true,
    note: "FlinkKinesisConsumer's first argument: a stream name or ARN, or a comma-separated list",
  },
  {
    key: 'flink.stream.initpos',
    codec: choiceText(INITIAL_POSITIONS),
    default: 'LATEST',
    target: 'initialPosition',
    note: 'AT_TIMESTAMP reads the timestamp keys below',
  },
  {
    key: 'flink.stream.initpos.timestamp',
    codec: stringText(true),
    note: 'required with AT_TIMESTAMP: seconds since the epoch (`1459799926.480`) or a date in the format below',
  },
  {
    key: 'flink.stream.initpos.timestamp.format',
    codec: stringText(true),
    default: DEFAULT_TIMESTAMP_FORMAT,
    note: 'SimpleDateFormat letters',
  },
  {
    key: 'flink.stream.timestamp.date.format',
    codec: stringText(true),
    aliasOf: 'flink.stream.initpos.timestamp.format',
    note: "STREAM_TIMESTAMP_DATE_FORMAT's key is flink.stream.initpos.timestamp.format",
  },
  {
    key: 'flink.stream.initpos-for-new-streams',
    codec: booleanText,
    default: 'false',
    ignored:
      "initialPosition always applies to streams the checkpoint does not know (Flink's true); streams it knows resume from it",
  },
  {
    key: 'flink.stream.initpos-streams',
    codec: stringText(),
    default: '',
    ignored: 'to restart a stream from initialPosition, drop its entries from the checkpoint state',
  },
  {
    key: 'flink.stream.recordpublisher',
    codec: choiceText(['POLLING', 'EFO']),
    default: 'POLLING',
    target: 'recordPublisher',
  },
  {
    key: 'flink.stream.efo.consumername',
    codec: stringText(true),
    target: 'efo.consumerName',
    note: 'required with EFO unless the registration is NONE',
  },
  {
    key: 'flink.stream.efo.registration',
    codec: choiceText(['LAZY', 'EAGER', 'NONE']),
    default: 'LAZY',
    target: 'efo.registration',
  },
  {
    key: 'flink.stream.efo.consumerarn',
    prefix: true,
    codec: stringText(true),
    target: 'efo.consumerArns.*',
    note: '`flink.stream.efo.consumerarn.<stream>`: required per stream with registration NONE',
  },
  {
    key: 'flink.stream.efo.http-client.max-concurrency',
    codec: integerText('Integer', 1),
    default: '10000',
    ignored: 'the SDK manages its HTTP/2 streams',
  },
  {
    key: 'flink.stream.efo.http-client.read-timeout',
    codec: integerText('Integer', 1),
    default: '360000',
    ignored: "the SDK client's own HTTP settings apply",
  },
  // ListShards' rows first: their defaults stand unless a DescribeStream key is given
  ...backoffRows('flink.list.shards', 'backoff.listShards', 'listShards'),
  ...backoffRows(
    'flink.stream.describe',
    'efo.backoff.describeStream',
    'describeStream',
    'backoff.listShards',
  ),
  ...backoffRows(
    'flink.stream.describestreamconsumer',
    'efo.backoff.describeStreamConsumer',
    'describeStreamConsumer',
  ),
  ...backoffRows(
    'flink.stream.registerstreamconsumer',
    'efo.backoff.registerStreamConsumer',
    'registerStreamConsumer',
  ),
  {
    key: 'flink.stream.registerstreamconsumer.timeout',
    codec: integerText('Integer', 1),
    default: '60',
    target: 'efo.registerTimeoutMs',
    map: (seconds: number) => seconds * 1000,
    note: 'seconds (× 1000)',
  },
  ...backoffRows(
    'flink.stream.deregisterstreamconsumer',
    'efo.backoff.deregisterStreamConsumer',
    'deregisterStreamConsumer',
  ),
  {
    key: 'flink.stream.deregisterstreamconsumer.timeout',
    codec: integerText('Integer', 1),
    default: '60',
    ignored: 'deregistration runs after teardown, retried with its backoff, not awaited',
  },
  ...backoffRows(
    'flink.shard.subscribetoshard',
    'efo.backoff.subscribeToShard',
    'subscribeToShard',
  ),
  {
    key: 'flink.shard.subscribetoshard.timeout',
    codec: integerText('Integer', 1),
    default: '60',
    ignored: 'a subscription that fails to start is retried with the subscribetoshard backoff',
  },
  {
    key: 'flink.shard.getrecords.maxrecordcount',
    codec: integerText('Integer'),
    default: '10000',
    target: 'polling.maxRecords',
  },
  ...backoffRows('flink.shard.getrecords', 'backoff.getRecords', 'getRecords'),
  {
    key: 'flink.shard.getrecords.intervalmillis',
    codec: integerText('Long', 0, 300_000),
    default: '200',
    target: 'polling.intervalMs',
    note: 'at most 300000, as in Flink (iterators expire after 5 minutes)',
  },
  ...backoffRows('flink.shard.getiterator', 'backoff.getShardIterator', 'getShardIterator'),
  {
    key: 'flink.shard.discovery.intervalmillis',
    codec: integerText('Long'),
    default: '10000',
    target: 'discoveryIntervalMs',
  },
  {
    key: 'flink.shard.adaptivereads',
    codec: booleanText,
    default: 'false',
    target: 'polling.adaptive',
  },
  {
    key: 'flink.shard.idle.interval',
    codec: integerText('Long', -1),
    default: '-1',
    ignored: 'pipe the records through idleShards(ms) and watermarks() yourself',
  },
  {
    key: 'flink.shard.consumer.error.recoverable',
    prefix: true,
    codec: stringText(),
    ignored: 'errors are classified by their name here; retryable ones are retried with backoff',
  },
  {
    key: 'flink.watermark.sync.interval',
    codec: integerText('Long', 1),
    default: '30000',
    ignored: 'pipe the records through alignWatermarks(...) yourself',
  },
  {
    key: 'flink.watermark.lookahead.millis',
    codec: integerText('Long', 0),
    default: '0',
    ignored: 'pipe the records through alignWatermarks(...) yourself',
  },
  {
    key: 'flink.watermark.sync.queue.capacity',
    codec: integerText('Integer', 1),
    default: '100',
    ignored: 'pipe the records through alignWatermarks(...) yourself',
  },
];

/**
 * The current connector's keys (flink-connector-aws `KinesisStreamsSource`,
 * `KinesisSourceConfigOptions`), over the same `SourceConfig` paths. A key
 * and its legacy twin (`source.init.position`, `flink.stream.initpos`) may
 * not both be set.
 */
export const KINESIS_SOURCE_ROWS: readonly OptionRow[] = [
  {
    key: 'source.init.position',
    codec: choiceText(INITIAL_POSITIONS),
    default: 'LATEST',
    target: 'initialPosition',
  },
  {
    key: 'source.init.timestamp',
    codec: stringText(true),
    note: 'required with AT_TIMESTAMP (as flink.stream.initpos.timestamp)',
  },
  {
    key: 'source.init.timestamp.format',
    codec: stringText(true),
    default: DEFAULT_TIMESTAMP_FORMAT,
    note: 'SimpleDateFormat letters',
  },
  {
    key: 'source.shard.discovery.interval',
    codec: durationText(1),
    default: '10 s',
    target: 'discoveryIntervalMs',
  },
  {
    key: 'source.shard.get-records.max-record-count',
    codec: integerText('Integer'),
    default: '10000',
    target: 'polling.maxRecords',
  },
  {
    key: 'source.reader.type',
    codec: choiceText(['POLLING', 'EFO']),
    default: 'POLLING',
    target: 'recordPublisher',
  },
  {
    key: 'source.reader.empty-records-fetch-interval',
    codec: durationText(0),
    default: '250 ms',
    target: 'polling.intervalMs',
    writeDefault: false,
    note: 'here the wait follows every fetch, as flink.shard.getrecords.intervalmillis (default 200 ms)',
  },
  {
    key: 'source.reader.nonempty-records-fetch-interval',
    codec: durationText(0),
    default: '0 ms',
    ignored:
      'one interval (source.reader.empty-records-fetch-interval) follows every fetch; set flink.shard.adaptivereads to fetch sooner behind',
  },
  {
    key: 'source.efo.lifecycle',
    codec: choiceText(['JOB_MANAGED', 'SELF_MANAGED'], {
      JOB_MANAGED: 'LAZY',
      SELF_MANAGED: 'EAGER',
    }),
    default: 'JOB_MANAGED',
    target: 'efo.registration',
    writeDefault: false,
    note: 'JOB_MANAGED: LAZY (registered on start, deregistered at the end); SELF_MANAGED: EAGER (never deregistered; registered if missing, where Flink fails)',
  },
  {
    key: 'source.efo.consumer.name',
    codec: stringText(true),
    target: 'efo.consumerName',
    note: 'required with EFO',
  },
  {
    key: 'source.efo.subscription.timeout',
    codec: durationText(1),
    default: '60 s',
    ignored: 'a subscription that fails to start is retried with the subscribetoshard backoff',
  },
  {
    key: 'source.efo.describe.retry-strategy.delay.min',
    codec: durationText(0),
    default: '2000 ms',
    target: 'efo.backoff.describeStreamConsumer.base',
    writeDefault: false,
  },
  {
    key: 'source.efo.describe.retry-strategy.delay.max',
    codec: durationText(0),
    default: '60000 ms',
    target: 'efo.backoff.describeStreamConsumer.max',
    writeDefault: false,
  },
  {
    key: 'source.efo.describe.retry-strategy.attempts.max',
    codec: integerText('Integer', 1),
    default: '100',
    target: 'efo.backoff.describeStreamConsumer.maxRetries',
    map: (attempts: number) => attempts - 1,
    writeDefault: false,
    note: 'attempts, so retries = attempts − 1',
  },
];
