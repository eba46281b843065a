import {
  EMPTY,
  Observable,
  Subject,
  type Subscription,
  filter,
  from,
  retry,
  takeUntil,
  throwError,
} from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { KinesisPort } from '../src/client/KinesisPort.js';
import { utf8Length } from '../src/kpl/utf8Length.js';
import { batchRecords } from '../src/sink/batchRecords.js';
import { InvalidRecordError } from '../src/sink/InvalidRecordError.js';
import { PutRecordsError } from '../src/sink/PutRecordsError.js';
import type { SinkConfig } from '../src/sink/SinkConfig.js';
import type { SinkAck, SinkInput } from '../src/sink/SinkInput.js';
import { writeToKinesis } from '../src/sink/writeToKinesis.js';
import { type UserRecord, deaggregate } from '../src/source/deaggregate.js';
import { FakeKinesis, kinesisError } from '../src/testing/FakeKinesis.js';

const MIB = 1024 * 1024;
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

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

interface PutCall {
  readonly at: number;
  readonly stream: string;
  readonly records: ReadonlyArray<{ PartitionKey: string; Data: Uint8Array }>;
}

const putCalls = (fake: FakeKinesis): PutCall[] =>
  fake.callsOf('PutRecordsCommand').map((c) => ({
    at: c.at,
    stream: c.input['StreamName'] as string,
    records: c.input['Records'] as PutCall['records'],
  }));

/** Every user record stored in a stream (aggregated ones opened), per shard in order. */
function readBack(fake: FakeKinesis, stream: string): UserRecord[] {
  const out: UserRecord[] = [];
  for (const shard of fake.shardsOf(stream)) {
    for (const r of shard.records) {
      deaggregate(
        {
          sequenceNumber: r.sequenceNumber,
          partitionKey: r.partitionKey,
          data: r.data,
          ...(r.explicitHashKey !== undefined ? { explicitHashKey: r.explicitHashKey } : {}),
        },
        (u) => out.push(u),
      );
    }
  }
  return out;
}

/** What a run of the writer produced, in virtual time. */
interface Run<T> {
  acks: Array<SinkAck<T>>;
  completedAt: number | undefined;
  error: unknown;
}

/**
 * Runs `source.pipe(writeToKinesis(config))` under `TestScheduler.run` and
 * flushes; `during` may act on the writer and subscription in virtual time.
 */
function runWriter<T extends SinkInput>(
  ts: TestScheduler,
  config: SinkConfig<T>,
  source: Observable<T>,
  during?: (subscription: Subscription, writer: ReturnType<typeof writeToKinesis<T>>) => void,
): Run<T> {
  const run: Run<T> = { acks: [], completedAt: undefined, error: undefined };
  ts.run(({ flush }) => {
    const writer = writeToKinesis(config, ts);
    const subscription = source.pipe(writer).subscribe({
      next: (ack) => run.acks.push(ack),
      error: (error: unknown) => (run.error = error),
      complete: () => (run.completedAt = ts.now()),
    });
    during?.(subscription, writer);
    flush();
  });
  return run;
}

/**
 * A port in front of the fake whose answers come `frames` later in virtual
 * time; counts requests in flight (peak) and aborted ones.
 */
function delayed(
  fake: FakeKinesis,
  ts: TestScheduler,
  frames: number,
): KinesisPort & { inFlight: number; peak: number; aborted: number } {
  const port = {
    inFlight: 0,
    peak: 0,
    aborted: 0,
    send: ((command: object, options: { abortSignal?: AbortSignal }) => {
      port.inFlight += 1;
      port.peak = Math.max(port.peak, port.inFlight);
      return {
        then: (ok: (v: unknown) => void, bad: (e: unknown) => void) => {
          const action = ts.schedule(() => {
            port.inFlight -= 1;
            (fake.send as unknown as (c: object) => PromiseLike<unknown>)(command).then(ok, bad);
          }, frames);
          options.abortSignal?.addEventListener('abort', () => {
            action.unsubscribe();
            port.inFlight -= 1;
            port.aborted += 1;
          });
        },
      };
    }) as unknown as KinesisPort['send'],
  };
  return port;
}

