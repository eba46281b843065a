import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import { CONSUMER_PROPERTIES_FAMILY } from '../../src/flink/families/consumerPropertiesFamily.js';
import { KPL_PRODUCER_FAMILY } from '../../src/flink/families/kplProducerFamily.js';
import type { OptionFamily, OptionRow } from '../../src/flink/OptionRow.js';
import { translateOptions } from '../../src/flink/translateOptions.js';
import { resolveSinkConfig } from '../../src/sink/SinkConfig.js';
import { resolveSourceConfig } from '../../src/source/SourceConfig.js';

/** What every map of a family needs (the required keys). */
const BASES: Record<string, Record<string, string>> = {
  source: { stream: 'orders', 'aws.region': 'us-east-1' },
  sink: { DefaultStream: 'out', 'aws.region': 'us-east-1' },
};
/** A valid value for keys without a default, and the keys they need beside them. */
const SAMPLE: Record<string, { text: string; with?: Record<string, string> }> = {
  stream: { text: 'a,b' },
  DefaultStream: { text: 'out' },
  'aws.region': { text: 'eu-west-1' },
  'aws.endpoint': { text: 'http://127.0.0.1:4567' },
  'flink.stream.initpos.timestamp': {
    text: '1459799926.480',
    with: { 'flink.stream.initpos': 'AT_TIMESTAMP' },
  },
  'source.init.timestamp': {
    text: '2016-04-04',
    with: { 'source.init.position': 'AT_TIMESTAMP', 'source.init.timestamp.format': 'yyyy-MM-dd' },
  },
  'flink.stream.efo.consumername': {
    text: 'app',
    with: { 'flink.stream.recordpublisher': 'EFO' },
  },
  'source.efo.consumer.name': { text: 'app', with: { 'source.reader.type': 'EFO' } },
  'flink.stream.efo.consumerarn.orders': {
    text: 'arn:aws:kinesis:us-east-1:123456789012:stream/orders/consumer/app:1',
    with: { 'flink.stream.recordpublisher': 'EFO', 'flink.stream.efo.registration': 'NONE' },
  },
  'flink.shard.consumer.error.recoverable.x': { text: 'java.net.SocketTimeoutException' },
  'aws.credentials.provider.basic.accesskeyid': {
    text: 'AKID',
    with: { 'aws.credentials.provider': 'BASIC', 'aws.credentials.provider.basic.secretkey': 's' },
  },
  'aws.credentials.provider.basic.secretkey': {
    text: 'secret',
    with: {
      'aws.credentials.provider': 'BASIC',
      'aws.credentials.provider.basic.accesskeyid': 'a',
    },
  },
  'aws.credentials.provider.profile.path': {
    text: '/tmp/credentials',
    with: { 'aws.credentials.provider': 'PROFILE' },
  },
  'aws.credentials.provider.profile.name': {
    text: 'dev',
    with: { 'aws.credentials.provider': 'PROFILE' },
  },
  'aws.credentials.provider.role.arn': {
    text: 'arn:aws:iam::123456789012:role/r',
    with: { 'aws.credentials.provider': 'ASSUME_ROLE' },
  },
  'aws.credentials.provider.role.sessionName': {
    text: 's',
    with: {
      'aws.credentials.provider': 'ASSUME_ROLE',
      'aws.credentials.provider.role.arn': 'arn:aws:iam::123456789012:role/r',
    },
  },
  'aws.credentials.provider.role.externalId': {
    text: 'x',
    with: {
      'aws.credentials.provider': 'ASSUME_ROLE',
      'aws.credentials.provider.role.arn': 'arn:aws:iam::123456789012:role/r',
    },
  },
  'aws.credentials.provider.role.stsEndpoint': {
    text: 'https://sts.us-east-1.amazonaws.com',
    with: {
      'aws.credentials.provider': 'ASSUME_ROLE',
      'aws.credentials.provider.role.arn': 'arn:aws:iam::123456789012:role/r',
    },
  },
  'aws.credentials.provider.webIdentityToken.file': {
    text: '/var/token',
    with: { 'aws.credentials.provider': 'WEB_IDENTITY_TOKEN' },
  },
  'aws.credentials.provider.role.provider.basic.accesskeyid': {
    text: 'AKID',
    with: {
      'aws.credentials.provider': 'ASSUME_ROLE',
      'aws.credentials.provider.role.arn': 'arn:aws:iam::123456789012:role/r',
      'aws.credentials.provider.role.provider.basic.secretkey': 's',
    },
  },
  DefaultPartition: { text: 'key-1' },
  KinesisEndpoint: { text: 'localhost' },
  NativeExecutable: { text: '/opt/kpl' },
  TempDirectory: { text: '/tmp' },
  CloudwatchEndpoint: { text: 'monitoring.local' },
  RetryDuration: { text: '10000' },
  'source.efo.describe.retry-strategy.delay.min': {
    text: '1 s',
    with: { 'source.reader.type': 'EFO', 'source.efo.consumer.name': 'app' },
  },
  'source.efo.describe.retry-strategy.delay.max': {
    text: '10 s',
    with: { 'source.reader.type': 'EFO', 'source.efo.consumer.name': 'app' },
  },
  'source.efo.describe.retry-strategy.attempts.max': {
    text: '5',
    with: { 'source.reader.type': 'EFO', 'source.efo.consumer.name': 'app' },
  },
};
/** Keys whose value means something only with EFO on. */
const needsEfo = (key: string): boolean =>
  /^flink\.(stream\.(efo|describe|describestreamconsumer|registerstreamconsumer|deregisterstreamconsumer)|shard\.subscribetoshard)/.test(
    key,
  ) || key.startsWith('source.efo.');

