import { BehaviorSubject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { KinesisRecord } from '../src/record.js';
import { fromKinesis } from '../src/source/fromKinesis.js';
import { readKinesis } from '../src/source/readKinesis.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('readKinesis / fromKinesis (virtual time, FakeKinesis)', () => {
  it('pins LATEST to AT_TIMESTAMP(now) at subscribe: a record written before the iterator is ready is not lost', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 1);
      scheduler.schedule(() => fake.put('s', 'before', 'x'), 500);
      // GetShardIterator is throttled until 1200: the iterator comes after "during" was written
      fake.inject((call) =>
        call.command === 'GetShardIteratorCommand' && call.at < 1200
          ? { error: Object.assign(new Error('slow'), { name: 'LimitExceededException' }) }
          : undefined,
      );
      scheduler.schedule(() => fake.put('s', 'during', 'x'), 1100);
      scheduler.schedule(() => fake.put('s', 'after', 'x'), 1500);
      const keys: string[] = [];
      let subscription: { unsubscribe(): void } | undefined;
      scheduler.schedule(() => {
        subscription = fromKinesis(
          {
            stream: 's',
            client: fake,
            initialPosition: 'LATEST',
            backoff: { getShardIterator: { base: 1000, max: 1000, maxRetries: 50 } },
          },
          scheduler,
        ).subscribe((r) => keys.push(r.partitionKey));
      }, 1000);
      scheduler.schedule(() => subscription?.unsubscribe(), 3000);
      flush();
      const iterators = fake.callsOf('GetShardIteratorCommand');
      const granted = iterators[iterators.length - 1];
      expect(granted?.at).toBeGreaterThanOrEqual(1200);
      expect(granted?.input).toMatchObject({
        ShardIteratorType: 'AT_TIMESTAMP',
        Timestamp: new Date(1000),
      });
      // an iterator of type LATEST taken after 1100 would have lost "during"
      expect(keys).toEqual(['during', 'after']);
    });
  });

  it('carries the pause signal from the config to every shard reader', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 2);
      const paused = new BehaviorSubject(true);
      const sub = readKinesis(
        { stream: 's', client: fake, initialPosition: 'TRIM_HORIZON', paused },
        scheduler,
      ).subscribe();
      scheduler.schedule(() => paused.next(false), 1000);
      scheduler.schedule(() => sub.unsubscribe(), 1100);
      flush();
      // both shards start only when the pause ends
      expect(fake.callsOf('GetRecordsCommand').map((c) => c.at)).toEqual([1000, 1000]);
    });
  });

  it('keeps only the assigned shards, and the assigned children a closed parent announces', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 4);
      for (let i = 0; i < 40; i++) fake.put('s', `k${i}`, 'x');
      const shardsBy = (index: number): Set<string> => {
        const seen = new Set<string>();
        const sub = fromKinesis(
          {
            stream: 's',
            client: fake,
            initialPosition: 'TRIM_HORIZON',
            assignment: { index, count: 2 },
          },
          scheduler,
        ).subscribe((r: KinesisRecord) => seen.add(r.shardId));
        scheduler.schedule(() => sub.unsubscribe(), 500);
        flush();
        return seen;
      };
      const zero = shardsBy(0);
      const one = shardsBy(1);
      // uniform assigner: 4 equal ranges over 2 readers, 2 each, no overlap
      expect([...zero].sort()).toEqual(['shardId-000000000000', 'shardId-000000000001']);
      expect([...one].sort()).toEqual(['shardId-000000000002', 'shardId-000000000003']);
    });
  });

  it('emits nothing and sends nothing after an early unsubscribe', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 2);
      const sub = readKinesis({ stream: 's', client: fake }, scheduler).subscribe();
      scheduler.schedule(() => sub.unsubscribe(), 450);
      flush();
      const count = fake.calls.length;
      scheduler.schedule(() => undefined, 60_000);
      flush();
      expect(fake.calls.length).toBe(count);
      expect(fake.calls.every((c) => c.at <= 450)).toBe(true);
    });
  });
});
