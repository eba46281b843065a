import { BehaviorSubject, type Observable, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { ShardReadError } from '../src/client/errors.js';
import { encodeAggregatedRecord } from '../src/kpl/encodeAggregatedRecord.js';
import type { DiscoveredShard } from '../src/source/DiscoveredShard.js';
import { pollShard, type PollingOptions } from '../src/source/pollShard.js';
import type { ShardBatch } from '../src/source/ShardEvent.js';
import type { FetchReport, ShardReaderContext } from '../src/source/ShardReader.js';
import { shardContextOf, shardRecordPrototype } from '../src/source/shardContext.js';
import type { StartPosition } from '../src/source/StartPosition.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';

const SHARD0 = 'shardId-000000000000';
const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const shardOf = (fake: FakeKinesis, shardId = SHARD0): DiscoveredShard => {
  const s = fake.shardsOf('s').find((x) => x.shardId === shardId);
  if (s === undefined) throw new Error(`no ${shardId}`);
  return {
    stream: 's',
    shardId,
    parentShardIds: [],
    hashKeyRange: {
      startingHashKey: s.startingHashKey.toString(),
      endingHashKey: s.endingHashKey.toString(),
    },
  };
};

interface Setup {
  fake: FakeKinesis;
  scheduler: TestScheduler;
  read: (
    options?: PollingOptions,
    start?: StartPosition,
    extra?: Partial<ShardReaderContext>,
  ) => Observable<ShardBatch>;
  getRecordsAt: () => number[];
}

const setup = (scheduler: TestScheduler, records = 0): Setup => {
  const fake = new FakeKinesis({ scheduler });
  fake.createStream('s', 1);
  for (let i = 0; i < records; i++) fake.put('s', `k${i}`, `v${i}`);
  return {
    fake,
    scheduler,
    read: (options = {}, start = { type: 'TRIM_HORIZON' }, extra = {}) =>
      pollShard(options)(shardOf(fake), start, {
        client: fake,
        scheduler,
        recordPrototype: shardRecordPrototype({ parentShardIds: [] }),
        ...extra,
      }),
    getRecordsAt: () => fake.callsOf('GetRecordsCommand').map((call) => call.at),
  };
};
const keys = (batch: ShardBatch): string => batch.records.map((r) => r.partitionKey).join(',');
const keysOf = (source: Observable<ShardBatch>): Observable<string> => source.pipe(map(keys));

describe('pollShard', () => {
  it('polls an empty open shard every intervalMs, emitting empty batches (empty, never-ending)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const { read, getRecordsAt } = setup(scheduler);
      expectObservable(keysOf(read({ intervalMs: 1000 })), '^ 2500ms !').toBe('a 999ms a 999ms a', {
        a: '',
      });
      flush();
      expect(getRecordsAt()).toEqual([0, 1000, 2000]);
    });
  });

  it('emits one record in a batch, with the shard prototype and fields (one)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const { read } = setup(scheduler, 1);
      const batches: ShardBatch[] = [];
      const source = read({ intervalMs: 1000 });
      expectObservable(keysOf(source), '^ 500ms !').toBe('a', { a: 'k0' });
      const sub = source.subscribe((batch) => batches.push(batch));
      scheduler.schedule(() => sub.unsubscribe(), 500);
      flush();
      const record = batches[0]?.records[0];
      expect(record).toMatchObject({
        stream: 's',
        shardId: SHARD0,
        partitionKey: 'k0',
        data: new TextEncoder().encode('v0'),
      });
      expect(record?.sequenceNumber).toMatch(/^\d+$/);
      expect(record?.approximateArrivalTimestamp).toBeInstanceOf(Date);
      expect(shardContextOf(record as object)).toEqual({ parentShardIds: [] });
    });
  });

  it('fetches again without the interval while behind, never faster than 200 ms (many)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const { read, getRecordsAt } = setup(scheduler, 25);
      const ten = (from: number): string =>
        Array.from({ length: 10 }, (_, i) => `k${from + i}`).join(',');
      expectObservable(keysOf(read({ maxRecords: 10, intervalMs: 5000 })), '^ 6s !').toBe(
        'a 199ms b 199ms c 4999ms d',
        { a: ten(0), b: ten(10), c: 'k20,k21,k22,k23,k24', d: '' },
      );
      flush();
      expect(getRecordsAt()).toEqual([0, 200, 400, 5400]);
      expect(
        getRecordsAt()
          .slice(1)
          .every((at, i) => at - (getRecordsAt()[i] ?? 0) >= 200),
      ).toBe(true);
    });
  });

  it('treats MillisBehindLatest > 0 as behind even for a short batch', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const { fake, read, getRecordsAt } = setup(scheduler, 1);
      let first = true;
      fake.inject((call) => {
        if (call.command !== 'GetRecordsCommand' || !first) return undefined;
        first = false;
        return {
          response: {
            Records: [],
            NextShardIterator: call.input['ShardIterator'],
            MillisBehindLatest: 3000,
          },
        };
      });
      const sub = read({ intervalMs: 5000 }).subscribe();
      scheduler.schedule(() => sub.unsubscribe(), 6000);
      flush();
      expect(getRecordsAt()).toEqual([0, 200, 5200]);
    });
  });

  it('ends a closed shard with a batch carrying its children, then completes', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const { fake, read } = setup(scheduler, 3);
      fake.splitShard('s', SHARD0);
      const children = fake
        .shardsOf('s')
        .filter((s) => s.parentShardId === SHARD0)
        .map((s) => s.shardId);
      expectObservable(
        read().pipe(
          map((batch) => `${keys(batch)}|${(batch.childShards ?? []).map((c) => c.shardId)}`),
        ),
      ).toBe('(a|)', { a: `k0,k1,k2|${children.join(',')}` });
    });
  });

  it('retries throttling with the getRecords backoff, keeping calls 200 ms apart', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const { fake, read, getRecordsAt } = setup(scheduler, 1);
      fake.failNext('GetRecordsCommand', 'ProvisionedThroughputExceededException', 2);
      // jitter 0.5: 150 ms (raised to the 200 ms spacing), then 0.5 * 450 = 225 ms
      expectObservable(keysOf(read({ random: () => 0.5, intervalMs: 1000 })), '^ 1s !').toBe(
        '425ms a',
        { a: 'k0' },
      );
      flush();
      expect(getRecordsAt()).toEqual([0, 200, 425]);
    });
  });

  it('fails with ShardReadError naming stream and shard after the last retry (error)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const { fake, read } = setup(scheduler, 1);
      fake.failNext('GetRecordsCommand', 'ProvisionedThroughputExceededException', 4);
      const policy = { base: 100, max: 100, expConst: 1, maxRetries: 3 };
      expectObservable(read({ random: () => 0, backoff: { getRecords: policy } })).toBe(
        '600ms #',
        undefined,
        expect.objectContaining({
          name: 'ShardReadError',
          stream: 's',
          shardId: SHARD0,
          operation: 'GetRecords',
        }),
      );
    });
  });

  it('fails at once on a non-retryable error', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const { fake, read } = setup(scheduler, 1);
      fake.failNext('GetRecordsCommand', 'AccessDeniedException');
      expectObservable(read()).toBe('#', undefined, expect.any(ShardReadError));
    });
  });

  it('replaces an expired iterator with one after the last record emitted', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const { fake, read } = setup(scheduler, 3);
      let calls = 0;
      fake.inject((call) => {
        if (call.command !== 'GetRecordsCommand') return undefined;
        calls += 1;
        if (calls === 2)
          return { error: Object.assign(new Error('x'), { name: 'ExpiredIteratorException' }) };
        return undefined;
      });
      scheduler.schedule(() => fake.put('s', 'k3', 'v3'), 100);
      // the second call (at 1000) finds its iterator expired: a new one after k2, used at 1200
      expectObservable(keysOf(read({ intervalMs: 1000 })), '^ 1500ms !').toBe('a 1199ms b', {
        a: 'k0,k1,k2',
        b: 'k3',
      });
      flush();
      const iterators = fake.callsOf('GetShardIteratorCommand').map((c) => c.input);
      expect(iterators[1]).toMatchObject({
        ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
        StartingSequenceNumber: fake.shardsOf('s')[0]?.records[2]?.sequenceNumber,
      });
    });
  });

  it('replaces an expired iterator at the original start when nothing was emitted yet', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const { fake, read } = setup(scheduler, 2);
      fake.failNext('GetRecordsCommand', 'ExpiredIteratorException');
      const seen: string[] = [];
      const sub = read({}, { type: 'AT_TIMESTAMP', timestamp: new Date(0) }).subscribe((b) =>
        seen.push(keys(b)),
      );
      scheduler.schedule(() => sub.unsubscribe(), 300);
      flush();
      expect(seen[0]).toBe('k0,k1');
      const types = fake.callsOf('GetShardIteratorCommand').map((c) => c.input);
      expect(types).toEqual([
        expect.objectContaining({ ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(0) }),
        expect.objectContaining({ ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(0) }),
      ]);
    });
  });

  it('completes when the shard no longer exists (it counts as finished)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const { fake, read } = setup(scheduler, 1);
      fake.failNext('GetShardIteratorCommand', 'ResourceNotFoundException');
      expectObservable(read()).toBe('|');
    });
  });

  it('asks for the iterator each start position needs', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const { fake, read } = setup(scheduler, 1);
      const starts: StartPosition[] = [
        { type: 'TRIM_HORIZON' },
        { type: 'LATEST' },
        { type: 'AT_TIMESTAMP', timestamp: new Date(5) },
        { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '7' },
        { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: '8', afterSubSequenceNumber: 0 },
      ];
      for (const start of starts) read({}, start).subscribe().unsubscribe();
      flush();
      expect(fake.callsOf('GetShardIteratorCommand').map((c) => c.input)).toEqual([
        { StreamName: 's', ShardId: SHARD0, ShardIteratorType: 'TRIM_HORIZON' },
        { StreamName: 's', ShardId: SHARD0, ShardIteratorType: 'LATEST' },
        {
          StreamName: 's',
          ShardId: SHARD0,
          ShardIteratorType: 'AT_TIMESTAMP',
          Timestamp: new Date(5),
        },
        {
          StreamName: 's',
          ShardId: SHARD0,
          ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
          StartingSequenceNumber: '7',
        },
        {
          StreamName: 's',
          ShardId: SHARD0,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          StartingSequenceNumber: '8',
        },
      ]);
    });
  });

  it('restores inside an aggregated record: skips sub-records up to the stored one', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const { fake, read } = setup(scheduler);
      const blob = encodeAggregatedRecord(
        ['a', 'b', 'c', 'd'].map((key) => ({ partitionKey: key, data: Uint8Array.of(1) })),
      );
      const { sequenceNumber } = fake.put('s', 'agg', blob);
      fake.put('s', 'plain', 'x');
      const start: StartPosition = {
        type: 'AT_SEQUENCE_NUMBER',
        sequenceNumber,
        afterSubSequenceNumber: 1,
      };
      expectObservable(
        read({ intervalMs: 1000 }, start).pipe(
          map((b) => b.records.map((r) => `${r.partitionKey}${r.subSequenceNumber ?? ''}`).join()),
        ),
        '^ 100ms !',
      ).toBe('a', { a: 'c2,d3,plain' });
    });
  });

  it('starts no fetch while paused, and resumes when the signal turns false', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, flush }) => {
      const { read, getRecordsAt } = setup(scheduler);
      const paused = new BehaviorSubject(false);
      hot('500ms t 1499ms f').subscribe((v) => paused.next(v === 't'));
      const sub = read({ intervalMs: 200 }, { type: 'TRIM_HORIZON' }, { paused }).subscribe();
      scheduler.schedule(() => sub.unsubscribe(), 2500);
      flush();
      // 0, 200, 400 fetched; paused from 500 (the fetch due at 600 waits); resumed at 2000
      expect(getRecordsAt()).toEqual([0, 200, 400, 2000, 2200, 2400]);
    });
  });

  it('reports every fetch to onFetch', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const { read } = setup(scheduler, 3);
      const reports: FetchReport[] = [];
      const sub = read(
        { intervalMs: 1000 },
        { type: 'TRIM_HORIZON' },
        {
          onFetch: (r) => reports.push(r),
        },
      ).subscribe();
      scheduler.schedule(() => sub.unsubscribe(), 1500);
      flush();
      expect(reports).toEqual([
        {
          stream: 's',
          shardId: SHARD0,
          records: 3,
          bytes: 6,
          millisBehindLatest: 0,
          latencyMs: 0,
          sleepMs: 0,
        },
        {
          stream: 's',
          shardId: SHARD0,
          records: 0,
          bytes: 0,
          millisBehindLatest: 0,
          latencyMs: 0,
          sleepMs: 1000,
        },
      ]);
    });
  });

  it('stops every call and timer when unsubscribed early', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const { read, getRecordsAt } = setup(scheduler, 1);
      expectObservable(keysOf(read({ intervalMs: 1000 })), '^ 1500ms !').toBe('a 999ms b', {
        a: 'k0',
        b: '',
      });
      flush();
      scheduler.schedule(() => undefined, 10_000);
      flush();
      expect(getRecordsAt()).toEqual([0, 1000]);
    });
  });
});
