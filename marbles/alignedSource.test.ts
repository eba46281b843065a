import { type Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { KinesisRecord } from '../src/record.js';
import { readKinesis } from '../src/source/readKinesis.js';
import { FakeKinesis } from '../src/testing/FakeKinesis.js';
import { alignWatermarks } from '../src/time/alignWatermarks.js';
import { watermarks } from '../src/time/watermarks.js';
import { type TimedEvent, isRecord } from '../src/time/Watermark.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

// Event time is the record's data (a number), so a shard can run ahead of the other on purpose.
const timestampOf = (record: KinesisRecord): number =>
  Number(new TextDecoder().decode(record.data));

/** Two shards: `put(n, ts)` writes event time `ts` to shard `n`; GetRecords times per shard. */
function setup(scheduler: TestScheduler) {
  const fake = new FakeKinesis({ scheduler });
  fake.createStream('s', 2);
  const [shard0, shard1] = fake.shardsOf('s');
  const put = (n: 0 | 1, ts: number): void => {
    const shard = n === 0 ? shard0 : shard1;
    fake.put('s', `k${ts}`, String(ts), shard?.startingHashKey.toString());
  };
  const getRecordsOf = (shardId: string | undefined): number[] =>
    fake
      .callsOf('GetRecordsCommand')
      .filter(
        (call) =>
          (JSON.parse(atob(call.input['ShardIterator'] as string)) as { shardId: string })
            .shardId === shardId,
      )
      .map((call) => call.at);
  return { fake, put, shard0: shard0?.shardId, shard1: shard1?.shardId, getRecordsOf };
}

/** readKinesis → watermarks → align, with the alignment pausing each shard's reader. */
function alignedRead(
  fake: FakeKinesis,
  scheduler: TestScheduler,
  idleIntervalMs: number,
  pausedFor = true,
) {
  const alignment = alignWatermarks({ lookaheadMs: 100, timestampOf });
  const events: TimedEvent[] = [];
  const source = readKinesis(
    {
      stream: 's',
      client: fake,
      initialPosition: 'TRIM_HORIZON',
      polling: { intervalMs: 200 },
      ...(pausedFor ? { pausedFor: (s) => alignment.paused(s.stream, s.shardId) } : {}),
    },
    scheduler,
  ).pipe(
    watermarks({ timestampOf, idleIntervalMs, emitIntervalMs: 100 }, scheduler),
    alignment.align,
  );
  return { source, events, subscribe: (): Subscription => source.subscribe((e) => events.push(e)) };
}

describe('fromKinesis/readKinesis with pausedFor: alignWatermarks pausing shard readers', () => {
  it('pauses the shard that runs ahead (no GetRecords on it) and resumes it when the other catches up', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const { fake, put, shard0, shard1, getRecordsOf } = setup(scheduler);
      put(0, 1000);
      put(0, 1001);
      put(1, 0);
      scheduler.schedule(() => put(1, 1000), 950);
      scheduler.schedule(() => put(0, 1002), 1500);
      const { events, subscribe } = alignedRead(fake, scheduler, 30_000);
      const sub = subscribe();
      scheduler.schedule(() => sub.unsubscribe(), 2000);
      flush();
      // shard 0 read at 0, paused at 100 (watermark 0, shard 0 at 1001 > 0 + 100), released
      // when shard 1's record at 1000 moves the watermark to 1000 (emitted at the 1000 tick)
      expect(getRecordsOf(shard0)).toEqual([0, 1000, 1200, 1400, 1600, 1800]);
      // the laggard is never paused
      expect(getRecordsOf(shard1)).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800]);
      expect(events.filter(isRecord).map((r) => timestampOf(r))).toEqual([
        1000, 1001, 0, 1000, 1002,
      ]);
    });
  });

  it('without pausedFor the same shard keeps polling (the test above fails without the wiring)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const { fake, put, shard0, getRecordsOf } = setup(scheduler);
      put(0, 1000);
      put(1, 0);
      const { subscribe } = alignedRead(fake, scheduler, 30_000, false);
      const sub = subscribe();
      scheduler.schedule(() => sub.unsubscribe(), 1000);
      flush();
      expect(getRecordsOf(shard0)).toEqual([0, 200, 400, 600, 800]);
    });
  });

  it('no deadlock when the other shard goes idle: the paused shard resumes', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const { fake, put, shard0, getRecordsOf } = setup(scheduler);
      put(0, 1000);
      put(1, 0);
      scheduler.schedule(() => put(0, 5000), 1500);
      const { events, subscribe } = alignedRead(fake, scheduler, 500);
      const sub = subscribe();
      scheduler.schedule(() => sub.unsubscribe(), 2000);
      flush();
      const calls = getRecordsOf(shard0);
      expect(calls[0]).toBe(0);
      // paused from the first watermark until shard 1 turns idle (no records since 0, 500 ms)
      expect(calls.filter((at) => at > 0 && at < 500)).toEqual([]);
      expect(calls.filter((at) => at >= 500).length).toBeGreaterThanOrEqual(6);
      expect(events.filter(isRecord).map((r) => timestampOf(r))).toEqual([1000, 0, 5000]);
    });
  });

  it('no deadlock when the other shard is finished (closed, children idle)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const { fake, put, shard0, shard1, getRecordsOf } = setup(scheduler);
      put(0, 1000);
      put(1, 0);
      fake.splitShard('s', shard1 as string);
      scheduler.schedule(() => put(0, 5000), 1500);
      const { events, subscribe } = alignedRead(fake, scheduler, 500);
      const sub = subscribe();
      scheduler.schedule(() => sub.unsubscribe(), 2000);
      flush();
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'shardFinished', shardId: shard1 }),
      );
      const calls = getRecordsOf(shard0);
      // paused behind the (children of the) finished shard until they turn idle
      expect(calls.filter((at) => at > 0 && at < 500)).toEqual([]);
      expect(calls.filter((at) => at >= 500).length).toBeGreaterThanOrEqual(6);
      expect(events.filter(isRecord).map((r) => timestampOf(r))).toEqual([1000, 0, 5000]);
    });
  });

  it('early unsubscribe: stops every GetRecords at once', () => {
    const scheduler = testScheduler();
    scheduler.run(({ flush }) => {
      const { fake, put } = setup(scheduler);
      put(0, 1000);
      put(1, 0);
      const { subscribe } = alignedRead(fake, scheduler, 500);
      const sub = subscribe();
      scheduler.schedule(() => sub.unsubscribe(), 150);
      flush();
      expect(fake.callsOf('GetRecordsCommand').every((call) => call.at < 150)).toBe(true);
    });
  });
});
