import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetShardIteratorOutput,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  type PutRecordsOutput,
} from '@aws-sdk/client-kinesis';
import { type Observable, catchError, concatMap, map, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { sendCommand } from '../src/client/sendCommand.js';
import { pollShard } from '../src/source/pollShard.js';
import { shardRecordPrototype } from '../src/source/shardContext.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';
import type { FakeLimitsOption } from '../src/testing/FakeLimits.js';

const KIB = 1024;
const MIB = 1024 * KIB;
const SHARD0 = 'shardId-000000000000';
const SHARD1 = 'shardId-000000000001';
/** An ExplicitHashKey inside shard 0 / shard 1 of a two-shard stream. */
const IN_SHARD0 = '1';
const IN_SHARD1 = ((1n << 127n) + 1n).toString();

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** 'o' for an answer, 't' for ProvisionedThroughputExceededException, 'l' for LimitExceededException. */
const outcome = <T>(call: Observable<T>): Observable<string> =>
  call.pipe(
    map(() => 'o'),
    catchError((e: unknown) => {
      const name = (e as { name?: string }).name;
      return of(
        name === 'ProvisionedThroughputExceededException'
          ? 't'
          : name === 'LimitExceededException'
            ? 'l'
            : `x:${String(name)}`,
      );
    }),
  );

function fakeWith(scheduler: TestScheduler, limits: FakeLimitsOption = true): FakeKinesis {
  const fake = new FakeKinesis({ scheduler, limits });
  fake.createStream('s', 2);
  return fake;
}

function iteratorOf(fake: FakeKinesis, shardId = SHARD0): string {
  let iterator = '';
  void sendCommand<GetShardIteratorOutput>(
    fake,
    new GetShardIteratorCommand({
      StreamName: 's',
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  ).subscribe((out) => (iterator = out.ShardIterator ?? ''));
  return iterator;
}

const getRecords = (fake: FakeKinesis, iterator: string, Limit?: number): Observable<string> =>
  outcome(
    sendCommand(
      fake,
      new GetRecordsCommand({ ShardIterator: iterator, ...(Limit !== undefined ? { Limit } : {}) }),
    ),
  );

const entries = (
  n: number,
  hashKey: string,
  size = 10,
): Array<{ Data: Uint8Array; PartitionKey: string; ExplicitHashKey: string }> =>
  Array.from({ length: n }, (_, i) => ({
    Data: new Uint8Array(size),
    PartitionKey: `k${i}`,
    ExplicitHashKey: hashKey,
  }));

/** PutRecords answered as 'stored/failed'. */
const putRecords = (fake: FakeKinesis, records: ReturnType<typeof entries>): Observable<string> =>
  sendCommand<PutRecordsOutput>(
    fake,
    new PutRecordsCommand({ StreamName: 's', Records: records }),
  ).pipe(
    map((out) => `${records.length - (out.FailedRecordCount ?? 0)}/${out.FailedRecordCount ?? 0}`),
  );

describe('FakeKinesis limits (virtual time)', () => {
  it('records nothing and throttles nothing without calls (empty)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const fake = fakeWith(scheduler);
      const iterator = iteratorOf(fake);
      expectObservable(cold<string>('|').pipe(concatMap(() => getRecords(fake, iterator)))).toBe(
        '|',
      );
      flush();
      expect(fake.throughput).toEqual([]);
      expect(fake.throttleCounts).toEqual({
        GetRecordsCommand: 0,
        PutRecordCommand: 0,
        PutRecordsCommand: 0,
        ListShardsCommand: 0,
      });
      expect(fake.peakPerSecond('GetRecordsCommand')).toBe(0);
    });
  });

  it('serves one GetRecords and records it with its shard, time, records and bytes (one)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const fake = fakeWith(scheduler);
      fake.put('s', 'key', new Uint8Array(97), IN_SHARD0);
      const iterator = iteratorOf(fake);
      expectObservable(cold('--a|').pipe(concatMap(() => getRecords(fake, iterator)))).toBe('--o|');
      flush();
      expect(fake.throughput).toEqual([
        {
          command: 'GetRecordsCommand',
          stream: 's',
          shardId: SHARD0,
          at: 2,
          records: 1,
          bytes: 100,
          refusedRecords: 0,
          refusedBytes: 0,
          throttled: false,
        },
      ]);
    });
  });

  it('serves five GetRecords a second per shard, 200 ms apart, for as long as they come (many)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const fake = fakeWith(scheduler);
      const iterator = iteratorOf(fake);
      const calls = Array(15).fill('a').join(' 199ms ');
      expectObservable(cold(calls).pipe(concatMap(() => getRecords(fake, iterator)))).toBe(
        Array(15).fill('o').join(' 199ms '),
      );
      flush();
      expect(fake.peakPerSecond('GetRecordsCommand')).toBe(5);
      expect(fake.throttleCounts.GetRecordsCommand).toBe(0);
    });
  });

  it('throttles a burst past 5 GetRecords in one second, counting refused calls too, and recovers the next second', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const fake = fakeWith(scheduler);
      const a = iteratorOf(fake, SHARD0);
      const b = iteratorOf(fake, SHARD1);
      // seven calls at 0 ms on shard 0: two refused; at 999 ms still refused; at 1000 ms the window is clear
      expectObservable(
        cold('(aaaaaaa) 989ms a 9ms a').pipe(concatMap(() => getRecords(fake, a))),
      ).toBe('(ooooott) 989ms t 9ms o');
      // the other shard has its own budget
      expectObservable(cold('(bbbbb)').pipe(concatMap(() => getRecords(fake, b)))).toBe('(ooooo)');
      flush();
      expect(fake.throttleCounts.GetRecordsCommand).toBe(3);
      expect(fake.peakPerSecond('GetRecordsCommand')).toBe(8);
      expect(fake.peakPerSecond('GetRecordsCommand', { includeThrottled: false })).toBe(5);
    });
  });

  it('throws ProvisionedThroughputExceededException as the SDK does, with the shard in the message', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = fakeWith(scheduler, { getRecordsPerSecond: 1 });
      const iterator = iteratorOf(fake);
      const errors: unknown[] = [];
      for (let i = 0; i < 2; i++) {
        sendCommand(fake, new GetRecordsCommand({ ShardIterator: iterator })).subscribe({
          error: (e: unknown) => errors.push(e),
        });
      }
      flush();
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        name: 'ProvisionedThroughputExceededException',
        $metadata: { httpStatusCode: 400 },
        message: `Rate exceeded for shard ${SHARD0} in stream s under account 000000000000.`,
      });
    });
  });

  it('after a 10 MiB read throttles the shard for the next 5 s (2 MiB/s), and caps a read at 10 MiB', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const fake = fakeWith(scheduler);
      // 25 records of 512 KiB (data + 1-byte key): the first read returns 20 of them, 10 MiB
      for (let i = 0; i < 25; i++) fake.put('s', 'k', new Uint8Array(512 * KIB - 1), IN_SHARD0);
      const iterator = iteratorOf(fake);
      expectObservable(
        cold('a 999ms a 999ms a 999ms a 999ms a 998ms aa').pipe(
          concatMap(() => getRecords(fake, iterator)),
        ),
      ).toBe('o 999ms t 999ms t 999ms t 999ms t 998ms to');
      flush();
      const served = fake.throughput.filter((e) => !e.throttled);
      expect(served.map((e) => [e.at, e.records, e.bytes])).toEqual([
        [0, 20, 10 * MIB],
        // the same iterator again: the same 20 records
        [5000, 20, 10 * MIB],
      ]);
    });
  });

  it('a read of B bytes blocks B / readBytesPerSecond: 400 KiB every 200 ms fits 2 MiB/s, 500 KiB does not', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const fake = fakeWith(scheduler);
      for (let i = 0; i < 10; i++) fake.put('s', 'k', new Uint8Array(400 * KIB - 1), IN_SHARD0);
      for (let i = 0; i < 10; i++) fake.put('s', 'k', new Uint8Array(500 * KIB - 1), IN_SHARD1);
      const a = iteratorOf(fake, SHARD0);
      const b = iteratorOf(fake, SHARD1);
      const calls = 'a 199ms a 199ms a 199ms a';
      expectObservable(cold(calls).pipe(concatMap(() => getRecords(fake, a, 1)))).toBe(
        'o 199ms o 199ms o 199ms o',
      );
      expectObservable(cold(calls).pipe(concatMap(() => getRecords(fake, b, 1)))).toBe(
        'o 199ms t 199ms o 199ms t',
      );
      flush();
    });
  });

  it('PutRecords refuses entries past 1,000 records/s per target shard one by one; the other shard and the next second accept', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const fake = fakeWith(scheduler);
      const mixed = [...entries(200, IN_SHARD0), ...entries(300, IN_SHARD1)];
      expectObservable(
        cold('(aaa) 996ms a').pipe(
          concatMap((_, i) => putRecords(fake, i === 2 ? mixed : entries(500, IN_SHARD0))),
        ),
      ).toBe('(xyz) 996ms x', { x: '500/0', y: '500/0', z: '300/200' });
      flush();
      const shard0 = fake.shardsOf('s')[0]?.records.length;
      const shard1 = fake.shardsOf('s')[1]?.records.length;
      expect([shard0, shard1]).toEqual([1500, 300]);
      expect(fake.throttleCounts.PutRecordsCommand).toBe(200);
      expect(fake.peakPerSecond('PutRecordsCommand', { measure: 'records' })).toBe(1000);
      expect(
        fake.peakPerSecond('PutRecordsCommand', { measure: 'records', includeThrottled: true }),
      ).toBe(1200);
      // three calls reached shard 0 in the first second, one of them refused whole
      expect(fake.peakPerSecond('PutRecordsCommand')).toBe(3);
      expect(fake.peakPerSecond('PutRecordsCommand', { includeThrottled: false })).toBe(2);
    });
  });

  it('PutRecords marks each refused entry with ErrorCode ProvisionedThroughputExceededException and stores the rest', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = fakeWith(scheduler);
      // 1 MiB/s: two records of 600 KiB do not fit one second, a small one after them does
      const records = [...entries(2, IN_SHARD0, 600 * KIB), ...entries(1, IN_SHARD0, 100)];
      let output: PutRecordsOutput | undefined;
      sendCommand<PutRecordsOutput>(
        fake,
        new PutRecordsCommand({ StreamName: 's', Records: records }),
      ).subscribe((out) => (output = out));
      flush();
      expect(output?.FailedRecordCount).toBe(1);
      expect(output?.Records?.map((r) => r.ErrorCode ?? 'ok')).toEqual([
        'ok',
        'ProvisionedThroughputExceededException',
        'ok',
      ]);
      expect(output?.Records?.[1]?.ErrorMessage).toBe(
        `Rate exceeded for shard ${SHARD0} in stream s under account 000000000000.`,
      );
      expect(fake.shardsOf('s')[0]?.records.map((r) => r.data.length)).toEqual([600 * KIB, 100]);
    });
  });

  it('refuses a whole PutRecord past the write limit', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const fake = fakeWith(scheduler, { writeRecordsPerSecond: 2 });
      const put = (): Observable<string> =>
        outcome(
          sendCommand(
            fake,
            new PutRecordCommand({
              StreamName: 's',
              PartitionKey: 'k',
              ExplicitHashKey: IN_SHARD1,
              Data: new Uint8Array(1),
            }),
          ),
        );
      expectObservable(cold('(aaa) 996ms a').pipe(concatMap(put))).toBe('(oot) 996ms o');
      flush();
      expect(fake.shardsOf('s')[1]?.records).toHaveLength(3);
      expect(fake.throttleCounts.PutRecordCommand).toBe(1);
    });
  });

  it('throttles ListShards past its calls per second per stream with LimitExceededException', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const fake = fakeWith(scheduler, { listShardsPerSecond: 2 });
      fake.createStream('other', 1);
      const list = (stream: string) => (): Observable<string> =>
        outcome(sendCommand(fake, new ListShardsCommand({ StreamName: stream })));
      expectObservable(cold('(aaa) 996ms a').pipe(concatMap(list('s')))).toBe('(ool) 996ms o');
      expectObservable(cold('(aa)').pipe(concatMap(list('other')))).toBe('(oo)');
      flush();
      expect(fake.throttleCounts.ListShardsCommand).toBe(1);
    });
  });

  it('allows 1,000 ListShards a second per stream by default', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = fakeWith(scheduler);
      const answers: string[] = [];
      for (let i = 0; i < 1001; i++) {
        outcome(sendCommand(fake, new ListShardsCommand({ StreamName: 's' }))).subscribe((o) =>
          answers.push(o),
        );
      }
      flush();
      expect(answers.filter((a) => a === 'o')).toHaveLength(1000);
      expect(answers[1000]).toBe('l');
    });
  });

  it('without limits throttles nothing but still records throughput', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 1);
      const iterator = iteratorOf(fake);
      const answers: string[] = [];
      for (let i = 0; i < 20; i++) getRecords(fake, iterator).subscribe((o) => answers.push(o));
      flush();
      expect(answers.every((a) => a === 'o')).toBe(true);
      expect(fake.limits).toBeUndefined();
      expect(fake.peakPerSecond('GetRecordsCommand')).toBe(20);
    });
  });

  it('errors that are not throttling come first: an unknown stream is ResourceNotFoundException', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const fake = fakeWith(scheduler);
      expectObservable(
        cold('a').pipe(
          concatMap(() =>
            outcome(sendCommand(fake, new ListShardsCommand({ StreamName: 'missing' }))),
          ),
        ),
      ).toBe('e', { e: 'x:ResourceNotFoundException' });
    });
  });

  it('a reader polling an empty shard forever stays at 5 calls a second and is never throttled (never-ending)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const fake = fakeWith(scheduler);
      const shard = fake.shardsOf('s')[0];
      const reader = pollShard({ intervalMs: 0 })(
        {
          stream: 's',
          shardId: SHARD0,
          parentShardIds: [],
          hashKeyRange: {
            startingHashKey: String(shard?.startingHashKey),
            endingHashKey: String(shard?.endingHashKey),
          },
        },
        { type: 'TRIM_HORIZON' },
        { client: fake, scheduler, recordPrototype: shardRecordPrototype({ parentShardIds: [] }) },
      ).pipe(map(() => 'b'));
      expectObservable(reader, '^ 10000ms !').toBe(Array(51).fill('b').join(' 199ms '));
      flush();
      expect(fake.peakPerSecond('GetRecordsCommand')).toBe(5);
      expect(fake.throttleCounts.GetRecordsCommand).toBe(0);
    });
  });

  it('a reader unsubscribed while throttled stops calling and leaves no scheduled action (early unsubscribe)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      // one GetRecords a second allowed: the reader's 200 ms spacing is throttled, so it is backing off
      // (its own read-budget pacing keeps it clear of the 2 MiB/s limit)
      const fake = fakeWith(scheduler, { getRecordsPerSecond: 1 });
      for (let i = 0; i < 2; i++) fake.put('s', 'k', new Uint8Array(512 * KIB - 1), IN_SHARD0);
      const shard = fake.shardsOf('s')[0];
      const subscription = pollShard({
        backoff: { getRecords: { base: 300, max: 1000, expConst: 1.5, maxRetries: 50 } },
        random: () => 0.5,
      })(
        {
          stream: 's',
          shardId: SHARD0,
          parentShardIds: [],
          hashKeyRange: {
            startingHashKey: String(shard?.startingHashKey),
            endingHashKey: String(shard?.endingHashKey),
          },
        },
        { type: 'TRIM_HORIZON' },
        {
          client: fake,
          scheduler,
          recordPrototype: shardRecordPrototype({ parentShardIds: [] }),
        },
      ).subscribe();
      let pendingAfterUnsubscribe = -1;
      scheduler.schedule(() => subscription.unsubscribe(), 1500);
      scheduler.schedule(() => (pendingAfterUnsubscribe = scheduler.actions.length), 1501);
      flush();
      expect(fake.throttleCounts.GetRecordsCommand).toBeGreaterThan(0);
      expect(fake.callsOf('GetRecordsCommand').every((c) => c.at <= 1500)).toBe(true);
      expect(pendingAfterUnsubscribe).toBe(0);
    });
  });
});