/** The key a row is given as (a prefix row: one key under it). */
const keyOf = (row: OptionRow): string =>
  row.prefix !== true
    ? row.key
    : row.key === 'flink.stream.efo.consumerarn'
      ? `${row.key}.orders`
      : row.key.endsWith('.role.provider')
        ? `${row.key}.basic.accesskeyid`
        : `${row.key}.x`;

/** A map giving `row` a valid value (its default, else a sample) with what it needs. */
function mapFor(family: OptionFamily<unknown>, row: OptionRow): Record<string, string> {
  const sample = SAMPLE[keyOf(row)];
  const text = sample?.text ?? row.default;
  if (text === undefined) throw new Error(`no sample value for ${row.key}: add one to SAMPLE`);
  const efo: Record<string, string> =
    needsEfo(row.key) && sample === undefined
      ? { 'flink.stream.recordpublisher': 'EFO', 'flink.stream.efo.consumername': 'app' }
      : {};
  return { ...BASES[family.root], ...efo, ...sample?.with, [keyOf(row)]: text };
}

const at = (config: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (node, segment) =>
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[segment === '*' ? 'orders' : segment]
          : undefined,
      config,
    );

function problemsOf(run: () => unknown): ConfigError['problems'] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('accepted');
}

const FAMILIES: ReadonlyArray<[string, OptionFamily<unknown>]> = [
  [
    'DataStream consumer + KinesisStreamsSource',
    CONSUMER_PROPERTIES_FAMILY as OptionFamily<unknown>,
  ],
  ['KPL producer', KPL_PRODUCER_FAMILY as OptionFamily<unknown>],
];
const resolve = (family: OptionFamily<unknown>, config: unknown): unknown =>
  family.root === 'source'
    ? resolveSourceConfig(config)
    : resolveSinkConfig(config as Parameters<typeof resolveSinkConfig>[0]);

