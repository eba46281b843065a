import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Observable } from 'rxjs';
import { ConfigError } from '../src/client/errors.js';
import type { KinesisRecord } from '../src/record.js';
import { watermarks, type WatermarkOptions } from '../src/time/watermarks.js';
import { type TimedEvent, isWatermark } from '../src/time/Watermark.js';

const rec = (shardId: string, ts: number): KinesisRecord => ({
  stream: 's',
  shardId,
  sequenceNumber: String(ts),
  partitionKey: 'k',
  data: new TextEncoder().encode(JSON.stringify({ ts: ts * 2 })),
  approximateArrivalTimestamp: new Date(ts),
});
const wm = (timestamp: number): TimedEvent => ({ type: 'watermark', timestamp });
const started = (shardId: string, parentShardIds: string[] = []): TimedEvent => ({
  type: 'shardStarted',
  stream: 's',
  shardId,
  parentShardIds,
});
const finished = (shardId: string): TimedEvent => ({
  type: 'shardFinished',
  stream: 's',
  shardId,
  childShards: [],
});
const idle = (shardId: string): TimedEvent => ({ type: 'shardIdle', stream: 's', shardId });

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const off: WatermarkOptions = { emitIntervalMs: 10, idleIntervalMs: 'off' };

/** Runs `build` in virtual time and returns `[frame, event]` for every element, and how it ended. */
function collect(
  build: (cold: TestScheduler['createColdObservable']) => Observable<TimedEvent>,
  until = Infinity,
): { events: Array<[number, TimedEvent]>; end: string } {
  const scheduler = testScheduler();
  const events: Array<[number, TimedEvent]> = [];
  let end = 'open';
  scheduler.run(({ cold, flush }) => {
    const subscription = build(cold).subscribe({
      next: (e) => events.push([scheduler.now(), e]),
      error: () => (end = `error@${scheduler.now()}`),
      complete: () => (end = `complete@${scheduler.now()}`),
    });
    if (until !== Infinity) scheduler.schedule(() => subscription.unsubscribe(), until);
    flush();
  });
  return { events, end };
}

const watermarksOf = (events: Array<[number, TimedEvent]>): Array<[number, number]> =>
  events.flatMap(([frame, e]) =>
    isWatermark(e) ? [[frame, e.timestamp] as [number, number]] : [],
  );

