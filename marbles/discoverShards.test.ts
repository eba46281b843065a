import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { KinesisCallError, StreamNotFoundError } from '../src/client/errors.js';
import type { DiscoveredShard } from '../src/source/DiscoveredShard.js';
import { discoverShards } from '../src/source/discoverShards.js';
import { FakeKinesis, type FakeShard, kinesisError } from '../src/testing/FakeKinesis.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const discovered = (stream: string, shard: FakeShard): DiscoveredShard => ({
  stream,
  shardId: shard.shardId,
  parentShardIds: [shard.parentShardId, shard.adjacentParentShardId].filter(
    (id): id is string => id !== undefined,
  ),
  hashKeyRange: {
    startingHashKey: shard.startingHashKey.toString(),
    endingHashKey: shard.endingHashKey.toString(),
  },
  ...(shard.endingSequenceNumber !== undefined
    ? { endingSequenceNumber: shard.endingSequenceNumber }
    : {}),
});
const shardsOf = (fake: FakeKinesis, stream: string): DiscoveredShard[] =>
  fake.shardsOf(stream).map((shard) => discovered(stream, shard));
const listCalls = (fake: FakeKinesis): number[] =>
  fake.callsOf('ListShardsCommand').map((call) => call.at);

describe('discoverShards', () => {
  it('completes at once for no streams (empty)', () => {
    testScheduler().run(({ expectObservable }) => {
      const fake = new FakeKinesis();
      expectObservable(discoverShards(fake, [])).toBe('|');
    });
  });

  it('emits the one shard of a stream once, however often it lists (one, never-ending)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 1);
      const [a] = shardsOf(fake, 's');
      expectObservable(discoverShards(fake, ['s'], {}, scheduler), '^ 35s !').toBe('a', { a });
      scheduler.schedule(() => {
        // listed at 0, then 10 s after each listing ends (ListShards answers at once here)
        expect(listCalls(fake)).toEqual([0, 10_000, 20_000, 30_000]);
      }, 35_000);
    });
  });

  it('pages through many shards with NextToken, never sending StreamName with it (many)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 5);
      const [a, b, c, d, e] = shardsOf(fake, 's');
      expectObservable(
        discoverShards(fake, ['s'], { pageSize: 2, intervalMs: 60_000 }, scheduler),
        '^ 1s !',
      ).toBe('(abcde)', { a, b, c, d, e });
      scheduler.schedule(() => {
        const inputs = fake.callsOf('ListShardsCommand').map((call) => call.input);
        expect(inputs).toEqual([
          { StreamName: 's', MaxResults: 2 },
          { NextToken: expect.any(String), MaxResults: 2 },
          { NextToken: expect.any(String), MaxResults: 2 },
        ]);
      }, 1000);
    });
  });

  it('emits new shards at the next discovery, parents and children each once', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 2);
      const [a, b] = shardsOf(fake, 's');
      scheduler.schedule(() => {
        fake.splitShard('s', 'shardId-000000000000');
      }, 15_000);
      const [x, y] = ['shardId-000000000002', 'shardId-000000000003'];
      const expected = {
        a,
        b,
        x: expect.objectContaining({ shardId: x, parentShardIds: ['shardId-000000000000'] }),
        y: expect.objectContaining({ shardId: y, parentShardIds: ['shardId-000000000000'] }),
      };
      expectObservable(
        discoverShards(fake, ['s'], { intervalMs: 10_000 }, scheduler),
        '^ 25s !',
      ).toBe('(ab) 19996ms (xy)', expected);
    });
  });

  it('lists again only the shards after the newest one seen (AFTER_SHARD_ID), deduped', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 3);
      const [a, b, c] = shardsOf(fake, 's');
      scheduler.schedule(() => {
        fake.splitShard('s', 'shardId-000000000001');
      }, 15_000);
      const child = (id: string): unknown =>
        expect.objectContaining({ shardId: id, parentShardIds: ['shardId-000000000001'] });
      // This fake, like kinesalite, ignores ShardFilter and lists everything: nothing twice.
      expectObservable(
        discoverShards(fake, ['s'], { intervalMs: 10_000, pageSize: 2 }, scheduler),
        '^ 25s !',
      ).toBe('(abc) 19995ms (xy)', {
        a,
        b,
        c,
        x: child('shardId-000000000003'),
        y: child('shardId-000000000004'),
      });
      flush();
      const inputs = fake.callsOf('ListShardsCommand').map((call) => call.input);
      const after = (id: string): object => ({
        StreamName: 's',
        MaxResults: 2,
        ShardFilter: { Type: 'AFTER_SHARD_ID', ShardId: id },
      });
      const more = { NextToken: expect.any(String), MaxResults: 2 };
      expect(inputs).toEqual([
        { StreamName: 's', MaxResults: 2 },
        more,
        // at 10 s: after the newest shard (the fake ignores the filter: 2 pages again)
        after('shardId-000000000002'),
        more,
        // at 20 s, after the split (3 and 4 are new)
        after('shardId-000000000002'),
        more,
        more,
      ]);
    });
  });

  it('restarts a listing after the last shard it got when the NextToken expired', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 3);
      const [a, b, c] = shardsOf(fake, 's');
      let expired = false;
      fake.inject((call) => {
        if (call.command !== 'ListShardsCommand' || call.input['NextToken'] === undefined)
          return undefined;
        if (expired) return undefined;
        expired = true;
        return { error: kinesisError('ExpiredNextTokenException', 'token expired') };
      });
      expectObservable(
        discoverShards(fake, ['s'], { intervalMs: 10_000, pageSize: 2 }, scheduler),
        '^ 5s !',
      ).toBe('(abc)', { a, b, c });
      flush();
      expect(fake.callsOf('ListShardsCommand').map((call) => call.input)).toEqual([
        { StreamName: 's', MaxResults: 2 },
        { NextToken: expect.any(String), MaxResults: 2 },
        // expired: again, after the last shard the listing got (the fake ignores the filter)
        {
          StreamName: 's',
          MaxResults: 2,
          ShardFilter: { Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000001' },
        },
        { NextToken: expect.any(String), MaxResults: 2 },
      ]);
    });
  });

  it('fails with KinesisCallError when the NextToken keeps expiring past maxRetries', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 3);
      fake.inject((call) =>
        call.command === 'ListShardsCommand' && call.input['NextToken'] !== undefined
          ? { error: kinesisError('ExpiredNextTokenException', 'token expired') }
          : undefined,
      );
      expectObservable(
        discoverShards(
          fake,
          ['s'],
          { pageSize: 1, backoff: { base: 1, max: 1, expConst: 1, maxRetries: 2 } },
          scheduler,
        ),
      ).toBe('#', undefined, expect.any(KinesisCallError));
    });
  });

  it('discovers several streams at once', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('one', 1);
      fake.createStream('two', 2);
      const [a] = shardsOf(fake, 'one');
      const [b, c] = shardsOf(fake, 'two');
      expectObservable(discoverShards(fake, ['one', 'two'], {}, scheduler), '^ 1s !').toBe(
        '(abc)',
        { a, b, c },
      );
    });
  });

  it('puts a parent before its children even when a listing names the child first', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 1);
      fake.splitShard('s', 'shardId-000000000000');
      const [p, x, y] = shardsOf(fake, 's');
      // a listing in reverse order
      fake.inject((call) => {
        if (call.command !== 'ListShardsCommand') return undefined;
        const shards = fake.shardsOf('s').slice().reverse();
        return {
          response: {
            Shards: shards.map((s) => ({
              ShardId: s.shardId,
              ...(s.parentShardId !== undefined ? { ParentShardId: s.parentShardId } : {}),
              HashKeyRange: {
                StartingHashKey: s.startingHashKey.toString(),
                EndingHashKey: s.endingHashKey.toString(),
              },
              SequenceNumberRange: {
                StartingSequenceNumber: s.startingSequenceNumber,
                ...(s.endingSequenceNumber !== undefined
                  ? { EndingSequenceNumber: s.endingSequenceNumber }
                  : {}),
              },
            })),
          },
        };
      });
      expectObservable(discoverShards(fake, ['s'], {}, scheduler), '^ 1s !').toBe('(pyx)', {
        p,
        x,
        y,
      });
    });
  });

  it('fails with StreamNotFoundError naming a missing stream (error)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const fake = new FakeKinesis({ scheduler });
      const error = new StreamNotFoundError('nope');
      expectObservable(discoverShards(fake, ['nope'], {}, scheduler)).toBe(
        '#',
        undefined,
        expect.objectContaining({
          name: 'StreamNotFoundError',
          stream: 'nope',
          message: error.message,
        }),
      );
    });
  });

  it('retries a throttled ListShards with the listShards backoff', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 1);
      const [a] = shardsOf(fake, 's');
      fake.failNext('ListShardsCommand', 'LimitExceededException', 2);
      // full jitter with random 0.5: 0.5 * 1000, then 0.5 * 1500
      expectObservable(
        discoverShards(fake, ['s'], { random: () => 0.5 }, scheduler),
        '^ 2s !',
      ).toBe('1250ms a', { a });
      scheduler.schedule(() => expect(listCalls(fake)).toEqual([0, 500, 1250]), 2000);
    });
  });

  it('fails with KinesisCallError on a non-retryable error', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 1);
      fake.failNext('ListShardsCommand', 'AccessDeniedException');
      expectObservable(discoverShards(fake, ['s'], {}, scheduler)).toBe(
        '#',
        undefined,
        expect.any(KinesisCallError),
      );
    });
  });

  it('stops listing when unsubscribed early', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 1);
      const [a] = shardsOf(fake, 's');
      expectObservable(discoverShards(fake, ['s'], {}, scheduler), '^ 15s !').toBe('a', { a });
      flush();
      scheduler.schedule(() => undefined, 60_000);
      flush();
      expect(listCalls(fake)).toEqual([0, 10_000]);
    });
  });
});
