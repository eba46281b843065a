import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { adaptiveBatchSize, adaptiveReads } from '../src/source/adaptiveReads.js';
import type { FetchReport } from '../src/source/ShardReader.js';

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
