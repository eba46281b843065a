import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { firstValueFrom, from, lastValueFrom, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKinesisClient } from '../../src/client/createKinesisClient.js';
import type { KinesisPort } from '../../src/client/KinesisPort.js';
import { writeToKinesis } from '../../src/sink/writeToKinesis.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';
import { type FaultProxy, startFaultProxy } from '../support/faultProxy.js';
import { writeRecords } from './support/writeRecords.js';

const kinesis = useKinesisLocal();

/**
 * The most calls that arrived within any one second, less 100 ms: windows [t, t + 900). The
 * gate starts the 6th call of a run a full second after the 1st, but on this loaded machine
 * arrivals at the proxy jitter by up to some tens of milliseconds (event loop, loopback), so
 * a strict second would fail on the measurement, not on the client. Without the gate, 7 to 9
 * calls arrive within one second here.
 */
function mostInAnySecond(arrivals: readonly number[]): number {
  const times = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[j] as number) <= (times[i] as number) - 900) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('per-shard GetRecords limit and maxRetries at a throttling proxy (kinesis-local)', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(kinesis.endpoint);
  });
  afterAll(async () => {
    await proxy.stop();
  });

  const throttleEverySecond = (): void => {
    let n = 0;
    proxy.set({ throttle: (operation) => operation === 'GetRecords' && ++n % 2 === 0 });
  };

  const readAllThrough = async (
    client: KinesisPort,
    stream: string,
    count: number,
  ): Promise<number[]> => {
    proxy.stats.arrivals['GetRecords'] = [];
    const records = await firstValueFrom(
      fromKinesis({
        stream,
        client,
        initialPosition: 'TRIM_HORIZON',
        polling: { maxRecords: 100 },
        backoff: { getRecords: { base: 10, max: 20, maxRetries: 10 } },
      }).pipe(take(count), toArray()),
    );
    expect(records).toHaveLength(count);
    return proxy.stats.arrivals['GetRecords'] ?? [];
  };

  it('half the GetRecords throttled: at most 5 calls reach the shard in any second (our client)', async () => {
    const credentials = freshCredentials();
    await kinesis.createStream(kinesis.client(credentials), 'rate-ours', 1);
    await writeRecords(kinesis.client(credentials), 'rate-ours', 1500);
    const client = createKinesisClient({
      region: 'us-east-1',
      endpoint: proxy.endpoint,
      credentials,
    }) as KinesisClient;
    try {
      throttleEverySecond();
      const arrivals = await readAllThrough(client, 'rate-ours', 1500);
      expect(arrivals.length).toBeGreaterThanOrEqual(20);
      expect(mostInAnySecond(arrivals)).toBeLessThanOrEqual(5);
    } finally {
      client.destroy();
      proxy.set({});
    }
  }, 60_000);

  it('a client passed in that keeps the SDK retries (3 attempts) still keeps the limit', async () => {
    const credentials = freshCredentials();
    await kinesis.createStream(kinesis.client(credentials), 'rate-theirs', 1);
    await writeRecords(kinesis.client(credentials), 'rate-theirs', 1500);
    const client = new KinesisClient({
      region: 'us-east-1',
      endpoint: proxy.endpoint,
      credentials,
      requestHandler: new NodeHttpHandler(),
    });
    try {
      expect(await client.config.maxAttempts()).toBe(3);
      throttleEverySecond();
      const arrivals = await readAllThrough(client, 'rate-theirs', 1500);
      expect(arrivals.length).toBeGreaterThanOrEqual(20);
      expect(mostInAnySecond(arrivals)).toBeLessThanOrEqual(5);
    } finally {
      client.destroy();
      proxy.set({});
    }
  }, 60_000);

  describe('maxRetries N with every call throttled: exactly N + 1 calls reach the server', () => {
    const viaProxy = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
      createKinesisClient({
        region: 'us-east-1',
        endpoint: proxy.endpoint,
        credentials,
      }) as KinesisClient;
    const policy = { base: 5, max: 10, maxRetries: 2 };

    it('GetRecords', async () => {
      const credentials = freshCredentials();
      await kinesis.createStream(kinesis.client(credentials), 'retries-get', 1);
      const client = viaProxy(credentials);
      const before = proxy.stats.calls['GetRecords'] ?? 0;
      proxy.set({ throttle: (operation) => operation === 'GetRecords' });
      try {
        await expect(
          lastValueFrom(
            fromKinesis({
              stream: 'retries-get',
              client,
              initialPosition: 'TRIM_HORIZON',
              backoff: { getRecords: policy },
            }),
          ),
        ).rejects.toThrow(/ProvisionedThroughputExceeded/);
        expect((proxy.stats.calls['GetRecords'] ?? 0) - before).toBe(3);
      } finally {
        client.destroy();
        proxy.set({});
      }
    });

    it('ListShards', async () => {
      const credentials = freshCredentials();
      await kinesis.createStream(kinesis.client(credentials), 'retries-list', 1);
      const client = viaProxy(credentials);
      const before = proxy.stats.calls['ListShards'] ?? 0;
      proxy.set({ throttle: (operation) => operation === 'ListShards' });
      try {
        await expect(
          lastValueFrom(
            fromKinesis({ stream: 'retries-list', client, backoff: { listShards: policy } }),
          ),
        ).rejects.toThrow(/ProvisionedThroughputExceeded/);
        expect((proxy.stats.calls['ListShards'] ?? 0) - before).toBe(3);
      } finally {
        client.destroy();
        proxy.set({});
      }
    });

    for (const [operation, family] of [
      ['SubscribeToShard', 'subscribeToShard'],
      ['DescribeStreamConsumer', 'describeStreamConsumer'],
    ] as const) {
      it(`${operation} (EFO)`, async () => {
        const credentials = freshCredentials();
        const stream = `retries-${family.toLowerCase()}`;
        await kinesis.createStream(kinesis.client(credentials), stream, 1);
        const client = viaProxy(credentials);
        const before = proxy.stats.calls[operation] ?? 0;
        proxy.set({ throttle: (called) => called === operation });
        try {
          await expect(
            lastValueFrom(
              fromKinesis({
                stream,
                client,
                initialPosition: 'TRIM_HORIZON',
                recordPublisher: 'EFO',
                efo: { consumerName: 'app', backoff: { [family]: policy } },
              }),
            ),
          ).rejects.toThrow(/ProvisionedThroughputExceeded/);
          expect((proxy.stats.calls[operation] ?? 0) - before).toBe(3);
        } finally {
          client.destroy();
          proxy.set({});
        }
      }, 30_000);
    }

    it('PutRecords (sink)', async () => {
      const credentials = freshCredentials();
      await kinesis.createStream(kinesis.client(credentials), 'retries-put', 1);
      const client = viaProxy(credentials);
      const before = proxy.stats.calls['PutRecords'] ?? 0;
      proxy.set({ throttle: (operation) => operation === 'PutRecords' });
      try {
        const writer = writeToKinesis<{ data: string }>({
          stream: 'retries-put',
          client,
          retry: policy,
        });
        await expect(lastValueFrom(from([{ data: 'a' }]).pipe(writer))).rejects.toThrow(
          /ProvisionedThroughputExceeded/,
        );
        expect((proxy.stats.calls['PutRecords'] ?? 0) - before).toBe(3);
      } finally {
        client.destroy();
        proxy.set({});
      }
    });
  });
});
