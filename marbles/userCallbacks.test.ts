import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { retryWithBackoff } from '../src/client/retryWithBackoff.js';
import { kinesisError, FakeKinesis } from '../src/testing/FakeKinesis.js';
import type { Metric } from '../src/metrics/Metric.js';
import { logMetrics } from '../src/metrics/logMetrics.js';
import type { KinesisRecord } from '../src/record.js';
import { batchRecords } from '../src/sink/batchRecords.js';
import { putRecordsWithRetry } from '../src/sink/putRecordsWithRetry.js';
import type { DiscoveredShard } from '../src/source/DiscoveredShard.js';
import { discoverShards } from '../src/source/discoverShards.js';
import { fromKinesis } from '../src/source/fromKinesis.js';
import { orderShards } from '../src/source/orderShards.js';
import type { SourceConfig } from '../src/source/SourceConfig.js';
import { pollShard } from '../src/source/pollShard.js';
import { shardRecordPrototype } from '../src/source/shardContext.js';
import type { TimedEvent } from '../src/time/Watermark.js';
import { alignWatermarks } from '../src/time/alignWatermarks.js';
import { watermarks } from '../src/time/watermarks.js';

// Each user callback that throws: the thrown value is the one error of the Observable (as
// in RxJS's `map`), the source is unsubscribed at that frame, timers stop, nothing is uncaught.

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const boom = new Error('user callback broke');
const thrower = (): never => {
  throw boom;
};
/** A callback that throws on its `nth` call (1-based) and counts its calls. */
function throwingOn<A extends unknown[], R>(
  nth: number,
  ok: (...args: A) => R,
): { fn: (...args: A) => R; calls: () => number } {
  let calls = 0;
  return {
    fn: (...args: A): R => {
      calls += 1;
      if (calls === nth) throw boom;
      return ok(...args);
    },
    calls: () => calls,
  };
}

const rec = (shardId: string, ts: number): KinesisRecord => ({
  stream: 's',
  shardId,
  sequenceNumber: String(ts),
  partitionKey: 'k',
  data: new TextEncoder().encode('not json'),
  approximateArrivalTimestamp: new Date(ts),
});

const shard = (shardId: string, ...parentShardIds: string[]): DiscoveredShard => ({
  stream: 's',
  shardId,
  parentShardIds,
  hashKeyRange: { startingHashKey: '0', endingHashKey: '1' },
});

describe('watermarks: timestampOf', () => {
  it('a throwing timestampOf is the one error; the source and the ticker stop', () => {
    const timestampOf = throwingOn(2, (r: KinesisRecord) =>
      r.approximateArrivalTimestamp.getTime(),
    );
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold<TimedEvent>('a-b-c', { a: rec('x', 1), b: rec('x', 2), c: rec('x', 3) });
      const out = src.pipe(
        watermarks({ timestampOf: timestampOf.fn, idleIntervalMs: 'off', emitIntervalMs: 1 }),
      );
      // a never-ending source: no watermark after the error means the ticker is gone
      expectObservable(out).toBe(
        'ab#',
        { a: rec('x', 1), b: { type: 'watermark', timestamp: 1 } },
        boom,
      );
      expectSubscriptions(src.subscriptions).toBe('^-!');
    });
    expect(timestampOf.calls()).toBe(2);
  });

  it('JSON.parse throwing on the first record of a synchronous source: one error, no second call', () => {
    let calls = 0;
    testScheduler().run(({ cold, expectObservable }) => {
      const src = cold<TimedEvent>('(abc|)', { a: rec('x', 1), b: rec('x', 2), c: rec('x', 3) });
      const out = src.pipe(
        watermarks({
          timestampOf: (r) => {
            calls += 1;
            return (JSON.parse(new TextDecoder().decode(r.data)) as { ts: number }).ts;
          },
        }),
      );
      expectObservable(out).toBe('#', undefined, expect.any(SyntaxError));
    });
    // the rest of the synchronous source is not handed to the broken extractor again
    expect(calls).toBe(1);
  });
});

describe('batchRecords: sizeOf, keyOf, distinctOf', () => {
  const base = { maxRecords: 10, maxBytes: 100, timeoutMs: 5 };
  for (const which of ['sizeOf', 'keyOf', 'distinctOf'] as const) {
    it(`a throwing ${which} is the one error; the open batch's timer and the source stop`, () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const src = cold<string>('a-b---c', { a: 'a', b: 'b', c: 'c' });
        const cb = throwingOn(2, (item: string) => (which === 'sizeOf' ? 1 : item));
        const out = src.pipe(
          batchRecords<string>({
            ...base,
            sizeOf: which === 'sizeOf' ? (cb.fn as (s: string) => number) : () => 1,
            ...(which === 'keyOf' ? { keyOf: cb.fn as (s: string) => string } : {}),
            ...(which === 'distinctOf' ? { distinctOf: cb.fn as (s: string) => string } : {}),
          }),
        );
        // without the error, the batch [a] would be flushed by its timer at frame 5
        expectObservable(out).toBe('--#', undefined, boom);
        expectSubscriptions(src.subscriptions).toBe('^-!');
      });
    });
  }
});

