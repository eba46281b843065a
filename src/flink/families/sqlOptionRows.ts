import * as t from 'io-ts';
import { DEFAULT_BACKOFF } from '../../client/BackoffPolicy.js';
import { DEFAULT_TIMESTAMP_FORMAT } from '../../source/InitialPosition.js';
import { CREDENTIAL_TYPES } from '../credentialsFromOptions.js';
import {
  booleanText,
  choiceText,
  doubleText,
  integerText,
  stringText,
} from '../codecs/optionText.js';
import type { OptionRow } from '../OptionRow.js';

/** The client keys land in both configs: a table reads and writes the same stream. */
const both = (path: string): string[] => [`source.${path}`, `sink.${path}`];

/** `<prefix>.maxretries` and `<prefix>.backoff.{base,max,expconst}` of one Kinesis API. */
const backoffRows = (
  prefix: string,
  target: string,
  api: keyof typeof DEFAULT_BACKOFF,
): OptionRow[] => {
  const defaults = DEFAULT_BACKOFF[api];
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
      target: `${target}.base`,
    },
    {
      key: `${prefix}.backoff.max`,
      codec: integerText('Long', 0),
      default: String(defaults.max),
      target: `${target}.max`,
    },
    {
      key: `${prefix}.backoff.expconst`,
      codec: doubleText(1),
      default: String(defaults.expConst),
      target: `${target}.expConst`,
    },
  ];
};

const credential = (suffix: string, note: string): OptionRow => ({
  key: `aws.credentials.${suffix}`,
  codec: stringText(),
  note,
});

/** A key Flink's table does not have in this form: refused, saying which form it takes. */
const refusedAs = (expected: string): t.Decoder<unknown, unknown> =>
  new t.Type<never, string, unknown>(
    expected,
    (_u): _u is never => false,
    (u, c) => t.failure(u, c, expected),
    () => '',
  );

const PARTITIONERS = choiceText(['random', 'fixed']);
/** `random` or `fixed`; a Java partitioner class is refused, saying what to do instead. */
const partitionerText = new t.Type<unknown, string, unknown>(
  PARTITIONERS.name,
  PARTITIONERS.is,
  (u, c) => {
    const result = PARTITIONERS.validate(u, c);
    return result._tag === 'Left' && typeof u === 'string' && u.includes('.')
      ? t.failure(
          u,
          c,
          'random or fixed (a Java partitioner class cannot run here: use toKinesis with a partitionKey function)',
        )
      : result;
  },
  String,
);

/** A deprecated `sink.producer.*` key read as its successor (with a warning). */
const deprecated = (key: string, successor: string, note: string): OptionRow => ({
  key: `sink.producer.${key}`,
  codec: stringText(),
  aliasOf: successor,
  note: `deprecated in Flink; ${note}`,
});

/** The format option keys Flink's formats define that the table layer reads. */
export const FORMAT_OPTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  json: [
    'json.fail-on-missing-field',
    'json.ignore-parse-errors',
    'json.timestamp-format.standard',
  ],
  csv: [
    'csv.field-delimiter',
    'csv.quote-character',
    'csv.disable-quote-character',
    'csv.null-literal',
    'csv.ignore-parse-errors',
    'csv.allow-comments',
  ],
  raw: ['raw.charset', 'raw.endianness'],
  avro: ['avro.codec', 'avro.schema'],
};

