import { type Observable, type Subscription, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { checkpoints } from '../src/checkpoint/checkpoints.js';
import type { CheckpointState } from '../src/checkpoint/CheckpointState.js';
import { encodeAggregatedRecord } from '../src/kpl/encodeAggregatedRecord.js';
import type { KinesisRecord } from '../src/record.js';
import { fromKinesis } from '../src/source/fromKinesis.js';
import { readKinesis } from '../src/source/readKinesis.js';
import { type KinesisEvent, isShardEvent } from '../src/source/ShardEvent.js';
import type { SourceConfig } from '../src/source/SourceConfig.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const SHARD = (n: number): string => `shardId-${String(n).padStart(12, '0')}`;
const third = (1n << 128n) / 3n;
/** An explicit hash key inside shard n of a 3-shard stream. */
const inShard = (n: number): string => (third * BigInt(n) + 5n).toString();

type Run = (config: SourceConfig, scheduler: TestScheduler) => Observable<KinesisEvent>;
const viaReadKinesis: Run = (config, scheduler) => readKinesis(config, scheduler);
const viaFromKinesis: Run = (config, scheduler) => fromKinesis(config, scheduler);

/** Subscribes from `from` to `to` (virtual ms), collecting records and the last state. */
function runBetween(
  scheduler: TestScheduler,
  source: () => Observable<KinesisEvent>,
  initial: CheckpointState | undefined,
  from: number,
  to: number,
  out: { records: KinesisRecord[]; state?: CheckpointState },
): void {
  let subscription: Subscription | undefined;
  scheduler.schedule(() => {
    const events = source();
    subscription = events.subscribe((event) => {
      if (!isShardEvent(event)) out.records.push(event);
    });
    subscription.add(
      events.pipe(checkpoints(initial)).subscribe((state) => {
        out.state = state;
      }),
    );
  }, from);
  scheduler.schedule(() => subscription?.unsubscribe(), to);
}

describe.each([
  ['readKinesis', viaReadKinesis],
  ['fromKinesis', viaFromKinesis],
])('restore from a JSON checkpoint (%s + checkpoints())', (_name, run) => {
  it('loses nothing and repeats nothing: unread shard at the pinned start, child born while stopped', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 3);
      const written: string[] = [];
      const put = (key: string, shard: number): void => {
        fake.put('s', key, key, inShard(shard));
        written.push(key);
      };
      // before the first start (LATEST): never read
      for (let i = 0; i < 5; i++) fake.put('s', `old${i}`, 'x', inShard(i % 3));
      scheduler.schedule(() => {
        for (let i = 0; i < 6; i++) put(`a${i}`, 0);
        for (let i = 0; i < 6; i++) put(`b${i}`, 1);
      }, 1100);
      // shard 2 gets records only after its first empty poll: no position at the checkpoint
      scheduler.schedule(() => put('c0', 2), 1250);
      // while stopped: more in shard 0, then a split, then records in its children
      scheduler.schedule(() => {
        put('a6', 0);
        fake.splitShard('s', SHARD(0));
        for (let i = 0; i < 4; i++) put(`a${7 + i}`, 0);
      }, 2000);

      const config = (checkpoint?: CheckpointState): SourceConfig => ({
        stream: 's',
        client: fake,
        initialPosition: 'LATEST',
        polling: { maxRecords: 2, intervalMs: 200 },
        discoveryIntervalMs: 1000,
        ...(checkpoint !== undefined ? { checkpoint } : {}),
      });
      const first: { records: KinesisRecord[]; state?: CheckpointState } = { records: [] };
      runBetween(scheduler, () => run(config(), scheduler), undefined, 1000, 1300, first);
      flush();

      const saved = JSON.parse(JSON.stringify(first.state)) as CheckpointState;
      expect(saved.starts).toEqual({ s: { atTimestamp: new Date(1000).toISOString() } });
      expect(saved.shards[`s/${SHARD(2)}`]).toBeUndefined();
      expect(first.records.length).toBeGreaterThan(0);
      expect(first.records.length).toBeLessThan(written.length);

      const second: { records: KinesisRecord[]; state?: CheckpointState } = { records: [] };
      runBetween(scheduler, () => run(config(saved), scheduler), saved, 5000, 9000, second);
      flush();

      const keys = [...first.records, ...second.records].map((r) => r.partitionKey);
      expect([...keys].sort()).toEqual([...written].sort());
      expect(new Set(keys).size).toBe(keys.length);
      // per-key order across the split: the a-keys (one hash range) come out in write order
      expect(keys.filter((k) => k.startsWith('a'))).toEqual(
        written.filter((k) => k.startsWith('a')),
      );
      // the parent is finished in the final state, the children have positions
      expect(second.state?.shards[`s/${SHARD(0)}`]?.finished).toBe(true);
    });
  });

  it('resumes inside a KPL aggregated record at the next sub-record', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 1);
      const blob = encodeAggregatedRecord(
        ['u0', 'u1', 'u2', 'u3', 'u4'].map((partitionKey) => ({
          partitionKey,
          data: new TextEncoder().encode(partitionKey),
        })),
      );
      fake.put('s', 'agg', blob);
      fake.put('s', 'after', 'x');
      const config = (checkpoint?: CheckpointState): SourceConfig => ({
        stream: 's',
        client: fake,
        initialPosition: 'TRIM_HORIZON',
        ...(checkpoint !== undefined ? { checkpoint } : {}),
      });
      let state: CheckpointState | undefined;
      const first = run(config(), scheduler)
        .pipe(
          // stop after the third sub-record
          take(_name === 'readKinesis' ? 4 : 3),
          checkpoints(),
        )
        .subscribe((s) => (state = s));
      // a guard: polling never ends by itself, and flush() runs virtual time to the end
      scheduler.schedule(() => first.unsubscribe(), 5000);
      flush();
      expect(state?.shards[`s/${SHARD(0)}`]).toMatchObject({ subSequenceNumber: 2 });
      const saved = JSON.parse(JSON.stringify(state)) as CheckpointState;
      const rest: string[] = [];
      const sub = run(config(saved), scheduler).subscribe((event) => {
        if (!isShardEvent(event))
          rest.push(`${event.partitionKey}:${event.subSequenceNumber ?? '-'}`);
      });
      scheduler.schedule(() => sub.unsubscribe(), 1000);
      flush();
      expect(rest).toEqual(['u3:3', 'u4:4', 'after:-']);
    });
  });
});