/**
 * A source that honours a pause signal like `fromKinesis({ paused })`: one
 * value per frame while it says false, from the first frame on. Paused for
 * 1000 frames in a row, it fails with 'stalled' (virtual time would
 * otherwise run forever).
 */
function pausable<T>(
  ts: TestScheduler,
  items: readonly T[],
  paused: Observable<boolean>,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    let isPaused = false;
    let sent = 0;
    let idle = 0;
    const pause = paused.subscribe((p) => (isPaused = p));
    const tick = ts.schedule(function (this: {
      schedule(state?: undefined, delay?: number): void;
    }) {
      if (isPaused) idle += 1;
      else {
        idle = 0;
        subscriber.next(items[sent++] as T);
      }
      if (sent >= items.length) subscriber.complete();
      else if (idle >= 1000) subscriber.error(new Error('stalled'));
      else this.schedule(undefined, 1);
    }, 1);
    return () => {
      pause.unsubscribe();
      tick.unsubscribe();
    };
  });
}

const values = (n: number, key: (i: number) => string | undefined = () => undefined): SinkInput[] =>
  Array.from({ length: n }, (_, i) => {
    const k = key(i);
    return k === undefined ? { data: `r${i}` } : { data: `r${i}`, partitionKey: k };
  });

describe('sink batch limits at the edges', () => {
  it('500 records go in one request, the 501st in the next', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('out', 2);
    const run = runWriter(ts, { stream: 'out', client: fake }, from(values(1001)));
    expect(putCalls(fake).map((c) => c.records.length)).toEqual([500, 500, 1]);
    expect(run.acks).toHaveLength(1001);
  });

  it('counts partition keys in UTF-8 bytes towards 5 MiB; 1 MiB with a multi-byte key is accepted, one byte more is not', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('out', 2);
    const key = 'ключ'; // 4 characters, 8 bytes
    // each record is 1 MiB exactly in data + UTF-8 key: five fill a request, the sixth starts the next
    const big = Array.from({ length: 6 }, () => ({
      data: new Uint8Array(MIB - 8),
      partitionKey: key,
    }));
    const run = runWriter(ts, { stream: 'out', client: fake }, from(big));
    expect(run.error).toBeUndefined();
    const calls = putCalls(fake);
    expect(calls.map((c) => c.records.length)).toEqual([5, 1]);
    for (const c of calls) {
      const bytes = c.records.reduce((n, r) => n + r.Data.length + utf8Length(r.PartitionKey), 0);
      expect(bytes).toBeLessThanOrEqual(5 * MIB);
    }

    const ts2 = testScheduler();
    const fake2 = new FakeKinesis({ scheduler: ts2 });
    fake2.createStream('out', 1);
    const over = runWriter(
      ts2,
      { stream: 'out', client: fake2 },
      from([{ data: new Uint8Array(MIB - 7), partitionKey: key }]),
    );
    expect(over.error).toBeInstanceOf(InvalidRecordError);
    expect((over.error as InvalidRecordError).path).toBe('record.data');
    expect(fake2.callsOf('PutRecordsCommand')).toHaveLength(0);
  });

  it('accepts a key of 256 characters (even multi-byte) and empty data, refuses 257 characters', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('out', 1);
    const ok = runWriter(
      ts,
      { stream: 'out', client: fake },
      from([
        { data: '', partitionKey: 'k'.repeat(256) },
        { data: new Uint8Array(0), partitionKey: 'é'.repeat(256) },
      ]),
    );
    expect(ok.error).toBeUndefined();
    expect(ok.acks).toHaveLength(2);
    expect(readBack(fake, 'out').map((r) => r.data.length)).toEqual([0, 0]);

    const ts2 = testScheduler();
    const bad = runWriter(
      ts2,
      { stream: 'out', client: fake },
      from([{ data: 'x', partitionKey: 'k'.repeat(257) }]),
    );
    expect((bad.error as InvalidRecordError).path).toBe('record.partitionKey');
  });

  it('routes values to two streams in separate batches', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('a', 1);
    fake.createStream('b', 1);
    const input = Array.from({ length: 10 }, (_, i) => ({
      data: `r${i}`,
      ...(i % 2 === 1 ? { stream: 'b' } : {}),
    }));
    const run = runWriter(ts, { stream: 'a', client: fake }, from(input));
    expect(
      putCalls(fake).map((c) => [c.stream, c.records.map((r) => text(r.Data)).join(',')]),
    ).toEqual([
      ['a', 'r0,r2,r4,r6,r8'],
      ['b', 'r1,r3,r5,r7,r9'],
    ]);
    expect(run.acks.map((a) => a.stream).join('')).toBe('ababababab');
  });
});

