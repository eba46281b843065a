import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/client/errors.js';
import type { KinesisRecord } from '../src/record.js';
import { idleShards } from '../src/time/idleShards.js';
import type { TimedEvent } from '../src/time/Watermark.js';

const rec = (shardId: string, ts: number): KinesisRecord => ({
  stream: 's',
  shardId,
  sequenceNumber: String(ts),
  partitionKey: 'k',
  data: new Uint8Array(),
  approximateArrivalTimestamp: new Date(ts),
});
const idle = (shardId: string): TimedEvent => ({ type: 'shardIdle', stream: 's', shardId });
const active = (shardId: string): TimedEvent => ({ type: 'shardActive', stream: 's', shardId });
const started = (shardId: string): TimedEvent => ({
  type: 'shardStarted',
  stream: 's',
  shardId,
  parentShardIds: [],
});
const finished = (shardId: string): TimedEvent => ({
  type: 'shardFinished',
  stream: 's',
  shardId,
  childShards: [],
});

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const values = {
  a: rec('shard-1', 1),
  b: rec('shard-1', 2),
  c: rec('shard-2', 3),
  s: started('shard-1'),
  t: started('shard-2'),
  f: finished('shard-1'),
  i: idle('shard-1'),
  j: idle('shard-2'),
  x: active('shard-1'),
};

describe('idleShards', () => {
  it('passes an empty stream through', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<TimedEvent>('|').pipe(idleShards(10))).toBe('|');
    });
  });

  it('passes one record through and completes without idling', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<TimedEvent>('a--|', values).pipe(idleShards(10))).toBe('a--|', values);
    });
  });

  it('marks a quiet shard idle, then active again just before its next record', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<TimedEvent>('a 14ms b 30ms |', values);
      expectObservable(source.pipe(idleShards(10))).toBe('a 9ms i 4ms (xb) 6ms i 20ms |', values);
    });
  });

  it('keeps a shard active while records keep coming (many)', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<TimedEvent>('a 5ms b 5ms b 5ms b |', values);
      expectObservable(source.pipe(idleShards(10))).toBe('a 5ms b 5ms b 5ms b |', values);
    });
  });

  it('tracks shards separately: one idles while the other is busy', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<TimedEvent>('(st) 5ms c 5ms c 5ms c |', values);
      expectObservable(source.pipe(idleShards(10))).toBe('(st) 5ms c i 4ms c 5ms c |', values);
    });
  });

  it('idles a started shard that never gets a record', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<TimedEvent>('s 20ms |', values).pipe(idleShards(10))).toBe(
        's 9ms i 10ms |',
        values,
      );
    });
  });

  it('forgets a finished shard (no idle event after its end)', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<TimedEvent>('a 2ms f 30ms |', values).pipe(idleShards(10))).toBe(
        'a 2ms f 30ms |',
        values,
      );
    });
  });

  it('passes an error through', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<TimedEvent>('a--#', values).pipe(idleShards(10))).toBe('a--#', values);
    });
  });

  it('never-ending: idles once and stays quiet; unsubscribing stops its timers', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const source = cold<TimedEvent>('a-', values);
      expectObservable(source.pipe(idleShards(10)), '^ 40ms !').toBe('a 9ms i', values);
      flush();
    });
  });

  it('early unsubscription cancels the pending idle timer', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<TimedEvent>('a-', values);
      expectObservable(source.pipe(idleShards(10)), '^ 5ms !').toBe('a', values);
    });
  });

  it('refuses a non-positive interval with a ConfigError naming the option', () => {
    expect(() => idleShards(0)).toThrow(ConfigError);
    expect(() => idleShards(-1)).toThrow(/idleShards\.idleIntervalMs: expected a positive/);
  });
});