describe('readKinesis shard events', () => {
  it('frames each shard: started (pinned start, parents) before its records, finished before its children', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 1);
      fake.put('s', 'k1', 'x');
      fake.splitShard('s', SHARD(0));
      fake.put('s', 'k2', 'y');
      const seen: string[] = [];
      const sub = readKinesis(
        { stream: 's', client: fake, initialPosition: 'TRIM_HORIZON' },
        scheduler,
      ).subscribe((e) =>
        seen.push(
          isShardEvent(e)
            ? `${e.type}:${e.shardId.slice(-1)}${e.type === 'shardStarted' ? `:${JSON.stringify(e.pinnedStart)}:${e.parentShardIds.length}` : `:${e.childShards.length}`}`
            : `record:${e.partitionKey}`,
        ),
      );
      scheduler.schedule(() => sub.unsubscribe(), 1000);
      flush();
      expect(seen.slice(0, 4)).toEqual([
        'shardStarted:0:"TRIM_HORIZON":0',
        'record:k1',
        'shardFinished:0:2',
        expect.stringMatching(/^shardStarted:[12]:"TRIM_HORIZON":1$/),
      ]);
      expect(seen).toContain('record:k2');
      expect(seen.indexOf('record:k2')).toBeGreaterThan(2);
    });
  });
});