describe('sink partial failures', () => {
  it('retries entries that fail 3 times, then acknowledges each record once, in order', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('out', 2);
    const failures = new Map<string, number>();
    fake.failPutRecordsEntries((entry) => {
      const seen = failures.get(text(entry.Data)) ?? 0;
      failures.set(text(entry.Data), seen + 1);
      return seen < 3 ? 'InternalFailure' : undefined;
    });
    const input = values(20);
    const run = runWriter(
      ts,
      { stream: 'out', client: fake, batch: { maxSize: 7 }, random: () => 0.5 },
      from(input),
    );
    expect(run.error).toBeUndefined();
    expect(run.acks.map((a) => a.value)).toEqual(input);
    expect(fake.callsOf('PutRecordsCommand')).toHaveLength(3 * 4);
    expect(readBack(fake, 'out')).toHaveLength(20);
  });

  it('after the retry limit, fails with PutRecordsError naming the failed keys; acks only stored records, once', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('out', 2);
    fake.failPutRecordsEntries((entry) =>
      entry.PartitionKey === 'bad' ? 'ProvisionedThroughputExceededException' : undefined,
    );
    const input = values(6, (i) => (i === 4 ? 'bad' : `k${i}`));
    const run = runWriter(
      ts,
      {
        stream: 'out',
        client: fake,
        batch: { maxSize: 3 },
        requests: { maxInflight: 1 },
        retry: { base: 10, max: 10, maxRetries: 2 },
      },
      from(input),
    );
    expect(run.error).toBeInstanceOf(PutRecordsError);
    const error = run.error as PutRecordsError;
    expect(error.attempts).toBe(3);
    expect(error.failures.map((f) => [f.partitionKey, f.errorCode])).toEqual([
      ['bad', 'ProvisionedThroughputExceededException'],
    ]);
    // the first batch was stored and acknowledged; nothing of the failed batch is
    expect(run.acks.map((a) => a.value)).toEqual(input.slice(0, 3));
  });

  it('fails at once on the first failed entry with failOnError', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('out', 1);
    fake.failPutRecordsEntries((_e, index) => (index === 1 ? 'InternalFailure' : undefined));
    const run = runWriter(
      ts,
      { stream: 'out', client: fake, failOnError: true },
      from(values(3, (i) => `k${i}`)),
    );
    expect(run.error).toBeInstanceOf(PutRecordsError);
    expect(fake.callsOf('PutRecordsCommand')).toHaveLength(1);
    expect(run.acks).toEqual([]);
  });

  it('retries a whole throttled call', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('out', 1);
    fake.failNext(
      'PutRecordsCommand',
      kinesisError('ProvisionedThroughputExceededException', 'slow down', 400),
      2,
    );
    const run = runWriter(ts, { stream: 'out', client: fake }, from(values(5)));
    expect(run.error).toBeUndefined();
    expect(run.acks).toHaveLength(5);
    expect(fake.callsOf('PutRecordsCommand').map((c) => (c.input['Records'] as []).length)).toEqual(
      [5, 5, 5],
    );
  });

  it('retries KMS throttling of a call but fails at once on KMS access denied, naming the call', () => {
    for (const [code, calls, fails] of [
      ['KMSThrottlingException', 2, false],
      ['KMSAccessDeniedException', 1, true],
    ] as const) {
      const ts = testScheduler();
      const fake = new FakeKinesis({ scheduler: ts });
      fake.createStream('out', 1);
      fake.failNext('PutRecordsCommand', kinesisError(code, code, 400));
      const run = runWriter(ts, { stream: 'out', client: fake }, from(values(2)));
      expect(fake.callsOf('PutRecordsCommand')).toHaveLength(calls);
      expect(run.error !== undefined).toBe(fails);
      if (fails) expect((run.error as Error).name).toBe('KinesisCallError');
      else expect(run.acks).toHaveLength(2);
    }
  });

  it('keeps per-key order with ordering per-key, 30 % failures, 200 keys and maxInflight 4', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('out', 4);
    const random = seeded(11);
    fake.failPutRecordsEntries(() =>
      random() < 0.3 ? 'ProvisionedThroughputExceededException' : undefined,
    );
    const port = delayed(fake, ts, 3);
    const input = values(3000, (i) => `k${(i * 7) % 200}`);
    const run = runWriter(
      ts,
      {
        stream: 'out',
        client: port,
        ordering: 'per-key',
        requests: { maxInflight: 4 },
        flushBuffer: { timeoutMs: 2 },
        retry: { base: 4, max: 20, maxRetries: 100 },
        random: seeded(5),
      },
      from(input),
    );
    expect(run.error).toBeUndefined();
    expect(run.acks.map((a) => a.value)).toEqual(input);
    expect(port.peak).toBeLessThanOrEqual(4);
    const perKey = new Map<string, number[]>();
    for (const r of readBack(fake, 'out')) {
      const list = perKey.get(r.partitionKey) ?? [];
      list.push(Number(text(r.data).slice(1)));
      perKey.set(r.partitionKey, list);
    }
    expect(perKey.size).toBe(200);
    for (const list of perKey.values()) {
      expect(list).toHaveLength(15);
      expect(list).toEqual([...list].sort((a, b) => a - b));
    }
  });
});

