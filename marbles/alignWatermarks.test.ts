import { Subject, asyncScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { pollShard } from '../src/source/pollShard.js';
import { shardRecordPrototype } from '../src/source/shardContext.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/client/errors.js';
import type { KinesisRecord } from '../src/record.js';
import { alignWatermarks } from '../src/time/alignWatermarks.js';
import { watermarks } from '../src/time/watermarks.js';
import type { TimedEvent } from '../src/time/Watermark.js';

const rec = (shardId: string, ts: number): KinesisRecord => ({
  stream: 's',
  shardId,
  sequenceNumber: String(ts),
  partitionKey: 'k',
  data: new Uint8Array(),
  approximateArrivalTimestamp: new Date(ts),
});
const wm = (timestamp: number): TimedEvent => ({ type: 'watermark', timestamp });
const idle = (shardId: string): TimedEvent => ({ type: 'shardIdle', stream: 's', shardId });
const finished = (shardId: string): TimedEvent => ({
  type: 'shardFinished',
  stream: 's',
  shardId,
  childShards: [],
});

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const values = {
  a: rec('shard-1', 100),
  b: rec('shard-2', 100),
  c: rec('shard-1', 300),
  d: rec('shard-2', 260),
  v: wm(100),
  w: wm(260),
  i: idle('shard-2'),
  f: finished('shard-2'),
  T: true,
  F: false,
};

const events = values as unknown as Record<string, TimedEvent>;

describe('alignWatermarks', () => {
  it('empty: passes completion through; signals start false', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const alignment = alignWatermarks({ lookaheadMs: 50 });
      expectObservable(alignment.paused('s', 'shard-1')).toBe('(F|)', values);
      expectObservable(cold<TimedEvent>('|').pipe(alignment.align)).toBe('|');
    });
  });

  it('one record: passes it through, no pause before any watermark', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const alignment = alignWatermarks({ lookaheadMs: 50 });
      expectObservable(alignment.paused('s', 'shard-1'), '^ 10ms !').toBe('F', values);
      expectObservable(cold<TimedEvent>('c 20ms |', events).pipe(alignment.align)).toBe(
        'c 20ms |',
        values,
      );
    });
  });

  it('many: pauses a shard that runs ahead, and resumes it when the watermark catches up', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const alignment = alignWatermarks({ lookaheadMs: 50 });
      const source = cold<TimedEvent>('ab v 5ms c 5ms d w 5ms |', events);
      expectObservable(alignment.paused('s', 'shard-1')).toBe('F 7ms T 6ms F 5ms |', values);
      expectObservable(alignment.paused('s', 'shard-2')).toBe('F 20ms |', values);
      expectObservable(source.pipe(alignment.align)).toBe('ab v 5ms c 5ms d w 5ms |', values);
    });
  });

  it('no deadlock with an idle shard: the laggard going idle releases the paused shard', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const alignment = alignWatermarks({ lookaheadMs: 50 });
      const source = cold<TimedEvent>('ab v 5ms c 5ms i-', events);
      expectObservable(alignment.paused('s', 'shard-1'), '^ 40ms !').toBe('F 7ms T 5ms F', values);
      expectObservable(source.pipe(alignment.align), '^ 40ms !').toBe('ab v 5ms c 5ms i-', values);
    });
  });

  it('no deadlock with a finished shard: its signal completes, the other resumes', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const alignment = alignWatermarks({ lookaheadMs: 50 });
      const source = cold<TimedEvent>('ab v 5ms c 5ms f-', events);
      expectObservable(alignment.paused('s', 'shard-1'), '^ 40ms !').toBe('F 7ms T 5ms F', values);
      expectObservable(alignment.paused('s', 'shard-2')).toBe('F 13ms |', values);
      expectObservable(source.pipe(alignment.align), '^ 40ms !').toBe('ab v 5ms c 5ms f-', values);
    });
  });

  it('never pauses the shard furthest behind, even if the watermark is stale', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const alignment = alignWatermarks({ lookaheadMs: 50 });
      // Both jump ahead of the last watermark (100): shard-2 first (paused, shard-1 lags), then
      // shard-1 passes it: shard-1 pauses and shard-2, now the laggard, resumes at once.
      const source = cold<TimedEvent>('ab v 5ms d 5ms c-', events);
      expectObservable(alignment.paused('s', 'shard-2'), '^ 30ms !').toBe('F 7ms T 5ms F', values);
      expectObservable(alignment.paused('s', 'shard-1'), '^ 30ms !').toBe('F 13ms T', values);
      expectObservable(source.pipe(alignment.align), '^ 30ms !').toBe('ab v 5ms d 5ms c-', values);
    });
  });

  it('error: passes it through and releases every pause', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const alignment = alignWatermarks({ lookaheadMs: 50 });
      const source = cold<TimedEvent>('ab v 5ms c 5ms #', events);
      expectObservable(alignment.paused('s', 'shard-1')).toBe('F 7ms T 5ms (F|)', values);
      expectObservable(source.pipe(alignment.align)).toBe('ab v 5ms c 5ms #', values);
    });
  });

  it('early unsubscription releases every pause', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const alignment = alignWatermarks({ lookaheadMs: 50 });
      const source = cold<TimedEvent>('ab v 5ms c-', events);
      expectObservable(alignment.paused('s', 'shard-1')).toBe('F 7ms T 11ms (F|)', values);
      expectObservable(source.pipe(alignment.align), '^ 19ms !').toBe('ab v 5ms c', values);
    });
  });

  it('with watermarks upstream: a paused shard resumes once the other catches up (never-ending)', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const alignment = alignWatermarks({ lookaheadMs: 50 });
      // shard-1 jumps to 300 at 12; the tick at 20 emits min(300, 100) = 100 → shard-1 paused;
      // shard-2 reaches 260 at 25; the tick at 30 emits 260 → shard-1 resumes.
      const source = cold<TimedEvent>('ab 10ms c 12ms d-', events);
      expectObservable(alignment.paused('s', 'shard-1'), '^ 60ms !').toBe(
        'F 11ms T 17ms F',
        values,
      );
      expectObservable(
        source.pipe(watermarks({ emitIntervalMs: 10, idleIntervalMs: 'off' }), alignment.align),
        '^ 60ms !',
      ).toBe('ab 8ms v 1ms c 12ms d 4ms w', values);
    });
  });

  it('refuses a negative lookahead with a ConfigError naming the option', () => {
    expect(() => alignWatermarks({ lookaheadMs: -5 })).toThrow(ConfigError);
    expect(() => alignWatermarks({ lookaheadMs: Number.NaN })).toThrow(
      /alignWatermarks\.lookaheadMs: expected a non-negative number/,
    );
  });
});