describe.each(FAMILIES)('%s properties: every row', (_, family: OptionFamily<unknown>) => {
  const rows = family.rows.filter((row) => row.aliasOf === undefined);

  it.each(rows.map((row) => [keyOf(row), row] as const))(
    '%s is accepted, lands at its target, and the config resolves',
    (key, row) => {
      const warnings: string[] = [];
      const { config } = translateOptions(family, mapFor(family, row), {
        onWarning: (w) => warnings.push(w.key),
      });
      expect(() => resolve(family, config)).not.toThrow();
      if (row.ignored !== undefined) {
        expect(warnings).toContain(key);
        return;
      }
      expect(warnings).not.toContain(key);
      if (row.target === undefined) return;
      const targets = typeof row.target === 'string' ? [row.target] : row.target;
      const decoded = row.codec.decode(mapFor(family, row)[key]);
      if (decoded._tag === 'Left') throw new Error(`sample of ${key} does not decode`);
      const expected = row.map === undefined ? decoded.right : row.map(decoded.right as never);
      for (const target of targets) {
        const value = at(config, target);
        if (typeof expected === 'function') expect(typeof value).toBe('function');
        else expect(value, target).toEqual(expected);
      }
    },
  );

  const typed = rows.filter((row) => !row.codec.name.startsWith('a String'));
  it.each(typed.map((row) => [keyOf(row), row] as const))(
    '%s refuses a value of the wrong type, naming key, value and expected',
    (key, row) => {
      const bad = row.codec.name.startsWith('a non-empty') || row.key === 'stream' ? ' ' : 'x?';
      const problems = problemsOf(() =>
        translateOptions(family, { ...mapFor(family, row), [key]: bad }),
      );
      expect(problems).toContainEqual({ path: key, value: bad, expected: expect.any(String) });
      const problem = problems.find((p) => p.path === key);
      expect(problem?.expected.length).toBeGreaterThan(5);
    },
  );

  const ranged = rows.filter((row) => /(between -?\d+ and|≥ -?\d+)/.test(row.codec.name));
  it.each(ranged.map((row) => [row.key, row] as const))(
    '%s refuses a value below its range',
    (key, row) => {
      const min = Number(/(?:between|≥) (-?\d+)/.exec(row.codec.name)?.[1]);
      const problems = problemsOf(() =>
        translateOptions(family, { ...mapFor(family, row), [key]: String(min - 1) }),
      );
      expect(problems.find((p) => p.path === key)?.expected).toMatch(/out of range/);
    },
  );

  it('refuses an unknown key with a did-you-mean', () => {
    for (const row of rows.filter((r) => r.prefix !== true && r.key.length > 8)) {
      const wrong = row.key.slice(0, -1);
      if (family.rows.some((r) => r.key === wrong)) continue;
      const problems = problemsOf(() =>
        translateOptions(family, { ...BASES[family.root], [wrong]: '1' }),
      );
      expect(problems.find((p) => p.path === wrong)?.expected, wrong).toMatch(
        /did you mean "[^"]+"/,
      );
    }
  });

  it('refuses a value that is not text', () => {
    expect(
      problemsOf(() =>
        translateOptions(family, { ...BASES[family.root], x: 5 as unknown as string }),
      ),
    ).toEqual([{ path: 'x', value: 5, expected: 'a string (property values are text)' }]);
  });
});

describe("the issue's keys are all rows", () => {
  // issue 12, "What must hold" 1: every key it names is accepted (with Flink's default) or refused
  const consumerKeys = [
    'flink.stream.initpos',
    'flink.stream.initpos.timestamp',
    'flink.stream.timestamp.date.format',
    'flink.shard.getrecords.maxrecordcount',
    'flink.shard.getrecords.intervalmillis',
    'flink.shard.discovery.intervalmillis',
    'flink.shard.adaptivereads',
    'flink.shard.idle.interval',
    'flink.stream.recordpublisher',
    'flink.stream.efo.consumername',
    'flink.stream.efo.registration',
    'flink.stream.efo.consumerarn',
    'flink.watermark.sync.interval',
    'flink.watermark.lookahead.millis',
    'flink.shard.getrecords.backoff.base',
    'flink.shard.getrecords.maxretries',
    'aws.region',
    'aws.endpoint',
    'aws.credentials.provider',
    'source.init.position',
    'source.init.timestamp',
    'source.init.timestamp.format',
    'source.shard.discovery.interval',
    'source.shard.get-records.max-record-count',
    'source.reader.type',
    'source.reader.empty-records-fetch-interval',
    'source.efo.consumer.name',
    'source.efo.lifecycle',
  ];
  const kplKeys = [
    'AggregationEnabled',
    'AggregationMaxCount',
    'AggregationMaxSize',
    'CollectionMaxCount',
    'RecordMaxBufferedTime',
    'RecordTtl',
    'RequestTimeout',
    'MaxConnections',
    'RateLimit',
    'ThreadPoolSize',
    'ThreadingModel',
    'MetricsLevel',
    'MetricsGranularity',
    'QueueLimit',
    'DefaultStream',
    'DefaultPartition',
    'FailOnError',
  ];
  it.each([
    [CONSUMER_PROPERTIES_FAMILY as OptionFamily<unknown>, consumerKeys],
    [KPL_PRODUCER_FAMILY as OptionFamily<unknown>, kplKeys],
  ])('%#', (family, keys) => {
    expect(keys.filter((key) => !family.rows.some((row) => row.key === key))).toEqual([]);
  });
});
