import { from } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { SinkAck, SinkInput } from '../src/sink/SinkInput.js';
import { toKinesis } from '../src/sink/toKinesis.js';
import { writeToKinesis } from '../src/sink/writeToKinesis.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** A deterministic [0, 1) source (mulberry32), for the retry jitter. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An ExplicitHashKey inside shard `n` of a two-shard stream. */
const inShard = (n: 0 | 1, i: number): string => ((BigInt(n) << 127n) + BigInt(i)).toString();

/** Input records: `count` of `size` bytes, alternating over `shards` target shards. */
const inputs = (count: number, size: number, shards: 1 | 2): SinkInput[] =>
  Array.from({ length: count }, (_, i) => ({
    data: new Uint8Array(size),
    partitionKey: `key-${i}`,
    explicitHashKey: inShard(shards === 2 ? ((i % 2) as 0 | 1) : 0, i),
  }));

/** How many times each partition key is stored in the stream. */
function storedKeys(fake: FakeKinesis): Map<string, number> {
  const counts = new Map<string, number>();
  for (const shard of fake.shardsOf('out')) {
    for (const r of shard.records)
      counts.set(r.partitionKey, (counts.get(r.partitionKey) ?? 0) + 1);
  }
  return counts;
}

/** Entries sent over all PutRecords calls. */
const entriesSent = (fake: FakeKinesis): number =>
  fake
    .callsOf('PutRecordsCommand')
    .reduce((sum, call) => sum + (call.input['Records'] as unknown[]).length, 0);

/** Checks of every run: limits held, only refused entries sent again, every record stored once. */
function expectWithinLimitsAndExactlyOnce(fake: FakeKinesis, count: number): void {
  // the write budget did bite
  expect(fake.throttleCounts.PutRecordsCommand).toBeGreaterThan(0);
  // per shard and second: at most 1,000 records and 1 MiB stored
  expect(fake.peakPerSecond('PutRecordsCommand', { measure: 'records' })).toBeLessThanOrEqual(1000);
  expect(fake.peakPerSecond('PutRecordsCommand', { measure: 'bytes' })).toBeLessThanOrEqual(
    1024 * 1024,
  );
  // only refused entries were sent again: one send per record plus one per refusal
  expect(entriesSent(fake)).toBe(count + fake.throttleCounts.PutRecordsCommand);
  // every record stored exactly once
  const stored = storedKeys(fake);
  expect(stored.size).toBe(count);
  expect([...stored.values()].every((n) => n === 1)).toBe(true);
}

describe('the sink within AWS limits (virtual time, FakeKinesis with limits)', () => {
  it('writeToKinesis: 5,000 small records at once to one shard, over 1,000 records/s, all stored once, one ack each', () => {
    const scheduler = testScheduler();
    const fake = new FakeKinesis({ scheduler, limits: true });
    const acks: Array<SinkAck<SinkInput>> = [];
    let error: unknown;
    let completedAt: number | undefined;
    scheduler.run(({ flush }) => {
      fake.createStream('out', 2);
      from(inputs(5000, 100, 1))
        .pipe(writeToKinesis({ stream: 'out', client: fake, random: seeded(1) }, scheduler))
        .subscribe({
          next: (ack) => acks.push(ack),
          error: (e: unknown) => (error = e),
          complete: () => (completedAt = scheduler.now()),
        });
      flush();
    });
    expect(error).toBeUndefined();
    expect(acks).toHaveLength(5000);
    expect(new Set(acks.map((a) => a.value.partitionKey)).size).toBe(5000);
    expectWithinLimitsAndExactlyOnce(fake, 5000);
    // 5,000 records at 1,000/s cannot be done in less than 4 s
    expect(completedAt).toBeGreaterThanOrEqual(4000);
  });

  it('toKinesis: 100 records of 100 KB at once to one shard (10 MB, 10 s at 1 MiB/s), default settings: all stored once', async () => {
    const scheduler = testScheduler();
    const fake = new FakeKinesis({ scheduler, limits: true });
    const sink = toKinesis({ stream: 'out', client: fake, random: seeded(1) }, scheduler);
    scheduler.run(({ flush }) => {
      fake.createStream('out', 2);
      from(inputs(100, 100_000, 1)).subscribe(sink);
      flush();
    });
    const summary = await sink.done;
    expect(summary.records).toBe(100);
    expectWithinLimitsAndExactlyOnce(fake, 100);
  });

  it('toKinesis: 200 records of 100 KB to two shards, over 1 MiB/s each, with room for retries: all stored once, only refused entries retried', async () => {
    const scheduler = testScheduler();
    const fake = new FakeKinesis({ scheduler, limits: true });
    const sink = toKinesis(
      { stream: 'out', client: fake, random: seeded(2), retry: { maxRetries: 30 } },
      scheduler,
    );
    scheduler.run(({ flush }) => {
      fake.createStream('out', 2);
      from(inputs(200, 100_000, 2)).subscribe(sink);
      flush();
    });
    const summary = await sink.done;
    expect(summary.records).toBe(200);
    expectWithinLimitsAndExactlyOnce(fake, 200);
    expect(summary.retriedRecords).toBe(fake.throttleCounts.PutRecordsCommand);
    // 10 MB per shard at 1 MiB/s: not before 9 s
    expect(Math.max(...fake.callsOf('PutRecordsCommand').map((c) => c.at))).toBeGreaterThanOrEqual(
      9000,
    );
  });
});
