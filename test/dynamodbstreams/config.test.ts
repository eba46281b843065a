import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DYNAMODB_STREAMS_OPTION_GROUPS,
  DYNAMODB_STREAMS_OPTION_ROWS,
  type DynamoDBStreamsOptionWarning,
  type OptionRow,
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
  /** Flink's default of a row, or a valid value for a key without one. */
  const textOf = (row: OptionRow): string =>
    row.default ??
    { 'aws.region': 'eu-west-1', 'aws.endpoint': 'http://127.0.0.1:8000' }[row.key] ??
    'x';

  it('accepts every key of the table at its default, alone and with its generation; keys with no effect warn why', () => {
    expect(DYNAMODB_STREAMS_OPTION_ROWS).toHaveLength(20);
    for (const row of DYNAMODB_STREAMS_OPTION_ROWS) {
      const config = dynamoDBStreamsConfigFromFlinkOptions(
        { [row.key]: textOf(row) },
        { streamArn: arn },
      );
      expect(() => resolveDynamoDBStreamsConfig(config), row.key).not.toThrow();
    }
    for (const [generation, rows] of Object.entries(DYNAMODB_STREAMS_OPTION_GROUPS)) {
      const options = Object.fromEntries(rows.map((row) => [row.key, textOf(row)]));
      const warnings: DynamoDBStreamsOptionWarning[] = [];
      const config = dynamoDBStreamsConfigFromFlinkOptions(options, { streamArn: arn }, (w) =>
        warnings.push(w),
      );
      expect(() => resolveDynamoDBStreamsConfig(config), generation).not.toThrow();
      expect(warnings.map((w) => w.key).sort(), generation).toEqual(
        rows
          .filter((row) => row.ignored !== undefined)
          .map((row) => row.key)
          .sort(),
      );
      expect(warnings.every((w) => w.message.includes('no effect'))).toBe(true);
    }
    expect(
      DYNAMODB_STREAMS_OPTION_ROWS.filter((row) => row.ignored !== undefined).map((r) => r.key),
    ).toEqual([
      'flink.dynamodbstreams.shardid.format.check',
      'flink.shard.incremental.discovery.intervalmillis',
      'flink.describestream.inconsistencyresolution.retries',
      'aws.dynamodbstreams.client.user-agent-prefix',
    ]);
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

  it('writes only the keys given, over the base config, field by field', () => {
    const onFetch = (): void => undefined;
    const base = {
      table: 'orders',
      onFetch,
      polling: { intervalMs: 50, maxRecords: 10 },
      backoff: { getRecords: { expConst: 3, maxRetries: 9 }, describeTable: { base: 1 } },
    };
    const config = dynamoDBStreamsConfigFromFlinkOptions(
      {
        'flink.shard.getrecords.maxrecordcount': '250',
        'flink.dynamodbstreams.numretries': '4',
      },
      base,
    );
    expect(config).toEqual({
      table: 'orders',
      onFetch,
      polling: { intervalMs: 50, maxRecords: 250 },
      backoff: {
        describeStream: { maxRetries: 4 },
        getShardIterator: { maxRetries: 4 },
        getRecords: { expConst: 3, maxRetries: 4 },
        describeTable: { base: 1 },
      },
    });
    // the base is not changed; keys not given (defaults included) write nothing
    expect(base.polling).toEqual({ intervalMs: 50, maxRecords: 10 });
    expect(dynamoDBStreamsConfigFromFlinkOptions({}, base)).toEqual(base);
    const resolved = resolveDynamoDBStreamsConfig(dynamoDBStreamsConfigFromFlinkOptions({}, base));
    expect(resolved.discovery.backoff).toEqual({
      base: 2000,
      max: 5000,
      expConst: 1.5,
      maxRetries: 50,
    });
  });

  it('rejects unknown keys with a did-you-mean, wrong types and out-of-range values, naming the key', () => {
    const bad = (options: Record<string, string>): string =>
      configError(() => dynamoDBStreamsConfigFromFlinkOptions(options, { table: 'orders' }));
    expect(bad({ 'scan.stream.describe.maxretrys': '5' })).toContain(
      'scan.stream.describe.maxretrys: expected a DynamoDB Streams source option (did you mean "scan.stream.describe.maxretries"?), got "5"',
    );
    expect(bad({ 'scan.stream.describe.backoff.base': 'soon' })).toContain(
      'scan.stream.describe.backoff.base: expected a Long, got "soon"',
    );
    expect(bad({ 'flink.dynamodbstreams.backoff.maxdelay': 'later' })).toContain(
      'flink.dynamodbstreams.backoff.maxdelay: expected a Duration (e.g. 10 s, 250 ms, 1 min), got "later"',
    );
    expect(bad({ 'flink.dynamodbstreams.shardid.format.check': 'maybe' })).toContain(
      'flink.dynamodbstreams.shardid.format.check: expected a Boolean (true or false), got "maybe"',
    );
    expect(bad({ 'flink.stream.initpos': 'AT_TIMESTAMP' })).toContain(
      'flink.stream.initpos: expected one of LATEST, TRIM_HORIZON, got "AT_TIMESTAMP"',
    );
    expect(bad({ 'flink.shard.getrecords.maxrecordcount': '5000' })).toContain(
      'flink.shard.getrecords.maxrecordcount: expected a whole number from 1 to 1000 (as dynamoDBStreams.polling.maxRecords), got "5000"',
    );
    expect(bad({ 'scan.stream.describe.backoff.expconst': '0.5' })).toContain(
      'scan.stream.describe.backoff.expconst: expected a number ≥ 1 (as dynamoDBStreams.backoff.describeStream.expConst), got "0.5"',
    );
    expect(bad({ 'aws.endpoint': 'localhost' })).toContain(
      'aws.endpoint: expected an http:// or https:// URL (as dynamoDBStreams.endpoint), got "localhost"',
    );
    // two generations' names of one field: an error, not the last one silently winning
    expect(
      bad({ 'scan.stream.describe.maxretries': '5', 'flink.dynamodbstreams.numretries': '3' }),
    ).toContain(
      'flink.dynamodbstreams.numretries: expected no flink.dynamodbstreams.numretries: scan.stream.describe.maxretries is also set and means the same, got "3"',
    );
    // every problem in one error
    expect(
      bad({ 'scan.stream.describe.backoff.base': 'soon', 'flink.stream.initpos': 'x' }).split('\n'),
    ).toHaveLength(2);
    // a bad base is reported at its config path
    expect(
      configError(() => dynamoDBStreamsConfigFromFlinkOptions({ 'aws.region': 'eu-west-1' }, {})),
    ).toContain('dynamoDBStreams.table: expected a table name (or streamArn), got undefined');
  });

  it('reports keys with no effect only once the config is good', () => {
    const warnings: DynamoDBStreamsOptionWarning[] = [];
    const options = { 'flink.dynamodbstreams.shardid.format.check': 'true' };
    configError(() => dynamoDBStreamsConfigFromFlinkOptions(options, {}, (w) => warnings.push(w)));
    expect(warnings).toEqual([]);
    dynamoDBStreamsConfigFromFlinkOptions(options, { table: 'orders' }, (w) => warnings.push(w));
    expect(warnings).toEqual([
      {
        key: 'flink.dynamodbstreams.shardid.format.check',
        message:
          'flink.dynamodbstreams.shardid.format.check is accepted but has no effect here: shard ids of any format are ordered by the number after "shardId-"',
      },
    ]);
  });
});