/** The table's common keys: connector, stream, format, client and credentials. */
const COMMON_ROWS: readonly OptionRow[] = [
  {
    key: 'connector',
    codec: choiceText(['kinesis']),
    note: 'required in a table (defineTable); checked',
  },
  {
    key: 'stream',
    codec: stringText(true),
    target: ['stream', 'source.stream', 'sink.stream'],
    required: true,
    note: 'the name of the Kinesis stream',
  },
  {
    key: 'format',
    codec: choiceText(Object.keys(FORMAT_OPTION_KEYS)),
    target: 'format',
    note: 'required in a table (defineTable); `<format>.*` keys are its options',
  },
  ...Object.keys(FORMAT_OPTION_KEYS).map((format): OptionRow => ({
    key: format,
    prefix: true,
    codec: stringText(),
    target: 'formatOptions.*',
    note: `options of the ${format} format: ${(FORMAT_OPTION_KEYS[format] ?? []).join(', ')}`,
  })),
  {
    key: 'aws.region',
    codec: stringText(true),
    target: both('region'),
    note: 'this or aws.endpoint is required, as in Flink',
  },
  {
    key: 'aws.endpoint',
    codec: stringText(true),
    target: both('endpoint'),
    note: 'http:// endpoints speak HTTP/1.1',
  },
  {
    key: 'aws.trust.all.certificates',
    codec: booleanText,
    default: 'false',
    target: both('trustAllCertificates'),
    writeDefault: false,
    note: 'Node only',
  },
  {
    key: 'aws.credentials.provider',
    codec: choiceText(CREDENTIAL_TYPES),
    default: 'AUTO',
    note: 'client `credentials.type`; SYS_PROP (Java system properties) is refused; AUTO with both basic keys set means BASIC, as in Flink',
  },
  credential('basic.accesskeyid', 'client `credentials.accessKeyId` (BASIC)'),
  credential('basic.secretkey', 'client `credentials.secretAccessKey` (BASIC)'),
  credential('profile.path', 'client `credentials.path` (PROFILE)'),
  credential('profile.name', 'client `credentials.name` (PROFILE)'),
  credential('role.arn', 'client `credentials.roleArn` (ASSUME_ROLE, WEB_IDENTITY_TOKEN)'),
  credential(
    'role.sessionName',
    'client `credentials.sessionName` (ASSUME_ROLE, WEB_IDENTITY_TOKEN)',
  ),
  credential('role.externalId', 'client `credentials.externalId` (ASSUME_ROLE)'),
  credential(
    'role.stsEndpoint',
    'client `credentials.stsEndpoint` (ASSUME_ROLE, WEB_IDENTITY_TOKEN)',
  ),
  credential('webIdentityToken.file', 'client `credentials.tokenFile` (WEB_IDENTITY_TOKEN)'),
  {
    key: 'aws.credentials.role.provider',
    codec: choiceText(CREDENTIAL_TYPES),
    default: 'AUTO',
    note: 'client `credentials.base.type` (ASSUME_ROLE): the base provider, configured with this key as prefix',
  },
  {
    key: 'aws.credentials.role.provider',
    prefix: true,
    codec: stringText(),
    note: "the base provider's own keys (`….role.provider.basic.accesskeyid`, `….role.provider.role.arn`, …)",
  },
];

const INITIAL_POSITIONS = ['LATEST', 'TRIM_HORIZON', 'AT_TIMESTAMP'] as const;