describe('alignWatermarks with the polling reader', () => {
  it('a paused shard issues no GetRecords until released, then resumes', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const kinesis = new FakeKinesis();
      kinesis.createStream('s', 1);
      const alignment = alignWatermarks({ lookaheadMs: 50 });
      const shard = kinesis.shardsOf('s')[0]!;
      const reader = alignment.pauseReader(pollShard({ intervalMs: 200 }));
      const subscription = reader(
        {
          stream: 's',
          shardId: shard.shardId,
          parentShardIds: [],
          hashKeyRange: { startingHashKey: '0', endingHashKey: shard.endingHashKey.toString() },
        },
        { type: 'TRIM_HORIZON' },
        {
          client: kinesis,
          scheduler: asyncScheduler,
          recordPrototype: shardRecordPrototype({ parentShardIds: [] }),
        },
      ).subscribe();
      // Drive the alignment by hand: shard-0 runs ahead of the watermark at 1,000, behind shard-9.
      const drive = new Subject<TimedEvent>();
      drive.pipe(alignment.align).subscribe();
      scheduler.schedule(() => {
        drive.next(rec('shard-9', 100));
        drive.next({ ...rec(shard.shardId, 400) });
        drive.next(wm(100));
      }, 1_000);
      scheduler.schedule(() => drive.next(wm(400)), 3_000);
      scheduler.schedule(() => subscription.unsubscribe(), 4_000);
      flush();
      const calls = kinesis.callsOf('GetRecordsCommand').map((c) => c.at);
      expect(calls.filter((at) => at > 1_000 && at < 3_000)).toEqual([]);
      expect(calls.filter((at) => at <= 1_000).length).toBeGreaterThan(3);
      expect(calls.filter((at) => at >= 3_000).length).toBeGreaterThan(3);
    });
  });
});
