import { firstValueFrom, from, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { addressStreamsByArn } from '../../src/client/addressStreamsByArn.js';
import { ConfigError } from '../../src/client/errors.js';
import {
  StreamRef,
  parseStreamArn,
  streamNameOf,
  streamTarget,
} from '../../src/client/StreamArn.js';
import { decodeConfig } from '../../src/config/decodeConfig.js';
import { InvalidRecordError } from '../../src/sink/InvalidRecordError.js';
import { writeToKinesis } from '../../src/sink/writeToKinesis.js';
import { discoverShards } from '../../src/source/discoverShards.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import { resolveSourceConfig } from '../../src/source/SourceConfig.js';
import { FakeKinesis } from '../../src/testing/FakeKinesis.js';

const ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/orders';

const problemsOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('stream ARNs: codecs', () => {
  it('parses a stream ARN, in any partition; refuses consumer ARNs, other services, bad accounts', () => {
    expect(parseStreamArn(ARN)).toEqual({
      partition: 'aws',
      region: 'us-east-1',
      accountId: '000000000000',
      name: 'orders',
    });
    expect(
      parseStreamArn('arn:aws-us-gov:kinesis:us-gov-west-1:123456789012:stream/a.b-c_d'),
    ).toMatchObject({
      partition: 'aws-us-gov',
      name: 'a.b-c_d',
    });
    for (const bad of [
      `${ARN}/consumer/app:1700000000`,
      'arn:aws:dynamodb:us-east-1:000000000000:table/orders',
      'arn:aws:kinesis:us-east-1:0000:stream/orders',
      'arn:aws:kinesis::000000000000:stream/orders',
      'arn:aws:kinesis:us-east-1:000000000000:stream/',
      'orders',
    ]) {
      expect(parseStreamArn(bad), bad).toBeUndefined();
    }
    expect(streamNameOf(ARN)).toBe('orders');
    expect(streamNameOf('orders')).toBe('orders');
    expect(streamTarget(ARN)).toEqual({ StreamARN: ARN });
    expect(streamTarget('orders')).toEqual({ StreamName: 'orders' });
  });

  it('a malformed arn: value is a ConfigError naming path, value and the ARN form', () => {
    expect(
      problemsOf(() => decodeConfig(StreamRef, 'arn:aws:kinesis:orders', 'source.stream')),
    ).toBe(
      'source.stream: expected a stream ARN (arn:aws:kinesis:<region>:<12-digit account>:stream/<name>), got "arn:aws:kinesis:orders"',
    );
    expect(problemsOf(() => decodeConfig(StreamRef, 'bad name', 'source.stream'))).toContain(
      'source.stream: expected a stream name (1-128 characters of a-z, A-Z, 0-9, _ . -) or a stream ARN',
    );
  });
});

describe('stream ARNs in the source config', () => {
  it('resolves names, the ARN map and the region; streams[i] paths in errors', () => {
    const resolved = resolveSourceConfig({ streams: [ARN, 'refunds'] });
    expect(resolved.streams).toEqual(['orders', 'refunds']);
    expect(resolved.streamArns).toEqual({ orders: ARN });
    expect(resolved.client.region).toBe('us-east-1');
    expect(problemsOf(() => resolveSourceConfig({ streams: ['a', 'arn:aws:kinesis:x'] }))).toBe(
      'source.streams.1: expected a stream ARN (arn:aws:kinesis:<region>:<12-digit account>:stream/<name>), got "arn:aws:kinesis:x"',
    );
    expect(problemsOf(() => resolveSourceConfig({ streams: ['orders', ARN] }))).toBe(
      `source.streams.1: expected a stream not given before ("orders" is the same name), got "${ARN}"`,
    );
    expect(
      problemsOf(() =>
        resolveSourceConfig({
          streams: [ARN, 'arn:aws:kinesis:eu-west-1:000000000000:stream/b'],
        }),
      ),
    ).toBe(
      'source.streams.1: expected a stream ARN in region us-east-1 (the region of source.streams.0): one client reaches one region, got "arn:aws:kinesis:eu-west-1:000000000000:stream/b"',
    );
  });

  it('EFO consumerArns may be keyed by the stream ARN', () => {
    const consumer = `${ARN}/consumer/app:1`;
    const resolved = resolveSourceConfig({
      stream: ARN,
      recordPublisher: 'EFO',
      efo: { registration: 'NONE', consumerArns: { [ARN]: consumer } },
    });
    expect(resolved.efo.consumerArns).toEqual({ orders: consumer });
  });
});

describe('stream ARNs against the fake (every request by StreamARN)', () => {
  it('fromKinesis by ARN: ListShards and GetShardIterator carry StreamARN, records name the stream', async () => {
    const fake = new FakeKinesis();
    fake.createStream('orders', 2);
    for (let i = 0; i < 10; i++) fake.put('orders', `k${i}`, `v${i}`);
    const records = await firstValueFrom(
      fromKinesis({ stream: ARN, client: fake, initialPosition: 'TRIM_HORIZON' }).pipe(
        take(10),
        toArray(),
      ),
    );
    expect(records.every((r) => r.stream === 'orders')).toBe(true);
    const named = fake.calls.filter((c) => 'StreamName' in c.input || 'StreamARN' in c.input);
    expect(new Set(named.map((c) => c.command))).toEqual(
      new Set(['ListShardsCommand', 'GetShardIteratorCommand']),
    );
    expect(named.every((c) => c.input['StreamARN'] === ARN && !('StreamName' in c.input))).toBe(
      true,
    );
  });

  it('addressStreamsByArn leaves other streams and commands without a stream alone', async () => {
    const fake = new FakeKinesis();
    fake.createStream('orders', 1);
    fake.createStream('other', 1);
    const port = addressStreamsByArn(fake, { orders: ARN });
    await firstValueFrom(discoverShards(port, ['orders', 'other']).pipe(take(2), toArray()));
    const inputs = fake.callsOf('ListShardsCommand').map((c) => c.input);
    expect(inputs).toContainEqual(expect.objectContaining({ StreamARN: ARN }));
    expect(inputs).toContainEqual(expect.objectContaining({ StreamName: 'other' }));
  });

  it("the sink: a value's own stream ARN must be well-formed and in the sink's region", async () => {
    const fake = new FakeKinesis();
    fake.createStream('orders', 1);
    const rejected: InvalidRecordError[] = [];
    const acks = await firstValueFrom(
      from([
        { data: 'a', partitionKey: 'k', stream: ARN },
        { data: 'b', partitionKey: 'k', stream: 'arn:aws:kinesis:us-east-1:000000000000:orders' },
        {
          data: 'c',
          partitionKey: 'k',
          stream: 'arn:aws:kinesis:eu-west-1:000000000000:stream/orders',
        },
      ]).pipe(
        writeToKinesis({
          stream: 'orders',
          region: 'us-east-1',
          client: fake,
          invalidRecords: (e) => rejected.push(e),
        }),
        toArray(),
      ),
    );
    expect(acks.map((a) => [a.stream, a.value.data])).toEqual([['orders', 'a']]);
    expect(fake.callsOf('PutRecordsCommand')[0]?.input).toMatchObject({ StreamARN: ARN });
    expect(rejected.map((e) => [e.path, e.expected])).toEqual([
      ['record.stream', 'a stream ARN (arn:aws:kinesis:<region>:<12-digit account>:stream/<name>)'],
      ['record.stream', "a stream ARN in region us-east-1 (the sink's client is for that region)"],
    ]);
  });
});