/** The `scan.*` keys, read into the table's `SourceConfig`. */
const SCAN_ROWS: readonly OptionRow[] = [
  {
    key: 'scan.stream.initpos',
    codec: choiceText(INITIAL_POSITIONS),
    default: 'LATEST',
    target: 'source.initialPosition',
    note: 'AT_TIMESTAMP reads the timestamp keys below',
  },
  {
    key: 'scan.stream.initpos-timestamp',
    codec: stringText(true),
    note: 'required with AT_TIMESTAMP: seconds since the epoch (`1459799926.480`) or a date in the format below; checked here',
  },
  {
    key: 'scan.stream.initpos-timestamp-format',
    codec: stringText(true),
    default: DEFAULT_TIMESTAMP_FORMAT,
    note: 'SimpleDateFormat letters',
  },
  {
    key: 'scan.stream.recordpublisher',
    codec: choiceText(['POLLING', 'EFO']),
    default: 'POLLING',
    target: 'source.recordPublisher',
  },
  {
    key: 'scan.stream.efo.consumername',
    codec: stringText(true),
    target: 'source.efo.consumerName',
    note: 'required with EFO unless the registration is NONE',
  },
  {
    key: 'scan.stream.efo.registration',
    codec: choiceText(['LAZY', 'EAGER', 'NONE']),
    default: 'LAZY',
    target: 'source.efo.registration',
  },
  {
    key: 'scan.stream.efo.consumerarn',
    prefix: true,
    codec: stringText(true),
    target: 'source.efo.consumerArns.*',
    note: '`scan.stream.efo.consumerarn.<stream-name>`; required per stream with registration NONE',
  },
  {
    key: 'scan.stream.efo.consumerarn',
    codec: refusedAs('a key per stream: scan.stream.efo.consumerarn.<stream-name>'),
    note: 'only as a prefix (above)',
  },
  {
    key: 'scan.stream.efo.http-client.max-concurrency',
    codec: integerText('Integer', 1),
    default: '10000',
    ignored: 'the SDK manages its HTTP/2 connections',
  },
  ...backoffRows('scan.stream.describe', 'source.efo.backoff.describeStream', 'describeStream'),
  ...backoffRows('scan.list.shards', 'source.backoff.listShards', 'listShards'),
  ...backoffRows(
    'scan.stream.describestreamconsumer',
    'source.efo.backoff.describeStreamConsumer',
    'describeStreamConsumer',
  ),
  ...backoffRows(
    'scan.stream.registerstreamconsumer',
    'source.efo.backoff.registerStreamConsumer',
    'registerStreamConsumer',
  ),
  {
    key: 'scan.stream.registerstreamconsumer.timeout',
    codec: integerText('Integer', 1),
    default: '60',
    target: 'source.efo.registerTimeoutMs',
    map: (seconds: number) => seconds * 1000,
    note: 'seconds; × 1000',
  },
  ...backoffRows(
    'scan.stream.deregisterstreamconsumer',
    'source.efo.backoff.deregisterStreamConsumer',
    'deregisterStreamConsumer',
  ),
  {
    key: 'scan.stream.deregisterstreamconsumer.timeout',
    codec: integerText('Integer', 1),
    default: '60',
    ignored: 'deregistration is not awaited with a timeout here',
  },
  ...backoffRows(
    'scan.shard.subscribetoshard',
    'source.efo.backoff.subscribeToShard',
    'subscribeToShard',
  ),
  {
    key: 'scan.shard.getrecords.maxrecordcount',
    codec: integerText('Integer', 1, 10_000),
    default: '10000',
    target: 'source.polling.maxRecords',
  },
  ...backoffRows('scan.shard.getrecords', 'source.backoff.getRecords', 'getRecords'),
  {
    key: 'scan.shard.getrecords.intervalmillis',
    codec: integerText('Long', 0, 300_000),
    default: '200',
    target: 'source.polling.intervalMs',
    note: 'Flink caps it at 300000 (iterators expire after 5 minutes)',
  },
  ...backoffRows('scan.shard.getiterator', 'source.backoff.getShardIterator', 'getShardIterator'),
  {
    key: 'scan.shard.discovery.intervalmillis',
    codec: integerText('Integer', 1),
    default: '10000',
    target: 'source.discoveryIntervalMs',
  },
  {
    key: 'scan.shard.adaptivereads',
    codec: booleanText,
    default: 'false',
    target: 'source.polling.adaptive',
  },
  {
    key: 'scan.shard.idle.interval',
    codec: integerText('Long', -1),
    default: '-1',
    ignored: 'pipe the records through idleShards(ms) and watermarks() yourself',
  },
  {
    key: 'scan.watermark.sync.interval',
    codec: integerText('Long', 1),
    default: '30000',
    ignored: 'pipe the records through alignWatermarks(...) yourself',
  },
  {
    key: 'scan.watermark.lookahead.millis',
    codec: integerText('Long', 0),
    default: '0',
    ignored: 'pipe the records through alignWatermarks(...) yourself',
  },
  {
    key: 'scan.watermark.sync.queue.capacity',
    codec: integerText('Integer', 1),
    default: '100',
    ignored: 'pipe the records through alignWatermarks(...) yourself',
  },
];

