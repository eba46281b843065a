import { describe, expect, it } from 'vitest';
import { firstValueFrom, take, toArray, timeout } from 'rxjs';
import { StreamNotFoundError } from '../../src/client/errors.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import type { SourceConfig } from '../../src/source/SourceConfig.js';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';
import {
  collect,
  indexOf,
  keysOutOfOrder,
  orderedPerShard,
  writeRecords,
} from './support/writeRecords.js';

const kinesis = useKinesisLocal();

const source = (
  credentials: { accessKeyId: string; secretAccessKey: string },
  extra: Partial<SourceConfig>,
): SourceConfig => ({
  region: 'us-east-1',
  endpoint: kinesis.endpoint,
  credentials,
  ...extra,
});

describe('fromKinesis against kinesis-local', () => {
  it('reads 4 shards / 3,000 records completely, in order per shard and per key', async () => {
    const credentials = freshCredentials();
    const client = kinesis.client(credentials);
    await kinesis.createStream(client, 'complete', 4);
    const written = await writeRecords(client, 'complete', 3000);
    const records = await collect(
      fromKinesis(source(credentials, { stream: 'complete', initialPosition: 'TRIM_HORIZON' })),
      3000,
    );
    expect(records.map(indexOf).sort((a, b) => a - b)).toEqual(written.map((w) => w.index));
    expect(new Set(records.map((r) => r.shardId)).size).toBe(4);
    expect(orderedPerShard(records)).toBe(true);
    expect(keysOutOfOrder(records)).toEqual([]);
    expect(records[0]).toMatchObject({
      stream: 'complete',
      approximateArrivalTimestamp: expect.any(Date),
    });
  });

  it('reads several streams at once', async () => {
    const credentials = freshCredentials();
    const client = kinesis.client(credentials);
    await kinesis.createStream(client, 'one', 1);
    await kinesis.createStream(client, 'two', 2);
    await writeRecords(client, 'one', 20);
    await writeRecords(client, 'two', 30);
    const records = await collect(
      fromKinesis(
        source(credentials, { streams: ['one', 'two'], initialPosition: 'TRIM_HORIZON' }),
      ),
      50,
    );
    expect(records.filter((r) => r.stream === 'one')).toHaveLength(20);
    expect(records.filter((r) => r.stream === 'two')).toHaveLength(30);
  });

  it('starts AT_TIMESTAMP given as a Date, seconds since the epoch, or a formatted string', async () => {
    const credentials = freshCredentials();
    const client = kinesis.client(credentials);
    await kinesis.createStream(client, 'stamped', 2);
    await writeRecords(client, 'stamped', 40);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const cut = new Date();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const after = await writeRecords(client, 'stamped', 30);
    const expected = after.map((w) => w.index).sort((a, b) => a - b);
    const two = (n: number): string => String(n).padStart(2, '0');
    const local = `${cut.getFullYear()}/${two(cut.getMonth() + 1)}/${two(cut.getDate())} ${two(cut.getHours())}:${two(cut.getMinutes())}:${two(cut.getSeconds())}`;
    const timestamps = [
      cut,
      cut.getTime() / 1000,
      cut.toISOString(),
      { timestamp: local, format: 'yyyy/MM/dd HH:mm:ss' },
    ];
    for (const timestamp of timestamps) {
      const initialPosition =
        typeof timestamp === 'object' && !(timestamp instanceof Date)
          ? { type: 'AT_TIMESTAMP' as const, ...timestamp }
          : { type: 'AT_TIMESTAMP' as const, timestamp };
      const records = await collect(
        fromKinesis(source(credentials, { stream: 'stamped', initialPosition })),
        30,
      );
      expect(records.map(indexOf).sort((a, b) => a - b)).toEqual(expected);
    }
  });

  it('LATEST reads only what is written after the start', async () => {
    const credentials = freshCredentials();
    const client = kinesis.client(credentials);
    await kinesis.createStream(client, 'latest', 2);
    await writeRecords(client, 'latest', 50);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const received: number[] = [];
    const subscription = fromKinesis(
      source(credentials, { stream: 'latest', initialPosition: 'LATEST' }),
    ).subscribe((r) => received.push(indexOf(r)));
    try {
      // LATEST is pinned to AT_TIMESTAMP(now) at subscribe: records written right after count
      const after = await writeRecords(client, 'latest', 40);
      const deadline = Date.now() + 20_000;
      while (received.length < 40 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(received.sort((a, b) => a - b)).toEqual(after.map((w) => w.index));
    } finally {
      subscription.unsubscribe();
    }
  });

  it('fails with StreamNotFoundError naming a missing stream', async () => {
    const credentials = freshCredentials();
    const error = await firstValueFrom(
      fromKinesis(source(credentials, { stream: 'missing-stream' })).pipe(
        take(1),
        toArray(),
        timeout(20_000),
      ),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamNotFoundError);
    expect((error as StreamNotFoundError).stream).toBe('missing-stream');
    expect((error as Error).message).toContain('"missing-stream"');
  });
});
