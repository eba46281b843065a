import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { firstValueFrom, from, map, range, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKinesisClient } from '../../src/client/createKinesisClient.js';
import { InvalidRecordError } from '../../src/sink/InvalidRecordError.js';
import type { SinkInput } from '../../src/sink/SinkInput.js';
import { toKinesis } from '../../src/sink/toKinesis.js';
import { writeToKinesis } from '../../src/sink/writeToKinesis.js';
import { type UserRecord, deaggregate } from '../../src/source/deaggregate.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';
import { type FaultProxy, startFaultProxy } from '../support/faultProxy.js';

const kinesis = useKinesisLocal();
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Every user record in the stream (KPL records opened), per shard in order, read with GetRecords. */
async function readAll(client: KinesisClient, stream: string): Promise<UserRecord[]> {
  const shards = (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
  const out: UserRecord[] = [];
  for (const shard of shards) {
    let iterator = (
      await client.send(
        new GetShardIteratorCommand({
          StreamName: stream,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    for (;;) {
      const page = await client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }),
      );
      for (const r of page.Records ?? []) {
        deaggregate(
          {
            sequenceNumber: r.SequenceNumber ?? '',
            partitionKey: r.PartitionKey ?? '',
            data: r.Data ?? new Uint8Array(0),
          },
          (u) => out.push(u),
        );
      }
      iterator = page.NextShardIterator;
      if ((page.Records ?? []).length === 0 || iterator === undefined) break;
    }
  }
  return out;
}

describe('toKinesis on kinesis-local', () => {
  it('delivers 3,000 records exactly once and intact', async () => {
    const client = kinesis.client();
    await kinesis.createStream(client, 'sink-plain', 4);
    const sink = toKinesis({ stream: 'sink-plain', client, flushBuffer: { timeoutMs: 50 } });
    range(0, 3000)
      .pipe(
        map((i) => ({
          data: JSON.stringify({ i, pad: 'x'.repeat(i % 50) }),
          partitionKey: `user-${i % 37}`,
        })),
      )
      .subscribe(sink);
    const summary = await sink.done;
    expect(summary.records).toBe(3000);
    expect(summary.requests).toBeGreaterThanOrEqual(6);
    const back = await readAll(client, 'sink-plain');
    expect(back).toHaveLength(3000);
    const seen = back.map((r) => JSON.parse(text(r.data)) as { i: number; pad: string });
    expect(new Set(seen.map((s) => s.i)).size).toBe(3000);
    for (const [k, s] of seen.entries()) {
      expect(s.pad).toBe('x'.repeat(s.i % 50));
      expect(back[k]?.partitionKey).toBe(`user-${s.i % 37}`);
    }
  });

  describe('behind a proxy failing 30 % of PutRecords entries', () => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy(kinesis.endpoint, { putRecordsFailureRate: 0.3 });
    });
    afterAll(async () => {
      await proxy.stop();
    });

    it('still delivers every record exactly once', async () => {
      const credentials = freshCredentials();
      const direct = kinesis.client(credentials);
      await kinesis.createStream(direct, 'sink-faulty', 4);
      const viaProxy = createKinesisClient({
        region: 'us-east-1',
        endpoint: proxy.endpoint,
        credentials,
      }) as KinesisClient;
      try {
        const values = Array.from({ length: 2000 }, (_, i) => ({ data: `record-${i}` }));
        const writer = writeToKinesis<(typeof values)[number]>({
          stream: 'sink-faulty',
          client: viaProxy,
          flushBuffer: { timeoutMs: 50 },
          retry: { base: 20, max: 200, maxRetries: 30 },
        });
        const acks = await firstValueFrom(from(values).pipe(writer, toArray()));
        expect(acks).toHaveLength(2000);
        acks.forEach((a, i) => expect(a.value).toBe(values[i]));
        expect(proxy.stats.failedEntries).toBeGreaterThan(400);
        expect(writer.summary.retries).toBeGreaterThan(0);
        expect(writer.summary.retriedRecords).toBe(proxy.stats.failedEntries);
        const back = (await readAll(direct, 'sink-faulty')).map((r) => text(r.data));
        expect(back).toHaveLength(2000);
        expect(back.sort()).toEqual(values.map((v) => v.data).sort());
      } finally {
        viaProxy.destroy();
      }
    });
  });

  it('fails on an oversize record and on a long key, naming them; nothing else is lost', async () => {
    const client = kinesis.client();
    await kinesis.createStream(client, 'sink-invalid', 1);
    const big = { data: new Uint8Array(1024 * 1024 + 1), partitionKey: 'k' };
    const oversize = toKinesis<SinkInput>({ stream: 'sink-invalid', client });
    from<SinkInput[]>([big]).subscribe(oversize);
    await expect(oversize.done).rejects.toThrow(/record\.data: expected at most 1 MiB/);

    const longKey = toKinesis<SinkInput>({ stream: 'sink-invalid', client });
    from<SinkInput[]>([{ data: 'x', partitionKey: 'k'.repeat(257) }]).subscribe(longKey);
    await expect(longKey.done).rejects.toBeInstanceOf(InvalidRecordError);

    const rejected: InvalidRecordError[] = [];
    const lenient = toKinesis<SinkInput>({
      stream: 'sink-invalid',
      client,
      invalidRecords: (e) => rejected.push(e),
      flushBuffer: { timeoutMs: 20 },
    });
    from<SinkInput[]>([
      { data: 'a' },
      big,
      { data: 'b', partitionKey: 'k'.repeat(300) },
      { data: 'c' },
    ]).subscribe(lenient);
    expect(await lenient.done).toMatchObject({ records: 2, rejected: 2 });
    expect(rejected.map((e) => e.path)).toEqual(['record.data', 'record.partitionKey']);
    expect((await readAll(client, 'sink-invalid')).map((r) => text(r.data)).sort()).toEqual([
      'a',
      'c',
    ]);
  });

  it('writes KPL aggregated records that fromKinesis reads back as the original records', async () => {
    const client = kinesis.client();
    await kinesis.createStream(client, 'sink-agg', 2);
    const values = Array.from({ length: 2000 }, (_, i) => ({
      data: `event-${i}`,
      partitionKey: `user-${i % 5}`,
    }));
    const sink = toKinesis<(typeof values)[number]>({
      stream: 'sink-agg',
      client,
      aggregation: { timeoutMs: 20 },
      flushBuffer: { timeoutMs: 50 },
    });
    from(values).subscribe(sink);
    const summary = await sink.done;
    expect(summary.records).toBe(2000);
    expect(summary.requests).toBeLessThan(10);
    const read = await firstValueFrom(
      fromKinesis({ stream: 'sink-agg', client, initialPosition: 'TRIM_HORIZON' }).pipe(
        take(2000),
        toArray(),
      ),
    );
    expect(read.map((r) => text(r.data)).sort()).toEqual(values.map((v) => v.data).sort());
    expect(read.every((r) => r.subSequenceNumber !== undefined)).toBe(true);
    for (const r of read) expect(r.partitionKey).toBe(`user-${Number(text(r.data).slice(6)) % 5}`);
    // per key, the order written is the order read
    const user2 = read
      .filter((r) => r.partitionKey === 'user-2')
      .map((r) => Number(text(r.data).slice(6)));
    expect(user2).toEqual([...user2].sort((a, b) => a - b));
  });
});
