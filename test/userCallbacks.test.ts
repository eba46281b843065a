import * as t from 'io-ts';
import { right } from 'fp-ts/lib/Either.js';
import { Observable } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordFormat } from '../src/format/RecordFormat.js';
import { decodeRecords } from '../src/format/decodeRecords.js';
import { jsonFormat } from '../src/format/jsonFormat.js';
import type { KinesisRecord } from '../src/record.js';
import type { SinkConfig } from '../src/sink/SinkConfig.js';
import type { SinkInput } from '../src/sink/SinkInput.js';
import { writeToKinesis } from '../src/sink/writeToKinesis.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';

// A user function that throws is the one error of the Observable (the thrown value itself, as
// in RxJS's `map`), the source is unsubscribed, nothing more is sent, and nothing is uncaught.

const boom = new Error('user callback broke');
const thrower = (): never => {
  throw boom;
};

// Anything the library lets escape: an uncaught exception (a plain observer's throw is
// reported from a timeout) or an unhandled rejection.
const escaped: unknown[] = [];
const onEscape = (error: unknown): void => {
  escaped.push(error);
};
beforeEach(() => {
  escaped.length = 0;
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
});
afterEach(() => {
  process.off('uncaughtException', onEscape);
  process.off('unhandledRejection', onEscape);
});
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 30));

/** An endless source of `values` (sent at once) that records its unsubscription. */
function endless<T>(values: readonly T[]): { source: Observable<T>; unsubscribed: () => boolean } {
  let unsubscribed = false;
  return {
    source: new Observable<T>((subscriber) => {
      for (const value of values) subscriber.next(value);
      return () => {
        unsubscribed = true;
      };
    }),
    unsubscribed: () => unsubscribed,
  };
}

describe('sink callbacks', () => {
  async function sinkWith(
    config: Partial<SinkConfig<SinkInput>>,
    values: SinkInput[] = [{ data: 'a' }, { data: 'b' }, { data: 'c' }],
  ): Promise<{ errors: unknown[]; puts: number; unsubscribed: boolean; escaped: unknown[] }> {
    const fake = new FakeKinesis();
    fake.createStream('out', 2);
    const { source, unsubscribed } = endless(values);
    const errors: unknown[] = [];
    source
      .pipe(
        writeToKinesis<SinkInput>({
          stream: 'out',
          client: fake,
          flushBuffer: { timeoutMs: 1 },
          ...config,
        }),
      )
      .subscribe({ error: (error: unknown) => errors.push(error) });
    await settle();
    return {
      errors,
      puts: fake.callsOf('PutRecordsCommand').length,
      unsubscribed: unsubscribed(),
      escaped: [...escaped],
    };
  }
  const failed = { errors: [boom], puts: 0, unsubscribed: true, escaped: [] };

  it('a custom partitioner that throws, called once for a synchronous source of three', async () => {
    let calls = 0;
    const partitioner = (): string => {
      calls += 1;
      throw boom;
    };
    expect(await sinkWith({ partitioner })).toEqual(failed);
    expect(calls).toBe(1);
  });
  it('the random partitioner with a `random` that throws', async () => {
    expect(await sinkWith({ partitioner: 'random', random: thrower })).toEqual(failed);
  });
  it('the fixed partitioner with a `random` that throws', async () => {
    // its key is drawn when the sink is subscribed, before the source is: nothing to unsubscribe
    expect(await sinkWith({ partitioner: 'fixed', random: thrower })).toEqual({
      ...failed,
      unsubscribed: false,
    });
  });
  it('the fields partitioner on a value whose field getter throws', async () => {
    const value = {
      data: 'a',
      get user(): string {
        throw boom;
      },
    };
    expect(await sinkWith({ partitionBy: ['user'] }, [value])).toEqual(failed);
  });
  it("with aggregation, a `random` that throws when drawing the aggregated record's key", async () => {
    let calls = 0;
    // three keys for the three records, then the key of the record that packs them
    const random = (): number => {
      calls += 1;
      if (calls > 3) throw boom;
      return 0.5;
    };
    expect(
      await sinkWith({ partitioner: 'random', random, aggregation: { timeoutMs: 1 } }),
    ).toEqual(failed);
    expect(calls).toBe(4);
  });
  it('an explicitHashKey function that throws', async () => {
    expect(await sinkWith({ explicitHashKey: thrower })).toEqual(failed);
  });
  it('an invalidRecords handler that throws', async () => {
    expect(await sinkWith({ invalidRecords: thrower }, [{ data: 'a', partitionKey: '' }])).toEqual(
      failed,
    );
  });
  it('a metrics recorder whose next throws', async () => {
    const result = await sinkWith({ metrics: { next: thrower } });
    // the first gauge is the first request going out: that request is the only one
    expect(result).toEqual({ ...failed, puts: result.puts });
    expect(result.puts).toBeLessThanOrEqual(1);
  });
  for (const [name, where] of [
    ['sink.requestsInFlight', 'in the finalizer of a request'],
    ['sink.recordsBuffered', 'in the observer of the acknowledgements'],
  ] as const) {
    it(`a metrics recorder that throws on ${name} 0, ${where}`, async () => {
      const next = (metric: { name: string; value: number }): void => {
        if (metric.name === name && metric.value === 0) throw boom;
      };
      expect(await sinkWith({ metrics: { next } })).toEqual({ ...failed, puts: 1 });
    });
  }
  it('the same sink without a throwing callback sends the records (the harness can pass)', async () => {
    expect(await sinkWith({})).toEqual({ errors: [], puts: 1, unsubscribed: false, escaped: [] });
  });
});

