import { RegisterStreamConsumerCommand, SubscribeToShardCommand } from '@aws-sdk/client-kinesis';
import { BehaviorSubject, type Observable, asyncScheduler, lastValueFrom } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { DiscoveredShard } from '../src/source/DiscoveredShard.js';
import type { ShardBatch } from '../src/source/ShardEvent.js';
import type { ShardReaderContext } from '../src/source/ShardReader.js';
import type { StartPosition } from '../src/source/StartPosition.js';
import { shardRecordPrototype } from '../src/source/shardContext.js';
import { subscribeShard } from '../src/source/subscribeShard.js';
import { FakeFanOut, type FakeFanOutOptions } from '../src/testing/FakeFanOut.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';

const STREAM_ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/s';
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

interface Setup {
  kinesis: FakeKinesis;
  client: FakeFanOut;
  consumerArn: string;
  shard: DiscoveredShard;
}

function setup(options: FakeFanOutOptions = {}, shards = 1): Setup {
  const kinesis = new FakeKinesis();
  kinesis.createStream('s', shards);
  const client = new FakeFanOut(kinesis, { eventIntervalMs: 100, ...options });
  let consumerArn = '';
  void client
    .send(new RegisterStreamConsumerCommand({ StreamARN: STREAM_ARN, ConsumerName: 'c' }))
    .then((out) => (consumerArn = out.Consumer?.ConsumerARN ?? ''));
  const first = kinesis.shardsOf('s')[0]!;
  const shard: DiscoveredShard = {
    stream: 's',
    shardId: first.shardId,
    parentShardIds: [],
    hashKeyRange: { startingHashKey: '0', endingHashKey: first.endingHashKey.toString() },
  };
  return { kinesis, client, consumerArn, shard };
}

function context(client: FakeFanOut, paused?: Observable<boolean>): ShardReaderContext {
  return {
    client,
    scheduler: asyncScheduler,
    recordPrototype: shardRecordPrototype({ parentShardIds: [] }),
    ...(paused !== undefined ? { paused } : {}),
  };
}

/** Runs in virtual time; `script` may act at frames; returns `[frame, batch]` and the end. */
function run(
  s: Setup,
  start: StartPosition,
  script: (at: (frame: number, work: () => void) => void) => void,
  untilFrame = Infinity,
  options: Partial<Parameters<typeof subscribeShard>[0]> = {},
  paused?: Observable<boolean>,
): { batches: Array<[number, ShardBatch]>; end: string } {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const batches: Array<[number, ShardBatch]> = [];
  let end = 'open';
  scheduler.run(({ flush }) => {
    const at = (frame: number, work: () => void): void => {
      scheduler.schedule(work, frame);
    };
    script(at);
    const reader = subscribeShard({
      consumerArnOf: () => s.consumerArn,
      random: () => 0.5,
      ...options,
    });
    const subscription = reader(s.shard, start, context(s.client, paused)).subscribe({
      next: (b) => batches.push([scheduler.now(), b]),
      error: (e: unknown) =>
        (end = `error@${scheduler.now()}:${(e as Error).name}:${(e as Error).message}`),
      complete: () => (end = `complete@${scheduler.now()}`),
    });
    if (untilFrame !== Infinity) at(untilFrame, () => subscription.unsubscribe());
    flush();
  });
  return { batches, end };
}

const texts = (batches: Array<[number, ShardBatch]>): string[] =>
  batches.flatMap(([, b]) => b.records.map((r) => text(r.data)));