describe('sink in-flight bound', () => {
  it('never has more than maxInflight requests in flight, across two streams, with or without per-key ordering', () => {
    for (const ordering of ['none', 'per-key'] as const) {
      const ts = testScheduler();
      const fake = new FakeKinesis({ scheduler: ts });
      fake.createStream('a', 2);
      fake.createStream('b', 2);
      const port = delayed(fake, ts, 5);
      const input = Array.from({ length: 400 }, (_, i) => ({
        data: `r${i}`,
        partitionKey: `k${i % 40}`,
        stream: i % 2 === 0 ? 'a' : 'b',
      }));
      const run = runWriter(
        ts,
        {
          stream: 'a',
          client: port,
          ordering,
          requests: { maxInflight: 2 },
          batch: { maxSize: 10 },
          flushBuffer: { timeoutMs: 1 },
        },
        from(input),
      );
      expect(run.error).toBeUndefined();
      expect(run.acks).toHaveLength(400);
      expect(port.peak).toBe(2);
    }
  });

  it('loses nothing when the source emits and completes at once on the pause signal (a synchronous port)', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('out', 1);
    const input = values(20, () => 'k');
    let completedAt: number | undefined;
    const acks: Array<SinkAck<SinkInput>> = [];
    ts.run(({ flush }) => {
      const writer = writeToKinesis<SinkInput>(
        {
          stream: 'out',
          client: fake,
          ordering: 'per-key',
          requests: { maxBuffered: 2 },
          flushBuffer: { timeoutMs: 10 },
        },
        ts,
      );
      // emits synchronously whenever the sink says it has room, like a source reading from a
      // synchronous fake: an acknowledgement can therefore bring the next record in at once
      const source = new Observable<SinkInput>((subscriber) => {
        let sent = 0;
        let isPaused = false;
        const pause = writer.paused$.subscribe((p) => {
          isPaused = p;
          while (!isPaused && sent < input.length) subscriber.next(input[sent++] as SinkInput);
          if (sent >= input.length) subscriber.complete();
        });
        return () => pause.unsubscribe();
      });
      source.pipe(writer).subscribe({
        next: (a) => acks.push(a),
        complete: () => (completedAt = ts.now()),
      });
      flush();
    });
    expect(completedAt).toBeDefined();
    expect(acks.map((a) => a.value)).toEqual(input);
    expect(readBack(fake, 'out').map((r) => text(r.data))).toEqual(input.map((v) => v.data));
  });
});

