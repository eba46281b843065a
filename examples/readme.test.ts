import { asyncScheduler, map, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import {
  assignShards,
  discoverShards,
  emptyCheckpointState,
  flattenRecords,
  fromKinesis,
  pinStarts,
  pollShard,
  readShards,
} from '../src/index.js';
import { FakeKinesis } from '../src/testing/index.js';

// The README's "Testing your own pipeline" example, as written there.
describe('README: testing your own pipeline', () => {
  it('runs fromKinesis on FakeKinesis in virtual time', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ expectObservable }) => {
      const kinesis = new FakeKinesis();
      kinesis.createStream('orders', 2);
      kinesis.put('orders', 'k', 'hello');
      const out = fromKinesis({
        stream: 'orders',
        client: kinesis,
        initialPosition: 'TRIM_HORIZON',
      }).pipe(
        map((r) => new TextDecoder().decode(r.data)),
        take(1),
      );
      expectObservable(out).toBe('(a|)', { a: 'hello' });
    });
  });

  it('sees a record written later at its virtual time', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ expectObservable, cold }) => {
      const kinesis = new FakeKinesis();
      kinesis.createStream('orders', 1);
      cold('1s a').subscribe(() => kinesis.put('orders', 'k', 'late'));
      const out = fromKinesis({
        stream: 'orders',
        client: kinesis,
        initialPosition: 'TRIM_HORIZON',
      }).pipe(
        map((r) => new TextDecoder().decode(r.data)),
        take(1),
      );
      // polled every 200 ms: the record written at 1000 ms is read by the call at 1000 ms
      expectObservable(out).toBe('1s (a|)', { a: 'late' });
    });
  });
});

describe('README: fromKinesis rebuilt from the parts', () => {
  it('reads every record of every shard in virtual time', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ expectObservable }) => {
      const client = new FakeKinesis();
      client.createStream('orders', 3);
      for (let i = 0; i < 30; i++) client.put('orders', `key-${i}`, `r${i}`);
      const state = pinStarts(emptyCheckpointState(), ['orders'], { type: 'TRIM_HORIZON' }, 0);
      const out = discoverShards(client, ['orders'], { intervalMs: 10_000 }).pipe(
        assignShards({ index: 0, count: 1 }),
        readShards({
          reader: pollShard({ maxRecords: 1000 }),
          context: { client, scheduler: asyncScheduler },
          state,
        }),
        flattenRecords(),
        map((r) => new TextDecoder().decode(r.data)),
        take(30),
        toArray(),
        map((values) => [...values].sort().join(',')),
      );
      const expected = Array.from({ length: 30 }, (_, i) => `r${i}`)
        .sort()
        .join(',');
      expectObservable(out).toBe('(a|)', { a: expected });
    });
  });
});
