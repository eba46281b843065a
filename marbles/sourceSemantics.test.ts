import { type Observable, type Subscription, map } from 'rxjs';
import { checkpoints } from '../src/checkpoint/checkpoints.js';
import type { CheckpointState } from '../src/checkpoint/CheckpointState.js';
import { RegisterStreamConsumerCommand } from '@aws-sdk/client-kinesis';
import type { KinesisPort } from '../src/client/KinesisPort.js';
import { encodeAggregatedRecord } from '../src/kpl/encodeAggregatedRecord.js';
import type { DiscoveredShard } from '../src/source/DiscoveredShard.js';
import { orderShards } from '../src/source/orderShards.js';
import { readKinesis } from '../src/source/readKinesis.js';
import { isShardEvent } from '../src/source/ShardEvent.js';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { KinesisRecord } from '../src/record.js';
import { fromKinesis } from '../src/source/fromKinesis.js';
import type { SourceConfig } from '../src/source/SourceConfig.js';
import { FakeFanOut } from '../src/testing/FakeFanOut.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';
import { shardRecordPrototype } from '../src/source/shardContext.js';
import { subscribeShard } from '../src/source/subscribeShard.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const SHARD = (n: number): string => `shardId-${String(n).padStart(12, '0')}`;
const HALF = 1n << 127n;
const QUARTER = 1n << 126n;

/** Subscribes from `from` to `to` (virtual ms), collecting records. */
function collect(
  scheduler: TestScheduler,
  config: () => SourceConfig,
  from: number,
  to: number,
  into: KinesisRecord[],
): void {
  let subscription: Subscription | undefined;
  scheduler.schedule(() => {
    subscription = fromKinesis(config(), scheduler).subscribe((r) => into.push(r));
  }, from);
  scheduler.schedule(() => subscription?.unsubscribe(), to);
}

