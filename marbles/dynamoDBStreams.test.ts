import { map, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { checkpoints } from '../src/checkpoint/checkpoints.js';
import type { CheckpointState } from '../src/checkpoint/CheckpointState.js';
import { ShardReadError } from '../src/client/errors.js';
import type { DynamoDBStreamRecord } from '../src/dynamodbstreams/DynamoDBStreamRecord.js';
import { fromDynamoDBStreams } from '../src/dynamodbstreams/fromDynamoDBStreams.js';
import { readDynamoDBStreams } from '../src/dynamodbstreams/readDynamoDBStreams.js';
import { isWatermark } from '../src/time/Watermark.js';
import { watermarks } from '../src/time/watermarks.js';
import { FakeDynamoDBStreams } from '../test/dynamodbstreams/FakeDynamoDBStreams.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const configOf = (fake: FakeDynamoDBStreams, streamArn: string) =>
  ({ streamArn, client: fake, initialPosition: 'TRIM_HORIZON' }) as const;
const key = (record: DynamoDBStreamRecord): string => String(record.keys.pk);

describe('fromDynamoDBStreams (virtual time, in-memory DynamoDB Streams)', () => {
  it('empty: an empty open shard emits nothing and never completes', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const fake = new FakeDynamoDBStreams(scheduler);
      const arn = fake.createStream('orders');
      expectObservable(fromDynamoDBStreams(configOf(fake, arn), scheduler), '^ 30s !').toBe('');
    });
  });

  it('one: a change with its keys and images as plain objects, at once', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const fake = new FakeDynamoDBStreams(scheduler);
      const arn = fake.createStream('orders');
      const shardId = firstShard(fake, arn);
      fake.change(
        arn,
        shardId,
        'MODIFY',
        { pk: 'a' },
        {
          newImage: { pk: 'a', n: 2, tags: new Set(['x']) },
          oldImage: { pk: 'a', n: 1 },
        },
      );
      const source = fromDynamoDBStreams(configOf(fake, arn), scheduler).pipe(
        map((r) => ({
          stream: r.stream,
          shardId: r.shardId,
          eventName: r.eventName,
          keys: r.keys,
          newImage: r.newImage,
          oldImage: r.oldImage,
          at: r.approximateCreationDateTime.getTime(),
        })),
      );
      expectObservable(source, '^ 5s !').toBe('a', {
        a: {
          stream: arn,
          shardId,
          eventName: 'MODIFY',
          keys: { pk: 'a' },
          newImage: { pk: 'a', n: 2, tags: new Set(['x']) },
          oldImage: { pk: 'a', n: 1 },
          at: 0,
        },
      });
    });
  });

  it('many: 2,500 changes in order, at most 1,000 a call, calls ≥ 250 ms apart and ≤ 4 a second', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeDynamoDBStreams(scheduler);
      const arn = fake.createStream('orders');
      const shardId = firstShard(fake, arn);
      for (let i = 0; i < 2500; i++) fake.change(arn, shardId, 'INSERT', { pk: `k${i}` });
      const keys: string[] = [];
      const sub = fromDynamoDBStreams(configOf(fake, arn), scheduler).subscribe((r) =>
        keys.push(key(r)),
      );
      scheduler.schedule(() => sub.unsubscribe(), 5000);
      flush();
      expect(keys).toEqual(Array.from({ length: 2500 }, (_, i) => `k${i}`));
      const calls = fake.callsOf('GetRecordsCommand');
      expect(calls.every((c) => c.input.Limit === 1000)).toBe(true);
      for (let i = 1; i < calls.length; i++) {
        expect((calls[i]?.at ?? 0) - (calls[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(250);
      }
      for (let i = 4; i < calls.length; i++) {
        expect((calls[i]?.at ?? 0) - (calls[i - 4]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
      }
      // full batches come back to back (250 ms apart); the third is short: caught up, wait 500 ms
      expect(calls.slice(0, 5).map((c) => c.at)).toEqual([0, 250, 500, 1000, 1500]);
    });
  });

  it('parents first: a child (rolled shard) is read only after its parent to its end, found by rediscovery', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeDynamoDBStreams(scheduler);
      const arn = fake.createStream('orders');
      const parent = firstShard(fake, arn);
      for (let i = 0; i < 3; i++)
        fake.change(arn, parent, 'INSERT', { pk: 'same' }, { newImage: { v: i } });
      const child = fake.roll(arn, parent);
      for (let i = 3; i < 6; i++)
        fake.change(arn, child, 'MODIFY', { pk: 'same' }, { newImage: { v: i } });
      const seen: Array<[string, unknown]> = [];
      const events: string[] = [];
      const sub = readDynamoDBStreams(configOf(fake, arn), scheduler).subscribe((e) => {
        if ('type' in e) events.push(`${e.type} ${e.shardId === parent ? 'parent' : 'child'}`);
        else seen.push([e.shardId === parent ? 'parent' : 'child', e.newImage?.v]);
      });
      // a child born later is found by the next DescribeStream, paged from the last shard seen
      scheduler.schedule(() => {
        const grandchild = fake.roll(arn, child);
        fake.change(arn, grandchild, 'REMOVE', { pk: 'same' }, { oldImage: { v: 5 } });
      }, 3000);
      scheduler.schedule(() => sub.unsubscribe(), 25_000);
      flush();
      expect(seen).toEqual([
        ['parent', 0],
        ['parent', 1],
        ['parent', 2],
        ['child', 3],
        ['child', 4],
        ['child', 5],
        ['child', undefined],
      ]);
      expect(events.slice(0, 3)).toEqual([
        'shardStarted parent',
        'shardFinished parent',
        'shardStarted child',
      ]);
      const listings = fake.callsOf('DescribeStreamCommand');
      expect(listings[0]?.input).not.toHaveProperty('ExclusiveStartShardId');
      expect(listings[1]?.input).toMatchObject({ ExclusiveStartShardId: child });
    });
  });

  it('pages DescribeStream by describeStreamPageSize, each page from the last shard of the one before', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeDynamoDBStreams(scheduler);
      const arn = fake.createStream('orders', 5);
      const sub = fromDynamoDBStreams(
        { ...configOf(fake, arn), describeStreamPageSize: 2 },
        scheduler,
      ).subscribe();
      scheduler.schedule(() => sub.unsubscribe(), 100);
      flush();
      const pages = fake.callsOf('DescribeStreamCommand').map((c) => c.input);
      const ids = fake.calls
        .filter((c) => c.command === 'GetShardIteratorCommand')
        .map((c) => c.input.ShardId);
      expect(pages).toHaveLength(3);
      expect(pages.map((p) => p.Limit)).toEqual([2, 2, 2]);
      expect(pages[1]?.ExclusiveStartShardId).toBe(ids[1]);
      expect(pages[2]?.ExclusiveStartShardId).toBe(ids[3]);
      expect(new Set(ids).size).toBe(5);
    });
  });

  it('restores after the stored position; a finished parent is not read again; an unread shard starts at the pinned start', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeDynamoDBStreams(scheduler);
      const arn = fake.createStream('orders', 2);
      const [a, b] = shardIds(fake, arn);
      for (let i = 0; i < 4; i++) fake.change(arn, a as string, 'INSERT', { pk: `a${i}` });
      for (let i = 0; i < 2; i++) fake.change(arn, b as string, 'INSERT', { pk: `b${i}` });
      const child = fake.roll(arn, a as string);
      fake.change(arn, child, 'INSERT', { pk: 'c0' });

      // first run: handles a0, a1 only (shard b has nothing handled yet)
      let state: CheckpointState | undefined;
      const first = fromDynamoDBStreams(configOf(fake, arn), scheduler)
        .pipe(take(2), checkpoints())
        .subscribe((s) => (state = structuredClone(s)));
      first.unsubscribe();
      expect(state?.shards[`${arn}/${a}`]).toMatchObject({ sequenceNumber: expect.any(String) });

      const keys: string[] = [];
      const sub = fromDynamoDBStreams(
        { ...configOf(fake, arn), initialPosition: 'LATEST', checkpoint: state },
        scheduler,
      ).subscribe((r) => keys.push(key(r)));
      scheduler.schedule(() => sub.unsubscribe(), 5000);
      flush();
      // a after a1; b from its pinned start (TRIM_HORIZON), not from LATEST; the child after its parent
      expect(keys.filter((k) => k.startsWith('a'))).toEqual(['a2', 'a3']);
      expect(keys.filter((k) => k.startsWith('b'))).toEqual(['b0', 'b1']);
      expect(keys.indexOf('c0')).toBeGreaterThan(keys.indexOf('a3'));
      const resumed = fake
        .callsOf('GetShardIteratorCommand')
        .find(
          (c) => c.input.ShardId === a && c.input.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER',
        );
      expect(resumed).toBeDefined();
    });
  });

  it('LATEST on a first start: closed shards skipped, open ones from LATEST, later shards from their start', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeDynamoDBStreams(scheduler);
      const arn = fake.createStream('orders');
      const old = firstShard(fake, arn);
      fake.change(arn, old, 'INSERT', { pk: 'before-closed' });
      const open = fake.roll(arn, old);
      fake.change(arn, open, 'INSERT', { pk: 'before-open' });
      const keys: string[] = [];
      const sub = fromDynamoDBStreams({ streamArn: arn, client: fake }, scheduler).subscribe((r) =>
        keys.push(key(r)),
      );
      scheduler.schedule(() => fake.change(arn, open, 'INSERT', { pk: 'after-open' }), 1000);
      scheduler.schedule(() => {
        const next = fake.roll(arn, open);
        fake.change(arn, next, 'INSERT', { pk: 'in-new-shard' });
      }, 2000);
      scheduler.schedule(() => sub.unsubscribe(), 30_000);
      flush();
      expect(keys).toEqual(['after-open', 'in-new-shard']);
      const iterators = fake
        .callsOf('GetShardIteratorCommand')
        .map((c) => c.input.ShardIteratorType);
      expect(iterators).toEqual(['LATEST', 'TRIM_HORIZON']);
    });
  });

  it('a restart after LATEST keeps the pinned start: an unread shard is read from its trim horizon, older changes skipped', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeDynamoDBStreams(scheduler);
      const arn = fake.createStream('orders', 2);
      const [a, b] = shardIds(fake, arn);
      fake.change(arn, b as string, 'INSERT', { pk: 'b-before' });
      let state: CheckpointState | undefined;
      // the first run starts at 2000 and handles one change of shard a at 3000
      scheduler.schedule(() => {
        fromDynamoDBStreams({ streamArn: arn, client: fake }, scheduler)
          .pipe(take(1), checkpoints())
          .subscribe((s) => (state = structuredClone(s)));
      }, 2000);
      scheduler.schedule(() => fake.change(arn, a as string, 'INSERT', { pk: 'a-after' }), 3000);
      // written into b while the first run reads and after it stopped
      scheduler.schedule(() => fake.change(arn, b as string, 'INSERT', { pk: 'b-after' }), 4000);
      const keys: string[] = [];
      scheduler.schedule(() => {
        const sub = fromDynamoDBStreams(
          { streamArn: arn, client: fake, checkpoint: state },
          scheduler,
        ).subscribe((r) => keys.push(key(r)));
        scheduler.schedule(() => sub.unsubscribe(), 5000);
      }, 6000);
      flush();
      expect(state?.starts[arn]).toEqual({ atTimestamp: new Date(2000).toISOString() });
      expect(keys).toEqual(['b-after']);
    });
  });

  it('error: a GetRecords failure that is not retryable is a ShardReadError; throttling is retried', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeDynamoDBStreams(scheduler);
      const arn = fake.createStream('orders');
      const shardId = firstShard(fake, arn);
      fake.change(arn, shardId, 'INSERT', { pk: 'a' });
      let calls = 0;
      fake.failWhen((call) => {
        if (call.command !== 'GetRecordsCommand') return undefined;
        calls += 1;
        if (calls <= 2)
          return Object.assign(new Error('slow down'), { name: 'LimitExceededException' });
        if (call.at >= 2000)
          return Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
        return undefined;
      });
      const got: string[] = [];
      let error: unknown;
      let errorAt = -1;
      fromDynamoDBStreams(
        { ...configOf(fake, arn), backoff: { getRecords: { base: 100, max: 100 } } },
        scheduler,
      ).subscribe({
        next: (r) => got.push(key(r)),
        error: (e: unknown) => {
          error = e;
          errorAt = scheduler.now();
        },
      });
      flush();
      expect(got).toEqual(['a']);
      expect(error).toBeInstanceOf(ShardReadError);
      expect(error).toMatchObject({ stream: arn, shardId, operation: 'GetRecords' });
      expect(errorAt).toBeGreaterThanOrEqual(2000);
      expect(errorAt).toBeLessThan(2600);
    });
  });

  it('early unsubscribe: no call is made after it', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeDynamoDBStreams(scheduler);
      const arn = fake.createStream('orders', 3);
      const sub = fromDynamoDBStreams(configOf(fake, arn), scheduler).subscribe();
      scheduler.schedule(() => sub.unsubscribe(), 1234);
      scheduler.schedule(() => undefined, 60_000);
      flush();
      expect(fake.calls.length).toBeGreaterThan(3);
      expect(fake.calls.every((c) => c.at <= 1234)).toBe(true);
    });
  });

  it('user callbacks that throw (wrapNumbers, onFetch) are errors on the Observable', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const fake = new FakeDynamoDBStreams(scheduler);
      const arn = fake.createStream('orders');
      fake.change(arn, firstShard(fake, arn), 'INSERT', { pk: 'a', n: 1 });
      const boom = new Error('boom');
      const throwing = (): never => {
        throw boom;
      };
      expectObservable(
        fromDynamoDBStreams({ ...configOf(fake, arn), wrapNumbers: throwing }, scheduler),
      ).toBe('#', undefined, boom);
      expectObservable(
        fromDynamoDBStreams({ ...configOf(fake, arn), onFetch: throwing }, scheduler),
      ).toBe('#', undefined, boom);
    });
  });

  it('wrapNumbers: true keeps numbers exact', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeDynamoDBStreams(scheduler);
      const arn = fake.createStream('orders');
      fake.change(arn, firstShard(fake, arn), 'INSERT', { pk: 'a' }, { newImage: { n: 1.5 } });
      let image: Record<string, unknown> | undefined;
      fromDynamoDBStreams({ ...configOf(fake, arn), wrapNumbers: true }, scheduler)
        .pipe(take(1))
        .subscribe((r) => (image = r.newImage));
      flush();
      expect(String(image?.n)).toBe('1.5');
      expect(typeof image?.n).toBe('object');
    });
  });

  it('watermarks follow approximateCreationDateTime', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeDynamoDBStreams(scheduler);
      const arn = fake.createStream('orders');
      const shardId = firstShard(fake, arn);
      scheduler.schedule(() => fake.change(arn, shardId, 'INSERT', { pk: 'a' }), 3000);
      scheduler.schedule(() => fake.change(arn, shardId, 'INSERT', { pk: 'b' }), 7400);
      const marks: number[] = [];
      const sub = readDynamoDBStreams(configOf(fake, arn), scheduler)
        .pipe(watermarks({ idleIntervalMs: 'off' }, scheduler))
        .subscribe((e) => {
          if (isWatermark(e)) marks.push(e.timestamp);
        });
      scheduler.schedule(() => sub.unsubscribe(), 10_000);
      flush();
      // creation times are whole seconds: 3000 and 7000
      expect(marks).toEqual([3000, 7000]);
    });
  });

  it('checkpoints() keeps the shard context of a copied record (plain data): the parent is marked finished', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeDynamoDBStreams(scheduler);
      const arn = fake.createStream('orders');
      const parent = firstShard(fake, arn);
      fake.change(arn, parent, 'INSERT', { pk: 'p' });
      const child = fake.roll(arn, parent);
      fake.change(arn, child, 'INSERT', { pk: 'c' });
      let state: CheckpointState | undefined;
      fromDynamoDBStreams(configOf(fake, arn), scheduler)
        .pipe(
          map((r) => structuredClone(r)),
          take(2),
          checkpoints(),
        )
        .subscribe((s) => (state = s));
      flush();
      expect(JSON.parse(JSON.stringify(state))).toEqual({
        version: 1,
        starts: { [arn]: 'TRIM_HORIZON' },
        shards: {
          [`${arn}/${parent}`]: { sequenceNumber: expect.any(String), finished: true },
          [`${arn}/${child}`]: { sequenceNumber: expect.any(String), parentShardIds: [parent] },
        },
      });
    });
  });
});

function shardIds(fake: FakeDynamoDBStreams, arn: string): string[] {
  const description = (
    fake as unknown as {
      answer(call: object): { StreamDescription: { Shards: Array<{ ShardId: string }> } };
    }
  ).answer({ command: 'DescribeStreamCommand', input: { StreamArn: arn }, at: 0 });
  fake.calls.length = 0;
  return description.StreamDescription.Shards.map((s) => s.ShardId);
}

function firstShard(fake: FakeDynamoDBStreams, arn: string): string {
  return shardIds(fake, arn)[0] as string;
}
