import {
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ListStreamConsumersCommand,
} from '@aws-sdk/client-kinesis';
import { firstValueFrom, from, lastValueFrom, take, timer, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { checkpoints } from '../../src/checkpoint/checkpoints.js';
import type { CheckpointState } from '../../src/checkpoint/CheckpointState.js';
import { ConfigError } from '../../src/client/errors.js';
import type { KinesisPort } from '../../src/client/KinesisPort.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import { toKinesis } from '../../src/sink/toKinesis.js';
import { writeToKinesis } from '../../src/sink/writeToKinesis.js';
import { useKinesisLocal } from '../support/emulators.js';
import { collect, indexOf, writeRecords } from './support/writeRecords.js';

const kinesis = useKinesisLocal({ REGISTER_STREAM_CONSUMER_DURATION: '0ms' });
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

/** A port that records the input of every command it sends. */
function spy(client: KinesisClient): KinesisPort & { inputs: Array<[string, object]> } {
  const port = {
    inputs: [] as Array<[string, object]>,
    send: ((command: { input: object }, options?: object) => {
      port.inputs.push([command.constructor.name.replace(/Command$/, ''), command.input]);
      return (client.send as (c: object, o?: object) => Promise<unknown>)(command, options);
    }) as unknown as KinesisPort['send'],
  };
  return port;
}

async function arnOf(client: KinesisClient, stream: string): Promise<string> {
  const out = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
  return out.StreamDescriptionSummary?.StreamARN ?? '';
}

/** Every request naming a stream named it by ARN, never by name. */
function expectByArnOnly(port: { inputs: Array<[string, object]> }, arn: string): string[] {
  const named = port.inputs.filter(([, input]) => 'StreamName' in input || 'StreamARN' in input);
  expect(named.length).toBeGreaterThan(0);
  for (const [, input] of named) {
    expect(input).not.toHaveProperty('StreamName');
    expect((input as { StreamARN?: string }).StreamARN).toBe(arn);
  }
  return [...new Set(named.map(([name]) => name))].sort();
}

describe('streams given by ARN, against kinesis-local', () => {
  it('polls a stream by ARN (ListShards, GetShardIterator by StreamARN); records name the stream; a checkpoint taken by name resumes by ARN', async () => {
    const client = kinesis.client();
    await kinesis.createStream(client, 'by-arn', 2);
    const arn = await arnOf(client, 'by-arn');
    expect(arn).toMatch(/^arn:aws:kinesis:us-east-1:\d{12}:stream\/by-arn$/);
    await writeRecords(client, 'by-arn', 40);

    // first run, by name: read the 40 and keep the checkpoint
    const byName = await lastValueFrom(
      fromKinesis({ stream: 'by-arn', client, initialPosition: 'TRIM_HORIZON' }).pipe(
        take(40),
        checkpoints(),
        toArray(),
      ),
    );
    const state = byName.at(-1) as CheckpointState;
    expect(Object.keys(state.shards).every((key) => key.startsWith('by-arn/'))).toBe(true);

    const later = await writeRecords(client, 'by-arn', 25);
    // second run, by ARN, from that checkpoint: exactly the 25 new ones
    const port = spy(client);
    const records = await collect(
      fromKinesis({ stream: arn, client: port, checkpoint: state, region: 'us-east-1' }),
      25,
    );
    expect(records.map(indexOf).sort((a, b) => a - b)).toEqual(later.map((w) => w.index));
    expect(new Set(records.map((r) => r.stream))).toEqual(new Set(['by-arn']));
    expect(expectByArnOnly(port, arn)).toEqual(['GetShardIterator', 'ListShards']);
  }, 60_000);

  it('writes by ARN (PutRecords, and ListShards for rateLimit, by StreamARN); acks name the stream', async () => {
    const client = kinesis.client();
    await kinesis.createStream(client, 'sink-arn', 2);
    const arn = await arnOf(client, 'sink-arn');
    const port = spy(client);
    const acks = await lastValueFrom(
      from(
        Array.from({ length: 30 }, (_, i) => ({ data: `w${i}`, partitionKey: `k${i % 7}` })),
      ).pipe(
        writeToKinesis({ stream: arn, client: port, rateLimit: 100, requestTimeoutMs: 5000 }),
        toArray(),
      ),
    );
    expect(acks).toHaveLength(30);
    expect(new Set(acks.map((a) => a.stream))).toEqual(new Set(['sink-arn']));
    expect(expectByArnOnly(port, arn)).toEqual(['ListShards', 'PutRecords']);
    const read = await collect(
      fromKinesis({ stream: 'sink-arn', client, initialPosition: 'TRIM_HORIZON' }),
      30,
    );
    expect(read.map((r) => text(r.data)).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `w${i}`).sort(),
    );
  }, 60_000);

  it('reads by ARN over enhanced fan-out (DescribeStreamSummary, RegisterStreamConsumer by StreamARN) and deregisters the LAZY consumer', async () => {
    const client = kinesis.client();
    await kinesis.createStream(client, 'efo-arn', 1);
    const arn = await arnOf(client, 'efo-arn');
    await writeRecords(client, 'efo-arn', 10);
    const port = spy(client);
    const records = await lastValueFrom(
      fromKinesis({
        stream: arn,
        client: port,
        initialPosition: 'TRIM_HORIZON',
        recordPublisher: 'EFO',
        efo: { consumerName: 'arn-app', registration: 'LAZY' },
      }).pipe(take(10), toArray()),
    );
    expect(records).toHaveLength(10);
    expect(records.every((r) => r.stream === 'efo-arn')).toBe(true);
    const requests = expectByArnOnly(port, arn);
    expect(requests).toEqual(
      expect.arrayContaining(['DescribeStreamSummary', 'ListShards', 'RegisterStreamConsumer']),
    );
    // LAZY: the consumer is gone after teardown
    let consumers = 1;
    for (let i = 0; i < 50 && consumers > 0; i++) {
      await firstValueFrom(timer(200));
      const out = await client.send(new ListStreamConsumersCommand({ StreamARN: arn }));
      consumers = (out.Consumers ?? []).filter((c) => c.ConsumerStatus !== 'DELETING').length;
    }
    expect(consumers).toBe(0);
  }, 60_000);

  it('an ARN in another region than the configured one is a ConfigError before any request', () => {
    const port = { inputs: 0, send: () => ((port.inputs += 1), Promise.resolve({})) };
    const arn = 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders';
    const attempt = (): unknown =>
      fromKinesis({ stream: arn, region: 'us-east-1', client: port as unknown as KinesisPort });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      'source.stream: expected a stream ARN in region us-east-1 (the configured region): one client reaches one region, got "arn:aws:kinesis:eu-west-1:123456789012:stream/orders"',
    );
    expect(() =>
      toKinesis({ stream: arn, region: 'us-east-1', client: port as unknown as KinesisPort }),
    ).toThrow('sink.stream: expected a stream ARN in region us-east-1');
    expect(port.inputs).toBe(0);
  });
});
