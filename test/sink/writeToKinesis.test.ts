import { Observable, type Subscription, from, map, of, range, throwError, toArray } from 'rxjs';
import { lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { KinesisPort } from '../../src/client/KinesisPort.js';
import { InvalidRecordError } from '../../src/sink/InvalidRecordError.js';
import type { SinkAck, SinkInput } from '../../src/sink/SinkInput.js';
import { SinkAbortedError, toKinesis } from '../../src/sink/toKinesis.js';
import { writeToKinesis } from '../../src/sink/writeToKinesis.js';
import { type RawRecord, type UserRecord, deaggregate } from '../../src/source/deaggregate.js';
import { FakeKinesis } from '../../src/testing/FakeKinesis.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** A deterministic [0, 1) source (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fakeWith(...streams: string[]): FakeKinesis {
  const fake = new FakeKinesis();
  for (const s of streams) fake.createStream(s, 4);
  return fake;
}

/** Every user record stored in a stream (aggregated ones opened), per shard in order. */
function readBack(fake: FakeKinesis, stream: string): UserRecord[] {
  const out: UserRecord[] = [];
  for (const shard of fake.shardsOf(stream)) {
    for (const r of shard.records) {
      const raw: RawRecord = {
        sequenceNumber: r.sequenceNumber,
        partitionKey: r.partitionKey,
        data: r.data,
        ...(r.explicitHashKey !== undefined ? { explicitHashKey: r.explicitHashKey } : {}),
      };
      deaggregate(raw, (u) => out.push(u));
    }
  }
  return out;
}

const fast = { flushBuffer: { timeoutMs: 5 } };

