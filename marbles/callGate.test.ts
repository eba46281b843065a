import { EMPTY, NEVER, type Observable, defer, of, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { callGate } from '../src/source/callGate.js';
import { throughCallGate } from '../src/source/throughCallGate.js';
import { pollShard } from '../src/source/pollShard.js';
import { shardRecordPrototype } from '../src/source/shardContext.js';
import { FakeKinesis, kinesisError } from '../src/testing/FakeKinesis.js';

const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** The most of `times` within any window [t, t + 1000). */
const mostInAnySecond = (times: readonly number[]): number => {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[j] as number) <= (times[i] as number) - 1000) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
};

describe('throughCallGate (virtual time)', () => {
  it('empty: a call that completes at once goes through in its slot', () => {
    testScheduler().run(({ expectObservable }) => {
      expectObservable(throughCallGate(callGate(), () => EMPTY)).toBe('|');
    });
  });

  it('one: the first call starts at once', () => {
    testScheduler().run(({ expectObservable }) => {
      expectObservable(throughCallGate(callGate(), () => of('a'))).toBe('(a|)');
    });
  });

  it('many: calls start 200 ms apart, at most 5 in any second', () => {
    testScheduler().run(({ expectObservable }) => {
      const gate = callGate();
      const calls: Observable<number>[] = [];
      for (let i = 0; i < 7; i++) calls.push(throughCallGate(gate, () => of(i)));
      expectObservable(calls[0] as Observable<number>).toBe('(a|)', { a: 0 });
      for (let i = 1; i < 7; i++) {
        // each subscribed at 0: waits for its own slot
        expectObservable(calls[i] as Observable<number>).toBe(
          i < 5 ? `${i * 200}ms (a|)` : `${1000 + (i - 5) * 200}ms (a|)`,
          { a: i },
        );
      }
    });
  });

  it('error: an error of the call goes through unchanged', () => {
    testScheduler().run(({ expectObservable }) => {
      const gate = callGate();
      gate.take();
      expectObservable(throughCallGate(gate, () => throwError(() => 'boom'))).toBe(
        '200ms #',
        {},
        'boom',
      );
    });
  });

  it('never-ending: a call that never answers keeps its slot taken', () => {
    testScheduler().run(({ expectObservable }) => {
      const gate = callGate();
      expectObservable(throughCallGate(gate, () => NEVER)).toBe('-');
      expectObservable(throughCallGate(gate, () => of('b'))).toBe('200ms (b|)');
    });
  });

  it('early unsubscription: a waiting call never starts and takes no slot', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const gate = callGate();
      gate.take();
      let started = false;
      expectObservable(
        throughCallGate(gate, () => defer(() => ((started = true), of('x')))),
        '^ 100ms !',
      ).toBe('');
      flush();
      expect(started).toBe(false);
      expect(gate.lastStart).toBe(0);
    });
  });
});

describe('pollShard under throttling: per-shard GetRecords limit, retries included', () => {
  it('with every second GetRecords throttled and the shard behind, never > 5 calls in any second', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable, flush }) => {
      const fake = new FakeKinesis({ scheduler });
      fake.createStream('s', 1);
      for (let i = 0; i < 200; i++) fake.put('s', `k${i}`, `v${i}`);
      let n = 0;
      fake.inject((call) =>
        call.command === 'GetRecordsCommand' && ++n % 2 === 0
          ? { error: kinesisError('ProvisionedThroughputExceededException') }
          : undefined,
      );
      const s = fake.shardsOf('s')[0];
      const read = pollShard({
        maxRecords: 10,
        random: () => 0,
        backoff: { getRecords: { base: 1, max: 1, expConst: 1, maxRetries: 5 } },
      })(
        {
          stream: 's',
          shardId: s?.shardId ?? '',
          parentShardIds: [],
          hashKeyRange: { startingHashKey: '0', endingHashKey: '1' },
        },
        { type: 'TRIM_HORIZON' },
        { client: fake, scheduler, recordPrototype: shardRecordPrototype({ parentShardIds: [] }) },
      );
      expectObservable(read, '^ 10s !');
      flush();
      const at = fake.callsOf('GetRecordsCommand').map((call) => call.at);
      expect(at.length).toBeGreaterThan(30);
      expect(mostInAnySecond(at)).toBeLessThanOrEqual(5);
      expect(at.every((t, i) => i === 0 || t - (at[i - 1] as number) >= 200)).toBe(true);
    });
  });
});
