import {
  CreateStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { createRequire } from 'node:module';
import { firstValueFrom, from, take, timeout, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyError } from '../../src/client/classifyError.js';
import {
  type FetchKinesisClient,
  fetchKinesisClient,
} from '../../src/client/fetchKinesisClient.js';
import type { KinesisRecord } from '../../src/record.js';
import { toKinesis } from '../../src/sink/toKinesis.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import {
  type Emulator,
  freshCredentials,
  useKinesalite,
  useKinesisLocal,
} from '../support/emulators.js';
import { type FaultProxy, startFaultProxy } from '../support/faultProxy.js';

// The fetch client (what browser bundles get) against real emulators, side by
// side with the SDK's KinesisClient on the same server: a pipeline round trip,
// errors named and classified as the SDK's, the full client for the other
// commands, and aborts reaching the real fetch.

type Credentials = { accessKeyId: string; secretAccessKey: string };

/** One request the fetch client made: its operation, its signal, how it ended. */
interface Sent {
  readonly operation: string;
  readonly signal: AbortSignal | undefined;
  /** `pending`, `answered`, or the name of the error the real fetch rejected with. */
  outcome: string;
}

/** A `fetch` that records every request the client starts (and how it ends), then sends it. */
function recordingFetch(): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const recording: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    const target = headers.get('x-amz-target') ?? '';
    const entry: Sent = {
      operation: target.slice(target.indexOf('.') + 1),
      signal: init?.signal ?? undefined,
      outcome: 'pending',
    };
    sent.push(entry);
    try {
      const response = await fetch(input, init);
      entry.outcome = 'answered';
      return response;
    } catch (error) {
      entry.outcome = (error as Error).name;
      throw error;
    }
  };
  return { fetch: recording, sent };
}

const neverFallback = (): Promise<never> =>
  Promise.reject(new Error('the fetch client handed a command to its fallback'));

const MAX_HASH_KEY = (2n ** 128n - 1n).toString();

/** Record `i` of the round trip: binary data with bytes 0 and 255, its index in bytes 2–3. */
function roundTripInput(i: number): {
  data: Uint8Array;
  partitionKey: string;
  explicitHashKey?: string;
} {
  const data = new Uint8Array(4 + (i % 13));
  data[0] = 0;
  data[1] = 255;
  data[2] = i >> 8;
  data[3] = i & 0xff;
  for (let j = 4; j < data.length; j++) data[j] = (i * 31 + j * 97) & 0xff;
  if (i % 10 === 0) {
    // pinned to the first / the last shard by an explicit hash key
    return i % 20 === 0
      ? { data, partitionKey: 'pinned-low', explicitHashKey: '1' }
      : { data, partitionKey: 'pinned-high', explicitHashKey: MAX_HASH_KEY };
  }
  return { data, partitionKey: `key-${i % 17}` };
}

const indexOfData = (data: Uint8Array): number => ((data[2] ?? 0) << 8) | (data[3] ?? 0);

/** A name, $fault, HTTP status, message and class of a failed call, to compare clients. */
async function failureOf(call: Promise<unknown>): Promise<Record<string, unknown>> {
  const error = await call.then(
    () => {
      throw new Error('the call succeeded');
    },
    (e: unknown) => e as Error & { $fault?: string; $metadata?: { httpStatusCode?: number } },
  );
  return {
    name: error.name,
    message: error.message,
    fault: error.$fault,
    status: error.$metadata?.httpStatusCode,
    class: classifyError(error),
  };
}

