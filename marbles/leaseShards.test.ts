import { NEVER, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { dynamoDBLeases } from '../src/lease/dynamoDBLeases.js';
import { LeaseTableError } from '../src/lease/errors.js';
import { leaseShards } from '../src/lease/leaseShards.js';
import type { DiscoveredShard } from '../src/source/DiscoveredShard.js';
import { FakeDynamoDB } from '../src/testing/FakeDynamoDB.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const shard = (n: number, parents: string[] = []): DiscoveredShard => ({
  stream: 's',
  shardId: `shardId-${String(n).padStart(12, '0')}`,
  parentShardIds: parents,
  hashKeyRange: { startingHashKey: String(n * 10), endingHashKey: String(n * 10 + 9) },
});
const options = { streams: ['s'], starts: { s: 'TRIM_HORIZON' as const } };
const coordinator = (dynamodb: FakeDynamoDB, workerId = 'w1') =>
  dynamoDBLeases({
    tableName: 'app',
    workerId,
    failoverTimeMs: 3000,
    dynamodb: { client: dynamodb },
  });

describe('leaseShards (virtual time, FakeDynamoDB)', () => {
  it('empty: no shards and an empty table emit nothing and keep running (renewing) until unsubscribed', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const dynamodb = new FakeDynamoDB({ scheduler });
      const leases = coordinator(dynamodb);
      expectObservable(
        cold<DiscoveredShard>('|').pipe(leaseShards(leases, options, scheduler)),
        '5000ms !',
      ).toBe('');
    });
  });

  it('one and many: emits each shard once, when its lease is taken; a shard seen twice gets one lease', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const dynamodb = new FakeDynamoDB({ scheduler });
      const leases = coordinator(dynamodb);
      const source = cold('a 99ms b 99ms a 99ms c', { a: shard(0), b: shard(1), c: shard(2) });
      expectObservable(source.pipe(leaseShards(leases, options, scheduler)), '^ 2000ms !').toBe(
        'a 99ms b 199ms c',
        { a: shard(0), b: shard(1), c: shard(2) },
      );
    });
  });

  it('a child waits for its parent lease to reach SHARD_END, even in one worker', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const dynamodb = new FakeDynamoDB({ scheduler });
      const leases = coordinator(dynamodb);
      const child = shard(1, [shard(0).shardId]);
      const source = cold('(ab)', { a: shard(0), b: child });
      expectObservable(source.pipe(leaseShards(leases, options, scheduler)), '^ 3500ms !').toBe(
        'a 2999ms b',
        { a: shard(0), b: child },
      );
      scheduler.schedule(() => {
        const item = dynamodb.item('app', shard(0).shardId);
        // the parent's owner writes SHARD_END (here by hand, as another worker's reader would)
        dynamodb.putItem('app', { ...item, checkpoint: { S: 'SHARD_END' } } as never);
      }, 2500);
      flush();
    });
  });

  it('early unsubscription stops every timer and releases the leases at once', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const dynamodb = new FakeDynamoDB({ scheduler });
      const leases = coordinator(dynamodb);
      expectObservable(
        cold('(ab)', { a: shard(0), b: shard(1) }).pipe(leaseShards(leases, options, scheduler)),
        '^ 1500ms !',
      ).toBe('(ab)', { a: shard(0), b: shard(1) });
      flush();
      const calls = dynamodb.calls.length;
      expect(dynamodb.items('app').every((item) => item['leaseOwner'] === undefined)).toBe(true);
      scheduler.schedule(() => undefined, 10_000);
      flush();
      expect(dynamodb.calls.length).toBe(calls);
    });
  });

  it('never-ending: a never-ending source keeps the lease loop going', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const dynamodb = new FakeDynamoDB({ scheduler });
      const leases = coordinator(dynamodb);
      expectObservable(NEVER.pipe(leaseShards(leases, options, scheduler)), '^ 4500ms !').toBe('');
      flush();
      // one scan per round: at 0, 1000, 2000, 3000, 4000
      expect(dynamodb.callsOf('ScanCommand')).toHaveLength(5);
    });
  });

  it('error: an error of the source is the error of the operator', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const dynamodb = new FakeDynamoDB({ scheduler });
      const leases = coordinator(dynamodb);
      expectObservable(
        cold('a 9ms #', { a: shard(0) }).pipe(leaseShards(leases, options, scheduler)),
      ).toBe('a 9ms #', { a: shard(0) });
    });
  });

  it('throttled table calls are retried with backoff', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const dynamodb = new FakeDynamoDB({ scheduler });
      dynamodb.failNext('ScanCommand', 'ProvisionedThroughputExceededException', 3);
      const leases = coordinator(dynamodb);
      const shards = new Subject<DiscoveredShard>();
      const out: DiscoveredShard[] = [];
      const sub = shards
        .pipe(leaseShards(leases, options, scheduler))
        .subscribe((s) => out.push(s));
      shards.next(shard(0));
      scheduler.schedule(() => sub.unsubscribe(), 5000);
      flush();
      expect(out).toEqual([shard(0)]);
      expect(dynamodb.callsOf('ScanCommand').length).toBeGreaterThan(3);
    });
  });

  it('a table call that keeps failing with a non-retryable error is a LeaseTableError', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const broken = new FakeDynamoDB({ scheduler });
      broken.inject((call) =>
        call.command === 'ScanCommand'
          ? { error: Object.assign(new Error('boom'), { name: 'AccessDeniedException' }) }
          : undefined,
      );
      expectObservable(NEVER.pipe(leaseShards(coordinator(broken), options, scheduler))).toBe(
        '#',
        undefined,
        new LeaseTableError(
          'app',
          'Scan',
          Object.assign(new Error('boom'), { name: 'AccessDeniedException' }),
        ),
      );
    });
  });

  it('one reading at a time per coordinator', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const dynamodb = new FakeDynamoDB({ scheduler });
      const leases = coordinator(dynamodb);
      expectObservable(NEVER.pipe(leaseShards(leases, options, scheduler)), '^ 100ms !').toBe('');
      expectObservable(NEVER.pipe(leaseShards(leases, options, scheduler)), '^ 100ms !').toBe(
        '#',
        undefined,
        new Error(
          'the lease coordinator of worker "w1" already runs a reading: one subscription at a time',
        ),
      );
    });
  });

  it('release frees a lease whose counter moved under it (a renewal aborted by the stop that still landed)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const dynamodb = new FakeDynamoDB({ scheduler });
      const leases = coordinator(dynamodb);
      expectObservable(
        cold('a', { a: shard(0) }).pipe(leaseShards(leases, options, scheduler)),
        '^ 1500ms !',
      ).toBe('a', { a: shard(0) });
      scheduler.schedule(() => {
        const item = dynamodb.item('app', shard(0).shardId);
        const counter = Number(item?.['leaseCounter']?.N);
        dynamodb.putItem('app', { ...item, leaseCounter: { N: String(counter + 1) } } as never);
      }, 1400);
      flush();
      expect(dynamodb.item('app', shard(0).shardId)?.['leaseOwner']).toBeUndefined();
    });
  });
});
