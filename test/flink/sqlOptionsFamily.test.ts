import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import { sinkConfigFromFlinkOptions } from '../../src/config/sinkConfigFromFlinkOptions.js';
import { integerText } from '../../src/flink/codecs/optionText.js';
import { SQL_OPTIONS_FAMILY, sqlOptionsFamily } from '../../src/flink/families/sqlOptionsFamily.js';
import type { OptionFamily, OptionRow } from '../../src/flink/OptionRow.js';
import { translateOptions } from '../../src/flink/translateOptions.js';
import { resolveSinkConfig } from '../../src/sink/SinkConfig.js';

const BASE = { stream: 'orders', 'aws.region': 'us-east-1' };

const problemOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('the SQL key family (one table over the same machine as the property families)', () => {
  it('sink.batch.max-size has one name on its way to the batcher: the row writes sink.batch.maxSize', () => {
    const { config } = sinkConfigFromFlinkOptions({ ...BASE, 'sink.batch.max-size': '123' });
    expect(config.batch).toEqual({ maxSize: 123 });
    expect(resolveSinkConfig(config).batchMaxSize).toBe(123);
    const row = SQL_OPTIONS_FAMILY.rows.find((r) => r.key === 'sink.batch.max-size');
    expect(row?.target).toBe('sink.batch.maxSize');
  });

  it('adding a key is adding a row: read, defaulted, refused in the same words, checked by the config codec', () => {
    const row: OptionRow = {
      key: 'sink.record-ttl',
      codec: integerText('Long', 0),
      default: '30000',
      target: 'sink.recordTtlMs',
    };
    const base = sqlOptionsFamily({ table: false });
    const family: OptionFamily<unknown> = {
      ...base,
      rows: [...base.rows, row],
    } as OptionFamily<unknown>;
    const read = (extra: Record<string, string>): { sink: { recordTtlMs?: number } } =>
      translateOptions(family, { ...BASE, ...extra }).config as { sink: { recordTtlMs?: number } };
    expect(read({}).sink.recordTtlMs).toBe(30000);
    expect(read({ 'sink.record-ttl': '500' }).sink.recordTtlMs).toBe(500);
    expect(problemOf(() => read({ 'sink.record-ttl': 'soon' }))).toBe(
      'sink.record-ttl: expected a Long ≥ 0, got "soon"',
    );
    // 50 passes the row's codec; SinkConfig's own codec refuses it, named by the key
    expect(problemOf(() => read({ 'sink.record-ttl': '50' }))).toBe(
      'sink.record-ttl: expected a whole number of milliseconds ≥ 100 (as table.sink.recordTtlMs), got "50"',
    );
    // without the row the key is unknown, with a did-you-mean
    expect(
      problemOf(() => translateOptions(base, { ...BASE, 'sink.record-ttl': '500' })),
    ).toContain('sink.record-ttl: expected a Kinesis connector option');
  });

  it('a key written to both configs (aws.endpoint) is one problem, named once', () => {
    const message = problemOf(() =>
      translateOptions(sqlOptionsFamily({ table: false }), {
        stream: 'orders',
        'aws.endpoint': 'ftp://x',
      }),
    );
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(
      /^aws\.endpoint: expected .* \(as table\.source\.endpoint\), got "ftp:\/\/x"$/,
    );
  });

  it('a prefix row does not read keys that have rows of their own (sink.producer.* vs its known keys)', () => {
    const { warnings } = translateOptions(sqlOptionsFamily({ table: false }), {
      ...BASE,
      'sink.producer.verify-certificate': 'false',
    });
    expect(warnings).toEqual([
      {
        key: 'sink.producer.verify-certificate',
        message:
          'sink.producer.verify-certificate is deprecated; read as aws.trust.all.certificates (negated)',
      },
    ]);
  });
});
