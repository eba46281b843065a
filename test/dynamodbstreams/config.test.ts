import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DYNAMODB_STREAMS_OPTION_SPECS,
  type DynamoDBStreamsOptionWarning,
  dynamoDBStreamsConfigFromFlinkOptions,
  fromDynamoDBStreams,
  resolveDynamoDBStreamsConfig,
} from '../../src/index.js';

const arn = 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000';

/** The message of the ConfigError `run` throws. */
function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('fromDynamoDBStreams config', () => {
  it('rejects bad config with path, value and expectation, before any request', () => {
    let sent = 0;
    const client = { send: () => ((sent += 1), Promise.resolve({})) };
    const cases: Array<[object, string]> = [
      [
        { table: 'orders', polling: { maxRecords: 5000 } },
        'dynamoDBStreams.polling.maxRecords: expected a whole number from 1 to 1000, got 5000',
      ],
      [
        { table: 'orders', initialPosition: 'AT_TIMESTAMP' },
        'dynamoDBStreams.initialPosition: expected "LATEST" or "TRIM_HORIZON", got "AT_TIMESTAMP"',
      ],
      [
        { table: 'x' },
        'dynamoDBStreams.table: expected a table name (3-255 characters of a-z, A-Z, 0-9, _ . -), got "x"',
      ],
      [
        { streamArn: 'arn:aws:kinesis:eu-west-1:1:stream/orders' },
        'dynamoDBStreams.streamArn: expected a stream ARN',
      ],
      [{ tabel: 'orders' }, 'dynamoDBStreams.tabel: expected no such key (did you mean "table"?)'],
      [
        { table: 'orders', streamArn: arn },
        'dynamoDBStreams.streamArn: expected either table or streamArn, not both',
      ],
      [
        { region: 'eu-west-1' },
        'dynamoDBStreams.table: expected a table name (or streamArn), got undefined',
      ],
      [
        { table: 'orders', describeStreamPageSize: 101 },
        'dynamoDBStreams.describeStreamPageSize: expected a whole number from 1 to 100, got 101',
      ],
      [
        { table: 'orders', backoff: { describeStream: { base: -1 } } },
        'dynamoDBStreams.backoff.describeStream.base: expected a whole number of milliseconds ≥ 0, got -1',
      ],
      [
        { table: 'orders', wrapNumbers: 'yes' },
        'dynamoDBStreams.wrapNumbers: expected true, false or a function (text) => value, got "yes"',
      ],
      [{ table: 'orders', client: {} }, 'dynamoDBStreams.client: expected a DynamoDBStreamsClient'],
    ];
    for (const [config, message] of cases) {
      expect(configError(() => fromDynamoDBStreams({ client, ...config } as never))).toContain(
        message,
      );
    }
    expect(sent).toBe(0);
  });

  it('fills in the DynamoDB Streams defaults', () => {
    const resolved = resolveDynamoDBStreamsConfig({ streamArn: arn });
    expect(resolved).toMatchObject({
      target: { streamArn: arn },
      initialPosition: { type: 'LATEST' },
      discovery: {
        intervalMs: 10_000,
        pageSize: 100,
        backoff: { base: 2000, max: 5000, expConst: 1.5, maxRetries: 50 },
      },
      polling: { maxRecords: 1000, intervalMs: 500 },
      describeTableBackoff: { base: 2000, max: 5000, expConst: 1.5, maxRetries: 50 },
      wrapNumbers: false,
    });
  });
});

describe('dynamoDBStreamsConfigFromFlinkOptions', () => {
  it('accepts every key of the table at its default; keys with no effect warn why', () => {
    const options: Record<string, string> = {};
    for (const spec of DYNAMODB_STREAMS_OPTION_SPECS) options[spec.key] = spec.default ?? 'x';
    options['aws.region'] = 'eu-west-1';
    options['aws.endpoint'] = 'http://127.0.0.1:8000';
    const warnings: DynamoDBStreamsOptionWarning[] = [];
    const config = dynamoDBStreamsConfigFromFlinkOptions(options, { streamArn: arn }, (w) =>
      warnings.push(w),
    );
    expect(() => resolveDynamoDBStreamsConfig(config)).not.toThrow();
    expect(warnings.map((w) => w.key).sort()).toEqual(
      DYNAMODB_STREAMS_OPTION_SPECS.filter((s) => s.mapsTo.length === 0)
        .map((s) => s.key)
        .sort(),
    );
    expect(warnings.every((w) => w.message.includes('no effect'))).toBe(true);
  });

  it('maps scan.stream.describe.* and flink.dynamodbstreams.* onto the retry policies', () => {
    const config = dynamoDBStreamsConfigFromFlinkOptions(
      {
        'scan.stream.describe.maxretries': '7',
        'scan.stream.describe.backoff.base': '300',
        'scan.stream.describe.backoff.max': '900',
        'scan.stream.describe.backoff.expconst': '2.5',
        'flink.stream.initpos': 'trim_horizon',
        'flink.shard.discovery.intervalmillis': '30 s',
        'flink.shard.getrecords.maxrecordcount': '250',
      },
      { table: 'orders' },
    );
    const resolved = resolveDynamoDBStreamsConfig(config);
    expect(resolved.discovery).toEqual({
      intervalMs: 30_000,
      pageSize: 100,
      backoff: { base: 300, max: 900, expConst: 2.5, maxRetries: 7 },
    });
    expect(resolved.initialPosition).toEqual({ type: 'TRIM_HORIZON' });
    expect(resolved.polling.maxRecords).toBe(250);

    const all = resolveDynamoDBStreamsConfig(
      dynamoDBStreamsConfigFromFlinkOptions(
        {
          'flink.dynamodbstreams.numretries': '3',
          'flink.dynamodbstreams.backoff.mindelayduration': '100 ms',
          'flink.dynamodbstreams.backoff.maxdelay': '2 s',
        },
        { table: 'orders' },
      ),
    );
    const policy = { base: 100, max: 2000, expConst: 1.5, maxRetries: 3 };
    expect(all.discovery.backoff).toEqual(policy);
    expect(all.polling.backoff).toEqual({ getRecords: policy, getShardIterator: policy });
  });

  it('rejects unknown keys with a did-you-mean, wrong types and out-of-range values, naming the key', () => {
    const bad = (options: Record<string, string>): string =>
      configError(() => dynamoDBStreamsConfigFromFlinkOptions(options, { table: 'orders' }));
    expect(bad({ 'scan.stream.describe.maxretrys': '5' })).toContain(
      'options["scan.stream.describe.maxretrys"]: expected a known key (did you mean "scan.stream.describe.maxretries"?)',
    );
    expect(bad({ 'scan.stream.describe.backoff.base': 'soon' })).toContain(
      'options["scan.stream.describe.backoff.base"]: expected a whole number, got "soon"',
    );
    expect(bad({ 'flink.stream.initpos': 'AT_TIMESTAMP' })).toContain(
      'options["flink.stream.initpos"]: expected one of LATEST, TRIM_HORIZON',
    );
    expect(bad({ 'flink.shard.getrecords.maxrecordcount': '5000' })).toContain(
      'options["flink.shard.getrecords.maxrecordcount"] (dynamoDBStreams.polling.maxRecords): expected a whole number from 1 to 1000, got 5000',
    );
    expect(bad({ 'scan.stream.describe.backoff.expconst': '0.5' })).toContain(
      'options["scan.stream.describe.backoff.expconst"] (dynamoDBStreams.backoff.describeStream.expConst): expected a number ≥ 1',
    );
  });
});