describe('subscribeShard', () => {
  it('empty shard, never-ending: no batch; early unsubscription closes the subscription', () => {
    const s = setup();
    const { batches, end } = run(s, { type: 'TRIM_HORIZON' }, () => undefined, 1_000);
    expect(batches).toEqual([]);
    expect(end).toBe('open');
    expect(s.client.openSubscriptions()).toEqual([]);
    expect(s.client.callsOf('SubscribeToShardCommand')).toHaveLength(1);
  });

  it('one and many: a batch per event, records in sequence order, with their shard and lag', () => {
    const s = setup();
    const { batches } = run(
      s,
      { type: 'TRIM_HORIZON' },
      (at) => {
        at(0, () => s.kinesis.put('s', 'k', 'r1'));
        at(150, () => {
          s.kinesis.put('s', 'k', 'r2');
          s.kinesis.put('s', 'k', 'r3');
        });
      },
      450,
    );
    expect(batches.map(([frame, b]) => [frame, b.records.map((r) => text(r.data))])).toEqual([
      [100, ['r1']],
      [200, ['r2', 'r3']],
    ]);
    const record = batches[0]![1].records[0]!;
    expect(record).toMatchObject({ stream: 's', shardId: s.shard.shardId, partitionKey: 'k' });
    expect(batches[1]![1].millisBehindLatest).toBe(0);
  });

  it('a closed shard ends with the ChildShards event: last batch carries the children', () => {
    const s = setup();
    const { batches, end } = run(s, { type: 'TRIM_HORIZON' }, (at) => {
      at(0, () => s.kinesis.put('s', 'k', 'before'));
      at(250, () => s.kinesis.splitShard('s', s.shard.shardId));
    });
    expect(texts(batches)).toEqual(['before']);
    const last = batches[batches.length - 1]![1];
    expect(last.childShards?.map((c) => c.shardId)).toEqual([
      'shardId-000000000001',
      'shardId-000000000002',
    ]);
    expect(last.childShards?.[0]?.parentShardIds).toEqual([s.shard.shardId]);
    expect(end).toBe('complete@300');
  });

  it('without a ChildShards event (kinesis-local) it learns the end from ListShards once caught up', () => {
    const s = setup({ childShardsEvent: false });
    const { batches, end } = run(
      s,
      { type: 'TRIM_HORIZON' },
      (at) => {
        at(0, () => s.kinesis.put('s', 'k', 'before'));
        at(250, () => s.kinesis.splitShard('s', s.shard.shardId));
      },
      Infinity,
      { closedShardCheckMs: 1_000 },
    );
    expect(texts(batches)).toEqual(['before']);
    expect(batches[batches.length - 1]![1].childShards).toHaveLength(2);
    // The first quiet event at or after 1,000 ms since the start triggers the check; the
    // shard ends at the first quiet event of a subscription opened after it (100 ms on).
    expect(end).toBe('complete@1100');
    expect(s.client.openSubscriptions()).toEqual([]);
  });

  it('re-subscribes when a subscription ends, after the last record: no loss, no duplicate', () => {
    const s = setup();
    const { batches } = run(
      s,
      { type: 'LATEST' },
      (at) => {
        at(50, () => s.kinesis.put('s', 'k', 'a'));
        at(150, () => s.client.endSubscriptions());
        at(160, () => s.kinesis.put('s', 'k', 'b'));
        at(170, () => s.client.endSubscriptions());
        at(180, () => s.kinesis.put('s', 'k', 'c'));
      },
      600,
    );
    expect(texts(batches)).toEqual(['a', 'b', 'c']);
    const calls = s.client.callsOf('SubscribeToShardCommand');
    expect(calls.map((c) => (c.input['StartingPosition'] as { Type: string }).Type)).toEqual([
      'LATEST',
      'AFTER_SEQUENCE_NUMBER',
      'AFTER_SEQUENCE_NUMBER',
    ]);
  });

  it('ResourceInUse from another open subscription: retries with backoff until it is free', () => {
    const s = setup();
    let other: AsyncIterator<unknown> | undefined;
    const { batches, end } = run(
      s,
      { type: 'TRIM_HORIZON' },
      (at) => {
        void s.client
          .send(
            new SubscribeToShardCommand({
              ConsumerARN: s.consumerArn,
              ShardId: s.shard.shardId,
              StartingPosition: { Type: 'LATEST' },
            }),
          )
          .then((out) => {
            other = (out.EventStream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
          });
        at(0, () => s.kinesis.put('s', 'k', 'x'));
        at(1_200, () => void other?.return?.());
      },
      3_000,
    );
    expect(end).toBe('open');
    expect(texts(batches)).toEqual(['x']);
    // full jitter with random 0.5: 500, 750, 1000 (capped): retries at 500, 1250.
    const frames = s.client.callsOf('SubscribeToShardCommand').map((c) => c.at);
    expect(frames).toEqual([0, 0, 500, 1250]);
  });

  it('gives up after the retry limit with a ShardReadError naming the shard', () => {
    const s = setup();
    s.consumerArn = `${STREAM_ARN}/consumer/missing:1`;
    const { end } = run(s, { type: 'TRIM_HORIZON' }, () => undefined);
    expect(end).toMatch(/^error@0:ShardReadError:SubscribeToShard failed for stream "s" shard/);
  });

  it('AT_SEQUENCE_NUMBER restore: the stored record itself is skipped, the rest follow', () => {
    const s = setup();
    let stored = '';
    const { batches } = run(
      s,
      { type: 'TRIM_HORIZON' },
      () => {
        s.kinesis.put('s', 'k', 'one');
        stored = s.kinesis.put('s', 'k', 'two').sequenceNumber;
        s.kinesis.put('s', 'k', 'three');
      },
      50,
    );
    expect(batches).toEqual([]);
    const restored = run(
      s,
      { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: stored, afterSubSequenceNumber: 0 },
      () => undefined,
      150,
    );
    expect(texts(restored.batches)).toEqual(['three']);
  });

  it('pauses: no event is pulled while paused, and reading resumes when released', () => {
    const s = setup();
    const paused = new BehaviorSubject(false);
    const { batches } = run(
      s,
      { type: 'TRIM_HORIZON' },
      (at) => {
        at(0, () => s.kinesis.put('s', 'k', 'a'));
        at(120, () => {
          paused.next(true);
          s.kinesis.put('s', 'k', 'b');
        });
        at(500, () => paused.next(false));
      },
      800,
      {},
      paused,
    );
    // 'b' was already requested at 100 (the event due at 200 is delivered), then nothing
    // is pulled until 500; the next event comes 100 ms after being asked for.
    expect(batches.map(([frame, b]) => [frame, b.records.length])).toEqual([
      [100, 1],
      [200, 1],
    ]);
    expect(s.client.openSubscriptions()).toEqual([]);
  });

  it('an error from the stream on a live subscription passes through as ShardReadError', async () => {
    const kinesis = new FakeKinesis();
    kinesis.createStream('s', 1);
    const failing = {
      send: () =>
        Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDeniedException' })),
    };
    const reader = subscribeShard({ consumerArnOf: () => 'arn' });
    await expect(
      lastValueFrom(
        reader(
          {
            stream: 's',
            shardId: 'shardId-000000000000',
            parentShardIds: [],
            hashKeyRange: { startingHashKey: '0', endingHashKey: '1' },
          },
          { type: 'LATEST' },
          { ...context(failing as unknown as FakeFanOut) },
        ),
      ),
    ).rejects.toMatchObject({ name: 'ShardReadError', shardId: 'shardId-000000000000' });
  });
});

describe('subscribeShard: user callbacks that throw', () => {
  const boom = new Error('user callback broke');
  const thrower = (): never => {
    throw boom;
  };

  it('a throwing onFetch is the one error; the subscription is closed, no new one opened', () => {
    const s = setup();
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const errors: unknown[] = [];
    scheduler.run(({ flush }) => {
      scheduler.schedule(() => s.kinesis.put('s', 'k', 'x'), 0);
      const subscription = subscribeShard({
        consumerArnOf: () => s.consumerArn,
        random: () => 0.5,
      })(s.shard, { type: 'TRIM_HORIZON' }, { ...context(s.client), onFetch: thrower }).subscribe({
        error: (e: unknown) => errors.push(e),
      });
      scheduler.schedule(() => subscription.unsubscribe(), 3_000);
      flush();
    });
    expect(errors).toEqual([boom]);
    expect(s.client.openSubscriptions()).toEqual([]);
    expect(s.client.callsOf('SubscribeToShardCommand')).toHaveLength(1);
  });

  it('a throwing random (retry jitter) is the one error, with no retry', () => {
    const s = setup();
    let other: AsyncIterator<unknown> | undefined;
    const { end } = run(
      s,
      { type: 'TRIM_HORIZON' },
      () => {
        void s.client
          .send(
            new SubscribeToShardCommand({
              ConsumerARN: s.consumerArn,
              ShardId: s.shard.shardId,
              StartingPosition: { Type: 'LATEST' },
            }),
          )
          .then((out) => {
            other = (out.EventStream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
          });
      },
      3_000,
      { random: thrower },
    );
    void other?.return?.();
    expect(end).toBe('error@0:Error:user callback broke');
    // the other subscription's, and ours refused with ResourceInUse: none after it
    expect(s.client.callsOf('SubscribeToShardCommand')).toHaveLength(2);
  });
});