describe('batchRecords re-entered from downstream', () => {
  it('adds an item that arrives while a batch is being emitted after the current one, losing none', () => {
    const ts = testScheduler();
    const batches: string[][] = [];
    let completedAt: number | undefined;
    ts.run(({ flush }) => {
      const input = new Subject<{ id: string; size: number }>();
      input
        .pipe(
          batchRecords({ maxRecords: 10, maxBytes: 100, timeoutMs: 50, sizeOf: (i) => i.size }, ts),
        )
        .subscribe({
          next: (batch) => {
            batches.push(batch.items.map((i) => i.id));
            // what runs downstream (a synchronous ack letting the source go on) brings in c
            if (batches.length === 1) input.next({ id: 'c', size: 1 });
          },
          complete: () => (completedAt = ts.now()),
        });
      input.next({ id: 'a', size: 60 });
      input.next({ id: 'b', size: 60 }); // does not fit: closes [a], which brings c
      ts.schedule(() => input.complete(), 10);
      flush();
    });
    expect(batches).toEqual([['a'], ['b', 'c']]);
    expect(completedAt).toBe(10);
  });

  it('lets a completion that arrives while an item is being added wait for it', () => {
    const ts = testScheduler();
    const batches: string[][] = [];
    ts.run(({ flush }) => {
      const input = new Subject<{ id: string; size: number }>();
      input
        .pipe(
          batchRecords({ maxRecords: 10, maxBytes: 100, timeoutMs: 50, sizeOf: (i) => i.size }, ts),
        )
        .subscribe((batch) => {
          batches.push(batch.items.map((i) => i.id));
          if (batches.length === 1) {
            input.next({ id: 'c', size: 1 });
            input.complete();
          }
        });
      input.next({ id: 'a', size: 60 });
      input.next({ id: 'b', size: 60 });
      flush();
    });
    expect(batches).toEqual([['a'], ['b', 'c']]);
  });
});