describe('source semantics (virtual time, FakeKinesis)', () => {
  it('orderShards: an announced child waits for an unseen parent only while an older overlapping shard is unfinished', () => {
    const shard = (n: number, from: number, to: number, ...parents: number[]): DiscoveredShard => ({
      stream: 's',
      shardId: SHARD(n),
      parentShardIds: parents.map(SHARD),
      hashKeyRange: { startingHashKey: String(from), endingHashKey: String(to) },
    });
    // 1 ends announcing 5 = merge of 1 and 3; 3 was never seen
    const child = shard(5, 0, 19, 1, 3);
    for (const [other, expected] of [
      // 2 covers 3's range: 3 may still be among 2's children, so 5 waits for 2
      [shard(2, 10, 29), '-a---bc'],
      // 2 is elsewhere: 3 is another reader's (or expired), so 5 starts when 1 ends
      [shard(2, 20, 29), '-ac--b'],
    ] as const) {
      testScheduler().run(({ cold, expectObservable }) => {
        const read = (
          s: DiscoveredShard,
        ): Observable<{ v: string; children?: DiscoveredShard[] }> =>
          s.shardId === SHARD(1)
            ? cold('-a|', { a: { v: 'a', children: [child] } })
            : s.shardId === SHARD(2)
              ? cold('-----b|', { b: { v: 'b' } })
              : cold('c', { c: { v: 'c' } });
        expectObservable(
          cold('(xy)', { x: shard(1, 0, 9), y: other }).pipe(
            orderShards(read, { childrenOf: (out) => out.children }),
            map((out) => out.v),
          ),
        ).toBe(expected);
      });
    }
  });

  it('split, split again, merge a child with a grandchild: the merged shard waits for the grandchild it never saw listed', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 1);
      // one key range that moves 0 -> 2 -> 3 -> 5 across the reshards
      const x = (HALF + 5n).toString();
      const written: string[] = [];
      const put = (key: string, hash: string): void => {
        fake.put('s', key, key, hash);
        written.push(key);
      };
      put('x0', x);
      put('low0', '5');
      // after the first listing, before the first fetch: only shard 0 was ever listed
      scheduler.schedule(() => {
        fake.splitShard('s', SHARD(0)); // 1 = [0, HALF), 2 = [HALF, MAX]
        // shard 2 needs three fetches (maxRecords 1), shard 1 one
        put('x1', x);
        put('y1', (HALF + 7n).toString());
        put('z1', (3n * QUARTER + 9n).toString());
        put('low1', '5');
        fake.splitShard('s', SHARD(2)); // 3 = [HALF, 3Q), 4 = [3Q, MAX]
        put('x2', x);
        put('high0', (3n * QUARTER + 5n).toString());
        fake.mergeShards('s', SHARD(1), SHARD(3)); // 5 = [0, 3Q), parents 1 and 3
        put('x3', x);
        put('low2', '5');
      }, 50);
      const records: KinesisRecord[] = [];
      collect(
        scheduler,
        () => ({
          stream: 's',
          client: fake,
          initialPosition: 'TRIM_HORIZON',
          discoveryIntervalMs: 60_000,
          polling: { maxRecords: 1 },
        }),
        0,
        5000,
        records,
      );
      flush();
      const keys = records.map((r) => r.partitionKey);
      expect([...keys].sort()).toEqual([...written].sort());
      // shard 5 must not be read before shard 3, which shard 2's end announces
      expect(keys.filter((k) => k.startsWith('x'))).toEqual(['x0', 'x1', 'x2', 'x3']);
      expect(keys.filter((k) => k.startsWith('low'))).toEqual(['low0', 'low1', 'low2']);
    });
  });

  it('restore in the middle of split, split, merge: no loss, no duplicate, no child before its parents', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 1);
      const x = (HALF + 5n).toString();
      const written: string[] = [];
      const put = (key: string, hash: string): void => {
        fake.put('s', key, key, hash);
        written.push(key);
      };
      put('x0', x);
      scheduler.schedule(() => {
        fake.splitShard('s', SHARD(0));
        for (let i = 1; i <= 4; i++) put(`x${i}`, x);
        put('low0', '5');
        fake.splitShard('s', SHARD(2));
        put('x5', x);
        fake.mergeShards('s', SHARD(1), SHARD(3));
        put('x6', x);
        put('low1', '5');
      }, 50);
      const config = (checkpoint?: CheckpointState): SourceConfig => ({
        stream: 's',
        client: fake,
        initialPosition: 'TRIM_HORIZON',
        discoveryIntervalMs: 60_000,
        polling: { maxRecords: 1 },
        ...(checkpoint !== undefined ? { checkpoint } : {}),
      });
      const keys: string[] = [];
      let state: CheckpointState | undefined;
      const run = (checkpoint: CheckpointState | undefined, from: number, to: number): void => {
        let sub: Subscription | undefined;
        scheduler.schedule(() => {
          const events = readKinesis(config(checkpoint), scheduler);
          sub = events.subscribe((e) => {
            if (!isShardEvent(e)) keys.push(e.partitionKey);
          });
          sub.add(events.pipe(checkpoints(checkpoint)).subscribe((st) => (state = st)));
        }, from);
        scheduler.schedule(() => sub?.unsubscribe(), to);
      };
      // stopped while shard 2 (x1..x4, one per fetch) is half read; 1 and 4 are done
      run(undefined, 0, 500);
      flush();
      expect(keys).toContain('x1');
      expect(keys).not.toContain('x4');
      const saved = JSON.parse(JSON.stringify(state)) as CheckpointState;
      run(saved, 1000, 6000);
      flush();
      expect([...keys].sort()).toEqual([...written].sort());
      expect(keys.filter((k) => k.startsWith('x'))).toEqual(
        written.filter((k) => k.startsWith('x')),
      );
      expect(keys.filter((k) => k.startsWith('low'))).toEqual(['low0', 'low1']);
    });
  });

  it('restore: a child with a position finishes a listed parent that has no entry', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 1);
      fake.put('s', 'old', 'x');
      const [left] = fake.splitShard('s', SHARD(0));
      const { sequenceNumber } = fake.put('s', 'read', 'x', '5');
      fake.put('s', 'new', 'x', '6');
      const checkpoint: CheckpointState = {
        version: 1,
        starts: { s: 'TRIM_HORIZON' },
        shards: { [`s/${left}`]: { sequenceNumber, parentShardIds: [SHARD(0)] } },
      };
      const records: KinesisRecord[] = [];
      collect(
        scheduler,
        () => ({ stream: 's', client: fake, initialPosition: 'LATEST', checkpoint }),
        0,
        2000,
        records,
      );
      flush();
      expect(records.map((r) => r.partitionKey)).toEqual(['new']);
      const iterators = fake.callsOf('GetShardIteratorCommand').map((c) => c.input['ShardId']);
      expect(iterators).not.toContain(SHARD(0));
    });
  });

  it('assignment 0 and 1 of 2 across a split: every record exactly once', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 1);
      const written: string[] = [];
      const put = (key: string): void => {
        fake.put('s', key, key);
        written.push(key);
      };
      for (let i = 0; i < 20; i++) put(`a${i}`);
      scheduler.schedule(() => {
        fake.splitShard('s', SHARD(0));
        for (let i = 0; i < 20; i++) put(`b${i}`);
      }, 50);
      const records: KinesisRecord[] = [];
      for (const index of [0, 1]) {
        collect(
          scheduler,
          () => ({
            stream: 's',
            client: fake,
            initialPosition: 'TRIM_HORIZON',
            discoveryIntervalMs: 1000,
            assignment: { index, count: 2 },
          }),
          0,
          5000,
          records,
        );
      }
      flush();
      const keys = records.map((r) => r.partitionKey);
      expect([...keys].sort()).toEqual([...written].sort());
      // the parent (whole range, midpoint in reader 0's half) is read by reader 0 only
      expect(
        fake.callsOf('GetShardIteratorCommand').filter((c) => c.input['ShardId'] === SHARD(0)),
      ).toHaveLength(1);
    });
  });

  it('an expired iterator before the first batch of an aggregated restore repeats no sub-record', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 1);
      const blob = encodeAggregatedRecord(
        ['u0', 'u1', 'u2', 'u3'].map((partitionKey) => ({
          partitionKey,
          data: new TextEncoder().encode(partitionKey),
        })),
      );
      const { sequenceNumber } = fake.put('s', 'agg', blob);
      fake.put('s', 'after', 'x');
      fake.put('s', 'last', 'x');
      fake.failNext('GetRecordsCommand', 'ExpiredIteratorException');
      // and again after the first batch
      let getRecords = 0;
      fake.inject((call) =>
        call.command === 'GetRecordsCommand' && ++getRecords === 3
          ? { error: Object.assign(new Error('expired'), { name: 'ExpiredIteratorException' }) }
          : undefined,
      );
      const checkpoint: CheckpointState = {
        version: 1,
        starts: { s: 'TRIM_HORIZON' },
        shards: { [`s/${SHARD(0)}`]: { sequenceNumber, subSequenceNumber: 1 } },
      };
      const records: KinesisRecord[] = [];
      collect(
        scheduler,
        () => ({ stream: 's', client: fake, checkpoint, polling: { maxRecords: 1 } }),
        0,
        3000,
        records,
      );
      flush();
      expect(records.map((r) => `${r.partitionKey}:${r.subSequenceNumber ?? '-'}`)).toEqual([
        'u2:2',
        'u3:3',
        'after:-',
        'last:-',
      ]);
    });
  });

  it('restart: a known stream keeps its pinned start whatever initialPosition says; a new stream takes it', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('a', 1);
      fake.createStream('b', 1);
      const checkpoint: CheckpointState = {
        version: 1,
        starts: { a: { atTimestamp: new Date(1000).toISOString() } },
        shards: {},
      };
      const records: KinesisRecord[] = [];
      collect(
        scheduler,
        () => ({ streams: ['a', 'b'], client: fake, initialPosition: 'TRIM_HORIZON', checkpoint }),
        0,
        500,
        records,
      );
      flush();
      const byStream = Object.fromEntries(
        fake
          .callsOf('GetShardIteratorCommand')
          .map((c) => [c.input['StreamName'], c.input['ShardIteratorType']]),
      );
      expect(byStream).toEqual({ a: 'AT_TIMESTAMP', b: 'TRIM_HORIZON' });
      expect(
        fake.callsOf('GetShardIteratorCommand').find((c) => c.input['StreamName'] === 'a')?.input[
          'Timestamp'
        ],
      ).toEqual(new Date(1000));
    });
  });

  it('unsubscribing aborts the call in flight and leaves no timer', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 2);
      const signals: AbortSignal[] = [];
      // GetRecords never answers from 300 on: a call in flight at unsubscribe
      const port: KinesisPort = {
        send: ((
          command: { constructor: { name: string } },
          options: { abortSignal: AbortSignal },
        ) => {
          if (command.constructor.name === 'GetRecordsCommand' && scheduler.now() >= 300) {
            signals.push(options.abortSignal);
            return new Promise(() => undefined);
          }
          return (fake.send as unknown as (c: unknown, o: unknown) => unknown)(command, options);
        }) as unknown as KinesisPort['send'],
      };
      const sub = fromKinesis(
        { stream: 's', client: port, initialPosition: 'TRIM_HORIZON' },
        scheduler,
      ).subscribe();
      scheduler.schedule(() => sub.unsubscribe(), 1000);
      flush();
      expect(signals).toHaveLength(2);
      expect(signals.every((signal) => signal.aborted)).toBe(true);
    });
  });
});