describe('orderShards: read, isFinished, childrenOf, accepts', () => {
  interface Out {
    readonly letter: string;
    readonly children?: DiscoveredShard[];
  }
  const run = (
    options: Parameters<typeof orderShards<Out>>[1],
    read?: (s: DiscoveredShard) => Observable<Out>,
  ): void => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const reading = cold<Out>('a-b', {
        a: { letter: 'a', children: [shard('c', 'p')] },
        b: { letter: 'b' },
      });
      const src = cold<DiscoveredShard>('p----', { p: shard('p') });
      const out = src.pipe(orderShards(read ?? (() => reading), options));
      expectObservable(out).toBe(
        read === undefined && options?.isFinished === undefined ? '(a#)' : '#',
        { a: { letter: 'a', children: [shard('c', 'p')] } },
        boom,
      );
      expectSubscriptions(src.subscriptions).toBe('(^!)');
      if (read === undefined && options?.isFinished === undefined)
        expectSubscriptions(reading.subscriptions).toBe('(^!)');
    });
  };
  it('a throwing read is the one error', () => {
    run({}, () => {
      throw boom;
    });
  });
  it('a throwing isFinished is the one error', () => {
    run({
      isFinished: () => {
        throw boom;
      },
    });
  });
  it('a throwing childrenOf is the one error; the reading stops', () => {
    run({
      childrenOf: () => {
        throw boom;
      },
    });
  });
  it('a throwing accepts (a shard assigner) is the one error; the reading stops', () => {
    run({
      childrenOf: (out) => out.children,
      accepts: () => {
        throw boom;
      },
    });
  });
});

describe('logMetrics: log', () => {
  it('a throwing log, called from its timer, is the one error; the timer and the source stop', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const metric: Metric = { name: 'source.retries', value: 1, at: 0 };
      const src = cold<Metric>('a 9ms a 9ms a', { a: metric });
      const log = throwingOn(1, () => undefined);
      expectObservable(src.pipe(logMetrics({ intervalMs: 5, log: log.fn }))).toBe(
        '5ms #',
        undefined,
        boom,
      );
      expectSubscriptions(src.subscriptions).toBe('^ 4ms !');
    });
  });
  it('a throwing log at completion is the one error, not a completion', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const src = cold<Metric>('a|', { a: { name: 'source.retries', value: 1, at: 0 } });
      const out = src.pipe(
        logMetrics({
          intervalMs: 5,
          log: () => {
            throw boom;
          },
        }),
      );
      expectObservable(out).toBe('-#', undefined, boom);
    });
  });
});

describe('retryWithBackoff: shouldRetry, onRetry, random', () => {
  const policy = { base: 100, max: 1000, expConst: 2, maxRetries: 3 };
  for (const which of ['shouldRetry', 'onRetry', 'random'] as const) {
    it(`a throwing ${which} is the one error, with no retry`, () => {
      testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const src = cold('-#', undefined, kinesisError('InternalFailure'));
        const out = src.pipe(retryWithBackoff(policy, { [which]: thrower }));
        expectObservable(out).toBe('-#', undefined, boom);
        expectSubscriptions(src.subscriptions).toBe('^!');
      });
    });
  }
});

describe('putRecordsWithRetry: onRetry, random', () => {
  const policy = { base: 100, max: 5000, expConst: 2, maxRetries: 10 };
  const entries = [{ partitionKey: 'k', explicitHashKey: undefined, data: new Uint8Array([1]) }];
  for (const which of ['onRetry', 'random'] as const) {
    it(`a throwing ${which} (called on a partial failure) is the one error; no retry is sent`, () => {
      const ts = testScheduler();
      const fake = new FakeKinesis({ scheduler: ts });
      fake.createStream('out', 1);
      fake.failPutRecordsEntries(() => 'ProvisionedThroughputExceededException');
      ts.run(({ expectObservable }) => {
        const out = putRecordsWithRetry(fake, 'out', entries, { policy, [which]: thrower }, ts);
        expectObservable(out).toBe('#', undefined, boom);
      });
      expect(fake.callsOf('PutRecordsCommand')).toHaveLength(1);
    });
  }
});

