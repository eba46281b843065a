import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { DiscoveredShard } from '../src/source/DiscoveredShard.js';
import { orderShards } from '../src/source/orderShards.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const shard = (shardId: string, ...parentShardIds: string[]): DiscoveredShard => ({
  stream: 's',
  shardId,
  parentShardIds,
  hashKeyRange: { startingHashKey: '0', endingHashKey: '1' },
});

// Shards: a and b are open roots, p is a parent split into x and y, m is the merge of a and b.
const shards = {
  a: shard('a'),
  b: shard('b'),
  p: shard('p'),
  x: shard('x', 'p'),
  y: shard('y', 'p'),
  m: shard('m', 'a', 'b'),
  o: shard('o', 'gone'),
};

/** A value a reading emits: the shard's own letter, maybe announcing children. */
interface Out {
  readonly letter: string;
  readonly children?: DiscoveredShard[];
}

describe('orderShards', () => {
  it('completes when no shard comes (empty)', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const read = (): Observable<Out> => cold('a|', { a: { letter: 'a' } });
      expectObservable(cold<DiscoveredShard>('|').pipe(orderShards(read))).toBe('|');
    });
  });

  it('reads one shard and completes after it (one)', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const read = (s: DiscoveredShard): Observable<string> => cold('-v|', { v: s.shardId });
      expectObservable(cold('a|', shards).pipe(orderShards(read))).toBe('-a|');
    });
  });

  it('reads unrelated shards at once, concurrently (many)', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      // read one after the other, b would come after a
      const read = (s: DiscoveredShard): Observable<string> =>
        s.shardId === 'a' ? cold('---a|') : cold('-b|');
      expectObservable(cold('(ab)|', shards).pipe(orderShards(read))).toBe('-b-a|');
    });
  });

  it('starts split children only after their parent ends', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const read = (s: DiscoveredShard): Observable<string> =>
        s.shardId === 'p' ? cold('---p|', { p: 'p' }) : cold('v|', { v: s.shardId });
      expectObservable(cold('(pxy)', shards).pipe(orderShards(read))).toBe('---p(xy)');
    });
  });

  it('starts a merged child only after BOTH parents end', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const read = (s: DiscoveredShard): Observable<string> =>
        ({
          a: cold('a|'),
          b: cold('-----b|'),
          m: cold('m|'),
        })[s.shardId] ?? cold('#');
      expectObservable(cold('(abm)', shards).pipe(orderShards(read))).toBe('a----bm');
    });
  });

  it('reads a child whose parent it never saw (expired, or another reader’s) at once', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const read = (s: DiscoveredShard): Observable<string> => cold('v|', { v: s.shardId });
      expectObservable(cold('o|', shards).pipe(orderShards(read))).toBe('o|');
    });
  });

  it('starts children announced by the parent’s last value as soon as it ends', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = {
        p: { letter: 'p', children: [shards.x, shards.y] },
        x: { letter: 'x' },
        y: { letter: 'y' },
      };
      const read = (s: DiscoveredShard): Observable<Out> =>
        s.shardId === 'p' ? cold('--p|', values) : cold('v|', { v: values[s.shardId as 'x'] });
      // only p is discovered; x and y come from its announcement
      expectObservable(
        cold('p', shards).pipe(orderShards(read, { childrenOf: (out) => out.children })),
      ).toBe('--p(xy)', values);
    });
  });

  it('does not read announced children that are not accepted (assignment)', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { p: { letter: 'p', children: [shards.x, shards.y] }, x: { letter: 'x' } };
      const read = (s: DiscoveredShard): Observable<Out> =>
        s.shardId === 'p' ? cold('p|', values) : cold('v|', { v: { letter: s.shardId } });
      expectObservable(
        cold('p|', shards).pipe(
          orderShards(read, {
            childrenOf: (out) => out.children,
            accepts: (s) => s.shardId === 'x',
          }),
        ),
      ).toBe('px|', values);
    });
  });

  it('skips shards finished per checkpoint and frees their children at once', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const read = (s: DiscoveredShard): Observable<string> => cold('v|', { v: s.shardId });
      expectObservable(
        cold('(pxy)|', shards).pipe(orderShards(read, { isFinished: (s) => s.shardId === 'p' })),
      ).toBe('(xy)-|');
    });
  });

  it('reads a shard seen twice (discovery and announcement) once', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      let reads = 0;
      const read = (s: DiscoveredShard): Observable<string> => {
        reads += 1;
        return cold('v|', { v: s.shardId });
      };
      expectObservable(cold('a-a-a|', shards).pipe(orderShards(read))).toBe('a----|');
      expect(reads).toBeLessThanOrEqual(1);
    });
  });

  it('fails with the first reading error (error)', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const read = (s: DiscoveredShard): Observable<string> =>
        s.shardId === 'b' ? cold('--#', {}, new Error('boom')) : cold('v', { v: s.shardId });
      expectObservable(cold('(ab)', shards).pipe(orderShards(read))).toBe(
        'a-#',
        undefined,
        new Error('boom'),
      );
    });
  });

  it('never starts the children of a parent that never ends (never-ending)', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const read = (s: DiscoveredShard): Observable<string> =>
        s.shardId === 'p' ? cold('p--p--p') : cold('v|', { v: s.shardId });
      expectObservable(cold('(pxy)|', shards).pipe(orderShards(read)), '^ 20ms !').toBe('p--p--p');
    });
  });

  it('unsubscribes every reading when unsubscribed early', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('a---a---a');
      const b = cold('-b---b---b');
      const read = (s: DiscoveredShard): Observable<string> => (s.shardId === 'a' ? a : b);
      expectObservable(cold('(ab)', shards).pipe(orderShards(read)), '^-----!').toBe('ab--ab');
      expectSubscriptions(a.subscriptions).toBe('^-----!');
      expectSubscriptions(b.subscriptions).toBe('^-----!');
    });
  });
});
