import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { adaptiveBatchSize, adaptiveReads } from '../src/source/adaptiveReads.js';
import { fromKinesis } from '../src/source/fromKinesis.js';
import type { FetchReport } from '../src/source/ShardReader.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';

const report = (
  records: number,
  bytes: number,
  latencyMs: number,
  sleepMs: number,
): FetchReport => ({
  stream: 's',
  shardId: 'shard-1',
  records,
  bytes,
  latencyMs,
  sleepMs,
});

describe('adaptiveBatchSize', () => {
  it('aims at 2 MiB/s from the average record size and the loop frequency', () => {
    // 1 KiB records, 4 loops/s: 512 KiB per loop = 512 records.
    expect(adaptiveBatchSize({ records: 100, bytes: 100 * 1024, loopMs: 250 }, 10_000)).toBe(512);
    // 1 KiB records, 1 loop/s: 2048 records.
    expect(adaptiveBatchSize({ records: 10, bytes: 10 * 1024, loopMs: 1000 }, 10)).toBe(2048);
  });

  it('stays between 1 and 10,000', () => {
    expect(adaptiveBatchSize({ records: 1, bytes: 10, loopMs: 1000 }, 5)).toBe(10_000);
    expect(adaptiveBatchSize({ records: 1, bytes: 1024 * 1024, loopMs: 100 }, 5)).toBe(1);
  });

  it('keeps the current limit without records or time to go by', () => {
    expect(adaptiveBatchSize({ records: 0, bytes: 0, loopMs: 200 }, 777)).toBe(777);
    expect(adaptiveBatchSize({ records: 5, bytes: 500, loopMs: 0 }, 777)).toBe(777);
  });
});

describe('adaptiveReads', () => {
  const scheduler = (): TestScheduler =>
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

  it('empty: no limit', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<FetchReport>('|').pipe(adaptiveReads())).toBe('|');
    });
  });

  it('one and many: a limit per report, an empty fetch keeps the last', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold<FetchReport>('abc|', {
        a: report(100, 100 * 1024, 50, 200),
        b: report(0, 0, 50, 200),
        c: report(10, 10 * 1024, 500, 500),
      });
      expectObservable(source.pipe(adaptiveReads())).toBe('xyz|', { x: 512, y: 512, z: 2048 });
    });
  });

  it('error and early unsubscription pass through', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<FetchReport>('#').pipe(adaptiveReads())).toBe('#');
      expectObservable(
        cold<FetchReport>('a-', { a: report(100, 100 * 1024, 50, 200) }).pipe(adaptiveReads()),
        '^-!',
      ).toBe('x', { x: 512 });
    });
  });
});

describe('polling.adaptive: the GetRecords Limit follows adaptiveBatchSize per shard', () => {
  const KIB100 = new Uint8Array(100 * 1024);
  /** `Limit` and time of every GetRecords of a one-shard stream read with these polling settings. */
  const limits = (polling: { maxRecords: number; intervalMs: number; adaptive?: boolean }) => {
    const test = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    let calls: Array<[number, unknown]> = [];
    test.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler: test });
      fake.createStream('s', 1);
      for (let i = 0; i < 26; i++) fake.put('s', `k${i}`, KIB100);
      test.schedule(() => {
        for (let i = 0; i < 5; i++) fake.put('s', `late${i}`, KIB100);
      }, 1000);
      const sub = fromKinesis(
        { stream: 's', client: fake, initialPosition: 'TRIM_HORIZON', polling },
        test,
      ).subscribe();
      test.schedule(() => sub.unsubscribe(), 1900);
      flush();
      calls = fake.callsOf('GetRecordsCommand').map((call) => [call.at, call.input['Limit']]);
    });
    return calls;
  };

  // Every loop also waits for the shard's read budget (2 MiB/s): 10 records of 100 KiB read at 0
  // may be followed by the next GetRecords only at 489 ms. So the loop itself is paced to 2 MiB/s
  // and the adaptive Limit, computed from that loop (2 MiB/s × 489 ms / 100 KiB = 10), stays.
  it('with the loop paced by the read budget, the adaptive Limit stays at what 2 MiB/s allows', () => {
    expect(limits({ maxRecords: 10, intervalMs: 1000, adaptive: true })).toEqual([
      [0, 10], // first loop took no time: nothing to go by, the limit stays
      [489, 10], // 1,000 KiB read at 0: the read budget is paid at 489 ms
      [978, 10], // 6 records: caught up, wait 1,000 ms (past the end of the test)
    ]);
  });

  it('is off by default: every Limit is maxRecords, the loop paced by the read budget', () => {
    expect(limits({ maxRecords: 10, intervalMs: 1000 })).toEqual([
      [0, 10],
      [489, 10],
      [978, 10],
    ]);
  });
});