describe('pollShard: onFetch', () => {
  it('a throwing onFetch is the one error; no further GetRecords', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('s', 1);
    fake.put('s', 'k', 'v');
    const s = fake.shardsOf('s')[0];
    if (s === undefined) throw new Error('no shard');
    const discovered: DiscoveredShard = {
      stream: 's',
      shardId: s.shardId,
      parentShardIds: [],
      hashKeyRange: {
        startingHashKey: s.startingHashKey.toString(),
        endingHashKey: s.endingHashKey.toString(),
      },
    };
    const onFetch = throwingOn(2, () => undefined);
    ts.run(({ expectObservable }) => {
      const out = pollShard({ intervalMs: 1000 })(
        discovered,
        { type: 'TRIM_HORIZON' },
        {
          client: fake,
          scheduler: ts,
          recordPrototype: shardRecordPrototype({ parentShardIds: [] }),
          onFetch: onFetch.fn,
        },
      );
      expectObservable(out.pipe(), '^ 5000ms !').toBe('a 999ms #', { a: expect.anything() }, boom);
    });
    expect(onFetch.calls()).toBe(2);
    expect(fake.callsOf('GetRecordsCommand')).toHaveLength(2);
  });
});

describe('fromKinesis: onFetch, pausedFor, assignment, metrics', () => {
  /**
   * Runs `fromKinesis` on a two-shard fake stream for 5 virtual seconds and returns the
   * errors it delivered, when, and the fake's calls after the first error.
   */
  function source(
    extra: Partial<SourceConfig>,
    prepare: (fake: FakeKinesis) => void = () => undefined,
  ): {
    errors: unknown[];
    records: number;
    callsAfterError: number;
  } {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('s', 2);
    fake.put('s', 'a', 'x');
    fake.put('s', 'b', 'y');
    prepare(fake);
    const errors: unknown[] = [];
    let erroredAt = Infinity;
    let records = 0;
    ts.run(() => {
      const sub = fromKinesis(
        {
          stream: 's',
          client: fake,
          initialPosition: 'TRIM_HORIZON',
          discoveryIntervalMs: 500,
          ...extra,
        },
        ts,
      ).subscribe({
        next: () => (records += 1),
        error: (error: unknown) => {
          errors.push(error);
          erroredAt = ts.now();
        },
      });
      ts.schedule(() => sub.unsubscribe(), 5000);
    });
    return { errors, records, callsAfterError: fake.calls.filter((c) => c.at > erroredAt).length };
  }

  it('a throwing onFetch is the one error; nothing is requested afterwards', () => {
    expect(source({ onFetch: thrower })).toEqual({
      errors: [boom],
      records: 0,
      callsAfterError: 0,
    });
  });
  it('a throwing pausedFor is the one error; nothing is requested afterwards', () => {
    expect(source({ pausedFor: thrower })).toEqual({
      errors: [boom],
      records: 0,
      callsAfterError: 0,
    });
  });
  it('a throwing assignment predicate is the one error', () => {
    expect(source({ assignment: thrower })).toEqual({
      errors: [boom],
      records: 0,
      callsAfterError: 0,
    });
  });
  it('a throwing assigner is the one error', () => {
    expect(source({ assignment: { index: 0, count: 2, assigner: thrower } })).toEqual({
      errors: [boom],
      records: 0,
      callsAfterError: 0,
    });
  });
  it('a metrics recorder whose next throws is the one error', () => {
    expect(source({ metrics: { next: thrower } })).toEqual({
      errors: [boom],
      records: 0,
      callsAfterError: 0,
    });
  });
  it('a recorder that throws on source.retries (inside a shard read): the cause of its ShardReadError', () => {
    const next = (metric: Metric): void => {
      if (metric.name === 'source.retries') throw boom;
    };
    const result = source({ metrics: { next } }, (fake) =>
      fake.failNext('GetRecordsCommand', kinesisError('ProvisionedThroughputExceededException')),
    );
    expect(result.errors).toEqual([
      expect.objectContaining({ name: 'ShardReadError', cause: boom }),
    ]);
    expect(result.callsAfterError).toBe(0);
  });
  it('the same stream without a throwing callback reads both records (the harness can pass)', () => {
    expect(source({})).toEqual({ errors: [], records: 2, callsAfterError: 0 });
  });
});

describe('callbacks already run inside RxJS operators (guards)', () => {
  it('alignWatermarks: a throwing timestampOf is the one error', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold<TimedEvent>('a-b', { a: rec('x', 1), b: rec('x', 2) });
      const alignment = alignWatermarks({ lookaheadMs: 50, timestampOf: thrower });
      expectObservable(src.pipe(alignment.align)).toBe('#', undefined, boom);
      expectSubscriptions(src.subscriptions).toBe('(^!)');
    });
  });

  it('discoverShards: a throwing onRetry is the one error; ListShards is not sent again', () => {
    const ts = testScheduler();
    const fake = new FakeKinesis({ scheduler: ts });
    fake.createStream('s', 1);
    fake.failNext('ListShardsCommand', kinesisError('LimitExceededException'));
    const errors: unknown[] = [];
    ts.run(() => {
      const sub = discoverShards(fake, ['s'], { onRetry: thrower }, ts).subscribe({
        error: (e: unknown) => errors.push(e),
      });
      ts.schedule(() => sub.unsubscribe(), 60_000);
    });
    expect(errors).toHaveLength(1);
    expect(fake.callsOf('ListShardsCommand')).toHaveLength(1);
  });
});