describe('enhanced fan-out without ChildShards events (kinesis-local)', () => {
  it('a record written just before the reshard that the ListShards check sees is not lost', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const kinesis = new FakeKinesis({ scheduler });
      kinesis.createStream('s', 1);
      const client = new FakeFanOut(kinesis, {
        scheduler,
        eventIntervalMs: 100,
        childShardsEvent: false,
      });
      let consumerArn = '';
      void client
        .send(
          new RegisterStreamConsumerCommand({
            StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
            ConsumerName: 'c',
          }),
        )
        .then((out) => (consumerArn = out.Consumer?.ConsumerARN ?? ''));
      const shard = kinesis.shardsOf('s')[0]!;
      kinesis.put('s', 'k', 'before');
      // the reshard lands after the quiet event was sent, before the check's ListShards
      let resharded = false;
      kinesis.inject((call) => {
        if (call.command === 'ListShardsCommand' && !resharded) {
          resharded = true;
          kinesis.put('s', 'k', 'late');
          kinesis.splitShard('s', shard.shardId);
        }
        return undefined;
      });
      const seen: string[] = [];
      let end = 'open';
      subscribeShard({ consumerArnOf: () => consumerArn, closedShardCheckMs: 1000 })(
        {
          stream: 's',
          shardId: shard.shardId,
          parentShardIds: [],
          hashKeyRange: { startingHashKey: '0', endingHashKey: shard.endingHashKey.toString() },
        },
        { type: 'TRIM_HORIZON' },
        { client, scheduler, recordPrototype: shardRecordPrototype({ parentShardIds: [] }) },
      ).subscribe({
        next: (batch) => seen.push(...batch.records.map((r) => new TextDecoder().decode(r.data))),
        complete: () => (end = 'complete'),
      });
      flush();
      expect(seen).toEqual(['before', 'late']);
      expect(end).toBe('complete');
      expect(client.openSubscriptions()).toEqual([]);
    });
  });
});

