import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import { resolveSinkConfig, type SinkConfig } from '../../src/sink/SinkConfig.js';
import { toKinesis } from '../../src/sink/toKinesis.js';
import { writeToKinesis } from '../../src/sink/writeToKinesis.js';
import type { SinkInput } from '../../src/sink/SinkInput.js';

const messageOf = (config: unknown): string => {
  try {
    toKinesis(config as SinkConfig<SinkInput>);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('sink config', () => {
  it.each([
    [
      {},
      'sink.stream: expected a non-empty string or a stream ARN (arn:aws:kinesis:<region>:<12-digit account>:stream/<name>), got undefined',
    ],
    [
      { stream: '' },
      'sink.stream: expected a non-empty string or a stream ARN (arn:aws:kinesis:<region>:<12-digit account>:stream/<name>), got ""',
    ],
    [
      { stream: 's', batch: { maxSize: 501 } },
      'sink.batch.maxSize: expected a positive integer ≤ 500, got 501',
    ],
    [
      { stream: 's', batch: { maxSize: 'abc' } },
      'sink.batch.maxSize: expected a positive integer ≤ 500, got "abc"',
    ],
    [
      { stream: 's', flushBuffer: { size: 6 * 1024 * 1024 } },
      'sink.flushBuffer.size: expected a positive integer ≤ 5242880 (5 MiB), got 6291456',
    ],
    [
      { stream: 's', flushBuffer: { timeoutMs: -1 } },
      'sink.flushBuffer.timeoutMs: expected an integer number of milliseconds from 0 to 3600000, got -1',
    ],
    [
      { stream: 's', requests: { maxInflight: 0 } },
      'sink.requests.maxInflight: expected a positive integer ≤ 10000, got 0',
    ],
    [
      { stream: 's', requests: { maxBuffered: 1.5 } },
      'sink.requests.maxBuffered: expected a positive integer, got 1.5',
    ],
    [{ stream: 's', failOnError: 'yes' }, 'sink.failOnError: expected boolean, got "yes"'],
    [
      { stream: 's', partitioner: 'roundrobin' },
      'sink.partitioner: expected "random" or "fixed" or a function',
    ],
    [
      { stream: 's', partitionBy: [] },
      'sink.partitionBy: expected a non-empty array of field names, got []',
    ],
    [
      { stream: 's', partitionBy: ['a'], partitioner: 'fixed' },
      'sink.partitioner: expected no partitioner when partitionBy is set (the fields make the key), got "fixed"',
    ],
    [
      { stream: 's', ordering: 'strict' },
      'sink.ordering: expected "none" or "per-key", got "strict"',
    ],
    [
      { stream: 's', aggregation: { maxSize: 2 * 1024 * 1024 } },
      'sink.aggregation.maxSize: expected an integer from 1024 to 1048320',
    ],
    [
      { stream: 's', endpoint: 'localhost:4567' },
      'sink.endpoint: expected an http:// or https:// URL, got "localhost:4567"',
    ],
    [{ stream: 's', batchSize: 10 }, 'sink.batchSize: expected no such key'],
    [
      { stream: 's', requests: { maxInFlight: 3 } },
      'sink.requests.maxInFlight: expected no such key (did you mean "maxInflight"?)',
    ],
    [
      { stream: 's', recordTtlMs: 99 },
      'sink.recordTtlMs: expected a whole number of milliseconds ≥ 100, got 99',
    ],
    [
      { stream: 's', recordTtlMs: 1000.5 },
      'sink.recordTtlMs: expected a whole number of milliseconds ≥ 100, got 1000.5',
    ],
    [
      { stream: 's', rateLimit: 0 },
      'sink.rateLimit: expected a whole percentage from 1 to 100000, got 0',
    ],
    [
      { stream: 's', rateLimit: 100_001 },
      'sink.rateLimit: expected a whole percentage from 1 to 100000, got 100001',
    ],
    [
      { stream: 's', rateLimit: '150' },
      'sink.rateLimit: expected a whole percentage from 1 to 100000, got "150"',
    ],
    [
      { stream: 's', requestTimeoutMs: 50 },
      'sink.requestTimeoutMs: expected a whole number of milliseconds ≥ 100, got 50',
    ],
    [
      { stream: 's', requestTimeoutMs: Infinity },
      'sink.requestTimeoutMs: expected a whole number of milliseconds ≥ 100, got Infinity',
    ],
    [
      { stream: 'arn:aws:kinesis:eu-west-1:123456789012:orders' },
      'sink.stream: expected a stream ARN (arn:aws:kinesis:<region>:<12-digit account>:stream/<name>), got "arn:aws:kinesis:eu-west-1:123456789012:orders"',
    ],
    [
      { stream: 'arn:aws:kinesis:eu-west-1:1234:stream/orders' },
      'sink.stream: expected a stream ARN (arn:aws:kinesis:<region>:<12-digit account>:stream/<name>), got "arn:aws:kinesis:eu-west-1:1234:stream/orders"',
    ],
    [
      { stream: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders', region: 'us-east-1' },
      'sink.stream: expected a stream ARN in region us-east-1 (the configured region): one client reaches one region, got "arn:aws:kinesis:eu-west-1:123456789012:stream/orders"',
    ],
  ])('%j → %s', (config, message) => {
    expect(messageOf(config)).toContain(message);
  });

  it('raises the error before any request, in the operator form too', () => {
    let sent = 0;
    const client = { send: () => ((sent += 1), Promise.resolve({})) };
    expect(() => writeToKinesis({ stream: 's', client, batch: { maxSize: 0 } })).toThrow(
      ConfigError,
    );
    expect(sent).toBe(0);
  });

  it('fills Flink defaults', () => {
    const resolved = resolveSinkConfig({ stream: 's' });
    expect(resolved).toMatchObject({
      batchMaxSize: 500,
      flushBufferSize: 5 * 1024 * 1024,
      flushBufferTimeoutMs: 5000,
      maxInflight: 16,
      maxBuffered: 10_000,
      failOnError: false,
      partitioner: 'random',
      partitionerFieldDelimiter: '|',
      ordering: 'none',
      aggregation: undefined,
      invalidRecords: 'fail',
      recordTtlMs: undefined,
      rateLimit: undefined,
      requestTimeoutMs: undefined,
    });
    expect(resolveSinkConfig({ stream: 's', aggregation: true }).aggregation).toEqual({
      maxCount: 4_294_967_295,
      maxSize: 51_200,
      timeoutMs: 100,
    });
  });

  it('takes recordTtlMs, rateLimit and requestTimeoutMs as given', () => {
    expect(
      resolveSinkConfig({ stream: 's', recordTtlMs: 100, rateLimit: 150, requestTimeoutMs: 6000 }),
    ).toMatchObject({ recordTtlMs: 100, rateLimit: 150, requestTimeoutMs: 6000 });
    expect(resolveSinkConfig({ stream: 's', rateLimit: 1 }).rateLimit).toBe(1);
    expect(resolveSinkConfig({ stream: 's', rateLimit: 100_000 }).rateLimit).toBe(100_000);
  });

  it('takes a stream ARN; with no region configured the client is made for its region', () => {
    const arn = 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders';
    const resolved = resolveSinkConfig({ stream: arn });
    expect(resolved.stream).toBe(arn);
    expect(resolved.client.region).toBe('eu-west-1');
    expect(resolveSinkConfig({ stream: arn, region: 'eu-west-1' }).client.region).toBe('eu-west-1');
    expect(resolveSinkConfig({ stream: 'orders' }).client.region).toBeUndefined();
    // another partition
    expect(
      resolveSinkConfig({ stream: 'arn:aws-cn:kinesis:cn-north-1:123456789012:stream/o' }).client
        .region,
    ).toBe('cn-north-1');
  });
});
