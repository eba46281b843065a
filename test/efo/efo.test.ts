import {
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ListShardsCommand,
  ListStreamConsumersCommand,
  PutRecordCommand,
  SplitShardCommand,
  SubscribeToShardCommand,
  type SubscribeToShardCommandOutput,
  type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis';
import { asyncScheduler, firstValueFrom, lastValueFrom, take, toArray, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { KinesisPort } from '../../src/client/KinesisPort.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import { streamConsumer } from '../../src/source/efo/streamConsumer.js';
import { DEFAULT_BACKOFF } from '../../src/client/BackoffPolicy.js';
import { useKinesisLocal } from '../support/emulators.js';

const kinesis = useKinesisLocal({ REGISTER_STREAM_CONSUMER_DURATION: '0ms' });
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

async function put(
  client: KinesisClient,
  stream: string,
  key: string,
  data: string,
): Promise<void> {
  await client.send(
    new PutRecordCommand({
      StreamName: stream,
      PartitionKey: key,
      Data: new TextEncoder().encode(data),
    }),
  );
}

async function consumerNames(client: KinesisClient, stream: string): Promise<string[]> {
  const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
  const out = await client.send(
    new ListStreamConsumersCommand({ StreamARN: summary.StreamDescriptionSummary?.StreamARN }),
  );
  return (out.Consumers ?? [])
    .filter((c) => c.ConsumerStatus !== 'DELETING')
    .map((c) => c.ConsumerName ?? '');
}

async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('condition not met in time');
}

describe('enhanced fan-out on kinesis-local', () => {
  it('consumes a stream via EFO in per-key order, and deregisters the LAZY consumer after teardown', async () => {
    const client = kinesis.client();
    await kinesis.createStream(client, 'efo-consume', 2);
    for (let i = 0; i < 12; i++) await put(client, 'efo-consume', `k${i % 3}`, `m${i}`);
    const records = await lastValueFrom(
      fromKinesis({
        stream: 'efo-consume',
        client,
        initialPosition: 'TRIM_HORIZON',
        recordPublisher: 'EFO',
        efo: { consumerName: 'app', registration: 'LAZY' },
      }).pipe(take(12), toArray()),
    );
    expect(records.map((r) => text(r.data)).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `m${i}`).sort(),
    );
    for (const key of ['k0', 'k1', 'k2']) {
      const seen = records
        .filter((r) => r.partitionKey === key)
        .map((r) => Number(text(r.data).slice(1)));
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
    }
    await eventually(async () => (await consumerNames(client, 'efo-consume')).length === 0);
  }, 60_000);

  it('keeps an EAGER consumer after teardown', async () => {
    const client = kinesis.client();
    await kinesis.createStream(client, 'efo-eager', 1);
    await put(client, 'efo-eager', 'k', 'one');
    await firstValueFrom(
      fromKinesis({
        stream: 'efo-eager',
        client,
        initialPosition: 'TRIM_HORIZON',
        recordPublisher: 'EFO',
        efo: { consumerName: 'kept', registration: 'EAGER' },
      }),
    );
    await firstValueFrom(timer(1_000));
    expect(await consumerNames(client, 'efo-eager')).toEqual(['kept']);
  }, 60_000);

  it('re-subscribes after a forced end of the subscription, without loss or duplicates', async () => {
    const client = kinesis.client();
    await kinesis.createStream(client, 'efo-resubscribe', 1);
    let subscriptions = 0;
    // A port that ends every subscription after its second event, as the 5-minute limit would.
    const ending: KinesisPort = {
      send: (async (command: object, options?: { abortSignal?: AbortSignal }) => {
        const output = await (client.send as (c: object, o?: object) => Promise<unknown>)(
          command,
          options,
        );
        if (!(command instanceof SubscribeToShardCommand)) return output;
        subscriptions += 1;
        const real = (output as SubscribeToShardCommandOutput).EventStream!;
        async function* firstTwo(): AsyncGenerator<SubscribeToShardEventStream> {
          let n = 0;
          for await (const event of real) {
            yield event;
            if (++n === 2) return;
          }
        }
        return { ...(output as object), EventStream: firstTwo() };
      }) as unknown as KinesisPort['send'],
    };
    const source = fromKinesis({
      stream: 'efo-resubscribe',
      client: ending,
      initialPosition: 'TRIM_HORIZON',
      recordPublisher: 'EFO',
      efo: { consumerName: 'app' },
    });
    const done = lastValueFrom(source.pipe(take(6), toArray()));
    for (let i = 0; i < 6; i++) {
      await put(client, 'efo-resubscribe', 'k', `m${i}`);
      await firstValueFrom(timer(700));
    }
    const records = await done;
    expect(records.map((r) => text(r.data))).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(subscriptions).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('handles ResourceInUse from a second subscription by backing off until it is free', async () => {
    const client = kinesis.client();
    await kinesis.createStream(client, 'efo-in-use', 1);
    const consumerArn = await lastValueFrom(
      streamConsumer(
        client,
        'efo-in-use',
        'shared',
        {
          describeStream: DEFAULT_BACKOFF.describeStream,
          register: DEFAULT_BACKOFF.registerStreamConsumer,
          describeConsumer: DEFAULT_BACKOFF.describeStreamConsumer,
          timeoutMs: 30_000,
        },
        asyncScheduler,
      ),
    );
    const shards = await client.send(new ListShardsCommand({ StreamName: 'efo-in-use' }));
    const shardId = shards.Shards![0]!.ShardId!;
    const blocker = new AbortController();
    const other = await client.send(
      new SubscribeToShardCommand({
        ConsumerARN: consumerArn,
        ShardId: shardId,
        StartingPosition: { Type: 'LATEST' },
      }),
      { abortSignal: blocker.signal },
    );
    const iterator = other.EventStream![Symbol.asyncIterator]();
    void iterator.next().catch(() => undefined);
    const attempts: string[] = [];
    const watching: KinesisPort = {
      send: (async (command: object, options?: object) => {
        try {
          return await (client.send as (c: object, o?: object) => Promise<unknown>)(
            command,
            options,
          );
        } catch (error) {
          if (command instanceof SubscribeToShardCommand) attempts.push((error as Error).name);
          throw error;
        }
      }) as unknown as KinesisPort['send'],
    };
    await put(client, 'efo-in-use', 'k', 'after-wait');
    const first = firstValueFrom(
      fromKinesis({
        stream: 'efo-in-use',
        client: watching,
        initialPosition: 'TRIM_HORIZON',
        recordPublisher: 'EFO',
        efo: { registration: 'NONE', consumerArns: { 'efo-in-use': consumerArn } },
      }),
    );
    await firstValueFrom(timer(2_500));
    blocker.abort();
    await iterator.return?.().catch(() => undefined);
    const record = await first;
    expect(text(record.data)).toBe('after-wait');
    expect(attempts).toContain('ResourceInUseException');
  }, 60_000);

  it('follows a split during EFO consumption without loss, parents first per key', async () => {
    const client = kinesis.client();
    await kinesis.createStream(client, 'efo-split', 1);
    for (let i = 0; i < 8; i++) await put(client, 'efo-split', `k${i % 2}`, `before${i}`);
    const done = lastValueFrom(
      fromKinesis({
        stream: 'efo-split',
        client,
        initialPosition: 'TRIM_HORIZON',
        recordPublisher: 'EFO',
        discoveryIntervalMs: 1_000,
        efo: { consumerName: 'app', closedShardCheckMs: 1_000 },
      }).pipe(take(16), toArray()),
    );
    await firstValueFrom(timer(2_500));
    const shards = await client.send(new ListShardsCommand({ StreamName: 'efo-split' }));
    const parent = shards.Shards![0]!;
    const middle = (BigInt(parent.HashKeyRange!.EndingHashKey!) + 1n) / 2n;
    await client.send(
      new SplitShardCommand({
        StreamName: 'efo-split',
        ShardToSplit: parent.ShardId!,
        NewStartingHashKey: middle.toString(),
      }),
    );
    await eventually(async () => {
      const out = await client.send(new ListShardsCommand({ StreamName: 'efo-split' }));
      return (out.Shards ?? []).length === 3;
    });
    for (let i = 0; i < 8; i++) await put(client, 'efo-split', `k${i % 2}`, `after${i}`);
    const records = await done;
    const texts = records.map((r) => text(r.data));
    expect([...texts].sort()).toEqual(
      [
        ...Array.from({ length: 8 }, (_, i) => `before${i}`),
        ...Array.from({ length: 8 }, (_, i) => `after${i}`),
      ].sort(),
    );
    for (const key of ['k0', 'k1']) {
      const seen = records.filter((r) => r.partitionKey === key).map((r) => text(r.data));
      const firstAfter = seen.findIndex((t) => t.startsWith('after'));
      expect(seen.slice(0, firstAfter).every((t) => t.startsWith('before'))).toBe(true);
      expect(seen.slice(firstAfter).every((t) => t.startsWith('after'))).toBe(true);
    }
    expect(new Set(records.map((r) => r.shardId)).size).toBeGreaterThanOrEqual(2);
  }, 90_000);
});