describe('pinned starts in a checkpoint taken from records only', () => {
  it('a quiet stream keeps the start pinned at the first run: its records written before the restart are read', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('a', 1);
      fake.createStream('b', 1);
      scheduler.schedule(() => fake.put('a', 'a0', 'x'), 1100);
      // written to b during the first run, not yet read when it stops
      scheduler.schedule(() => fake.put('b', 'b0', 'x'), 1950);
      const config = (checkpoint?: CheckpointState): SourceConfig => ({
        streams: ['a', 'b'],
        client: fake,
        initialPosition: 'LATEST',
        ...(checkpoint !== undefined ? { checkpoint } : {}),
      });
      let state: CheckpointState | undefined;
      const keys: string[] = [];
      const first = fromKinesis(config(), scheduler);
      let sub: Subscription | undefined;
      scheduler.schedule(() => {
        sub = first.subscribe((r) => keys.push(r.partitionKey));
        sub.add(first.pipe(checkpoints()).subscribe((s) => (state = s)));
      }, 1000);
      scheduler.schedule(() => sub?.unsubscribe(), 1960);
      flush();
      expect(keys).toEqual(['a0']);
      const saved = JSON.parse(JSON.stringify(state)) as CheckpointState;
      collectKeys(scheduler, () => fromKinesis(config(saved), scheduler), 5000, 6000, keys);
      flush();
      expect(keys).toEqual(['a0', 'b0']);
    });
  });
});

function collectKeys(
  scheduler: TestScheduler,
  source: () => Observable<KinesisRecord>,
  from: number,
  to: number,
  into: string[],
): void {
  let subscription: Subscription | undefined;
  scheduler.schedule(() => {
    subscription = source().subscribe((r) => into.push(r.partitionKey));
  }, from);
  scheduler.schedule(() => subscription?.unsubscribe(), to);
}