describe('sink backpressure and teardown', () => {
  it('paused$ goes true at maxBuffered and false once acknowledged', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('out', 1);
    const port = delayed(fake, ts, 10);
    const seen: Array<[number, boolean]> = [];
    runWriter(
      ts,
      {
        stream: 'out',
        client: port,
        requests: { maxBuffered: 3 },
        flushBuffer: { timeoutMs: 5 },
      },
      new Observable<SinkInput>((s) => {
        ts.schedule(() => {
          for (const v of values(3)) s.next(v);
          s.complete();
        }, 1);
      }),
      (_s, writer) => {
        writer.paused$.subscribe((p) => seen.push([ts.now(), p]));
      },
    );
    // full at 1; the batch closes on completion at 1 and is answered at 11
    expect(seen).toEqual([
      [0, false],
      [1, true],
      [11, false],
    ]);
  });

  it('hands a record on before saying it is full: a source that stops on the signal loses nothing', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('out', 1);
    const port = delayed(fake, ts, 5);
    const acks: Array<SinkAck<SinkInput>> = [];
    let completedAt: number | undefined;
    ts.run(({ flush }) => {
      const writer = writeToKinesis<SinkInput>(
        {
          stream: 'out',
          client: port,
          requests: { maxBuffered: 3 },
          flushBuffer: { timeoutMs: 10 },
        },
        ts,
      );
      // copy until the sink is full: takeUntil passes r2 on, then completes when r2 fills the sink
      from(values(10))
        .pipe(takeUntil(writer.paused$.pipe(filter(Boolean))), writer)
        .subscribe({ next: (a) => acks.push(a), complete: () => (completedAt = ts.now()) });
      flush();
    });
    expect(acks.map((a) => a.value.data)).toEqual(['r0', 'r1', 'r2']);
    expect(readBack(fake, 'out')).toHaveLength(3);
    expect(completedAt).toBe(5);
  });

  it('paused$ is false again once the writer is torn down while full, so a retried pipeline does not stall', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('out', 1);
    // the first request fails for good: the pipeline errors while the sink is full, and is retried
    fake.failNext('PutRecordsCommand', kinesisError('AccessDeniedException', 'not yet', 400));
    let writer: ReturnType<typeof writeToKinesis<SinkInput>> | undefined;
    const acks: Array<SinkAck<SinkInput>> = [];
    let completedAt: number | undefined;
    const seen: boolean[] = [];
    let error: unknown;
    ts.run(({ flush }) => {
      const w = writeToKinesis<SinkInput>(
        {
          stream: 'out',
          client: fake,
          requests: { maxBuffered: 3 },
          batch: { maxSize: 3 },
        },
        ts,
      );
      writer = w;
      w.paused$.subscribe((p) => seen.push(p));
      pausable(ts, values(6), w.paused$)
        .pipe(w, retry(1))
        .subscribe({
          next: (a) => acks.push(a),
          error: (e: unknown) => (error = e),
          complete: () => (completedAt = ts.now()),
        });
      flush();
    });
    expect(writer).toBeDefined();
    expect(error).toBeUndefined();
    expect(acks.map((a) => a.value.data)).toEqual(values(6).map((v) => v.data));
    expect(completedAt).toBeDefined();
    expect(seen.at(-1)).toBe(false);
  });

  it('unsubscribing mid-flight aborts the request and leaves no timer behind', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('out', 1);
    const port = delayed(fake, ts, 50);
    const never = new Observable<SinkInput>((s) => {
      for (const v of values(7)) s.next(v);
    });
    let frameAfter = 0;
    runWriter(
      ts,
      { stream: 'out', client: port, batch: { maxSize: 5 }, flushBuffer: { timeoutMs: 100 } },
      never,
      (subscription) => {
        ts.schedule(() => subscription.unsubscribe(), 20);
        ts.schedule(() => (frameAfter = ts.actions.length), 21);
      },
    );
    expect(port.aborted).toBe(1);
    expect(port.inFlight).toBe(0);
    expect(frameAfter).toBe(0);
    expect(fake.callsOf('PutRecordsCommand')).toHaveLength(0);
  });
});

describe('sink completion', () => {
  it('a source completing with a request in flight and a flush timer pending flushes and acks everything first', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('out', 1);
    const port = delayed(fake, ts, 30);
    const input = values(7);
    const source = new Observable<SinkInput>((s) => {
      for (const v of input.slice(0, 5)) s.next(v); // a full batch: in flight until 30
      ts.schedule(() => s.next(input[5] as SinkInput), 5); // opens a batch with a 100 ms timer
      ts.schedule(() => {
        s.next(input[6] as SinkInput);
        s.complete();
      }, 10);
    });
    const run = runWriter(
      ts,
      { stream: 'out', client: port, batch: { maxSize: 5 }, flushBuffer: { timeoutMs: 100 } },
      source,
    );
    expect(run.acks.map((a) => a.value)).toEqual(input);
    expect(run.completedAt).toBe(40);
  });

  it('a source error while a request is in flight fails at once and aborts the request', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('out', 1);
    const port = delayed(fake, ts, 50);
    const source = new Observable<SinkInput>((s) => {
      for (const v of values(5)) s.next(v);
      ts.schedule(() => s.error(new Error('upstream broke')), 10);
    });
    const run = runWriter(ts, { stream: 'out', client: port, batch: { maxSize: 5 } }, source);
    expect((run.error as Error).message).toBe('upstream broke');
    expect(port.aborted).toBe(1);
    expect(run.acks).toEqual([]);
  });

  it('an empty source completes at once with no request; an error is passed on', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    const empty = runWriter(ts, { stream: 'out', client: fake }, EMPTY);
    expect(empty.completedAt).toBe(0);
    expect(fake.calls).toEqual([]);
    const failed = runWriter(
      testScheduler(),
      { stream: 'out', client: fake },
      throwError(() => new Error('boom')),
    );
    expect((failed.error as Error).message).toBe('boom');
  });
});