describe('toKinesis with the in-memory fake', () => {
  it('delivers every record once, in batches of at most 500, and resolves done with a summary', async () => {
    const fake = fakeWith('out');
    const sink = toKinesis({ stream: 'out', client: fake, ...fast });
    range(0, 2000)
      .pipe(
        map((i) => (i % 2 === 0 ? { data: `r${i}` } : { data: new TextEncoder().encode(`r${i}`) })),
      )
      .subscribe(sink);
    const summary = await sink.done;
    expect(summary).toMatchObject({ records: 2000, requests: 4, retries: 0 });
    const stored = readBack(fake, 'out').map((r) => text(r.data));
    expect(new Set(stored).size).toBe(2000);
    expect(stored).toHaveLength(2000);
    expect(
      fake
        .callsOf('PutRecordsCommand')
        .every((c) => (c.input['Records'] as unknown[]).length <= 500),
    ).toBe(true);
  });

  it('acknowledges in input order, with the input value itself, across streams and partial failures', async () => {
    const fake = fakeWith('a', 'b');
    const random = seeded(7);
    fake.failPutRecordsEntries(() =>
      random() < 0.3 ? 'ProvisionedThroughputExceededException' : undefined,
    );
    const values = Array.from({ length: 1200 }, (_, i) => ({
      data: `v${i}`,
      partitionKey: `k${i % 13}`,
      ...(i % 3 === 0 ? { stream: 'b' } : {}),
    }));
    const writer = writeToKinesis<(typeof values)[number]>({
      stream: 'a',
      client: fake,
      random: seeded(1),
      retry: { base: 1, max: 5, maxRetries: 50 },
      batch: { maxSize: 100 },
      ...fast,
    });
    const acks = await lastValueFrom(from(values).pipe(writer, toArray()));
    expect(acks).toHaveLength(1200);
    acks.forEach((ack, i) => expect(ack.value).toBe(values[i]));
    expect(acks.every((a) => a.stream === (a.value.stream ?? 'a'))).toBe(true);
    expect(writer.summary.retries).toBeGreaterThan(0);
    const stored = [...readBack(fake, 'a'), ...readBack(fake, 'b')].map((r) => text(r.data));
    expect(stored.sort()).toEqual(values.map((v) => v.data).sort());
    expect(readBack(fake, 'b')).toHaveLength(400);
  });

  it('fails on a record over 1 MiB or a key over 256 characters, naming the field', async () => {
    for (const [bad, message] of [
      [
        { data: new Uint8Array(1024 * 1024), partitionKey: 'k' },
        'record.data: expected at most 1 MiB',
      ],
      [
        { data: 'x', partitionKey: 'k'.repeat(257) },
        'record.partitionKey: expected a partition key of 1 to 256 characters, got a string of 257 characters',
      ],
      [
        { data: 'x', partitionKey: '' },
        'record.partitionKey: expected a partition key of 1 to 256 characters, got ""',
      ],
      [{ data: 42 }, 'record.data: expected a Uint8Array or a string, got 42'],
      [
        { data: 'x', explicitHashKey: '2'.repeat(40) },
        'record.explicitHashKey: expected a decimal integer from 0 to 2^128-1',
      ],
      [{ data: 'x', stream: 7 }, 'record.stream: expected a non-empty stream name, got 7'],
    ] as const) {
      const fake = fakeWith('out');
      const sink = toKinesis<SinkInput>({ stream: 'out', client: fake, ...fast });
      from<SinkInput[]>([
        { data: 'before' },
        bad as unknown as SinkInput,
        { data: 'after' },
      ]).subscribe(sink);
      const error = await sink.done.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidRecordError);
      expect((error as Error).message).toContain(message);
      expect((error as InvalidRecordError).record).toBe(bad);
    }
  });

  it('a record exactly at 1 MiB with its key is accepted', async () => {
    const fake = fakeWith('out');
    const sink = toKinesis({ stream: 'out', client: fake, ...fast });
    of({ data: new Uint8Array(1024 * 1024 - 3), partitionKey: 'abc' }).subscribe(sink);
    await expect(sink.done).resolves.toMatchObject({ records: 1 });
  });

  it('hands invalid records to invalidRecords when asked, and loses nothing else', async () => {
    const fake = fakeWith('out');
    const rejected: InvalidRecordError[] = [];
    const sink = toKinesis<SinkInput>({
      stream: 'out',
      client: fake,
      invalidRecords: (e) => rejected.push(e),
      ...fast,
    });
    from<SinkInput[]>([
      { data: 'a' },
      { data: 'b', partitionKey: 'x'.repeat(300) },
      { data: 'c' },
    ]).subscribe(sink);
    expect(await sink.done).toMatchObject({ records: 2, rejected: 1 });
    expect(rejected.map((e) => e.path)).toEqual(['record.partitionKey']);
    expect(
      readBack(fake, 'out')
        .map((r) => text(r.data))
        .sort(),
    ).toEqual(['a', 'c']);
  });

  it('partitions by fields, fixed key, function and explicit hash key', async () => {
    const fake = fakeWith('f', 'x', 'fn', 'h');
    const rows = [
      { data: '1', user: 7, behavior: 'buy' },
      { data: '2', user: 8, behavior: 'pv' },
    ];
    const byFields = toKinesis<(typeof rows)[number]>({
      stream: 'f',
      client: fake,
      partitionBy: ['user', 'behavior'],
      partitionerFieldDelimiter: '#',
      ...fast,
    });
    from(rows).subscribe(byFields);
    const fixed = toKinesis({ stream: 'x', client: fake, partitioner: 'fixed', ...fast });
    from(rows).subscribe(fixed);
    const fn = toKinesis<(typeof rows)[number]>({
      stream: 'fn',
      client: fake,
      partitioner: (v) => `u-${v.user}`,
      ...fast,
    });
    from(rows).subscribe(fn);
    const hashed = toKinesis({ stream: 'h', client: fake, explicitHashKey: () => '0', ...fast });
    from(rows).subscribe(hashed);
    await Promise.all([byFields.done, fixed.done, fn.done, hashed.done]);
    expect(
      readBack(fake, 'f')
        .map((r) => r.partitionKey)
        .sort(),
    ).toEqual(['7#buy', '8#pv']);
    const fixedKeys = readBack(fake, 'x').map((r) => r.partitionKey);
    expect(fixedKeys[0]).toBe(fixedKeys[1]);
    expect(
      readBack(fake, 'fn')
        .map((r) => r.partitionKey)
        .sort(),
    ).toEqual(['u-7', 'u-8']);
    // explicit hash key 0 is the first shard's range
    expect(fake.shardsOf('h')[0]?.records).toHaveLength(2);
  });

  it('copies a record read from another stream to the sink stream, keeping its key', async () => {
    const fake = fakeWith('copy');
    const read = {
      stream: 'source',
      shardId: 'shardId-000000000000',
      sequenceNumber: '1',
      partitionKey: 'user-1',
      data: new TextEncoder().encode('payload'),
      approximateArrivalTimestamp: new Date(0),
    };
    const sink = toKinesis({ stream: 'copy', client: fake, ...fast });
    of(read).subscribe(sink);
    await sink.done;
    expect(readBack(fake, 'copy').map((r) => [r.partitionKey, text(r.data)])).toEqual([
      ['user-1', 'payload'],
    ]);
  });

  it('keeps per-key order under partial failures with ordering: per-key', async () => {
    const fake = fakeWith('out');
    const random = seeded(3);
    fake.failPutRecordsEntries(() =>
      random() < 0.3 ? 'ProvisionedThroughputExceededException' : undefined,
    );
    const values = Array.from({ length: 1000 }, (_, i) => ({
      data: String(i),
      partitionKey: `k${i % 10}`,
    }));
    const sink = toKinesis<(typeof values)[number]>({
      stream: 'out',
      client: fake,
      ordering: 'per-key',
      retry: { base: 1, max: 3, maxRetries: 100 },
      random: seeded(5),
      ...fast,
    });
    from(values).subscribe(sink);
    await sink.done;
    const perKey = new Map<string, number[]>();
    for (const r of readBack(fake, 'out')) {
      const list = perKey.get(r.partitionKey) ?? [];
      list.push(Number(text(r.data)));
      perKey.set(r.partitionKey, list);
    }
    expect(perKey.size).toBe(10);
    for (const list of perKey.values()) {
      expect(list).toHaveLength(100);
      expect(list).toEqual([...list].sort((a, b) => a - b));
    }
  });

  it('packs records into KPL aggregated records that de-aggregate to the same records', async () => {
    const fake = fakeWith('agg');
    const values = Array.from({ length: 3000 }, (_, i) => ({
      data: `event-${i}`,
      ...(i % 2 === 0 ? { partitionKey: `user-${i % 7}` } : {}),
    }));
    const writer = writeToKinesis<(typeof values)[number]>({
      stream: 'agg',
      client: fake,
      aggregation: { maxSize: 4096, timeoutMs: 5 },
      ...fast,
    });
    const acks = await lastValueFrom(from(values).pipe(writer, toArray()));
    acks.forEach((ack, i) => expect(ack.value).toBe(values[i]));
    expect(acks.some((a) => a.subSequenceNumber !== undefined)).toBe(true);
    const rawCount = fake.shardsOf('agg').reduce((n, s) => n + s.records.length, 0);
    expect(rawCount).toBeLessThan(200);
    const back = readBack(fake, 'agg');
    expect(back.map((r) => text(r.data)).sort()).toEqual(values.map((v) => v.data).sort());
    // records with their own key keep it; per key, order is kept
    const user3 = back
      .filter((r) => r.partitionKey === 'user-3')
      .map((r) => Number(text(r.data).slice(6)));
    expect(user3.length).toBeGreaterThan(0);
    expect(user3).toEqual([...user3].sort((a, b) => a - b));
    expect(fake.shardsOf('agg').every((s) => s.records.every((r) => r.data.length <= 4096))).toBe(
      true,
    );
  });

  it('rejects done with the source error', async () => {
    const sink = toKinesis({ stream: 'out', client: fakeWith('out'), ...fast });
    throwError(() => new Error('upstream broke')).subscribe(sink);
    await expect(sink.done).rejects.toThrow('upstream broke');
  });

  it('abort() stops at once and rejects done', async () => {
    const sink = toKinesis({ stream: 'out', client: fakeWith('out') });
    of({ data: 'x' }).subscribe({ next: (v) => sink.next(v) });
    sink.abort();
    await expect(sink.done).rejects.toBeInstanceOf(SinkAbortedError);
  });
});