/** A kinesalite shard iterator made `ageMs` older (kinesalite's iterators are AES with a published key). */
function agedKinesaliteIterator(iterator: string, ageMs: number): string {
  const require = createRequire(import.meta.url);
  const db = require('kinesalite/db/index.js') as {
    ITERATOR_PWD_KEY: Buffer;
    ITERATOR_PWD_IV: Buffer;
  };
  const bytes = Buffer.from(iterator, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', db.ITERATOR_PWD_KEY, db.ITERATOR_PWD_IV);
  const plain = Buffer.concat([decipher.update(bytes.subarray(8)), decipher.final()]).toString();
  const [time, ...rest] = plain.split('/');
  const aged = String(Number(time) - ageMs).padStart(14, '0');
  const cipher = createCipheriv('aes-256-cbc', db.ITERATOR_PWD_KEY, db.ITERATOR_PWD_IV);
  return Buffer.concat([
    bytes.subarray(0, 8),
    cipher.update([aged, ...rest].join('/'), 'utf8'),
    cipher.final(),
  ]).toString('base64');
}

const EMULATORS: ReadonlyArray<[string, () => Emulator]> = [
  ['kinesis-local', useKinesisLocal],
  ['kinesalite', useKinesalite],
];

describe.each(EMULATORS)('fetchKinesisClient against %s', (emulatorName, useEmulator) => {
  const emulator = useEmulator();
  const fetchClients: FetchKinesisClient[] = [];
  afterAll(() => {
    for (const client of fetchClients) client.destroy();
  });

  const fetchClientFor = (
    credentials: Credentials,
    extra: { fetch?: typeof fetch; fallback?: () => Promise<never>; endpoint?: string } = {},
  ): FetchKinesisClient => {
    const client = fetchKinesisClient({
      region: 'us-east-1',
      endpoint: extra.endpoint ?? emulator.endpoint,
      credentials,
      ...(extra.fetch !== undefined ? { fetch: extra.fetch } : {}),
      ...(extra.fallback !== undefined ? { fallback: extra.fallback } : {}),
    });
    fetchClients.push(client);
    return client;
  };

  it('writes 300 binary records with toKinesis and reads them back with fromKinesis, over fetch only', async () => {
    const credentials = freshCredentials();
    await emulator.createStream(emulator.client(credentials), 'round-trip', 2);
    const { fetch: recording, sent } = recordingFetch();
    const client = fetchClientFor(credentials, { fetch: recording, fallback: neverFallback });
    const startedAt = Date.now();

    const inputs = Array.from({ length: 300 }, (_, i) => roundTripInput(i));
    const sink = toKinesis({ stream: 'round-trip', client, flushBuffer: { timeoutMs: 50 } });
    from(inputs).subscribe(sink);
    const summary = await sink.done;
    expect(summary.records).toBe(300);

    const records: KinesisRecord[] = await firstValueFrom(
      fromKinesis({ stream: 'round-trip', client, initialPosition: 'TRIM_HORIZON' }).pipe(
        take(300),
        toArray(),
        timeout(30_000),
      ),
    );
    const indexes = records.map((r) => indexOfData(r.data));
    expect([...indexes].sort((a, b) => a - b)).toEqual(inputs.map((_, i) => i));
    for (const record of records) {
      const input = inputs[indexOfData(record.data)];
      expect(record.data).toBeInstanceOf(Uint8Array);
      expect(Array.from(record.data)).toEqual(Array.from(input?.data ?? []));
      expect(record.partitionKey).toBe(input?.partitionKey);
      expect(record.approximateArrivalTimestamp).toBeInstanceOf(Date);
      expect(record.approximateArrivalTimestamp.getTime()).toBeGreaterThan(startedAt - 60_000);
      expect(record.approximateArrivalTimestamp.getTime()).toBeLessThan(Date.now() + 60_000);
    }
    // per key, the records come back in the order they were written
    const last = new Map<string, number>();
    for (const record of records) {
      const index = indexOfData(record.data);
      expect(index).toBeGreaterThan(last.get(record.partitionKey) ?? -1);
      last.set(record.partitionKey, index);
    }
    // the explicit hash keys were sent: the pinned records sit on the first and the last shard
    const shards = await client.send(new ListShardsCommand({ StreamName: 'round-trip' }));
    const ordered = [...(shards.Shards ?? [])].sort((a, b) =>
      BigInt(a.HashKeyRange?.StartingHashKey ?? '0') <
      BigInt(b.HashKeyRange?.StartingHashKey ?? '0')
        ? -1
        : 1,
    );
    expect(ordered).toHaveLength(2);
    const shardsOf = (key: string): Set<string> =>
      new Set(records.filter((r) => r.partitionKey === key).map((r) => r.shardId));
    expect(shardsOf('pinned-low')).toEqual(new Set([ordered[0]?.ShardId]));
    expect(shardsOf('pinned-high')).toEqual(new Set([ordered[1]?.ShardId]));
    expect(new Set(records.map((r) => r.shardId)).size).toBe(2);
    // every call went through this fetch, and each was answered
    const operations = new Set(sent.map((s) => s.operation));
    for (const operation of ['PutRecords', 'ListShards', 'GetShardIterator', 'GetRecords']) {
      expect(operations).toContain(operation);
    }
    expect(sent.filter((s) => s.outcome !== 'answered' && s.outcome !== 'AbortError')).toEqual([]);
  });

  it('fails on a missing stream as the SDK client does, call by call and in fromKinesis', async () => {
    const credentials = freshCredentials();
    const sdk = emulator.client(credentials);
    const client = fetchClientFor(credentials, { fallback: neverFallback });
    const commands = [
      () => new DescribeStreamSummaryCommand({ StreamName: 'missing' }),
      () => new ListShardsCommand({ StreamName: 'missing' }),
      () =>
        new GetShardIteratorCommand({
          StreamName: 'missing',
          ShardId: 'shardId-000000000000',
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      () =>
        new PutRecordCommand({
          StreamName: 'missing',
          PartitionKey: 'k',
          Data: new Uint8Array([1]),
        }),
    ];
    for (const command of commands) {
      const viaSdk = await failureOf(sdk.send(command() as never));
      const viaFetch = await failureOf(client.send(command() as never));
      expect(viaSdk).toMatchObject({ name: 'ResourceNotFoundException', class: 'not-found' });
      expect(viaFetch).toEqual(viaSdk);
    }
    const readError = async (port: KinesisClient | FetchKinesisClient): Promise<unknown> =>
      firstValueFrom(fromKinesis({ stream: 'missing', client: port }).pipe(timeout(20_000))).then(
        () => {
          throw new Error('read a missing stream');
        },
        (e: unknown) => e,
      );
    const viaSdk = (await readError(sdk)) as Error & { cause?: Error };
    const viaFetch = (await readError(client)) as Error & { cause?: Error };
    expect(viaSdk.name).toBe('StreamNotFoundError');
    expect(viaFetch.constructor).toBe(viaSdk.constructor);
    expect(viaFetch.name).toBe(viaSdk.name);
    expect(viaFetch.message).toBe(viaSdk.message);
    expect(viaFetch.cause?.name).toBe(viaSdk.cause?.name);
  });

  it('fails on a bad shard iterator with the SDK client’s class', async () => {
    const credentials = freshCredentials();
    const sdk = emulator.client(credentials);
    const client = fetchClientFor(credentials, { fallback: neverFallback });
    const garbage = () => new GetRecordsCommand({ ShardIterator: 'AAAAAAAAAAEgarbage' });
    const viaSdk = await failureOf(sdk.send(garbage()));
    const viaFetch = await failureOf(client.send(garbage()));
    if (emulatorName === 'kinesalite') {
      expect(viaSdk).toMatchObject({ name: 'InvalidArgumentException', class: 'fatal' });
      expect(viaFetch).toEqual(viaSdk);
    } else {
      // kinesis-local answers an empty HTTP 500: the SDK calls it `Unknown`, the
      // fetch client `InternalFailure`; both are server faults, so both retryable
      expect(viaSdk).toMatchObject({ fault: 'server', status: 500, class: 'retryable' });
      expect(viaFetch).toMatchObject({ fault: 'server', status: 500, class: 'retryable' });
    }
  });

  it.runIf(emulatorName === 'kinesalite')(
    'names an expired shard iterator ExpiredIteratorException, as the SDK client does',
    async () => {
      const credentials = freshCredentials();
      const sdk = emulator.client(credentials);
      await emulator.createStream(sdk, 'expiring', 1);
      const client = fetchClientFor(credentials, { fallback: neverFallback });
      const { ShardIterator } = await client.send(
        new GetShardIteratorCommand({
          StreamName: 'expiring',
          ShardId: 'shardId-000000000000',
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const fresh = ShardIterator ?? '';
      await expect(
        client.send(new GetRecordsCommand({ ShardIterator: fresh })),
      ).resolves.toMatchObject({ Records: [] });
      const expired = agedKinesaliteIterator(fresh, 6 * 60_000);
      const viaSdk = await failureOf(sdk.send(new GetRecordsCommand({ ShardIterator: expired })));
      const viaFetch = await failureOf(
        client.send(new GetRecordsCommand({ ShardIterator: expired })),
      );
      expect(viaSdk).toMatchObject({ name: 'ExpiredIteratorException', class: 'expired-iterator' });
      expect(viaFetch).toEqual(viaSdk);
    },
  );

  it('sends the commands it does not speak through the full KinesisClient, loaded on first use', async () => {
    const credentials = freshCredentials();
    const { fetch: recording, sent } = recordingFetch();
    const client = fetchKinesisClient({
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      credentials,
      fetch: recording,
    });
    try {
      await client.send(new CreateStreamCommand({ StreamName: 'made-by-fallback', ShardCount: 2 }));
      const described = await client.send(
        new DescribeStreamCommand({ StreamName: 'made-by-fallback' }),
      );
      expect(described.StreamDescription?.Shards).toHaveLength(2);
      // the fetch client sees the stream the fallback made; the fallback calls never went to fetch
      const summary = await client.send(
        new DescribeStreamSummaryCommand({ StreamName: 'made-by-fallback' }),
      );
      expect(summary.StreamDescriptionSummary?.OpenShardCount).toBe(2);
      expect(summary.StreamDescriptionSummary?.StreamCreationTimestamp).toBeInstanceOf(Date);
      expect(sent.map((s) => s.operation)).toEqual(['DescribeStreamSummary']);
    } finally {
      client.destroy();
    }
  });

  describe('unsubscribing a fromKinesis mid-read', () => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy(emulator.endpoint);
    });
    afterAll(async () => {
      await proxy.stop();
    });

    it('aborts the GetRecords in flight and starts no request after', async () => {
      const credentials = freshCredentials();
      const sdk = emulator.client(credentials);
      await emulator.createStream(sdk, 'aborted', 1);
      await sdk.send(
        new PutRecordCommand({
          StreamName: 'aborted',
          PartitionKey: 'k',
          Data: new Uint8Array([7]),
        }),
      );
      const { fetch: recording, sent } = recordingFetch();
      const client = fetchClientFor(credentials, {
        fetch: recording,
        fallback: neverFallback,
        endpoint: proxy.endpoint,
      });
      const read = fromKinesis({ stream: 'aborted', client, initialPosition: 'TRIM_HORIZON' });
      let first!: () => void;
      const gotFirst = new Promise<void>((resolve) => (first = resolve));
      const subscription = read.subscribe({ next: () => first() });
      await gotFirst;
      // from now on the proxy holds every GetRecords for 2 s: the next one stays in flight
      proxy.set({ delayMs: (operation) => (operation === 'GetRecords' ? 2000 : 0) });
      const held = sent.length;
      let inFlight: Sent | undefined;
      for (let i = 0; i < 200 && inFlight === undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight = sent
          .slice(held)
          .find((s) => s.operation === 'GetRecords' && s.outcome === 'pending');
      }
      expect(inFlight).toBeDefined();
      const before = sent.length;
      subscription.unsubscribe();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(inFlight?.signal?.aborted).toBe(true);
      expect(inFlight?.outcome).toBe('AbortError');
      expect(sent.length).toBe(before);
    });
  });
});