describe('sink aggregation', () => {
  it('keeps sub-records of one key in order and never makes a record over maxSize; big ones go plain', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('agg', 2);
    const input: SinkInput[] = Array.from({ length: 400 }, (_, i) => ({
      data: i % 50 === 0 ? new Uint8Array(3000).fill(i % 256) : `e${i}`,
      partitionKey: `k${i % 3}`,
    }));
    const run = runWriter(
      ts,
      { stream: 'agg', client: fake, aggregation: { maxSize: 2048, timeoutMs: 5 } },
      from(input),
    );
    expect(run.error).toBeUndefined();
    expect(run.acks.map((a) => a.value)).toEqual(input);
    const raw = fake.shardsOf('agg').flatMap((s) => s.records);
    expect(raw.every((r) => r.data.length <= 2048 || r.data.length === 3000)).toBe(true);
    expect(raw.filter((r) => r.data.length === 3000)).toHaveLength(8);
    const back = readBack(fake, 'agg');
    for (const k of ['k0', 'k1', 'k2']) {
      const mine = input.filter((v) => v.partitionKey === k);
      expect(back.filter((r) => r.partitionKey === k).map((r) => r.data)).toEqual(
        mine.map((v) => (typeof v.data === 'string' ? new TextEncoder().encode(v.data) : v.data)),
      );
    }
  });

  it('acknowledges each user record with the sequence and sub-sequence number where it is stored', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('agg', 2);
    const input = values(300, (i) => (i % 3 === 0 ? undefined : `k${i % 5}`));
    const run = runWriter(
      ts,
      { stream: 'agg', client: fake, aggregation: { maxSize: 1024, timeoutMs: 5 } },
      from(input),
    );
    expect(run.acks.map((a) => a.value)).toEqual(input);
    const stored = new Map<string, UserRecord[]>();
    for (const shard of fake.shardsOf('agg')) {
      for (const r of shard.records)
        stored.set(`${shard.shardId}/${r.sequenceNumber}`, readBackOne(r));
    }
    for (const ack of run.acks) {
      const subs = stored.get(`${ack.shardId}/${ack.sequenceNumber}`) ?? [];
      const sub = subs[ack.subSequenceNumber ?? 0];
      expect(ack.subSequenceNumber === undefined).toBe(
        subs.length === 1 && sub?.subSequenceNumber === undefined,
      );
      expect(text(sub?.data ?? new Uint8Array())).toBe(ack.value.data);
      if (ack.value.partitionKey !== undefined)
        expect(sub?.partitionKey).toBe(ack.value.partitionKey);
    }
  });

  it('keeps explicit hash keys through aggregation when the partition key is random', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('agg', 4);
    const lastShardStart = fake.shardsOf('agg')[3]?.startingHashKey.toString() ?? '';
    const input: SinkInput[] = Array.from({ length: 40 }, (_, i) => ({
      data: `e${i}`,
      explicitHashKey: i % 2 === 0 ? '0' : lastShardStart,
    }));
    const run = runWriter(
      ts,
      { stream: 'agg', client: fake, aggregation: { timeoutMs: 5 }, random: seeded(2) },
      from(input),
    );
    expect(run.error).toBeUndefined();
    const shards = fake.shardsOf('agg');
    const first = shards[0]?.records.flatMap((r) => readBackOne(r)) ?? [];
    const last = shards[3]?.records.flatMap((r) => readBackOne(r)) ?? [];
    expect(first.map((r) => text(r.data))).toEqual(
      input.filter((_, i) => i % 2 === 0).map((v) => v.data),
    );
    expect(last.map((r) => text(r.data))).toEqual(
      input.filter((_, i) => i % 2 === 1).map((v) => v.data),
    );
    expect(first.every((r) => r.explicitHashKey === '0')).toBe(true);
    expect(last.every((r) => r.explicitHashKey === lastShardStart)).toBe(true);
  });
});

function readBackOne(r: {
  sequenceNumber: string;
  partitionKey: string;
  data: Uint8Array;
  explicitHashKey?: string;
}): UserRecord[] {
  const out: UserRecord[] = [];
  deaggregate(r, (u) => out.push(u));
  return out;
}