/** The `sink.*` keys (and deprecated `sink.producer.*`), read into the table's `SinkConfig`. */
const SINK_ROWS: readonly OptionRow[] = [
  {
    key: 'sink.partitioner',
    codec: partitionerText,
    default: 'random',
    note: '`random` (default without PARTITIONED BY) or `fixed`; a Java class name is refused; with PARTITIONED BY it is an error, as in Flink',
  },
  {
    key: 'sink.partitioner-field-delimiter',
    codec: stringText(),
    default: '|',
    note: 'with PARTITIONED BY: sink `partitionerFieldDelimiter`, joining the fields into the key (empty allowed)',
  },
  {
    key: 'sink.http-client.max-concurrency',
    codec: integerText('Integer', 1),
    default: '10000',
    ignored: "the SDK client's own HTTP settings apply",
  },
  {
    key: 'sink.http-client.read-timeout',
    codec: integerText('Integer', 1),
    default: '360000',
    ignored: "the SDK client's own HTTP settings apply",
  },
  {
    key: 'sink.http-client.protocol.version',
    codec: choiceText(['HTTP1_1', 'HTTP2'], { HTTP1_1: 'http1', HTTP2: 'http2' }),
    default: 'HTTP2',
    target: both('httpProtocol'),
    writeDefault: false,
    note: 'client `httpProtocol` (`http1` / `http2`); an http:// endpoint without this key stays HTTP/1.1',
  },
  {
    key: 'sink.batch.max-size',
    codec: integerText('Integer', 1, 500),
    default: '500',
    target: 'sink.batch.maxSize',
  },
  {
    key: 'sink.requests.max-inflight',
    codec: integerText('Integer', 1, 10_000),
    default: '16',
    target: 'sink.requests.maxInflight',
  },
  {
    key: 'sink.requests.max-buffered',
    codec: integerText('Integer', 1, 100_000_000),
    default: '10000',
    target: 'sink.requests.maxBuffered',
    note: 'Flink types it String; read as an integer',
  },
  {
    key: 'sink.flush-buffer.size',
    codec: integerText('Long', 1, 5_242_880),
    default: '5242880',
    target: 'sink.flushBuffer.size',
    note: 'at most 5 MiB, the PutRecords limit',
  },
  {
    key: 'sink.flush-buffer.timeout',
    codec: integerText('Long', 0, 3_600_000),
    default: '5000',
    target: 'sink.flushBuffer.timeoutMs',
  },
  { key: 'sink.fail-on-error', codec: booleanText, default: 'false', target: 'sink.failOnError' },
  deprecated('fail-on-error', 'sink.fail-on-error', 'same meaning'),
  deprecated('record-max-buffered-time', 'sink.flush-buffer.timeout', 'milliseconds'),
  deprecated('collection-max-count', 'sink.batch.max-size', 'records per PutRecords'),
  deprecated('collection-max-size', 'sink.flush-buffer.size', 'bytes per PutRecords'),
  deprecated('max-connections', 'sink.http-client.max-concurrency', 'concurrent requests'),
  deprecated('request-timeout', 'sink.http-client.read-timeout', 'milliseconds'),
  {
    key: 'sink.producer.verify-certificate',
    codec: booleanText,
    note: 'deprecated in Flink; negated into aws.trust.all.certificates (which wins when also set)',
  },
  {
    key: 'sink.producer.aggregation-enabled',
    codec: booleanText,
    note: 'deprecated in Flink (≥ 1.15 ignores it); this sink can still write KPL aggregated records, so true turns sink `aggregation` on',
  },
  {
    key: 'sink.producer.aggregation-max-count',
    codec: integerText('Long', 1, 4_294_967_295),
    note: 'deprecated in Flink; sink `aggregation.maxCount` with aggregation-enabled',
  },
  {
    key: 'sink.producer.aggregation-max-size',
    codec: integerText('Long', 1024, 1_048_320),
    note: 'deprecated in Flink; sink `aggregation.maxSize` with aggregation-enabled',
  },
  {
    key: 'sink.producer',
    prefix: true,
    codec: stringText(),
    ignored: 'a deprecated FlinkKinesisProducer key this sink does not support',
  },
];

/**
 * Every option of Flink's Kinesis SQL connector table (seed 000), with
 * Flink's default and its place in the table's `SourceConfig` / `SinkConfig`:
 * `sink.batch.max-size` is `sink.batch.maxSize`, the very field the batcher
 * reads. Adding a key is adding a row.
 */
export const SQL_OPTION_ROWS: readonly OptionRow[] = [...COMMON_ROWS, ...SCAN_ROWS, ...SINK_ROWS];
