import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import { SQL_OPTION_ROWS } from '../../src/flink/families/sqlOptionRows.js';
import {
  type FlinkOptionWarning,
  type FlinkTableOptions,
  fromFlinkOptions,
} from '../../src/config/fromFlinkOptions.js';

const BASE = {
  connector: 'kinesis',
  stream: 'user_behavior',
  'aws.region': 'us-east-2',
  format: 'csv',
};

const read = (extra: Record<string, string> = {}, partitionedBy?: string[]): FlinkTableOptions =>
  fromFlinkOptions({ ...BASE, ...extra }, partitionedBy === undefined ? {} : { partitionedBy });

const problemOf = (extra: Record<string, string>, partitionedBy?: string[]): string => {
  try {
    read(extra, partitionedBy);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(extra)}`);
};

/** With EFO on, so the EFO keys' targets are in the source config. */
const EFO = { 'scan.stream.recordpublisher': 'EFO', 'scan.stream.efo.consumername': 'c' };
type Get = ((t: FlinkTableOptions) => unknown) | 'ignored';
/** Where each numeric/boolean option lands (or `ignored`: accepted with a warning), and a valid non-default value to set. */
const NUMERIC: Record<string, [Get, string, unknown]> = {};
const backoffKeys = (
  prefix: string,
  policy: (t: FlinkTableOptions) => Record<string, unknown> | undefined,
): void => {
  NUMERIC[`${prefix}.maxretries`] = [(t) => policy(t)?.maxRetries, '7', 7];
  NUMERIC[`${prefix}.backoff.base`] = [(t) => policy(t)?.base, '11', 11];
  NUMERIC[`${prefix}.backoff.max`] = [(t) => policy(t)?.max, '99999', 99999];
  NUMERIC[`${prefix}.backoff.expconst`] = [(t) => policy(t)?.expConst, '2.5', 2.5];
};
backoffKeys('scan.stream.describe', (t) => t.source.efo?.backoff?.describeStream);
backoffKeys('scan.list.shards', (t) => t.source.backoff?.listShards);
backoffKeys(
  'scan.stream.describestreamconsumer',
  (t) => t.source.efo?.backoff?.describeStreamConsumer,
);
backoffKeys(
  'scan.stream.registerstreamconsumer',
  (t) => t.source.efo?.backoff?.registerStreamConsumer,
);
backoffKeys(
  'scan.stream.deregisterstreamconsumer',
  (t) => t.source.efo?.backoff?.deregisterStreamConsumer,
);
backoffKeys('scan.shard.subscribetoshard', (t) => t.source.efo?.backoff?.subscribeToShard);
backoffKeys('scan.shard.getrecords', (t) => t.source.backoff?.getRecords);
backoffKeys('scan.shard.getiterator', (t) => t.source.backoff?.getShardIterator);
Object.assign(NUMERIC, {
  'scan.stream.efo.http-client.max-concurrency': ['ignored', '5', 5],
  'scan.stream.registerstreamconsumer.timeout': [
    (t: FlinkTableOptions) => (t.source.efo?.registerTimeoutMs ?? 0) / 1000,
    '3',
    3,
  ],
  'scan.stream.deregisterstreamconsumer.timeout': ['ignored', '4', 4],
  'scan.shard.getrecords.maxrecordcount': [
    (t: FlinkTableOptions) => t.source.polling?.maxRecords,
    '500',
    500,
  ],
  'scan.shard.getrecords.intervalmillis': [
    (t: FlinkTableOptions) => t.source.polling?.intervalMs,
    '1000',
    1000,
  ],
  'scan.shard.discovery.intervalmillis': [
    (t: FlinkTableOptions) => t.source.discoveryIntervalMs,
    '60000',
    60000,
  ],
  'scan.shard.idle.interval': ['ignored', '30000', 30000],
  'scan.watermark.sync.interval': ['ignored', '1000', 1000],
  'scan.watermark.lookahead.millis': ['ignored', '5000', 5000],
  'scan.watermark.sync.queue.capacity': ['ignored', '10', 10],
  'sink.http-client.max-concurrency': ['ignored', '8', 8],
  'sink.http-client.read-timeout': ['ignored', '1000', 1000],
  'sink.batch.max-size': [(t: FlinkTableOptions) => t.sink.batch?.maxSize, '100', 100],
  'sink.requests.max-inflight': [(t: FlinkTableOptions) => t.sink.requests?.maxInflight, '4', 4],
  'sink.requests.max-buffered': [
    (t: FlinkTableOptions) => t.sink.requests?.maxBuffered,
    '2000',
    2000,
  ],
  'sink.flush-buffer.size': [
    (t: FlinkTableOptions) => t.sink.flushBuffer?.size,
    '1048576',
    1048576,
  ],
  'sink.flush-buffer.timeout': [
    (t: FlinkTableOptions) => t.sink.flushBuffer?.timeoutMs,
    '100',
    100,
  ],
});
const BOOLEAN: Record<string, (t: FlinkTableOptions) => boolean> = {
  'aws.trust.all.certificates': (t) => t.client.trustAllCertificates === true,
  'scan.shard.adaptivereads': (t) => t.source.polling?.adaptive === true,
  'sink.fail-on-error': (t) => t.sink.failOnError === true,
};
/** String options and how each is tested (in the describe blocks below). */
const STRING_KEYS = [
  'connector',
  'stream',
  'format',
  'json',
  'csv',
  'raw',
  'avro',
  'aws.region',
  'aws.endpoint',
  'aws.credentials.provider',
  'aws.credentials.basic.accesskeyid',
  'aws.credentials.basic.secretkey',
  'aws.credentials.profile.path',
  'aws.credentials.profile.name',
  'aws.credentials.role.arn',
  'aws.credentials.role.sessionName',
  'aws.credentials.role.externalId',
  'aws.credentials.role.provider',
  'aws.credentials.role.stsEndpoint',
  'aws.credentials.webIdentityToken.file',
  'scan.stream.initpos',
  'scan.stream.initpos-timestamp',
  'scan.stream.initpos-timestamp-format',
  'scan.stream.recordpublisher',
  'scan.stream.efo.consumername',
  'scan.stream.efo.registration',
  'scan.stream.efo.consumerarn',
  'sink.partitioner',
  'sink.partitioner-field-delimiter',
  'sink.producer',
  'sink.http-client.protocol.version',
];
/** The deprecated `sink.producer.*` keys (tested in the sink block). */
const DEPRECATED_KEYS = SQL_OPTION_ROWS.filter(
  (row) => row.prefix !== true && row.key.startsWith('sink.producer.'),
).map((row) => row.key);

describe('fromFlinkOptions: every key of the seed table', () => {
  it("has a test for every row of the SQL table, and the table has every key of Flink's", () => {
    const tested = new Set([
      ...Object.keys(NUMERIC),
      ...Object.keys(BOOLEAN),
      ...STRING_KEYS,
      ...DEPRECATED_KEYS,
    ]);
    const keys = new Set(SQL_OPTION_ROWS.map((row) => row.key));
    expect([...keys].filter((k) => !tested.has(k))).toEqual([]);
    expect([...tested].filter((k) => !keys.has(k))).toEqual([]);
  });

  for (const [key, [get, value, expected]] of Object.entries(NUMERIC)) {
    const row = SQL_OPTION_ROWS.find((r) => r.key === key);
    const name = row?.codec.name ?? '';
    const between = /between (-?\d+) and (-?\d+)/.exec(name);
    const atLeast = /≥ (-?\d+)/.exec(name);
    const min = Number(between?.[1] ?? atLeast?.[1] ?? NaN);
    const max = Number(between?.[2] ?? NaN);
    it(`${key}: default ${row?.default}, accepts ${value}, refuses non-numbers and out-of-range values`, () => {
      if (get === 'ignored') {
        const table = read({ ...EFO, [key]: value });
        expect(table.warnings.map((w) => w.key)).toContain(key);
        expect(table.warnings.find((w) => w.key === key)?.message).toContain('no effect');
      } else {
        expect(get(read(EFO))).toBe(Number(row?.default));
        expect(get(read({ ...EFO, [key]: value }))).toBe(expected);
      }
      const kind = name.startsWith('an Integer')
        ? 'an Integer'
        : name.startsWith('a Long')
          ? 'a Long'
          : 'a Double';
      expect(problemOf({ [key]: 'abc' })).toContain(`${key}: expected ${kind}`);
      if (kind !== 'a Double')
        expect(problemOf({ [key]: '1.5' })).toContain(`${key}: expected ${kind}`);
      if (!Number.isNaN(min))
        expect(problemOf({ [key]: String(min - 1) })).toMatch(
          new RegExp(`${key.replace(/\./g, '\\.')}: expected .*out of range`),
        );
      if (!Number.isNaN(max))
        expect(problemOf({ [key]: String(max + 1) })).toContain('out of range');
    });
  }

  for (const [key, get] of Object.entries(BOOLEAN)) {
    it(`${key}: default false, accepts true/TRUE, refuses other text`, () => {
      expect(get(read())).toBe(false);
      expect(get(read({ [key]: 'true' }))).toBe(true);
      expect(get(read({ [key]: 'TRUE' }))).toBe(true);
      expect(problemOf({ [key]: 'yes' })).toBe(
        `${key}: expected a Boolean (true or false), got "yes"`,
      );
    });
  }

  it('Integer options refuse values beyond 32 bits', () => {
    expect(problemOf({ 'sink.requests.max-buffered': '3000000000' })).toContain(
      'expected an Integer',
    );
  });
});

describe('fromFlinkOptions: common options', () => {
  it('reads the seed example', () => {
    const table = read({ 'scan.stream.initpos': 'LATEST' });
    expect(table.stream).toBe('user_behavior');
    expect(table.format).toEqual({ name: 'csv', options: {} });
    expect(table.client).toEqual({ region: 'us-east-2' });
    expect(table.source.initialPosition).toBe('LATEST');
    expect(table.source.stream).toBe('user_behavior');
    expect(table.sink.stream).toBe('user_behavior');
    expect(table.warnings).toEqual([]);
  });

  it('requires connector = kinesis, stream and format', () => {
    expect(() => fromFlinkOptions({ stream: 's', format: 'json', 'aws.region': 'r' })).toThrowError(
      'connector: expected one of kinesis (required), got undefined',
    );
    expect(problemOf({ connector: 'kafka' })).toBe(
      `connector: expected one of kinesis, got "kafka"`,
    );
    expect(problemOf({ stream: '' })).toBe('stream: expected a non-empty String, got ""');
    expect(problemOf({ format: 'jsno' })).toBe(
      'format: expected one of json, csv, raw, avro (did you mean "json"?), got "jsno"',
    );
    expect(fromFlinkOptions({ stream: 's', 'aws.region': 'r' }, { table: false }).stream).toBe('s');
  });

  it('requires aws.region or aws.endpoint; reads the endpoint as a URL', () => {
    expect(() =>
      fromFlinkOptions({ connector: 'kinesis', stream: 's', format: 'raw' }),
    ).toThrowError(
      'aws.region: expected a region (aws.region or aws.endpoint is required), got undefined',
    );
    const table = fromFlinkOptions({
      connector: 'kinesis',
      stream: 's',
      format: 'raw',
      'aws.endpoint': 'https://localhost:4567',
    });
    expect(table.client).toEqual({ endpoint: 'https://localhost:4567' });
    expect(problemOf({ 'aws.endpoint': 'localhost:4567' })).toBe(
      'aws.endpoint: expected an http:// or https:// URL (as table.source.endpoint), got "localhost:4567"',
    );
    expect(problemOf({ 'aws.region': ' ' })).toContain('aws.region: expected a non-empty String');
  });

  it('refuses an unknown key with a did-you-mean, and all problems at once', () => {
    expect(problemOf({ 'scan.stream.intpos': 'LATEST' })).toBe(
      'scan.stream.intpos: expected a Kinesis connector option (did you mean "scan.stream.initpos"?), got "LATEST"',
    );
    expect(problemOf({ 'completely.different': 'x' })).toBe(
      'completely.different: expected a Kinesis connector option, got "x"',
    );
    const both = problemOf({ 'sink.batch.max-size': '0', 'scan.list.shards.backof.max': '1' });
    expect(both.split('\n')).toHaveLength(2);
  });

  it('refuses values that are not strings', () => {
    expect(() =>
      fromFlinkOptions({ ...BASE, 'sink.batch.max-size': 5 as unknown as string }),
    ).toThrowError('sink.batch.max-size: expected a string (property values are text), got 5');
  });

  it('sink.http-client.protocol.version: HTTP2 or HTTP1_1 (case-insensitive), unset keeps the client default', () => {
    expect(read().client.httpProtocol).toBeUndefined();
    expect(read({ 'sink.http-client.protocol.version': 'HTTP1_1' }).client.httpProtocol).toBe(
      'http1',
    );
    expect(read({ 'sink.http-client.protocol.version': 'http2' }).client.httpProtocol).toBe(
      'http2',
    );
    expect(problemOf({ 'sink.http-client.protocol.version': 'HTTP3' })).toBe(
      'sink.http-client.protocol.version: expected one of HTTP1_1, HTTP2 (did you mean "HTTP2"?), got "HTTP3"',
    );
  });

  it('refuses a backoff base above its max', () => {
    expect(problemOf({ 'scan.list.shards.backoff.base': '9000' })).toContain(
      'scan.list.shards.backoff.base: expected a base ≤ the max backoff (5000), got 9000',
    );
  });
});

describe('fromFlinkOptions: credentials', () => {
  it('AUTO by default (the client then uses the default chain)', () => {
    expect(read().client.credentials).toBeUndefined();
    expect(read({ 'aws.credentials.provider': 'AUTO' }).client.credentials).toBeUndefined();
  });

  it('AUTO with both basic keys means BASIC, as in Flink', () => {
    expect(
      read({
        'aws.credentials.basic.accesskeyid': 'id',
        'aws.credentials.basic.secretkey': 'secret',
      }).client.credentials,
    ).toEqual({ type: 'BASIC', accessKeyId: 'id', secretAccessKey: 'secret' });
  });

  it('BASIC needs both keys', () => {
    expect(
      read({
        'aws.credentials.provider': 'BASIC',
        'aws.credentials.basic.accesskeyid': 'id',
        'aws.credentials.basic.secretkey': 's',
      }).client.credentials,
    ).toEqual({ type: 'BASIC', accessKeyId: 'id', secretAccessKey: 's' });
    expect(
      problemOf({ 'aws.credentials.provider': 'BASIC', 'aws.credentials.basic.accesskeyid': 'id' }),
    ).toBe(
      'aws.credentials.basic.secretkey: expected a non-empty string (BASIC credentials), got undefined',
    );
  });

  it('ENV_VAR, PROFILE (path and name) and WEB_IDENTITY_TOKEN', () => {
    expect(read({ 'aws.credentials.provider': 'ENV_VAR' }).client.credentials).toEqual({
      type: 'ENV_VAR',
    });
    expect(
      read({
        'aws.credentials.provider': 'profile',
        'aws.credentials.profile.path': '/p',
        'aws.credentials.profile.name': 'dev',
      }).client.credentials,
    ).toEqual({ type: 'PROFILE', path: '/p', name: 'dev' });
    expect(
      read({
        'aws.credentials.provider': 'WEB_IDENTITY_TOKEN',
        'aws.credentials.webIdentityToken.file': '/token',
        'aws.credentials.role.arn': 'arn:web',
        'aws.credentials.role.sessionName': 'sess',
        'aws.credentials.role.stsEndpoint': 'http://127.0.0.1:1',
      }).client.credentials,
    ).toEqual({
      type: 'WEB_IDENTITY_TOKEN',
      tokenFile: '/token',
      roleArn: 'arn:web',
      sessionName: 'sess',
      stsEndpoint: 'http://127.0.0.1:1',
    });
  });

  it('ASSUME_ROLE with a nested ASSUME_ROLE base, itself on BASIC keys', () => {
    expect(
      read({
        'aws.credentials.provider': 'ASSUME_ROLE',
        'aws.credentials.role.arn': 'arn:outer',
        'aws.credentials.role.sessionName': 'outer-session',
        'aws.credentials.role.externalId': 'ext',
        'aws.credentials.role.provider': 'ASSUME_ROLE',
        'aws.credentials.role.provider.role.arn': 'arn:inner',
        'aws.credentials.role.provider.role.provider': 'BASIC',
        'aws.credentials.role.provider.role.provider.basic.accesskeyid': 'root',
        'aws.credentials.role.provider.role.provider.basic.secretkey': 'root-secret',
      }).client.credentials,
    ).toEqual({
      type: 'ASSUME_ROLE',
      roleArn: 'arn:outer',
      sessionName: 'outer-session',
      externalId: 'ext',
      base: {
        type: 'ASSUME_ROLE',
        roleArn: 'arn:inner',
        base: { type: 'BASIC', accessKeyId: 'root', secretAccessKey: 'root-secret' },
      },
    });
    expect(problemOf({ 'aws.credentials.provider': 'ASSUME_ROLE' })).toBe(
      'aws.credentials.role.arn: expected a non-empty string (ASSUME_ROLE needs the role to assume), got undefined',
    );
    expect(
      problemOf({
        'aws.credentials.provider': 'ASSUME_ROLE',
        'aws.credentials.role.arn': 'a',
        'aws.credentials.role.provider': 'ASSUME_ROLE',
      }),
    ).toContain('aws.credentials.role.provider.role.arn: expected a non-empty string');
  });

  it('SYS_PROP is refused: a JVM notion, with what to use instead', () => {
    expect(problemOf({ 'aws.credentials.provider': 'SYS_PROP' })).toMatch(
      /^aws\.credentials\.provider: expected .*Java system properties.*ENV_VAR.*got "SYS_PROP"$/,
    );
    expect(
      problemOf({
        'aws.credentials.provider': 'ASSUME_ROLE',
        'aws.credentials.role.arn': 'a',
        'aws.credentials.role.provider': 'SYS_PROP',
      }),
    ).toContain(
      'aws.credentials.role.provider: expected a credential kind that exists outside the JVM',
    );
  });

  it('an unknown provider, an unused setting of another kind, or a bad STS endpoint is refused', () => {
    expect(problemOf({ 'aws.credentials.provider': 'PROFLE' })).toContain(
      '(did you mean "PROFILE"?)',
    );
    expect(
      problemOf({ 'aws.credentials.provider': 'ENV_VAR', 'aws.credentials.profile.name': 'x' }),
    ).toContain('aws.credentials.profile.name: expected a Kinesis connector option');
    expect(
      problemOf({
        'aws.credentials.provider': 'ASSUME_ROLE',
        'aws.credentials.role.arn': 'a',
        'aws.credentials.role.stsEndpoint': 'sts',
      }),
    ).toContain('aws.credentials.role.stsEndpoint: expected an http:// or https:// URL');
  });
});

describe('fromFlinkOptions: source options', () => {
  it('scan.stream.initpos: LATEST by default, TRIM_HORIZON, AT_TIMESTAMP with a timestamp', () => {
    expect(read().source.initialPosition).toBe('LATEST');
    expect(read({ 'scan.stream.initpos': 'trim_horizon' }).source.initialPosition).toBe(
      'TRIM_HORIZON',
    );
    expect(
      read({
        'scan.stream.initpos': 'AT_TIMESTAMP',
        'scan.stream.initpos-timestamp': '1459799926.480',
      }).source.initialPosition,
    ).toEqual({ type: 'AT_TIMESTAMP', timestamp: '1459799926.480' });
    expect(
      read({
        'scan.stream.initpos': 'AT_TIMESTAMP',
        'scan.stream.initpos-timestamp': '2016-04-04',
        'scan.stream.initpos-timestamp-format': 'yyyy-MM-dd',
      }).source.initialPosition,
    ).toEqual({ type: 'AT_TIMESTAMP', timestamp: '2016-04-04', format: 'yyyy-MM-dd' });
    expect(problemOf({ 'scan.stream.initpos': 'EARLIEST' })).toBe(
      'scan.stream.initpos: expected one of LATEST, TRIM_HORIZON, AT_TIMESTAMP, got "EARLIEST"',
    );
  });

  it('AT_TIMESTAMP needs a timestamp in the format; a timestamp without AT_TIMESTAMP is refused', () => {
    expect(problemOf({ 'scan.stream.initpos': 'AT_TIMESTAMP' })).toContain(
      'scan.stream.initpos-timestamp: expected a timestamp (required',
    );
    expect(
      problemOf({
        'scan.stream.initpos': 'AT_TIMESTAMP',
        'scan.stream.initpos-timestamp': '04/04/2016',
      }),
    ).toContain(
      `scan.stream.initpos-timestamp: expected a timestamp in the format "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"`,
    );
    expect(problemOf({ 'scan.stream.initpos-timestamp': '1' })).toContain(
      'no timestamp unless scan.stream.initpos is AT_TIMESTAMP',
    );
  });

  it('scan.stream.recordpublisher and EFO settings', () => {
    expect(read().source.recordPublisher).toBe('POLLING');
    // with POLLING the EFO settings are dropped (given ones are warned about)
    expect(read().source.efo).toBeUndefined();
    expect(read(EFO).source.efo?.registration).toBe('LAZY');
    expect(
      read({ 'scan.stream.efo.registration': 'EAGER' }).warnings.find(
        (w) => w.key === 'scan.stream.efo.registration',
      )?.message,
    ).toBe(
      'scan.stream.efo.registration is accepted but has no effect: scan.stream.recordpublisher is POLLING',
    );
    const efo = read({
      'scan.stream.recordpublisher': 'EFO',
      'scan.stream.efo.consumername': 'my-app',
      'scan.stream.efo.registration': 'EAGER',
    }).source;
    expect(efo.recordPublisher).toBe('EFO');
    expect(efo.efo).toMatchObject({ consumerName: 'my-app', registration: 'EAGER' });
    expect(problemOf({ 'scan.stream.recordpublisher': 'EFO' })).toContain(
      'scan.stream.efo.consumername: expected a consumer name',
    );
    expect(problemOf({ 'scan.stream.recordpublisher': 'FANOUT' })).toContain(
      'expected one of POLLING, EFO',
    );
    expect(problemOf({ 'scan.stream.efo.registration': 'LAZZY' })).toContain(
      '(did you mean "LAZY"?)',
    );
  });

  it('scan.stream.efo.consumerarn.<stream> per stream; required with registration NONE', () => {
    const none = read({
      'scan.stream.recordpublisher': 'EFO',
      'scan.stream.efo.registration': 'NONE',
      'scan.stream.efo.consumerarn.user_behavior':
        'arn:aws:kinesis:us-east-2:123456789012:stream/user_behavior/consumer/app:1',
    }).source.efo;
    expect(none?.consumerArns).toEqual({
      user_behavior: 'arn:aws:kinesis:us-east-2:123456789012:stream/user_behavior/consumer/app:1',
    });
    expect(
      problemOf({ 'scan.stream.recordpublisher': 'EFO', 'scan.stream.efo.registration': 'NONE' }),
    ).toContain(
      'scan.stream.efo.consumerarn.user_behavior: expected the ARN of the registered consumer',
    );
    expect(problemOf({ 'scan.stream.efo.consumerarn': 'arn' })).toContain(
      'scan.stream.efo.consumerarn: expected a key per stream: scan.stream.efo.consumerarn.<stream-name>',
    );
  });

  it('scan.shard.idle.interval: -1 (never idle) or more, accepted with a warning saying what to do', () => {
    expect(read({ 'scan.shard.idle.interval': '0' }).warnings).toEqual([
      {
        key: 'scan.shard.idle.interval',
        message:
          'scan.shard.idle.interval is accepted but has no effect here: pipe the records through idleShards(ms) and watermarks() yourself',
      },
    ]);
    expect(problemOf({ 'scan.shard.idle.interval': '-2' })).toContain('out of range');
  });
});

describe('fromFlinkOptions: sink options', () => {
  it('sink.partitioner: random by default, fixed, refuses a Java class and other words', () => {
    expect(read().sink.partitioner).toBe('random');
    expect(read({ 'sink.partitioner': 'fixed' }).sink.partitioner).toBe('fixed');
    expect(problemOf({ 'sink.partitioner': 'org.mycompany.MyPartitioner' })).toContain(
      'a Java partitioner class cannot run here',
    );
    expect(problemOf({ 'sink.partitioner': 'fixd' })).toContain('(did you mean "fixed"?)');
  });

  it('PARTITIONED BY fields drive the key, joined with sink.partitioner-field-delimiter (default |, empty allowed)', () => {
    expect(read({}, ['user_id', 'item_id']).sink).toMatchObject({
      partitionBy: ['user_id', 'item_id'],
      partitionerFieldDelimiter: '|',
    });
    expect(read({}, ['user_id']).sink.partitioner).toBeUndefined();
    expect(read({ 'sink.partitioner-field-delimiter': '' }, ['a']).sink).toMatchObject({
      partitionBy: ['a'],
      partitionerFieldDelimiter: '',
    });
    expect(read({ 'sink.partitioner-field-delimiter': '-' }, ['a']).sink).toMatchObject({
      partitionerFieldDelimiter: '-',
    });
  });

  it('sink.partitioner together with PARTITIONED BY is a configuration error, as in Flink', () => {
    expect(problemOf({ 'sink.partitioner': 'random' }, ['user_id'])).toBe(
      'sink.partitioner: expected no sink.partitioner: a table PARTITIONED BY (user_id) is always partitioned by those fields (as in Flink), got "random"',
    );
  });

  it('deprecated sink.producer.* keys map to their successors with a warning', () => {
    const seen: FlinkOptionWarning[] = [];
    const table = fromFlinkOptions(
      {
        ...BASE,
        'sink.producer.fail-on-error': 'true',
        'sink.producer.record-max-buffered-time': '250',
        'sink.producer.collection-max-count': '100',
        'sink.producer.collection-max-size': '1000000',
        'sink.producer.max-connections': '3',
        'sink.producer.request-timeout': '2000',
        'sink.producer.verify-certificate': 'false',
      },
      { onWarning: (w) => seen.push(w) },
    );
    expect(table.sink).toMatchObject({
      failOnError: true,
      batch: { maxSize: 100 },
      flushBuffer: { size: 1000000, timeoutMs: 250 },
    });
    expect(table.client.trustAllCertificates).toBe(true);
    expect(seen).toEqual(table.warnings);
    expect(seen.map((w) => w.key).sort()).toEqual(
      DEPRECATED_KEYS.filter((key) => !key.startsWith('sink.producer.aggregation-')).sort(),
    );
    expect(seen.find((w) => w.key === 'sink.producer.fail-on-error')?.message).toBe(
      'sink.producer.fail-on-error is read as sink.fail-on-error (deprecated in Flink; same meaning)',
    );
    // the HTTP client keys they are read as mean nothing here: warned by their successors' rows
    expect(seen.find((w) => w.key === 'sink.producer.max-connections')?.message).toBeDefined();
  });

  it('unsupported sink.producer.* keys are warned and ignored; a successor that is also set wins', () => {
    const table = read({
      'sink.producer.something-else': 'x',
      'sink.producer.fail-on-error': 'true',
      'sink.fail-on-error': 'false',
    });
    expect(table.sink.failOnError).toBe(false);
    expect(table.warnings.map((w) => w.message)).toEqual([
      'sink.producer.fail-on-error is ignored: sink.fail-on-error is also set and wins',
      'sink.producer.something-else is accepted but has no effect here: a deprecated FlinkKinesisProducer key this sink does not support',
    ]);
  });

  it("sink.producer.aggregation-* turn on the sink's KPL aggregation (Flink ignores them), with a warning", () => {
    const table = read({
      'sink.producer.aggregation-enabled': 'true',
      'sink.producer.aggregation-max-count': '100',
      'sink.producer.aggregation-max-size': '4096',
    });
    expect(table.sink.aggregation).toEqual({ maxCount: 100, maxSize: 4096 });
    expect(table.warnings.map((w) => w.key)).toEqual([
      'sink.producer.aggregation-enabled',
      'sink.producer.aggregation-max-count',
      'sink.producer.aggregation-max-size',
    ]);
    expect(read({ 'sink.producer.aggregation-enabled': 'false' }).sink.aggregation).toBeUndefined();
    expect(problemOf({ 'sink.producer.aggregation-enabled': 'yes' })).toContain(
      'sink.producer.aggregation-enabled: expected a Boolean',
    );
    expect(
      problemOf({
        'sink.producer.aggregation-enabled': 'true',
        'sink.producer.aggregation-max-size': '10',
      }),
    ).toContain(
      'sink.producer.aggregation-max-size: expected a Long between 1024 and 1048320 (out of range)',
    );
  });

  it('a deprecated key with a bad value is refused under its own name, saying its successor', () => {
    expect(problemOf({ 'sink.producer.collection-max-count': '1000' })).toContain(
      'sink.producer.collection-max-count: expected an Integer between 1 and 500 (out of range) (read as sink.batch.max-size), got "1000"',
    );
  });
});

describe('fromFlinkOptions: format options', () => {
  it('passes <format>.* keys of the chosen format, without the prefix', () => {
    expect(read({ 'csv.field-delimiter': ';', 'csv.quote-character': "'" }).format).toEqual({
      name: 'csv',
      options: { 'field-delimiter': ';', 'quote-character': "'" },
    });
  });

  it('refuses options of another format or unknown options of this one', () => {
    expect(problemOf({ 'json.ignore-parse-errors': 'true' })).toBe(
      'json.ignore-parse-errors: expected no json.* option: the format is csv, got "true"',
    );
    expect(problemOf({ 'csv.field-delimeter': ';' })).toContain(
      'csv.field-delimeter: expected a csv option',
    );
    expect(problemOf({ 'csv.field-delimeter': ';' })).toContain(
      '(did you mean "csv.field-delimiter"?)',
    );
  });
});