describe('backpressure', () => {
  /** A port that answers each call after `delayMs` (a slow sink). */
  function slow(fake: FakeKinesis, delayMs: number): KinesisPort {
    return {
      send: ((command: object, options: object) =>
        new Promise((resolve, reject) => {
          setTimeout(() => {
            (fake.send as unknown as (c: object, o: object) => PromiseLike<unknown>)(
              command,
              options,
            ).then(resolve, reject);
          }, delayMs);
        })) as unknown as KinesisPort['send'],
    };
  }

  /** A fast source that honours `paused` like fromKinesis: no record while it says true. */
  function pausable(count: number, paused: Observable<boolean>): Observable<SinkInput> {
    return new Observable<SinkInput>((subscriber) => {
      let isPaused = false;
      let sent = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const pump = (): void => {
        timer = undefined;
        // a burst of up to 50 records per tick, checking the signal before each
        for (let i = 0; i < 50 && !isPaused && sent < count; i++) {
          subscriber.next({ data: `r${sent}` });
          sent += 1;
        }
        if (sent >= count) subscriber.complete();
        else if (!isPaused) timer = setTimeout(pump, 0);
      };
      const sub: Subscription = paused.subscribe((p) => {
        isPaused = p;
        if (!p && timer === undefined && sent < count) timer = setTimeout(pump, 0);
      });
      return () => {
        sub.unsubscribe();
        if (timer !== undefined) clearTimeout(timer);
      };
    });
  }

  it('never holds more than maxBuffered records when the source honours paused$', async () => {
    const fake = fakeWith('out');
    const writer = writeToKinesis({
      stream: 'out',
      client: slow(fake, 20),
      requests: { maxInflight: 2, maxBuffered: 300 },
      batch: { maxSize: 100 },
      ...fast,
    });
    let accepted = 0;
    let acked = 0;
    let peak = 0;
    let pauses = 0;
    writer.paused$.subscribe((p) => (pauses += p ? 1 : 0));
    const counted = pausable(3000, writer.paused$).pipe(
      map((v) => {
        accepted += 1;
        peak = Math.max(peak, accepted - acked);
        return v;
      }),
    );
    const acks: SinkAck<SinkInput>[] = [];
    await new Promise<void>((resolve, reject) =>
      counted.pipe(writer).subscribe({
        next: (a) => {
          acked += 1;
          acks.push(a);
        },
        error: reject,
        complete: resolve,
      }),
    );
    expect(acks).toHaveLength(3000);
    expect(pauses).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(300);
    expect(readBack(fake, 'out')).toHaveLength(3000);
  });
});
