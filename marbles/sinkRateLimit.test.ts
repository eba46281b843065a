import { EMPTY, NEVER, Observable, concat, from, map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { StreamNotFoundError } from '../src/client/errors.js';
import type { SinkConfig } from '../src/sink/SinkConfig.js';
import type { SinkInput } from '../src/sink/SinkInput.js';
import { writeToKinesis } from '../src/sink/writeToKinesis.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';
import { countingPort, runWriter, seeded, testScheduler } from './support/sinkRuns.js';

/** `count` records of `size` bytes with random-looking keys (seeded). */
function inputs(count: number, size: number, seed = 1): SinkInput[] {
  const random = seeded(seed);
  return Array.from({ length: count }, (_, i) => ({
    data: new Uint8Array(size),
    partitionKey: `key-${Math.floor(random() * 1e9)}-${i}`,
  }));
}

interface Outcome {
  readonly throttledEntries: number;
  readonly throttledRequests: number;
  readonly putRequests: number;
  readonly doneAt: number;
  readonly peakRecords: number;
  readonly peakBytes: number;
  readonly error: unknown;
  readonly acksInOrder: boolean;
  readonly storedOnce: boolean;
}

/** Writes `input` to a 4-shard stream of a fake enforcing AWS's limits. */
function write(input: SinkInput[], extra: Partial<SinkConfig<SinkInput>>, shards = 4): Outcome {
  const ts = testScheduler();
  const fake = new FakeKinesis({ scheduler: ts, limits: true });
  fake.createStream('out', shards);
  const port = countingPort(fake);
  const run = runWriter(
    ts,
    {
      stream: 'out',
      client: port,
      flushBuffer: { timeoutMs: 50 },
      retry: { maxRetries: 1000 },
      random: seeded(7),
      ...extra,
    },
    from(input),
  );
  const stored = fake.shardsOf('out').flatMap((s) => s.records.map((r) => r.partitionKey));
  return {
    throttledEntries: fake.throttleCounts.PutRecordsCommand,
    throttledRequests: port.throttledRequests,
    putRequests: port.putRequests,
    doneAt: run.completedAt ?? NaN,
    peakRecords: fake.peakPerSecond('PutRecordsCommand', { measure: 'records' }),
    peakBytes: fake.peakPerSecond('PutRecordsCommand', { measure: 'bytes' }),
    error: run.error,
    acksInOrder: run.acks.length === input.length && run.acks.every((a, i) => a.value === input[i]),
    storedOnce: stored.length === input.length && new Set(stored).size === input.length,
  };
}

describe('rateLimit against the limit-enforcing fake (virtual time)', () => {
  it('12,000 small records at once to 4 shards: far fewer throttled requests with rateLimit 100, same records, in order', () => {
    const input = inputs(12_000, 100);
    const without = write(input, {});
    const limited = write(input, { rateLimit: 100 });
    for (const outcome of [without, limited]) {
      expect(outcome.error).toBeUndefined();
      expect(outcome.acksInOrder).toBe(true);
      expect(outcome.storedOnce).toBe(true);
      expect(outcome.peakRecords).toBeLessThanOrEqual(1000);
    }
    // without the limit the sink is throttled again and again
    expect(without.throttledRequests).toBeGreaterThan(20);
    expect(without.throttledEntries).toBeGreaterThan(5000);
    // with it, at most a tenth of those (predicted shards, token buckets: none here)
    expect(limited.throttledRequests).toBeLessThanOrEqual(without.throttledRequests / 10);
    expect(limited.throttledEntries).toBeLessThanOrEqual(without.throttledEntries / 10);
    // and it is not slower: held-back records wait for room instead of for a backoff
    expect(limited.doneAt).toBeLessThanOrEqual(without.doneAt);
    // stays under 100 % of 1,000 records/s per shard in every sliding second
    expect(limited.peakRecords).toBeLessThanOrEqual(1000);
  });

  it('large records: stays under rateLimit % of 1 MiB/s per shard', () => {
    const input = inputs(400, 50_000, 2);
    const limited = write(input, { rateLimit: 50 }, 2);
    expect(limited.error).toBeUndefined();
    expect(limited.storedOnce).toBe(true);
    expect(limited.throttledEntries).toBe(0);
    expect(limited.peakBytes).toBeLessThanOrEqual(0.5 * 1024 * 1024);
    // 400 × 50 kB over 2 shards at ≤ 512 KiB/s each takes ≥ 19 s
    expect(limited.doneAt).toBeGreaterThanOrEqual(19_000);
  });

  it('predicts by explicit hash key too: records all aimed at one shard get its budget only', () => {
    const input = Array.from({ length: 3000 }, (_, i) => ({
      data: `r${i}`,
      partitionKey: `k${i}`,
      explicitHashKey: String(i), // all in the first shard's range
    }));
    const limited = write(input, { rateLimit: 50 });
    expect(limited.error).toBeUndefined();
    expect(limited.throttledEntries).toBe(0);
    expect(limited.peakRecords).toBeLessThanOrEqual(500);
    expect(limited.doneAt).toBeGreaterThanOrEqual(5000);
  });

  it('keeps per-key order with ordering per-key under the limit', () => {
    const random = seeded(4);
    const input = Array.from({ length: 4000 }, (_, i) => ({
      data: `${i}`,
      partitionKey: `k${Math.floor(random() * 50)}`,
    }));
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts, limits: { writeRecordsPerSecond: 100 } });
    fake.createStream('out', 2);
    const run = runWriter(
      ts,
      {
        stream: 'out',
        client: fake,
        ordering: 'per-key',
        requests: { maxInflight: 8 },
        flushBuffer: { timeoutMs: 5 },
        rateLimit: 10,
        retry: { maxRetries: 1000 },
        random: seeded(9),
      },
      from(input),
    );
    expect(run.error).toBeUndefined();
    expect(run.acks.map((a) => a.value)).toEqual(input);
    const perKey = new Map<string, number[]>();
    for (const shard of fake.shardsOf('out')) {
      for (const r of shard.records) {
        const list = perKey.get(r.partitionKey) ?? [];
        list.push(Number(new TextDecoder().decode(r.data)));
        perKey.set(r.partitionKey, list);
      }
    }
    for (const list of perKey.values()) expect(list).toEqual([...list].sort((a, b) => a - b));
  });

  it('lists the shard map once up front, again after a split (a put lands on an unknown shard), and on a schedule', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts, limits: true });
    fake.createStream('out', 1);
    const listedAt: number[] = [];
    ts.run(({ hot, flush }) => {
      // a record every 100 ms for 70 s
      const frames = Array.from({ length: 700 }, () => 'a 99ms ').join('');
      const source = hot<SinkInput>(frames, { a: { data: 'x', partitionKey: 'p' } }).pipe(
        map((v, i) => ({ ...v, partitionKey: `p${i}` })),
      );
      source
        .pipe(
          writeToKinesis(
            { stream: 'out', client: fake, flushBuffer: { timeoutMs: 0 }, rateLimit: 100 },
            ts,
          ),
        )
        .subscribe();
      ts.schedule(() => fake.splitShard('out', 'shardId-000000000000'), 5_000);
      flush();
    });
    for (const call of fake.callsOf('ListShardsCommand')) listedAt.push(call.at);
    expect(listedAt[0]).toBe(0);
    // after the split at 5 s: listed again within about a second (a put named a child shard)
    expect(listedAt.some((t) => t >= 5_000 && t <= 6_100)).toBe(true);
    // and every 30 s while in use
    expect(listedAt.some((t) => t >= 35_000 && t <= 37_000)).toBe(true);
    expect(listedAt.length).toBeLessThan(8);
  });

  it('one: the shard map is listed (open shards, by stream), then the record goes at once', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts, limits: true });
    fake.createStream('out', 3);
    const run = runWriter(
      ts,
      { stream: 'out', client: fake, flushBuffer: { timeoutMs: 0 }, rateLimit: 100 },
      from(inputs(1, 10)),
    );
    expect(run.acks).toHaveLength(1);
    expect(run.completedAt).toBe(0);
    expect(fake.calls.map((c) => c.command)).toEqual(['ListShardsCommand', 'PutRecordsCommand']);
    expect(fake.calls[0]?.input).toEqual({
      StreamName: 'out',
      ShardFilter: { Type: 'AT_LATEST' },
    });
    expect(run.actionsLeft).toBe(0);
  });

  it('backpressure holds: records held back for room count as buffered, so a pausing source stops at maxBuffered', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts, limits: true });
    fake.createStream('out', 1);
    const writer = writeToKinesis<SinkInput>(
      {
        stream: 'out',
        client: fake,
        flushBuffer: { timeoutMs: 10 },
        requests: { maxBuffered: 200 },
        rateLimit: 10, // 100 records/s for the one shard
      },
      ts,
    );
    let emitted = 0;
    let acked = 0;
    let peak = 0;
    ts.run(({ flush }) => {
      let paused = false;
      writer.paused$.subscribe((p) => (paused = p));
      // a source like fromKinesis({ paused }): 20 records every 10 ms while not paused, 2,000 in all
      const source = new Observable<SinkInput>((subscriber) => {
        const tick = (): void => {
          if (!paused) {
            for (let i = 0; i < 20 && emitted < 2000; i++) {
              subscriber.next({ data: 'x', partitionKey: `k${emitted}` });
              emitted += 1;
            }
          }
          if (emitted >= 2000) subscriber.complete();
          else ts.schedule(tick, 10);
        };
        tick();
      });
      source.pipe(writer).subscribe(() => {
        acked += 1;
        peak = Math.max(peak, emitted - acked);
      });
      ts.schedule(function check(this: { schedule(state?: unknown, delay?: number): void }) {
        peak = Math.max(peak, emitted - acked);
        if (acked < 2000) this.schedule(undefined, 5);
      }, 0);
      flush();
    });
    expect(acked).toBe(2000);
    // never more than maxBuffered plus one source tick in the sink
    expect(peak).toBeLessThanOrEqual(220);
    // and the shard's budget held: about 20 s for 2,000 records at 10 % of 1,000/s
    expect(ts.now()).toBeGreaterThanOrEqual(19_000);
    expect(fake.throttleCounts.PutRecordsCommand).toBe(0);
  });

  it('empty: no ListShards, no request', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts, limits: true });
    fake.createStream('out', 1);
    const run = runWriter(ts, { stream: 'out', client: fake, rateLimit: 100 }, EMPTY);
    expect(run.completedAt).toBe(0);
    expect(fake.calls).toHaveLength(0);
  });

  it('error: a stream that does not exist fails the sink with StreamNotFoundError from ListShards', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts, limits: true });
    const run = runWriter(
      ts,
      { stream: 'missing', client: fake, rateLimit: 100 },
      from(inputs(3, 10)),
    );
    expect(run.error).toBeInstanceOf(StreamNotFoundError);
    expect(fake.callsOf('PutRecordsCommand')).toHaveLength(0);
    expect(run.actionsLeft).toBe(0);
  });

  it('never-ending source, unsubscribed while records wait for room: nothing is sent after, no timer left', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts, limits: true });
    fake.createStream('out', 1);
    const run = runWriter(
      ts,
      { stream: 'out', client: fake, flushBuffer: { timeoutMs: 0 }, rateLimit: 10 },
      concat(from(inputs(500, 10)), NEVER),
      (subscription) => ts.schedule(() => subscription.unsubscribe(), 3_000),
    );
    expect(run.error).toBeUndefined();
    expect(run.actionsLeft).toBe(0);
    const puts = fake.callsOf('PutRecordsCommand');
    expect(puts.length).toBeGreaterThan(1);
    expect(puts.every((c) => c.at <= 3_000)).toBe(true);
    // 10 % of 1,000 records/s: about 300 records stored in 3 s, not 500 (the batch, and so its
    // acks, is not done: acks come per finished batch)
    const stored = fake.shardsOf('out').flatMap((s) => s.records).length;
    expect(stored).toBeLessThanOrEqual(300);
    expect(stored).toBeGreaterThan(200);
    expect(run.acks).toHaveLength(0);
  });
});