describe('watermarks', () => {
  it('empty: completes without a watermark', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<TimedEvent>('|').pipe(watermarks(off))).toBe('|');
    });
  });

  it('one record: emits its event time as the last watermark before completing', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: rec('shard-1', 100), w: wm(100) };
      expectObservable(cold<TimedEvent>('a|', values).pipe(watermarks(off))).toBe('a(w|)', values);
    });
  });

  it('many: the minimum over shards, emitted each interval when it advanced', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = {
        s: started('shard-1'),
        t: started('shard-2'),
        a: rec('shard-1', 100),
        b: rec('shard-2', 50),
        c: rec('shard-2', 200),
        v: wm(50),
        x: wm(100),
      };
      const source = cold<TimedEvent>('(st)ab 10ms c 20ms |', values);
      expectObservable(source.pipe(watermarks(off))).toBe(
        '(st)ab 4ms v 5ms c 3ms x 16ms |',
        values,
      );
    });
  });

  it('subtracts the out-of-orderness bound and uses a custom extractor', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: rec('shard-1', 100), w: wm(170) };
      const timestampOf = (r: KinesisRecord): number =>
        (JSON.parse(new TextDecoder().decode(r.data)) as { ts: number }).ts;
      expectObservable(
        cold<TimedEvent>('a 20ms |', values).pipe(
          watermarks({ ...off, maxOutOfOrdernessMs: 30, timestampOf }),
        ),
      ).toBe('a 9ms w 10ms |', values);
    });
  });

  it('passes an error through and stops ticking', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: rec('shard-1', 100), w: wm(100) };
      expectObservable(cold<TimedEvent>('a 12ms #', values).pipe(watermarks(off))).toBe(
        'a 9ms w 2ms #',
        values,
      );
    });
  });

  it('never-ending: keeps the last watermark, and unsubscribing stops the ticker', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: rec('shard-1', 100), w: wm(100) };
      expectObservable(cold<TimedEvent>('a-', values).pipe(watermarks(off)), '^ 100ms !').toBe(
        'a 9ms w',
        values,
      );
    });
  });

  it('early unsubscription: nothing after it', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: rec('shard-1', 100) };
      expectObservable(cold<TimedEvent>('a-', values).pipe(watermarks(off)), '^ 5ms !').toBe(
        'a',
        values,
      );
    });
  });

  it('a started shard without records holds the watermark back (idleness off)', () => {
    const { events } = collect((cold) =>
      cold<TimedEvent>('(st)a 30ms |', {
        s: started('shard-1'),
        t: started('shard-2'),
        a: rec('shard-1', 100),
      }).pipe(watermarks(off)),
    );
    expect(watermarksOf(events)).toEqual([]);
  });

  it('by default a quiet shard turns idle and stops holding the watermark back', () => {
    const { events } = collect((cold) =>
      cold<TimedEvent>('(st) 20ms a 5ms a 5ms a 50ms |', {
        s: started('shard-1'),
        t: started('shard-2'),
        a: rec('shard-1', 100),
      }).pipe(watermarks({ emitIntervalMs: 10, idleIntervalMs: 30 })),
    );
    // shard-2 turns idle at 30; the next tick (40) lets shard-1's time through.
    expect(events.filter(([, e]) => 'type' in e && e.type === 'shardIdle')[0]).toEqual([
      30,
      idle('shard-2'),
    ]);
    expect(watermarksOf(events)[0]).toEqual([40, 100]);
  });

  it('idle-then-active: a rejoining shard holds the watermark again, which never goes back', () => {
    const { events } = collect((cold) =>
      cold<TimedEvent>('(ab) 9ms c 10ms c 4ms d 3ms e 1ms f 20ms |', {
        a: rec('shard-1', 100),
        b: rec('shard-2', 50),
        c: rec('shard-1', 110),
        d: rec('shard-2', 40),
        e: rec('shard-2', 200),
        f: rec('shard-1', 210),
      }).pipe(watermarks({ emitIntervalMs: 10, idleIntervalMs: 15 })),
    );
    const kinds = events.map(([frame, e]) => [frame, 'type' in e ? e.type : e.shardId]);
    expect(kinds).toContainEqual([15, 'shardIdle']);
    expect(kinds).toContainEqual([29, 'shardActive']);
    // 50 while both shards count; 110 once shard-2 is idle; the rejoin (40) does not pull it
    // back; 200 once both have moved on; 210 when shard-2 is idle again.
    expect(watermarksOf(events)).toEqual([
      [10, 50],
      [20, 110],
      [40, 200],
      [50, 210],
    ]);
  });

  it('all shards idle: follows the clock minus the idle interval (default), or holds', () => {
    const source = (cold: TestScheduler['createColdObservable']) =>
      cold<TimedEvent>('a-', { a: rec('shard-1', 1) });
    const clock = collect(
      (cold) => source(cold).pipe(watermarks({ emitIntervalMs: 10, idleIntervalMs: 15 })),
      45,
    );
    expect(watermarksOf(clock.events)).toEqual([
      [10, 1],
      [20, 5],
      [30, 15],
      [40, 25],
    ]);
    const hold = collect(
      (cold) =>
        source(cold).pipe(
          watermarks({ emitIntervalMs: 10, idleIntervalMs: 15, whenAllIdle: 'hold' }),
        ),
      45,
    );
    expect(watermarksOf(hold.events)).toEqual([[10, 1]]);
  });

  it('never goes backwards across resharding: a child inherits its parent, a new shard waits', () => {
    const { events } = collect((cold) =>
      cold<TimedEvent>('(sa) 10ms (fcd) 10ms (ek) 10ms g 10ms h 10ms |', {
        s: started('shard-1'),
        a: rec('shard-1', 100),
        f: finished('shard-1'),
        c: started('shard-2', ['shard-1']),
        d: started('shard-3', ['shard-1']),
        e: rec('shard-2', 150),
        k: rec('shard-3', 160),
        g: started('shard-9'),
        h: rec('shard-9', 120),
      }).pipe(watermarks(off)),
    );
    const marks = watermarksOf(events);
    // 100 from the parent; the children start at their parent's 100 (not at -∞), so the
    // watermark stays put until both have records (150); shard-9, a new shard without
    // parents, then holds it until its first record, whose 120 is below 150: not emitted.
    expect(marks).toEqual([
      [10, 100],
      [30, 150],
    ]);
    for (let i = 1; i < marks.length; i++) expect(marks[i]![1]).toBeGreaterThan(marks[i - 1]![1]);
  });

  it('restore: nothing at or below the initial watermark is emitted again', () => {
    const { events } = collect((cold) =>
      cold<TimedEvent>('a 10ms b 10ms c 10ms |', {
        a: rec('shard-1', 100),
        b: rec('shard-1', 500),
        c: rec('shard-1', 600),
      }).pipe(watermarks({ ...off, initialWatermark: 500 })),
    );
    expect(watermarksOf(events)).toEqual([[30, 600]]);
  });

  it('a finished shard stops holding the watermark back', () => {
    const { events } = collect((cold) =>
      cold<TimedEvent>('(ab) 10ms f 10ms |', {
        a: rec('shard-1', 100),
        b: rec('shard-2', 300),
        f: finished('shard-1'),
      }).pipe(watermarks(off)),
    );
    expect(watermarksOf(events)).toEqual([
      [10, 100],
      [20, 300],
    ]);
  });

  it('refuses bad options with a ConfigError naming the option', () => {
    expect(() => watermarks({ maxOutOfOrdernessMs: -1 })).toThrow(ConfigError);
    expect(() => watermarks({ emitIntervalMs: 0 })).toThrow(
      /watermarks\.emitIntervalMs: expected a positive number of milliseconds, got 0/,
    );
    expect(() => watermarks({ idleIntervalMs: -1 })).toThrow(/watermarks\.idleIntervalMs/);
  });
});