describe('decodeRecords callbacks', () => {
  const record = (text: string): KinesisRecord => ({
    stream: 's',
    shardId: 'shardId-000000000000',
    sequenceNumber: '1',
    partitionKey: 'k',
    data: new TextEncoder().encode(text),
    approximateArrivalTimestamp: new Date(0),
  });
  const Row = t.type({ n: t.number });
  async function decodeWith(
    format: RecordFormat,
    options: Parameters<typeof decodeRecords<{ n: number }, { n: number }>>[2],
    texts = ['{"n":1}', '{"n":2}'],
  ): Promise<{ errors: unknown[]; rows: number; unsubscribed: boolean; escaped: unknown[] }> {
    const { source, unsubscribed } = endless(texts.map(record));
    const errors: unknown[] = [];
    let rows = 0;
    source.pipe(decodeRecords(format, Row, options)).subscribe({
      next: () => (rows += 1),
      error: (error: unknown) => errors.push(error),
    });
    await settle();
    return { errors, rows, unsubscribed: unsubscribed(), escaped: [...escaped] };
  }
  const failed = { errors: [boom], rows: 0, unsubscribed: true, escaped: [] };

  it('a select that throws, called once for a synchronous source of two', async () => {
    let calls = 0;
    const select = (): never => {
      calls += 1;
      throw boom;
    };
    expect(await decodeWith(jsonFormat(), { select })).toEqual(failed);
    expect(calls).toBe(1);
  });
  it("a user format's decoder that throws", async () => {
    const throwingFormat: RecordFormat = {
      name: 'mine',
      bind: <A>() => ({ format: 'mine', decode: thrower, encode: (_: A) => new Uint8Array() }),
    };
    expect(await decodeWith(throwingFormat, {})).toEqual(failed);
  });
  it('a dead-letter observer whose next throws', async () => {
    expect(await decodeWith(jsonFormat(), { deadLetter: { next: thrower } }, ['nope'])).toEqual(
      failed,
    );
  });
  it('the same decoding without a throwing callback emits the rows (the harness can pass)', async () => {
    const fine: RecordFormat = {
      name: 'fine',
      bind: <A>() => ({
        format: 'fine',
        decode: () => right({ n: 1 } as A),
        encode: () => new Uint8Array(),
      }),
    };
    expect(await decodeWith(fine, {})).toEqual({
      errors: [],
      rows: 2,
      unsubscribed: false,
      escaped: [],
    });
  });
});
